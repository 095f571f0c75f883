// One-minute aggregates and the readings rebuilt from them (src/domain/retention/minutes.ts): the
// pieces by hand, then a whole simulated firing (every meter kind, a cylinder swap) summarised from
// its raw readings and again from its aggregates, each figure within the tolerance docs/retention.md gives.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LPG_PRICES } from '../../../src/domain/analytics/energy-prices.ts';
import { integrateFlow } from '../../../src/domain/analytics/fuel-flow.ts';
import { foldFirings } from '../../../src/domain/firing/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { summarizeFiring } from '../../../src/domain/report/index.ts';
import { aggregateMinutes, fuller, mergeTiers, pointsFromAggregates } from '../../../src/domain/retention/minutes.ts';
import { simulate } from '../../fixtures/report/simulated.ts';
import { compareReports, TOLERANCE } from '../../support/retention-compare.ts';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const tags = { workshop: 'w', kiln: 'k', channel: 'm1' };
const flow = (t_s: number, v: number): Point => ({ measurement: 'gas_flow', tags, fields: { flow_kg_h: v, seq: t_s }, ts_ms: T0 + t_s * 1000 });

describe('one-minute aggregates', () => {
  it('keep count, first, last, min, max with their instants, the mean and the trapezoid area; seq is left out', () => {
    const [a, b] = aggregateMinutes([flow(5, 2), flow(15, 6), flow(25, 4), flow(65, 3)]);
    expect(a).toMatchObject({ measurement: 'gas_flow', field: 'flow_kg_h', minute_ms: T0, n: 3, first: 2, first_dt_ms: 5000, last: 4, last_dt_ms: 25_000, min: 2, max: 6, max_dt_ms: 15_000, mean: 4, area_s: 40 + 50, carried: {} });
    expect(b).toMatchObject({ minute_ms: T0 + 60_000, n: 1, first: 3, last: 3 });
  });

  it('rebuild a flow meter so that its integral is the raw one, gaps between minutes as long as they were', () => {
    const raw = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 500, 510, 520].map((t, i) => flow(t, 5 + 3 * Math.sin(i)));
    const rebuilt = pointsFromAggregates(aggregateMinutes(raw));
    const xs = (ps: Point[]) => ps.map((p) => ({ ts_ms: p.ts_ms, flow_kg_h: p.fields.flow_kg_h as number }));
    const a = integrateFlow(xs(raw), { max_gap_s: 300 }), b = integrateFlow(xs(rebuilt), { max_gap_s: 300 });
    expect(b.fuel_kg).toBeCloseTo(a.fuel_kg, 12);
    expect(b.gaps).toEqual(a.gaps); // 110 s → 500 s: the same gap, from the same readings
  });

  it('rebuild the temperature at one instant per kiln-minute carrying every zone\'s maximum', () => {
    const z = (ch: string, t_s: number, v: number): Point => ({ measurement: 'temperature', tags: { ...tags, channel: ch }, fields: { temp_c: v }, ts_ms: T0 + t_s * 1000 });
    const rebuilt = pointsFromAggregates(aggregateMinutes([z('a', 0, 100), z('b', 0, 90), z('a', 20, 130), z('b', 20, 95), z('a', 40, 110), z('b', 40, 99)]));
    const at20 = rebuilt.filter((p) => p.ts_ms === T0 + 20_000).map((p) => [p.tags.channel, p.fields.temp_c]);
    expect(at20).toEqual([['a', 130], ['b', 99]]);
  });

  it('take raw readings where a series has them in a minute, the aggregate elsewhere; events only raw', () => {
    const aggs = aggregateMinutes([flow(5, 2), flow(15, 6), flow(65, 3), flow(75, 3)]);
    const event: Point = { measurement: 'event', tags: { ...tags, channel: 'controller', type: 'firing_start' }, fields: { data_json: '{}' }, ts_ms: T0 };
    const m = mergeTiers([flow(70, 9), event], aggs);
    expect(m.resolution).toBe('1m');
    expect(m.points.map((p) => [p.ts_ms - T0, p.fields.flow_kg_h ?? 'event'])).toEqual([[0, 'event'], [5000, 2], [15_000, 6], [70_000, 9]]);
    expect(mergeTiers([flow(5, 1), flow(70, 9)], aggs).resolution).toBe('raw');
  });

  it('are not replaced by one made from fewer readings (raw readings partly dropped)', () => {
    const [whole] = aggregateMinutes([flow(5, 2), flow(15, 6)]);
    const [part] = aggregateMinutes([flow(5, 2)]);
    expect(fuller(whole, part!)).toBeNull();
    expect(fuller(part, whole!)).toBe(whole);
  });
});

// k3_5 has a flow meter, a totaliser and a cylinder scale; cone10red swaps cylinder banks twice.
const [SIM] = simulate([{ preset: 'k3_5', firing: 'cone10red' }], { interval_s: 10, seed: 7, max_h: 48 });

describe('a simulated 22 h firing summarised from its one-minute aggregates', () => {
  const raw = SIM!.points;
  const events = raw.filter((p) => p.measurement === 'event');
  const rebuilt = [...events, ...pointsFromAggregates(aggregateMinutes(raw))].sort((a, b) => a.ts_ms - b.ts_ms);
  const [firing] = foldFirings(raw);
  const input = { firing: firing!, prices: DEFAULT_LPG_PRICES, schedule: SIM!.schedule };
  const a = summarizeFiring({ ...input, points: raw });
  const b = summarizeFiring({ ...input, points: rebuilt, resolution: '1m' });

  it('keeps every figure within the documented tolerance of the raw report', () => {
    const diffs = compareReports(a, b);
    console.log(`raw ${raw.length} readings, rebuilt ${rebuilt.length}:\n${diffs.map((d) => `  ${d.figure}: raw ${d.raw} · 1m ${d.agg} · ${d.text}`).join('\n')}`);
    for (const d of diffs) expect(d.ok, `${d.figure}: raw ${d.raw}, 1m ${d.agg} (${d.text})`).toBe(true);
    expect(b.quality.resolution).toBe('1m');
    expect(a.fuel.by_meter.map((m) => m.kind).sort()).toEqual(['flow', 'scale', 'totalizer']);
    expect(b.fuel.by_meter.find((m) => m.kind === 'scale')!.notes.join()).toContain('2 cylinder swap');
  });

  it('is found again by the tracker folded over the rebuilt readings, start and end within a minute', () => {
    const [again] = foldFirings(rebuilt);
    console.log(`tracker over rebuilt readings: start ${(again!.start_ms - firing!.start_ms) / 1000} s, end ${(again!.end_ms! - firing!.end_ms!) / 1000} s, gas-off ${((again!.gas_off_ms ?? NaN) - (firing!.gas_off_ms ?? NaN)) / 1000} s from the raw fold's`);
    expect(Math.abs(again!.start_ms - firing!.start_ms)).toBeLessThanOrEqual(TOLERANCE.time_ms);
    expect(Math.abs(again!.end_ms! - firing!.end_ms!)).toBeLessThanOrEqual(TOLERANCE.time_ms);
    expect(again!.peak_c).toBe(firing!.peak_c);
  });
});
