// Dense readings (1 kHz, an outbox replay) cost the tracker no more than 1 Hz: it thins readings to
// one per channel per SAMPLE_RESOLUTION_MS (the earliest of each slot), so its reorder window stays
// as short as for sparse data and dense readings decide exactly what their thinning decides.
import { describe, expect, it } from 'vitest';
import { SAMPLE_RESOLUTION_MS, flush, initialState, stepAll, type FiringEvent, type TrackerState } from '../../../src/domain/firing/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { scenario } from '../../fixtures/firings/scenarios.ts';

const sorted = (points: readonly Point[]) => [...points].sort((a, b) => a.ts_ms - b.ts_ms);
const REFIRE = sorted(scenario('re-fired at 600 °C before it cooled, with gas').points);

/** Fold as the live view does (messages of `size` points), recording the longest reorder window seen. */
function fold(points: readonly Point[], size = 1000): { state: TrackerState; events: FiringEvent[]; max_pending: number } {
  let s = initialState();
  const events: FiringEvent[] = [];
  let max_pending = 0;
  for (let i = 0; i < points.length; i += size) {
    const r = stepAll(s, points.slice(i, i + size));
    s = r.state;
    events.push(...r.events);
    max_pending = Math.max(max_pending, s.pending.length);
  }
  const f = flush(s);
  return { state: f.state, events: [...events, ...f.events], max_pending };
}

/** Every reading within `around_ms` of `at` repeated each ms up to the next second, 40 °C hotter
 *  (or 5 kg/h more gas): a thinning that kept any of them would change the peak and the stages. */
function densify(points: readonly Point[], at: readonly number[], around_ms: number): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    out.push(p);
    if (p.measurement === 'event' || !at.some((t) => Math.abs(p.ts_ms - t) <= around_ms)) continue;
    for (let d = 1; d < SAMPLE_RESOLUTION_MS; d++) {
      const fields: Record<string, number> = p.measurement === 'temperature' ? { temp_c: Number(p.fields.temp_c) + 40 } : { flow_kg_h: Number(p.fields.flow_kg_h) + 5 };
      out.push({ ...p, fields, ts_ms: p.ts_ms + d });
    }
  }
  return sorted(out);
}

/** Each span of span_ms reversed (inside the reorder window): the earliest reading of a slot arrives last. */
function reversedSpans(points: readonly Point[], span_ms: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length;) {
    const span = Math.floor(points[i]!.ts_ms / span_ms);
    let j = i;
    while (j < points.length && Math.floor(points[j]!.ts_ms / span_ms) === span) j++;
    out.push(...points.slice(i, j).reverse());
    i = j;
  }
  return out;
}

const withoutCounts = (s: TrackerState) => ({ ...s, points_seen: 0 });

describe('the tracker costs the same on dense readings', () => {
  const sparse = fold(REFIRE);
  // 1 kHz for 2 min around the firing start and the first stage changes (≈ 150,000 more points).
  const at = sparse.events.filter((e) => e.type !== 'gas_on' && e.type !== 'gas_off').slice(0, 4).map((e) => ('at_ms' in e ? e.at_ms : e.from_ms));
  const dense = densify(REFIRE, at, 60_000);

  it('the fixture is sparse on whole seconds, and densified to 1 kHz', () => {
    expect(REFIRE.every((p) => p.ts_ms % SAMPLE_RESOLUTION_MS === 0)).toBe(true);
    expect(dense.length - REFIRE.length).toBeGreaterThan(150_000);
  });

  it('1 kHz readings decide exactly what their 1 Hz thinning decides', () => {
    const d = fold(dense);
    expect(d.events).toEqual(sparse.events);
    expect(withoutCounts(d.state)).toEqual(withoutCounts(sparse.state));
    expect(d.state.points_seen).toBe(dense.length);
  });

  it('the reorder window holds no more samples on 1 kHz readings than on sparse ones', () => {
    expect(fold(dense).max_pending).toBe(sparse.max_pending);
    expect(sparse.max_pending).toBeLessThanOrEqual(REFIRE_WINDOW_SAMPLES);
  });

  it('dense readings out of order inside the window still decide the same', () => {
    const d = fold(reversedSpans(dense, 5000));
    expect(d.events).toEqual(sparse.events);
    expect(d.state.late_points).toBe(0);
  });

  it('a steady 1 kHz stream of 6 channels keeps at most one sample per second of the window', () => {
    const points: Point[] = [];
    const t0 = Date.UTC(2026, 0, 1);
    for (let ms = 0; ms < 120_000; ms++) {
      for (const ch of ['z1', 'z2', 'z3', 'z4']) points.push({ measurement: 'temperature', tags: { workshop: 'w', kiln: 'k', channel: ch }, fields: { temp_c: 20 + ms / 1000 }, ts_ms: t0 + ms });
      for (const ch of ['g1', 'g2']) points.push({ measurement: 'gas_flow', tags: { workshop: 'w', kiln: 'k', channel: ch }, fields: { flow_kg_h: 6 }, ts_ms: t0 + ms });
    }
    const d = fold(points, 6000);
    const window = (initialState().config.reorder_window_s * 1000) / SAMPLE_RESOLUTION_MS;
    expect(d.max_pending).toBeLessThanOrEqual(window + 2);
    const thinned = fold(points.filter((p) => p.ts_ms % SAMPLE_RESOLUTION_MS === 0));
    expect(withoutCounts(d.state)).toEqual(withoutCounts(thinned.state));
    expect(d.events).toEqual(thinned.events);
  });
});

/** 10 s samples: the 30 s window holds 3 to 4 instants (and a controller event's own). */
const REFIRE_WINDOW_SAMPLES = 5;
