// Gas-on and gas-off in the tracker from every meter kind, and the two moments of a firing's close:
// gas-off (fuel final, report exists, "cooling") and end (below the unload temperature, or a set
// time after gas-off). A synthetic kiln: the temperature starts rising 10 min after the burners light
// (the setting soaks up the first heat), so a start from the temperature alone would be late.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER_CONFIG, firingsFromEvents, flush, foldFirings, initialState, recordOf, run, trackerConfig, withEndRule, withKilnEndRule, type FiringRecord, type TrackerConfig, type TrackerState } from '../../../src/domain/firing/index.ts';
import { alertSettings, alertSettingsPatchSchema, endRuleOf } from '../../../src/domain/alerts/index.ts';
import type { Point } from '../../../src/domain/point.ts';

const T0 = Date.UTC(2025, 2, 1, 0, 0);
const MIN = 60_000, H = 3_600_000;
type Kind = 'flow' | 'totalizer' | 'scale' | 'none';
interface Kiln {
  kind: Kind; interval_s: number; on_ms: number; off_ms: number; flow_kg_h: number;
  /** The kiln stops cooling at this (a thermocouple stuck warm, or the readings stop). */
  floor_c: number; until_ms: number; swap_ms?: number; controller?: boolean;
  /** Burners lit again for this long after the firing. */
  relight?: { at_ms: number; for_ms: number };
}
const noise = (i: number) => ((i * 7919) % 2003) / 1001 - 1;

function tempAt(k: Kiln, ms: number): number {
  const lag_ms = 10 * MIN;
  const rise = Math.max(0, Math.min(ms, k.off_ms) - k.on_ms - lag_ms) / H * 150;
  const hot = Math.min(28 + rise, 1100);
  if (ms <= k.off_ms) return hot;
  return Math.max(k.floor_c, hot - ((ms - k.off_ms) / H) * 200);
}
function burning(k: Kiln, ms: number): boolean {
  if (ms >= k.on_ms && ms < k.off_ms) return true;
  return k.relight !== undefined && ms >= k.relight.at_ms && ms < k.relight.at_ms + k.relight.for_ms;
}
/** kg burnt up to ms (exact, piecewise). */
function usedAt(k: Kiln, ms: number): number {
  const span = (a: number, b: number) => Math.max(0, Math.min(ms, b) - a);
  let kg = (span(k.on_ms, k.off_ms) * k.flow_kg_h) / H;
  if (k.relight) kg += (span(k.relight.at_ms, k.relight.at_ms + k.relight.for_ms) * k.flow_kg_h) / H;
  return kg;
}

function points(k: Kiln): Point[] {
  const out: Point[] = [];
  const tags = (channel: string) => ({ workshop: 'w', kiln: 'k1', channel });
  for (let ms = T0, i = 0; ms <= k.until_ms; ms += k.interval_s * 1000, i++) {
    out.push({ measurement: 'temperature', tags: tags('top'), fields: { temp_c: Math.round((tempAt(k, ms) + 0.3 * noise(i)) * 10) / 10 }, ts_ms: ms });
    if (k.kind === 'flow') out.push({ measurement: 'gas_flow', tags: tags('burner'), fields: { flow_kg_h: burning(k, ms) ? k.flow_kg_h : 0 }, ts_ms: ms });
    if (k.kind === 'totalizer') out.push({ measurement: 'gas_total', tags: tags('meter'), fields: { total_kg: Math.floor((4321 + usedAt(k, ms)) * 100) / 100 }, ts_ms: ms });
    if (k.kind === 'scale') {
      const added = k.swap_ms !== undefined && ms >= k.swap_ms ? 90 : 0; // two full 48 kg cylinders replace the empties
      out.push({ measurement: 'gas_scale', tags: tags('scale'), fields: { mass_kg: Math.round((150 + added - usedAt(k, ms) + 0.05 * noise(i + 7)) * 10) / 10 }, ts_ms: ms });
    }
  }
  if (k.controller) {
    const ev = (type: string, ts_ms: number, data: object): Point => ({ measurement: 'event', tags: { workshop: 'w', kiln: 'k1', channel: 'controller', type }, fields: { data_json: JSON.stringify(data) }, ts_ms });
    out.push(ev('firing_start', k.on_ms, { firing_id: 'f1' }), ev('firing_stop', k.off_ms, { firing_id: 'f1', reason: 'complete' }));
  }
  return out;
}

const base = (kind: Kind, over: Partial<Kiln> = {}): Kiln => ({
  kind, interval_s: 10, on_ms: T0 + H + 3_456, off_ms: T0 + H + 3_456 + 8 * H, flow_kg_h: 5, floor_c: 28, until_ms: T0 + 22 * H, ...over,
});

describe('gas-on and gas-off from each meter kind', () => {
  it.each([
    { what: 'flow meter', k: base('flow') },
    { what: 'totaliser, 0.01 kg register', k: base('totalizer') },
    { what: 'totaliser, low flow (a step every 12 s)', k: base('totalizer', { flow_kg_h: 3 }) },
    { what: 'cylinder scale with a swap', k: base('scale', { swap_ms: T0 + 5 * H }) },
    { what: 'cylinder scale, read every 30 s', k: base('scale', { interval_s: 30, flow_kg_h: 8 }) },
    // 1 Hz meters are dated from one kept reading per 8 s (meters.ts KEPT_PER_WINDOW): within that.
    { what: 'totaliser, read every second', k: base('totalizer', { interval_s: 1, until_ms: T0 + 15 * H }) },
    { what: 'cylinder scale, read every second', k: base('scale', { interval_s: 1, flow_kg_h: 8, until_ms: T0 + 15 * H }) },
  ])('$what: the firing starts at gas-on, gas-off and end are found', ({ k }) => {
    const fs = foldFirings(points(k));
    expect(fs).toHaveLength(1);
    const f = fs[0]!;
    const tol = Math.max(k.interval_s, 8) * 1000;
    expect(Math.abs(f.start_ms - k.on_ms)).toBeLessThanOrEqual(tol);
    expect(Math.abs(f.gas_on_ms! - k.on_ms)).toBeLessThanOrEqual(tol);
    expect(Math.abs(f.gas_off_ms! - k.off_ms)).toBeLessThanOrEqual(tol);
    expect(f.status).toBe('ended');
    expect(f.end_ms! - f.gas_off_ms!).toBeGreaterThan(H); // cooling below 200 °C takes hours
    expect(tempAt(k, f.end_ms!)).toBeLessThan(201); // the reading below 200 °C, with its noise
    expect(tempAt(k, f.end_ms! - 2 * tol)).toBeGreaterThanOrEqual(199);
  });

  it('a kiln with no gas meter starts from its temperature and has no detected gas-off', () => {
    const [f] = foldFirings(points(base('none')));
    expect(f!.start_ms - base('none').on_ms).toBeGreaterThan(5 * MIN); // late by the setting's lag: why meters matter
    expect(f!.gas_off_ms).toBeNull();
  });
});

describe('end: below the unload temperature, or a set time after gas-off', () => {
  const cfg = trackerConfig({ end_after_gas_off_s: 6 * 3600 });
  const end = (k: Kiln): FiringRecord => foldFirings(points(k), cfg)[0]!;
  it.each([
    { what: 'cools below 200 °C: ends there', k: base('flow'), by: 'temperature' },
    { what: 'stalls at 207 °C: ends 6 h after gas-off', k: base('totalizer', { floor_c: 207 }), by: 'time' },
    { what: 'controller stop, stalls at 207 °C', k: base('flow', { floor_c: 207, controller: true }), by: 'time' },
    { what: 'controller stop, cools below 200 °C', k: base('scale', { controller: true }), by: 'temperature' },
  ])('$what', ({ k, by }) => {
    const f = end(k);
    expect(Math.abs(f.gas_off_ms! - k.off_ms)).toBeLessThanOrEqual(k.interval_s * 1000);
    if (by === 'time') expect(f.end_ms).toBe(f.gas_off_ms! + 6 * H);
    else expect(f.end_ms! - f.gas_off_ms!).toBeLessThan(6 * H);
    expect(f.reason).toBe('complete');
  });

  it('is "cooling" from gas-off until the end', () => {
    const k = base('scale');
    const upTo = (ms: number) => foldFirings(points({ ...k, until_ms: ms }));
    expect(upTo(k.off_ms - H)[0]!.status).toBe('firing');
    const cooling = upTo(k.off_ms + 2 * H)[0]!;
    expect(cooling.status).toBe('cooling');
    expect(cooling.end_ms).toBeNull();
  });
});

describe('gas left on briefly after a firing starts no new one', () => {
  it.each([
    { kind: 'flow' as const, for_min: 3 },
    { kind: 'totalizer' as const, for_min: 3 },
    { kind: 'scale' as const, for_min: 2 },
  ])('$kind: burners relit $for_min min once the kiln could be unloaded', ({ kind, for_min }) => {
    const k = base(kind);
    const relight = { at_ms: k.off_ms + 10 * H, for_ms: for_min * MIN };
    expect(foldFirings(points({ ...k, relight }))).toHaveLength(1);
  });
  it.each(['flow', 'totalizer'] as const)('%s: burners relit 30 min do start one', (kind) => {
    const k = base(kind);
    expect(foldFirings(points({ ...k, relight: { at_ms: k.off_ms + 10 * H, for_ms: 30 * MIN } }))).toHaveLength(2);
  });
});

describe('stored by the previous version', () => {
  it.each([
    { what: 'an ended firing', end_ms: T0 + 9 * H, status: 'ended' },
    { what: 'an open firing', end_ms: null, status: 'firing' },
  ])('a record without gas-on, gas-off and status loads as $status ($what)', ({ end_ms, status }) => {
    const old = { id: 'k1-1', by: 'detected' as const, start_ms: T0, end_ms, reason: null, target_c: null, peak_c: 1000, peak_ms: T0 + H, last100_rate_c_h: null, cone: null, stages: [], gaps: [] };
    expect(recordOf(old)).toEqual({ ...old, gas_on_ms: null, gas_off_ms: null, status });
  });

  it('a checkpoint without the new settings and meter state resumes to the same firings', () => {
    const pts = points(base('flow')).sort((a, b) => a.ts_ms - b.ts_ms);
    const half = pts.findIndex((p) => p.ts_ms > T0 + 3 * H);
    const first = run(initialState(), pts.slice(0, half));
    const mid = first.state;
    const { end_after_gas_off_s: _a, gas_off_hold_s: _b, meter_window_s: _c, meter_rate_window_s: _d, scale_noise_kg: _e, scale_swap_kg: _f, ...oldConfig } = mid.config;
    const { meters: _m, flow_on_since_ms: _g, flow_off_ms: _h, gas_off_since_ms: _i, ...oldState } = mid;
    const resumed = (s: TrackerState) => { const r = run(s, pts.slice(half)); const f = flush(r.state); return firingsFromEvents([...first.events, ...r.events, ...f.events], f.state.firing); };
    const [f] = resumed({ ...oldState, config: oldConfig as TrackerConfig });
    expect(f!.end_ms).toBe(resumed(mid)[0]!.end_ms);
    expect(f!.gas_off_ms).not.toBeNull();
  });
});

describe('which moment wins', () => {
  // A controlled cool: burners off while the kiln falls fast, then back on to slow the fall.
  const cooled = (kind: Kind, controller: boolean): Kiln => ({ ...base(kind, { controller }), relight: { at_ms: base(kind).off_ms + H, for_ms: 1.5 * H } });
  it.each([
    { what: 'controller kiln: gas-off is its firing_stop, not a pause in the burners', kind: 'flow' as const, controller: true },
    { what: 'monitor-only: gas on again on a falling kiln is a controlled cool, not a re-fire', kind: 'flow' as const, controller: false },
    { what: 'monitor-only totaliser, controlled cool', kind: 'totalizer' as const, controller: false },
  ])('$what', ({ kind, controller }) => {
    // the kiln keeps falling through the relight: tempAt ignores the relight's heat
    const k = cooled(kind, controller);
    const fs = foldFirings(points(k));
    expect(fs).toHaveLength(1);
    if (controller) expect(fs[0]!.gas_off_ms).toBe(k.off_ms);
    // Without a controller, the pause over 15 min was a provisional gas-off: the burners' last off is the firing's.
    else expect(Math.abs(fs[0]!.gas_off_ms! - (k.relight!.at_ms + k.relight!.for_ms))).toBeLessThanOrEqual(k.interval_s * 1000);
  });

  it('with a flow meter and a scale, the flow meter dates the gas-on', () => {
    const k = base('flow');
    const both = [...points(k), ...points(base('scale')).filter((p) => p.measurement === 'gas_scale')];
    const [f] = foldFirings(both);
    expect(Math.abs(f!.gas_on_ms! - k.on_ms)).toBeLessThanOrEqual(k.interval_s * 1000);
  });
});

describe("a kiln's own end rule, from its settings", () => {
  // Saved beside the alert thresholds: 450 °C (a kiln unloaded hot) or 5 h after gas-off (this kiln
  // cools 200 °C/h from 1,100 °C: 450 °C after 3¼ h).
  const rule = endRuleOf(alertSettings({ firing_end_c: 450, firing_end_after_gas_off_h: 5 }));
  const cfg = withEndRule(trackerConfig(), rule);
  it.each([
    { what: 'cools below 450 °C: ends there, long before 200 °C', k: base('scale'), by: 'temperature' },
    { what: 'stalls at 470 °C: ends 5 h after gas-off', k: base('totalizer', { floor_c: 470 }), by: 'time' },
    { what: 'controller stop, stalls at 470 °C: ends 5 h after it', k: base('flow', { floor_c: 470, controller: true }), by: 'time' },
  ])('$what', ({ k, by }) => {
    const [f] = foldFirings(points(k), cfg);
    expect(f!.status).toBe('ended');
    if (by === 'time') expect(f!.end_ms).toBe(f!.gas_off_ms! + 5 * H);
    else {
      expect(tempAt(k, f!.end_ms!)).toBeLessThan(451);
      expect(tempAt(k, f!.end_ms! - 2 * k.interval_s * 1000)).toBeGreaterThanOrEqual(449);
    }
    // With the defaults (200 °C, 36 h) the same kiln ends later, or not in these readings.
    const [d] = foldFirings(points(k));
    expect(d!.end_ms === null || d!.end_ms > f!.end_ms!).toBe(true);
  });

  it('a state saved under the default rule, resumed under the kiln\'s, ends by the kiln\'s', () => {
    const k = base('flow', { floor_c: 470 });
    const pts = points(k).sort((a, b) => a.ts_ms - b.ts_ms);
    const half = pts.findIndex((p) => p.ts_ms > k.off_ms + H);
    const first = run(initialState(), pts.slice(0, half));
    const r = run(withKilnEndRule(first.state, rule), pts.slice(half));
    const [f] = firingsFromEvents([...first.events, ...r.events]);
    expect(f!.end_ms).toBe(f!.gas_off_ms! + 5 * H);
  });

  it('settings saved before the rule existed load with the default rule', () => {
    const savedBefore = '{"over_temp_margin_c":40,"scale_tare_kg":76}'; // the store keeps a save as JSON
    const patch = alertSettingsPatchSchema.parse(JSON.parse(savedBefore));
    const s = alertSettings(patch);
    expect(s.over_temp_margin_c).toBe(40);
    expect(endRuleOf(s)).toEqual({ unload_c: DEFAULT_TRACKER_CONFIG.unload_c, end_after_gas_off_s: DEFAULT_TRACKER_CONFIG.end_after_gas_off_s });
    expect(withEndRule(DEFAULT_TRACKER_CONFIG, endRuleOf(s))).toBe(DEFAULT_TRACKER_CONFIG);
  });

  it.each([
    { patch: { firing_end_c: 20 }, field: 'firing_end_c' },
    { patch: { firing_end_after_gas_off_h: 0 }, field: 'firing_end_after_gas_off_h' },
  ])('refuses $field out of range', ({ patch, field }) => {
    const r = alertSettingsPatchSchema.safeParse(patch);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual([field]);
  });
});

describe('controlled cool: a detected gas-off is provisional while the firing cools', () => {
  // Burners off 1 h (the kiln falls fast), then pulsed again 1.5 h to slow the fall, then off for good.
  const cool = (kind: Kind, for_ms = 1.5 * H): Kiln => ({ ...base(kind), relight: { at_ms: base(kind).off_ms + H, for_ms } });
  const eventsOf = (k: Kiln) => {
    const r = run(initialState(), points(k).sort((a, b) => a.ts_ms - b.ts_ms));
    return [...r.events, ...flush(r.state).events];
  };
  it.each(['flow', 'totalizer'] as const)('%s: gas-off at the first pause, withdrawn when the burners relight, then at their last off', (kind) => {
    const k = cool(kind);
    const last_off_ms = k.relight!.at_ms + k.relight!.for_ms;
    const ev = eventsOf(k);
    const offs = ev.filter((e) => e.type === 'gas_off');
    const resumed = ev.filter((e) => e.type === 'gas_resumed');
    expect(offs).toHaveLength(2);
    expect(resumed).toHaveLength(1);
    expect(Math.abs(offs[0]!.at_ms - k.off_ms)).toBeLessThanOrEqual(k.interval_s * 1000);
    expect(Math.abs(resumed[0]!.at_ms - k.relight!.at_ms)).toBeLessThanOrEqual(k.interval_s * 1000);
    expect(Math.abs(offs[1]!.at_ms - last_off_ms)).toBeLessThanOrEqual(k.interval_s * 1000);
    const fs = firingsFromEvents(ev);
    expect(fs).toHaveLength(1); // the same firing: its fuel runs to the last off
    expect(fs[0]!.gas_off_ms).toBe(offs[1]!.at_ms);
    expect(fs[0]!.status).toBe('ended');
    // While the burners were back on, the firing was burning again: no final fuel, no "cooling" report.
    const mid = foldFirings(points({ ...k, until_ms: k.relight!.at_ms + 30 * MIN }))[0]!;
    expect(mid.status).toBe('firing');
    expect(mid.gas_off_ms).toBeNull();
    const paused = foldFirings(points({ ...k, until_ms: k.relight!.at_ms - MIN }))[0]!;
    expect(paused.status).toBe('cooling');
  });

  it('burners lit 3 min while cooling move nothing (not held 5 min)', () => {
    const k = cool('flow', 3 * MIN);
    const [f] = foldFirings(points(k));
    expect(Math.abs(f!.gas_off_ms! - k.off_ms)).toBeLessThanOrEqual(k.interval_s * 1000);
    expect(eventsOf(k).some((e) => e.type === 'gas_resumed')).toBe(false);
  });

  it('a controller kiln: its firing_stop is the gas-off, whatever the burners do after', () => {
    const k = { ...cool('flow'), controller: true };
    expect(eventsOf(k).some((e) => e.type === 'gas_resumed')).toBe(false);
    expect(foldFirings(points(k))[0]!.gas_off_ms).toBe(k.off_ms);
  });
});
