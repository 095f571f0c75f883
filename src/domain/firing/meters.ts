// Burners on or off from a totaliser or a cylinder scale, for the tracker. These meters say only how
// much has been used so far, so each is followed as "used" kg (across rollovers, resets and cylinder
// swaps): it counts as burning while its fitted use over meter_rate_window_s is above gas_on_kg_h
// and clear of the noise,
// and the moment it went on (or off) is dated afterwards by the report's own rule (gas-on-off.ts)
// over the last meter_window_s of readings, so a monitor-only kiln's firing starts at its gas-on,
// not when the temperature has risen.
import { gasOnOff } from '../analytics/gas-on-off.ts';
import type { Point } from '../point.ts';
import type { TrackerConfig } from './config.ts';
import { KeptLog, type SavedKeptLog } from './kept-log.ts';
import type { Timed } from './types.ts';

export type MeterKind = 'total' | 'scale';
/** How many meter_rate_window_s a totaliser's dating goes on being refined after a change is seen. */
export const SETTLE_WINDOWS = 3;

/** How much burning (or idle) is fitted to date a change, and so how long the dating is refined
 *  after the change is seen: a totaliser's register brackets the moment, SETTLE_WINDOWS windows
 *  are plenty; a scale's noise (±0.06 kg against a seventh of a 0.1 kg step per reading) needs half
 *  of meter_window_s (30 min: ~6 s spread at 10 s readings, gas-on-off.ts hingeDate). */
export function fitMs(kind: MeterKind, cfg: TrackerConfig): number {
  return kind === 'scale' ? (cfg.meter_window_s * 1000) / 2 : SETTLE_WINDOWS * cfg.meter_rate_window_s * 1000;
}

export interface MeterTrack {
  readonly kind: MeterKind;
  /** The last reading: register (kg) or gross mass (kg). */
  readonly raw: number;
  readonly used_kg: number;
  /** The kept readings over meter_window_s, oldest first: when, and used_kg then; at most
   *  KEPT_PER_WINDOW + 1, packed 8 bytes a reading (kept-log.ts). Saved as two arrays of numbers;
   *  earlier versions saved other shapes, read back by savedMeter(). */
  readonly kept: KeptLog;
  /** While burning: when it went on (dated); null while off. */
  readonly on_ms: number | null;
  /** When it last went off (dated); kept while burning again (the next gas-on is looked for after it). */
  readonly off_ms: number | null;
  /** When the current on or off was seen: dating is refined for fitMs after it. */
  readonly seen_ms: number;
  /** The dated gas-on of the last burn, kept while off: a burn off for moments only carries on from it. */
  readonly last_on_ms?: number | null;
  /** The off before the current (or last) burn: its gas-on is dated from the readings since. Absent in older checkpoints. */
  readonly from_ms?: number | null;
  /** When the change was last dated (a refit while it settles). Absent in older checkpoints. */
  readonly dated_ms?: number;
}

export interface MeterReading { readonly kind: MeterKind; readonly value_kg: number; readonly rollover_kg: number | null }

/** A gas_total or gas_scale point as kg (m³ registers through lpg_density_kg_m3), or null. */
export function meterReading(p: Point, cfg: TrackerConfig): MeterReading | null {
  const f = p.fields;
  if (p.measurement === 'gas_scale') return typeof f.mass_kg === 'number' && Number.isFinite(f.mass_kg) ? { kind: 'scale', value_kg: f.mass_kg, rollover_kg: null } : null;
  if (p.measurement !== 'gas_total') return null;
  const per = typeof f.total_kg === 'number' ? 1 : cfg.lpg_density_kg_m3;
  const total = typeof f.total_kg === 'number' ? f.total_kg : f.total_m3;
  if (typeof total !== 'number' || !Number.isFinite(total)) return null;
  const roll = typeof f.rollover_at === 'number' ? f.rollover_at * per : null;
  return { kind: 'total', value_kg: total * per, rollover_kg: roll };
}

/** How much more was used since the previous reading. */
function usedStep(prev: MeterTrack, r: MeterReading, cfg: TrackerConfig): number {
  if (r.kind === 'scale') {
    // A rise beyond the swap size is a new cylinder: nothing is seen burnt across it.
    return r.value_kg - prev.raw > cfg.scale_swap_kg ? 0 : prev.raw - r.value_kg;
  }
  if (r.value_kg >= prev.raw) return r.value_kg - prev.raw;
  const wrap = r.rollover_kg === null ? -1 : r.rollover_kg - prev.raw + r.value_kg;
  return wrap >= 0 && r.rollover_kg !== null && wrap <= r.rollover_kg / 10 ? wrap : 0; // else a reset: carry on from it
}

/** Least-squares kg/h over the kept readings since from_ms, with its standard error from the
 *  residuals; null with fewer than 4 readings or under half the span. */
export function slopeKgH(kept: KeptLog, from_ms: number, span_ms: number): { kg_h: number; se_kg_h: number } | null {
  // Over the readings since from_ms, in place: no copy (this runs at every kept meter reading).
  const i0 = kept.indexFrom(from_ms), n = kept.length - i0;
  if (n < 4 || kept.msAt(kept.length - 1) - kept.msAt(i0) < span_ms / 2) return null;
  let st = 0, sk = 0;
  for (let i = i0; i < kept.length; i++) { st += kept.msAt(i); sk += kept.kgAt(i); }
  const mt = st / n, mk = sk / n;
  let num = 0, den = 0;
  for (let i = i0; i < kept.length; i++) {
    const dt = kept.msAt(i) - mt;
    num += dt * (kept.kgAt(i) - mk);
    den += dt * dt;
  }
  if (den === 0) return null;
  const r = num / den;
  let rss = 0;
  for (let i = i0; i < kept.length; i++) rss += (kept.kgAt(i) - mk - r * (kept.msAt(i) - mt)) ** 2;
  return { kg_h: r * 3_600_000, se_kg_h: Math.sqrt(rss / (n - 2) / den) * 3_600_000 };
}

/** The newest kept reading's time. */
export const lastKeptMs = (m: MeterTrack): number | undefined => m.kept.lastMs();

/** The first kept reading at or after keep_from (the window's start), or Infinity. */
function firstKeptMs(kept: KeptLog, keep_from: number): number {
  const i = kept.indexFrom(keep_from);
  return i < kept.length ? kept.msAt(i) : Infinity;
}

/** The kept readings since from_ms (keep_from at the earliest), as the report's dating takes them. */
function usedSince(kept: KeptLog, keep_from: number, from_ms: number | null): { ts_ms: number; kg: number }[] {
  const out: { ts_ms: number; kg: number }[] = [];
  for (let i = kept.indexFrom(Math.max(keep_from, from_ms ?? -Infinity)); i < kept.length; i++) out.push({ ts_ms: kept.msAt(i), kg: kept.kgAt(i) });
  return out;
}

/** A meter as a checkpoint holds it: today's (kept saved as {ms, kg}), or an earlier version's:
 *  the window as two arrays of numbers (kept_ms, kept_kg, and a short tail after them: tail_ms,
 *  tail_kg), or before that as `recent` objects ({value: used_kg, ts_ms}), oldest first. */
export interface SavedMeterTrack extends Omit<MeterTrack, 'kept'> {
  readonly kept?: KeptLog | SavedKeptLog;
  readonly kept_ms?: readonly number[];
  readonly kept_kg?: readonly number[];
  readonly tail_ms?: readonly number[];
  readonly tail_kg?: readonly number[];
  readonly recent?: readonly Timed[];
}

/** A saved meter in today's shape (the same readings, packed). */
export function savedMeter(m: SavedMeterTrack): MeterTrack {
  if (m.kept instanceof KeptLog) return m as MeterTrack;
  const { kept, kept_ms, kept_kg, tail_ms = [], tail_kg = [], recent = [], ...rest } = m;
  const saved = kept as SavedKeptLog | undefined;
  const ms = saved ? saved.ms : kept_ms && kept_kg ? [...kept_ms, ...tail_ms] : recent.map((x) => x.ts_ms);
  const kg = saved ? saved.kg : kept_ms && kept_kg ? [...kept_kg, ...tail_kg] : recent.map((x) => x.value);
  return { ...rest, kept: KeptLog.of(ms, kg) };
}

/** While a change settles, it is dated again at most this often (device time): each dating is a
 *  least-squares pass over up to an hour of kept readings, and one more minute of them moves a
 *  dating that has half an hour to settle by far less than a reading interval. */
const REDATE_EVERY_MS = 60_000;

/** Readings kept per meter_window_s (meterStep): one per 8 s, so a 10 s logger keeps every reading
 *  even with 2 s of jitter, and a 1 Hz meter keeps 450 readings a window instead of 3,600. One per
 *  5 s (720) kept 4.3 KB more per 1 Hz meter (at 16 bytes a reading) and dated no better: over seven
 *  synthetic kilns (1 Hz, 2 s, 5 s and 10 s totalisers and scales) the worst gas-on or gas-off was 6.1 s off with 720 and
 *  4.5 s with 450 (docs/analytics.md), under a hundredth of a kilogram of gas at 5 kg/h. */
const KEPT_PER_WINDOW = 450;

/** A slope this many standard errors above zero is use, not a scale's noise (4: a false "burning"
 *  about once in 30,000 windows of idle readings; the tracker also wants it held for 15 min). */
const SIGNIFICANT_SE = 4;

/** Follow one meter through a reading. */
export function meterStep(prev: MeterTrack | undefined, r: MeterReading, ts_ms: number, cfg: TrackerConfig): MeterTrack {
  const used_kg = prev ? prev.used_kg + usedStep(prev, r, cfg) : 0;
  // At most KEPT_PER_WINDOW readings over meter_window_s (one per 8 s): a 1 Hz meter is then
  // followed at the cost of an 8 s one (each kept reading refits the window), and its fits still
  // hold hundreds of readings. The register or mass is still followed at every reading.
  const last_ms = prev?.kept.lastMs();
  if (prev && last_ms !== undefined && ts_ms - last_ms < (cfg.meter_window_s * 1000) / KEPT_PER_WINDOW) {
    // Spelled out, not `{ ...prev, ... }`: a spread of this optional-field shape is several times slower.
    return {
      kind: prev.kind, raw: r.value_kg, used_kg, kept: prev.kept, on_ms: prev.on_ms, off_ms: prev.off_ms,
      seen_ms: prev.seen_ms, last_on_ms: prev.last_on_ms, from_ms: prev.from_ms, dated_ms: prev.dated_ms,
    };
  }
  const keep_from = ts_ms - cfg.meter_window_s * 1000;
  const kept = (prev?.kept ?? KeptLog.EMPTY).with(ts_ms, used_kg, keep_from);
  const w = cfg.meter_rate_window_s * 1000;
  // Gas left on a few minutes is not taken for a firing: the tracker starts one from a totaliser or
  // scale only once it has burnt for SETTLE_WINDOWS windows (tracker.ts, gasSettled).
  const fit = slopeKgH(kept, ts_ms - w, w);
  const was = prev?.on_ms != null;
  // Hysteresis: on above gas_on_kg_h and clear of the noise, off only below half of both, so a low
  // fire near the threshold (a slow first ramp) is not cut into pieces by a scale's noise.
  const k = was ? 0.5 : 1;
  const burning = fit !== null && fit.kg_h > k * cfg.gas_on_kg_h && fit.kg_h > k * SIGNIFICANT_SE * fit.se_kg_h;
  let on_ms = prev?.on_ms ?? null, off_ms = prev?.off_ms ?? null, seen_ms = prev?.seen_ms ?? ts_ms;
  // Dated when the change is seen, and again at each reading for SETTLE_WINDOWS windows after it, as more of the
  // burning (or idle) line comes in: a scale's first minutes of burning are within its noise.
  if (burning !== was) seen_ms = ts_ms;
  const settling = ts_ms - seen_ms < fitMs(r.kind, cfg);
  // The off is re-dated only while the meter is clearly idle: once a new burn begins (not yet seen
  // as burning), its first use would be taken for the last use of the old one.
  const idleNow = fit !== null && fit.kg_h < 0.5 * cfg.gas_on_kg_h;
  const flicker = burning && !was && prev?.last_on_ms != null && ts_ms - prev.seen_ms < SETTLE_WINDOWS * w;
  // The readings a burn's gas-on is dated from: since the off before it (kept across a bridged off).
  let from_ms = prev?.from_ms ?? null;
  if (burning && !was && !flicker) from_ms = off_ms;
  if (flicker) on_ms = prev.last_on_ms!; // off for moments only (a low fire at the threshold): the same burn goes on
  // A bridged burn is dated again only while its start is well inside the kept readings (idle before
  // it to fit): a noise blip just before the burners lit is then not taken for their gas-on.
  const bridged = on_ms !== null && off_ms !== null && on_ms < off_ms;
  const datable = !bridged || on_ms! - firstKeptMs(kept, keep_from) >= fitMs(r.kind, cfg) / 2;
  // Dated at once when the change is seen, then again while it settles: every REDATE_EVERY_MS, and
  // at the last reading before it has settled.
  const redate = settling && (ts_ms - (prev?.dated_ms ?? -Infinity) >= REDATE_EVERY_MS || ts_ms + (cfg.meter_window_s * 1000) / KEPT_PER_WINDOW - seen_ms >= fitMs(r.kind, cfg));
  let dated_ms = prev?.dated_ms;
  if (burning && (!was || redate || flicker) && datable) {
    on_ms = Math.min(ts_ms, datedOnOff(usedSince(kept, keep_from, from_ms), r.kind, cfg, 'on') ?? ts_ms);
    dated_ms = ts_ms;
  } else if (!burning && (was || (redate && off_ms !== null && idleNow))) {
    const from = was ? prev!.on_ms! : -Infinity;
    // No use found to date it by: now when first seen off, else the dating so far stands.
    const dated = datedOnOff(usedSince(kept, keep_from, null), r.kind, cfg, 'off') ?? (was ? ts_ms : off_ms!);
    off_ms = Math.max(from, Math.min(ts_ms, dated));
    on_ms = null;
    dated_ms = ts_ms;
  }
  return { kind: r.kind, raw: r.value_kg, used_kg, kept, on_ms, off_ms, seen_ms, last_on_ms: on_ms ?? prev?.last_on_ms ?? null, from_ms, dated_ms };
}

/** The report's dating (a line fitted to the burning, met with the idle level) over the kept readings
 *  given. Gas-on looks only at readings since the last time this meter went off, so an earlier burn
 *  in the window is not taken for this one. */
function datedOnOff(used: readonly { ts_ms: number; kg: number }[], kind: MeterKind, cfg: TrackerConfig, which: 'on' | 'off'): number | null {
  // A scale's gas-on is fitted to fitMs of burning; every gas-off (and a totaliser's gas-on) to 2 windows.
  const fit_s = kind === 'scale' && which === 'on' ? fitMs(kind, cfg) / 1000 : cfg.meter_rate_window_s * 2;
  const o = gasOnOff(used, { threshold_kg: kind === 'scale' ? cfg.scale_noise_kg : 0, fit_s });
  return which === 'on' ? o.on_ms : o.off_ms;
}
