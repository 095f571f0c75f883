// A detected firing (no controller events) whose raw readings were dropped is folded again from its
// one-minute aggregates: the report path still finds it by the id it was listed and indexed under.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LPG_PRICES } from '../../src/domain/analytics/energy-prices.ts';
import { firingId, foldFirings } from '../../src/domain/firing/index.ts';
import { aggregateMinutes, pointsFromAggregates } from '../../src/domain/retention/minutes.ts';
import type { ReadingsQuery } from '../../src/adapters/influx/readings.ts';
import type { Point } from '../../src/domain/point.ts';
import { FiringService } from '../../src/firings/service.ts';
import { simulate } from '../fixtures/report/simulated.ts';

const [SIM] = simulate([{ preset: 'k1', firing: 'bisque04' }], { interval_s: 10, seed: 11, max_h: 30 });
const raw = SIM!.points.filter((p) => p.measurement !== 'event'); // a monitor-only kiln: firings are detected
const rebuilt = pointsFromAggregates(aggregateMinutes(raw));
const source = (ps: readonly Point[]) => ({
  read: (q: ReadingsQuery) => Promise.resolve(ps.filter((p) => p.ts_ms >= q.from_ms && p.ts_ms < q.to_ms && (!q.measurements || q.measurements.includes(p.measurement)))),
});

describe('a detected firing read back from one-minute aggregates', () => {
  it('is found under its raw id, its start within a minute of the raw one', async () => {
    const [firing] = foldFirings(raw);
    const [again] = foldFirings(rebuilt);
    expect(firing!.by).not.toBe('controller');
    console.log(`detected start: raw ${new Date(firing!.start_ms).toISOString()}, from aggregates ${new Date(again!.start_ms).toISOString()} (${(again!.start_ms - firing!.start_ms) / 1000} s)`);
    expect(Math.abs(again!.start_ms - firing!.start_ms)).toBeLessThanOrEqual(60_000);
    const now = () => SIM!.points.at(-1)!.ts_ms + 3_600_000;
    const svc = new FiringService({ readings: source(rebuilt), prices: DEFAULT_LPG_PRICES, now });
    const report = await svc.firingReport({ workshop: 'ws1', kiln: SIM!.kiln, firing_id: firing!.id });
    expect(report?.firing_id).toBe(firing!.id);
    expect(report!.end_ms).toBe(again!.end_ms);
    const csv = await svc.firingReadings({ workshop: 'ws1', kiln: SIM!.kiln, firing_id: firing!.id });
    expect(csv!.points.length).toBeGreaterThan(1000);
  });

  it('is found by an id whose minute is a minute off (the aggregates dated its start a minute apart), not by one 5 min off', async () => {
    const [firing] = foldFirings(raw);
    const svc = new FiringService({ readings: source(rebuilt), prices: DEFAULT_LPG_PRICES, now: () => SIM!.points.at(-1)!.ts_ms + 3_600_000 });
    const near = firingId(SIM!.kiln, firing!.start_ms - 60_000), far = firingId(SIM!.kiln, firing!.start_ms - 5 * 60_000);
    const report = await svc.firingReport({ workshop: 'ws1', kiln: SIM!.kiln, firing_id: near });
    expect(report?.firing_id).toBe(near);
    expect(report!.start_ms).toBe(firing!.start_ms);
    expect(await svc.firingReport({ workshop: 'ws1', kiln: SIM!.kiln, firing_id: far })).toBeNull();
  });
});
