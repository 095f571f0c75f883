// The pure parts of the live state: the rate of rise shown, incremental meters, ETA from a schedule, SSE resume.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER_CONFIG } from '../../src/domain/firing/index.ts';
import { LiveState } from '../../src/live/live-state.ts';
import { feedLive } from '../support/live-feed.ts';
import { makeRng, uniform } from '../../simulator/model/rng.ts';
import { PairRing } from '../../src/domain/live/ring.ts';
import { addKg, flowStepKg, newTotals, scaleStep, totalAt, totalStep } from '../../src/domain/live/meters.ts';
import { estimateEta, planPeak, planTimeAt } from '../../src/domain/live/eta.ts';
import { changedSince, formatEvent, parseLastEventId } from '../../src/domain/live/sse.ts';
import { plannedCurve } from '../../src/domain/report/schedule.ts';
import { integrateFlow } from '../../src/domain/analytics/fuel-flow.ts';
import { totalizerConsumption } from '../../src/domain/analytics/fuel-meters.ts';

const H = 3_600_000;

describe('the live rate of rise: the tracker\'s own, the one its stage is judged from', () => {
  const T0 = Date.UTC(2026, 0, 5, 0);
  /** A kiln fed `temps` (one zone, a reading every step_s), with the live view's rate after each. */
  function rates(temps: readonly number[], step_s: number): (number | null)[] {
    const state = new LiveState();
    const out: (number | null)[] = [];
    temps.forEach((t, i) => {
      feedLive(state, 'telemetry', { seq: i + 1, temp_c: { top: t } }, T0 + i * step_s * 1000);
      out.push(state.view('w/k1')!.rate_c_h);
    });
    return out;
  }

  it.each([
    { name: 'steady 120 °C/h for 20 min', step_s: 10, n: 121, slope: 120, want: 120 },
    { name: 'under a minute of readings: no rate', step_s: 10, n: 5, slope: 120, want: null },
    { name: 'cooling', step_s: 30, n: 60, slope: -90, want: -90 },
  ])('$name', ({ step_s, n, slope, want }) => {
    const r = rates(Array.from({ length: n }, (_, i) => 20 + (slope * i * step_s) / 3600), step_s).at(-1)!;
    if (want === null) expect(r).toBeNull();
    else expect(r).toBeCloseTo(want, 6);
  });

  it('is the rate of two readings: the one the tracker last decided (the reorder window behind the newest) and one 600-660 s before it', () => {
    // A reading every 10 s, to 0.1 °C, rising and falling unevenly, up to 1,300 °C.
    const rng = makeRng(7), rnd = () => uniform(rng);
    const temps: number[] = [];
    for (let i = 0; i < 2000; i++) temps.push(Math.min(1300, Math.max(0, Math.round(((temps[i - 1] ?? 20.3) + (rnd() - 0.3) * 8) * 10) / 10)));
    const lag = DEFAULT_TRACKER_CONFIG.reorder_window_s / 10; // readings the tracker holds back
    const shown = rates(temps, 10);
    let checked = 0;
    for (let i = 0; i < temps.length; i++) {
      const d = i - lag; // the newest reading the tracker has decided
      if (d < 6) { expect(shown[i]).toBeNull(); continue; } // under a minute of its history
      const candidates = [60, 61, 62, 63, 64, 65, 66].filter((back) => d - back >= 0).map((back) => ((temps[d]! - temps[d - back]!) * 3_600_000) / (back * 10_000));
      const early = d < 60 ? [((temps[d]! - temps[0]!) * 3_600_000) / (d * 10_000)] : [];
      expect([...candidates, ...early]).toContain(shown[i]);
      checked++;
    }
    expect(checked).toBeGreaterThan(1900);
    expect(temps.some((t) => t > 1000)).toBe(true);
  });
});

describe('incremental meters agree with the report path', () => {
  it('flow: the running trapezoid equals integrateFlow, gaps left out', () => {
    const xs = [0, 10, 20, 30, 1000, 1010, 1020].map((s, i) => ({ ts_ms: s * 1000, flow_kg_h: [4, 6, -1, 8, 5, 5, 7][i]! }));
    let prev = { last_ms: xs[0]!.ts_ms, last_kg_h: xs[0]!.flow_kg_h };
    let kg = 0;
    let gaps = 0;
    for (const x of xs.slice(1)) {
      const k = flowStepKg(prev, x.ts_ms, x.flow_kg_h, 300);
      if (k === null) gaps++;
      kg += k ?? 0;
      prev = { last_ms: x.ts_ms, last_kg_h: x.flow_kg_h };
    }
    const ref = integrateFlow(xs, { max_gap_s: 300 });
    expect(kg).toBeCloseTo(ref.fuel_kg, 12);
    expect(gaps).toBe(ref.gaps.length);
  });

  it.each([
    { name: 'rising register', totals: [100, 101.5, 103], rollover_at: undefined },
    { name: 'rollover', totals: [99_990, 99_998, 5, 12], rollover_at: 100_000 },
    { name: 'reset counts nothing', totals: [500, 510, 3, 8], rollover_at: undefined },
  ])('totaliser: $name', ({ totals, rollover_at }) => {
    let high = totals[0]!;
    let used = 0;
    for (const t of totals.slice(1)) {
      const s = totalStep({ last_ms: 0, high }, t, rollover_at);
      used += s.used;
      high = s.high;
    }
    const ref = totalizerConsumption(totals.map((total, i) => ({ ts_ms: i, total })), { rollover_at });
    expect(used).toBeCloseTo(ref.consumed, 9);
  });

  it.each([
    { name: 'drops beyond noise count', prev: { level_kg: 90, last_kg: 90 }, mass: 89.5, used: 0.5, level: 89.5, swap: false },
    { name: 'noise is ignored', prev: { level_kg: 90, last_kg: 90 }, mass: 89.9, used: 0, level: 90, swap: false },
    { name: 'a rise above 40 kg is a swap', prev: { level_kg: 50, last_kg: 49.9 }, mass: 130, used: 0.1, level: 130, swap: true },
  ])('scale: $name', ({ prev, mass, used, level, swap }) => {
    const s = scaleStep({ last_ms: 0, ...prev }, mass, { swap_min_rise_kg: 40, noise_kg: 0.2 });
    expect(s.used_kg).toBeCloseTo(used, 9);
    expect(s.level_kg).toBe(level);
    expect(s.swap).toBe(swap);
  });

  it('reads the running total at a past instant from its checkpoints, bounded', () => {
    const t = newTotals();
    const o = { checkpoint_s: 10, keep: 50 };
    for (let i = 0; i < 1000; i++) addKg(t, i * 10_000, 1, o);
    expect(t.checkpoints?.length).toBe(o.keep); // the last `keep`, in a ring that never grows past it
    expect(t.total_kg).toBe(1000);
    expect(totalAt(t, 9_990_000)).toBe(1000);
    expect(totalAt(t, 9_500_005)).toBe(951);
    expect(totalAt(t, 0)).toBeNull(); // older than every checkpoint kept
  });

  it('keeps one checkpoint while the total stands still, and answers every instant as a checkpoint every 30 s would', () => {
    // 2 h idle, 1 h burning at 5 kg/h, 3 h cooling, 20 min burning again; a reading every 10 s.
    const kg_h = (s: number) => (s >= 7200 && s < 10_800) || (s >= 21_600 && s < 22_800) ? 5 : 0;
    const o = { checkpoint_s: 30, keep: 360 };
    const t = newTotals();
    const every: { ts_ms: number; total_kg: number }[] = []; // the rule without the stand-still skip
    for (let s = 0; s < 22_800; s += 10) {
      addKg(t, s * 1000, (kg_h(s) * 10) / 3600, o);
      if (!every.length || s * 1000 - every.at(-1)!.ts_ms >= 30_000) every.push({ ts_ms: s * 1000, total_kg: t.total_kg });
    }
    expect(t.checkpoints!.length).toBeLessThan(300); // 120 + 40 burning, a few standing still
    expect(t.checkpoints!.length).toBeLessThan(every.length / 4);
    for (let s = 0; s < 22_800; s += 7) {
      const want = [...every].reverse().find((c) => c.ts_ms <= s * 1000)!.total_kg;
      expect(Math.abs(totalAt(t, s * 1000)! - want)).toBeLessThanOrEqual((5 * 30) / 3600 + 1e-9); // within 30 s of burning
    }
    expect(totalAt(t, 3_600_000)).toBe(0); // an hour into the idle: one checkpoint, at its start
    expect(totalAt(t, 20_000_000)).toBeCloseTo(5, 9); // cooling: the whole first burn
  });
});

describe('PairRing', () => {
  it('keeps pairs oldest first as it grows, then drops the oldest past its maximum', () => {
    const r = new PairRing(5, 2);
    for (let i = 0; i < 4; i++) r.push(i * 10, i);
    expect([r.length, r.tsAt(0), r.valueAt(3)]).toEqual([4, 0, 3]);
    for (let i = 4; i < 12; i++) r.push(i * 10, i);
    expect(r.length).toBe(5);
    expect(Array.from({ length: 5 }, (_, k) => r.tsAt(k))).toEqual([70, 80, 90, 100, 110]);
    expect([r.lastAtOrBefore(69), r.lastAtOrBefore(70), r.lastAtOrBefore(95), r.lastAtOrBefore(1e9)]).toEqual([-1, 0, 2, 4]);
  });
});

describe('PairRing packed (the fuel checkpoints: to the millisecond and the milligram)', () => {
  const DAY = 86_400_000, T = Date.UTC(2026, 0, 1);
  const pairs = (r: PairRing) => Array.from({ length: r.length }, (_, k) => [r.tsAt(k), r.valueAt(k)]);

  it('keeps, drops, pins and finds pairs as the ring of doubles does, each read back to a milligram', () => {
    const packed = new PairRing(50, 4, 1e6), doubles = new PairRing(50, 4);
    let kg = 1234.5;
    for (let i = 0; i < 400; i++) {
      kg += ((i * 7919) % 13) * 0.0123457;
      const pin = i > 180 ? T + 150 * 30_000 : null;
      packed.push(T + i * 30_000, kg, pin);
      doubles.push(T + i * 30_000, kg, pin);
    }
    expect(packed.length).toBe(50);
    expect([packed.packed, doubles.packed]).toEqual([true, false]);
    const p = pairs(packed), d = pairs(doubles);
    expect(p.map((x) => x[0])).toEqual(d.map((x) => x[0]));
    p.forEach(([, v], k) => expect(Math.abs(v! - d[k]![1]!)).toBeLessThanOrEqual(0.5e-6));
    expect(p[0]![0]).toBe(T + 150 * 30_000); // the pinned one stayed
    for (const t of [T, T + 150 * 30_000 + 1, T + 399 * 30_000, T + 1e9]) expect(packed.lastAtOrBefore(t)).toBe(doubles.lastAtOrBefore(t));
  });

  it('counts from a new base when the pairs move on (weeks, tonnes), and turns to doubles, losing nothing, when they cannot be counted from one', () => {
    const r = new PairRing(8, 2, 1e6);
    const want: [number, number][] = [];
    const push = (ts: number, kg: number, pin: number | null = null) => { r.push(ts, kg, pin); want.push([ts, kg]); };
    push(T, 10);
    push(T + 30 * DAY, 2_500.25); // past 24.8 days and 2,147 kg from the first: counted from between them
    expect(pairs(r)).toEqual(want);
    expect(r.packed).toBe(true);
    for (let i = 1; i <= 6; i++) push(T + 30 * DAY + i * 30_000, 2_500.25 + i * 0.001);
    push(T + 90 * DAY, 9_000.123456, T); // the first pinned, 90 days back: doubles from here
    expect(pairs(r)).toEqual([want[0], ...want.slice(2)]);
    expect(r.packed).toBe(false);
    push(T + 90 * DAY + 30_000, 9_000.2, T);
    expect(r.length).toBe(8);
    expect(r.tsAt(0)).toBe(T);
    expect(r.valueAt(7)).toBe(9_000.2);
  });
});

describe('ETA from the schedule', () => {
  const schedule = { segments: [{ rate_c_h: 100, target_c: 620, hold_min: 0 }, { rate_c_h: 50, target_c: 1020, hold_min: 60 }, { rate_c_h: -200, target_c: 620, hold_min: 0 }] };
  // plan from 20 °C at 0: 620 at 6 h, 1020 at 14 h, hold to 15 h, cool to 620 at 17 h
  it('lays the plan as the report does', () => {
    const knots = plannedCurve(schedule, 0, 20);
    expect(planPeak(knots)).toEqual({ t_ms: 14 * H, temp_c: 1020 });
    expect(planTimeAt(knots, 320, planPeak(knots)!)).toBe(3 * H);
    expect(planTimeAt(knots, 820, planPeak(knots)!)).toBe(10 * H);
  });

  it.each([
    { name: 'on the first ramp', temp_c: 320, now_ms: 3 * H, peak_reached_ms: null, peak_h: 11, end_h: 14 },
    { name: 'late kiln: placed by its temperature, not the clock', temp_c: 320, now_ms: 5 * H, peak_reached_ms: null, peak_h: 11, end_h: 14 },
    { name: 'in the hold after the peak', temp_c: 1018, now_ms: 14.5 * H, peak_reached_ms: 14 * H, peak_h: 0, end_h: 2.5 },
    { name: 'past the plan', temp_c: 500, now_ms: 30 * H, peak_reached_ms: 14 * H, peak_h: 0, end_h: 0 },
  ])('$name', ({ temp_c, now_ms, peak_reached_ms, peak_h, end_h }) => {
    const e = estimateEta({ schedule, start_ms: 0, start_c: 20, now_ms, temp_c, peak_reached_ms });
    expect(e.time_to_peak_h).toBeCloseTo(peak_h, 9);
    expect(e.time_to_end_h).toBeCloseTo(end_h, 9);
  });

  it('says why without a schedule', () => {
    const e = estimateEta({ schedule: null, start_ms: 0, start_c: 20, now_ms: H, temp_c: 100, peak_reached_ms: null });
    expect(e).toMatchObject({ time_to_peak_h: null, time_to_end_h: null });
    expect(e.reason).toMatch(/no schedule/);
  });
});

describe('SSE framing and resume', () => {
  // This run's ids are 1000 < id ≤ 1009; each kiln's newest event id.
  const newest = new Map([['w/a', 1004], ['w/b', 1009], ['w/c', 1001], ['v/d', 1007]]);
  it.each([
    { after: 1009, want: [] as string[] }, // up to date
    { after: 1004, want: ['v/d', 'w/b'] }, // oldest change first
    { after: 1000, want: ['w/c', 'w/a', 'v/d', 'w/b'] }, // everything this run sent
    { after: 999, want: null }, // an id of an earlier run
    { after: 1010, want: null }, // from the future: another run
  ])('what changed since $after', ({ after, want }) => {
    const got = changedSince(newest, after, 1000, 1009);
    expect(got === null ? null : got.map(([key]) => key)).toEqual(want);
    for (const [key, id] of got ?? []) expect(id).toBe(newest.get(key)); // each with its newest event's id
  });

  it.each([
    { v: '12', want: 12 }, { v: ' 7 ', want: 7 }, { v: undefined, want: null }, { v: 'abc', want: null }, { v: '-1', want: null }, { v: ['3', '4'], want: 3 },
  ])('Last-Event-ID $v', ({ v, want }) => expect(parseLastEventId(v)).toBe(want));

  it('frames one event', () => {
    expect(formatEvent({ id: 3, event: 'kiln', data: '{"a":1}' })).toBe('id: 3\nevent: kiln\ndata: {"a":1}\n\n');
  });
});
