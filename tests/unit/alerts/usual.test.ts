// The kiln's usual firings read back from the firing index (src/domain/alerts/usual.ts).
import { describe, expect, it } from 'vitest';
import { initialKilnAlerts, restoreUsual, usualFromIndexed } from '../../../src/domain/alerts/index.ts';
import type { FiringRecord } from '../../../src/domain/firing/fold.ts';

const H = 3_600_000;
const rec = (i: number, o: Partial<FiringRecord> = {}): FiringRecord => ({
  id: `F${i}`, by: 'controller', start_ms: i * 48 * H, end_ms: i * 48 * H + 30 * H, reason: 'complete', target_c: 1000, peak_c: 1000,
  peak_ms: i * 48 * H + 10 * H, last100_rate_c_h: 60, cone: null, gaps: [],
  stages: [{ stage: 'heating', start_ms: i * 48 * H, end_ms: i * 48 * H + 10 * H }, { stage: 'cooling', start_ms: i * 48 * H + (10 + i / 10) * H, end_ms: i * 48 * H + 30 * H }],
  ...o,
} as FiringRecord);

describe('usual firings from the index', () => {
  it('complete firings only, heating time = start → cooling, the 10 newest, oldest first', () => {
    const firings = [
      ...Array.from({ length: 12 }, (_, i) => ({ record: rec(i), fuel_kg: 100 + i })).reverse(),
      { record: rec(20, { reason: 'aborted' } as Partial<FiringRecord>), fuel_kg: 500 }, // not complete
      { record: rec(21), fuel_kg: null }, // no fuel figure
      { record: rec(22, { end_ms: null, reason: null }), fuel_kg: 40 }, // still open
    ];
    const u = usualFromIndexed(firings);
    expect(u.map((x) => x.fuel_kg)).toEqual([102, 103, 104, 105, 106, 107, 108, 109, 110, 111]);
    expect(u[0]!.duration_h).toBeCloseTo(10.2, 9);
    // no cooling stage recorded: the end of the firing
    expect(usualFromIndexed([{ record: rec(1, { stages: [] }), fuel_kg: 5 }])[0]!.duration_h).toBe(30);
  });

  it('seeds an engine that has learnt nothing; what it learnt since wins', () => {
    const s = initialKilnAlerts('w', 'k');
    const seeded = restoreUsual(s, [{ fuel_kg: 100, duration_h: 10 }]);
    expect(seeded.usual).toEqual([{ fuel_kg: 100, duration_h: 10 }]);
    expect(restoreUsual(seeded, [{ fuel_kg: 1, duration_h: 1 }]).usual).toEqual([{ fuel_kg: 100, duration_h: 10 }]);
  });
});
