// A firing longer than the live view's fuel checkpoints reach (1,800 × 10 s): its gas so far must
// still be counted from its own start, not from whatever the service saw before it. The firing's
// start event pins its checkpoint (kiln-live.ts, pinFuelAt).
import { describe, expect, it } from 'vitest';
import { PairRing } from '../../src/domain/live/ring.ts';
import { DEFAULT_LIVE_OPTIONS, LiveState } from '../../src/live/live-state.ts';
import { feedLive } from '../support/live-feed.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 0);
const feed = feedLive;

describe('live fuel of a long firing', () => {
  it('counts a 7 h firing\'s gas from its start, after an earlier firing burnt gas', () => {
    const state = new LiveState();
    let seq = 0;
    const run = (from_ms: number, to_ms: number, temp: (t: number) => number, kg_h: number) => {
      for (let t = from_ms; t < to_ms; t += 10_000) {
        feed(state, 'telemetry', { seq: ++seq, temp_c: { top: temp(t) }, gas: { burner: { kind: 'flow', flow_kg_h: kg_h } } }, t);
      }
    };
    // An earlier firing: 3 h at 4 kg/h, then 2 h cold.
    feed(state, 'event', { seq: ++seq, type: 'firing_start', firing_id: 'a' }, T0);
    run(T0, T0 + 3 * H, (t) => 30 + (t - T0) / 20_000, 4);
    feed(state, 'event', { seq: ++seq, type: 'firing_stop', firing_id: 'a', reason: 'complete' }, T0 + 3 * H);
    run(T0 + 3 * H, T0 + 5 * H, () => 40, 0);
    // The long one: 7 h at 2 kg/h = 14 kg.
    const S = T0 + 5 * H;
    feed(state, 'event', { seq: ++seq, type: 'firing_start', firing_id: 'b' }, S);
    run(S, S + 7 * H, (t) => 40 + (t - S) / 40_000, 2);
    const v = state.view('w/k1')!;
    expect(v.firing?.id).toBe('b');
    expect(v.fuel.fuel_kg!).toBeCloseTo(14, 0);
    expect(v.fuel.reason).toMatch(/since the firing start/);
  });
});

describe('fuel checkpoints of a kiln with several meter kinds', () => {
  // The view reads a firing's fuel from the first kind in the report's order (totaliser, flow,
  // scale) that has checkpoints; the others' are not kept.
  const cps = (state: LiveState) => {
    const totals = (state as unknown as { kilns: Map<string, { totals: Record<string, { checkpoints: PairRing | null }> }> }).kilns.get('w/k1')!.totals;
    return Object.fromEntries(Object.entries(totals).map(([k, t]) => [k, t.checkpoints?.length ?? 0]));
  };
  // Its controller starts this kiln's firings, and would have it keep only the last few
  // checkpoints (keep_controlled: below); here it keeps as many as a kiln without one.
  const ALL_KEPT = { ...DEFAULT_LIVE_OPTIONS, meters: { ...DEFAULT_LIVE_OPTIONS.meters, keep_controlled: DEFAULT_LIVE_OPTIONS.meters.keep } };
  const fire = (gas: (t: number, i: number) => Record<string, unknown>, options = ALL_KEPT) => {
    const state = new LiveState(options);
    let seq = 0;
    feed(state, 'event', { seq: ++seq, type: 'firing_start', firing_id: 'a' }, T0);
    for (let i = 0, t = T0; t < T0 + 3 * H; t += 10_000, i++) {
      feed(state, 'telemetry', { seq: ++seq, temp_c: { top: 30 + (t - T0) / 20_000 }, gas: gas(t, i) }, t);
    }
    return state;
  };
  const flow = { kind: 'flow', flow_kg_h: 4 };
  const total = (t: number) => ({ kind: 'totalizer', total_kg: 100 + (4 * (t - T0)) / H });
  const scale = (t: number) => ({ kind: 'scale', mass_kg: 45 - (4 * (t - T0)) / H });

  it('keeps the totaliser\'s alone, whatever comes first in a message, and counts the same fuel as a totaliser alone', () => {
    const all = fire((t) => ({ burner: flow, cyl: scale(t), reg: total(t) })); // flow and scale before the totaliser
    const alone = fire((t) => ({ reg: total(t) }));
    expect(cps(all)).toEqual({ totalizer: cps(alone).totalizer, flow: 0, scale: 0 });
    expect(cps(alone).totalizer).toBeGreaterThan(300);
    const v = all.view('w/k1')!.fuel;
    expect(v.meter).toBe('totalizer');
    expect(v.fuel_kg).toBe(alone.view('w/k1')!.fuel.fuel_kg);
    expect(v.fuel_kg!).toBeCloseTo(12, 1);
  });

  it('keeps the flow\'s beside a scale, and the scale\'s alone; a totaliser joining later takes over', () => {
    expect(cps(fire((t) => ({ cyl: scale(t), burner: flow })))).toMatchObject({ flow: DEFAULT_LIVE_OPTIONS.meters.keep, scale: 0 }); // 3 h of 30 s ones fill the ring
    expect(cps(fire((t) => ({ cyl: scale(t) })))).toMatchObject({ totalizer: 0, flow: 0 });
    const late = fire((t, i) => (i < 540 ? { burner: flow } : { burner: flow, reg: total(t) })); // the totaliser from 1.5 h
    expect(cps(late)).toMatchObject({ flow: 0, scale: 0 });
    expect(late.view('w/k1')!.fuel).toMatchObject({ meter: 'totalizer', reason: expect.stringMatching(/first reading this service saw/) });
  });
});

describe('fuel checkpoints of a kiln its controller starts', () => {
  const ring = (state: LiveState) => (state as unknown as { kilns: Map<string, { totals: { totalizer: { checkpoints: PairRing } } }> }).kilns.get('w/k1')!.totals.totalizer.checkpoints;

  it('keeps the last keep_controlled and its firing\'s start, and counts the same gas as keeping them all', () => {
    const { keep, keep_controlled } = DEFAULT_LIVE_OPTIONS.meters;
    const run = (meters: typeof DEFAULT_LIVE_OPTIONS.meters) => {
      const state = new LiveState({ ...DEFAULT_LIVE_OPTIONS, meters });
      let seq = 0;
      // An hour cold, then the controller's firing: 3 h at 4 kg/h, stopped.
      const S = T0 + H;
      const read = (t: number) => feed(state, 'telemetry', { seq: ++seq, temp_c: { top: t < S ? 30 : 30 + ((t - S) / H) * 300 }, gas: { reg: { kind: 'totalizer', total_kg: 100 + (4 * Math.max(0, t - S)) / H } } }, t);
      for (let t = T0; t < S; t += 10_000) read(t);
      feed(state, 'event', { seq: ++seq, type: 'firing_start', firing_id: 'c' }, S);
      for (let t = S; t < S + 3 * H; t += 10_000) read(t);
      const running = state.view('w/k1')!.fuel;
      const stop = S + 3 * H;
      feed(state, 'event', { seq: ++seq, type: 'firing_stop', firing_id: 'c', reason: 'complete' }, stop);
      for (let t = stop; t < stop + 120_000; t += 10_000) feed(state, 'telemetry', { seq: ++seq, temp_c: { top: 50 }, gas: { reg: { kind: 'totalizer', total_kg: 112 } } }, t);
      return { state, running, last: state.view('w/k1')!.last_firing };
    };
    const few = run(DEFAULT_LIVE_OPTIONS.meters);
    const all = run({ ...DEFAULT_LIVE_OPTIONS.meters, keep_controlled: keep });
    expect(ring(few.state).length).toBeLessThanOrEqual(keep_controlled);
    expect(ring(all.state).length).toBe(keep);
    expect((ring(few.state) as unknown as { cap: number }).cap).toBeLessThanOrEqual(2 * (keep_controlled + 1));
    expect(few.running.reason).toMatch(/since the firing start/);
    expect(few.running.fuel_kg!).toBeCloseTo(12, 1);
    expect(few.running.fuel_kg).toBe(all.running.fuel_kg);
    expect(few.last?.id).toBe('c');
    expect(few.last?.fuel_kg).toBe(all.last?.fuel_kg);
    expect(few.last!.fuel_kg!).toBeCloseTo(12, 1);
  });

  it('trims a ring to its newest pairs, the pinned one kept, with its values as they were', () => {
    for (const packed of [null, 1000]) {
      const r = new PairRing(64, 4, packed);
      for (let t = 0; t < 40; t++) r.push(t * 10, t / 4, 35);
      r.trimTo(5, 35);
      const pairs = Array.from({ length: r.length }, (_, k) => [r.tsAt(k), r.valueAt(k)]);
      expect(pairs).toEqual([[30, 0.75], [360, 9], [370, 9.25], [380, 9.5], [390, 9.75]]);
      expect((r as unknown as { cap: number }).cap).toBe(6);
      r.push(400, 10, 35); // room for the next, then back to five
      r.trimTo(5, 35);
      expect(r.tsAt(0)).toBe(30);
      expect(r.tsAt(r.length - 1)).toBe(400);
      expect(r.length).toBe(5);
    }
  });
});

describe('PairRing with a pinned instant', () => {
  it('keeps the last pair at or before the pin when full, and stays within its size', () => {
    const r = new PairRing(4);
    for (let t = 0; t < 10; t++) r.push(t * 10, t, 25); // pin 25: the pair at 20 stays
    expect(r.length).toBe(4);
    const pairs = Array.from({ length: r.length }, (_, k) => [r.tsAt(k), r.valueAt(k)]);
    expect(pairs).toEqual([[20, 2], [70, 7], [80, 8], [90, 9]]);
    expect(r.lastAtOrBefore(25)).toBe(0);
    // Without a pin (no firing running) the oldest goes, as before.
    r.push(100, 10);
    expect(r.tsAt(0)).toBe(70);
  });
});
