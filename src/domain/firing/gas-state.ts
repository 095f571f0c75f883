// Burners on or off for the whole kiln, from every meter it has: flow meters directly (above
// gas_on_kg_h), totalisers and scales through meters.ts. The kiln burns while any fresh meter does;
// gas_on_since_ms is the earliest dated gas-on of what burns now, gas_off_since_ms the latest dated
// gas-off once nothing does (both re-dated while a totaliser's or scale's line settles).
import { lastKeptMs, meterStep, type MeterTrack } from './meters.ts';
import type { Sample, TrackerDraft } from './types.ts';

/** Steps the draft's burner state with this sample, in place. */
export function gasState(s: TrackerDraft, sample: Sample, ts: number, flowOn: boolean): void {
  const cfg = s.config;
  let meters = s.meters;
  // One copy of the table per sample with a meter reading (a spread per channel with a computed key was slow).
  for (const ch in sample.meters) {
    const next: Record<string, MeterTrack> = meters === s.meters ? { ...s.meters } : (meters as Record<string, MeterTrack>);
    next[ch] = meterStep(s.meters?.[ch], sample.meters[ch]!, ts, cfg);
    meters = next;
  }
  // A checkpoint from before meters were followed kept the flow's on-since in gas_on_since_ms.
  const flowWas = s.flow_on_since_ms === undefined ? s.gas_on_since_ms : s.flow_on_since_ms;
  const flow_on_since_ms = flowOn ? (flowWas ?? ts) : null;
  const flow_off_ms = flowOn ? null : flowWas != null ? ts : (s.flow_off_ms ?? null);
  const on = { total: Infinity, scale: Infinity };
  let meterOff = -Infinity;
  for (const m of Object.values(meters ?? {})) {
    const fresh = ts - (lastKeptMs(m) ?? -Infinity) <= cfg.zone_stale_s * 1000;
    if (fresh && m.on_ms !== null) on[m.kind] = Math.min(on[m.kind], m.on_ms);
    else if (m.on_ms === null && m.off_ms !== null) meterOff = Math.max(meterOff, m.off_ms);
  }
  const burning = flowOn || on.total < Infinity || on.scale < Infinity;
  // The most exact meter burning dates the gas-on: a flow meter reads it, a totaliser's register
  // brackets it, a scale's noisy line only estimates it.
  const best = flow_on_since_ms ?? (on.total < Infinity ? on.total : on.scale);
  const gas_on_since_ms = burning ? best : null;
  let gas_off_since_ms = s.gas_off_since_ms ?? null;
  if (burning) gas_off_since_ms = null;
  else if (s.gas_on_since_ms !== null || gas_off_since_ms !== null) {
    // Went off now, or off already: a meter's gas-off is re-dated for a while after it is seen.
    const off = Math.max(flow_off_ms ?? -Infinity, meterOff);
    gas_off_since_ms = Math.min(ts, off > -Infinity ? off : (gas_off_since_ms ?? ts));
  }
  const gas_seen_ms = burning ? (s.gas_on_since_ms !== null ? (s.gas_seen_ms ?? ts) : ts) : null;
  // Written last: everything above reads the values before this sample.
  s.meters = meters;
  s.flow_on_since_ms = flow_on_since_ms;
  s.flow_off_ms = flow_off_ms;
  s.gas_on_since_ms = gas_on_since_ms;
  s.gas_off_since_ms = gas_off_since_ms;
  s.gas_seen_ms = gas_seen_ms;
}
