// A cylinder scale's gas-on in the tracker, against the truth, with the simulator's scale: 0.1 kg
// steps over Gaussian noise of 0.05 kg (each reading at ~5 kg/h moves a seventh of a step), an
// idle kiln before the burners light and a cylinder swap during the burn. A single firing's gas-on
// is a noisy estimate (spread ≈ 2σ/(r√n), docs/analytics.md), so each table row folds 40 seeded
// firings and checks how they fall: the typical error within one reading interval, none wild.
import { describe, expect, it } from 'vitest';
import { foldFirings } from '../../../src/domain/firing/index.ts';
import type { Point } from '../../../src/domain/point.ts';

const H = 3_600_000, MIN = 60_000;
const T0 = Date.UTC(2025, 4, 1);

/** mulberry32 + Box–Muller: seeded Gaussian noise. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

interface Row { interval_s: number; flow_kg_h: number; idle_h: number; swap_after_h: number | null }

/** One firing: idle, burners on at on_ms (a fraction of a reading off the grid), 2.5 h of burning
 *  with the temperature rising 10 min later, then off and cooling. Returns its points and gas-on. */
function firing(row: Row, seed: number): { points: Point[]; on_ms: number } {
  const g = gaussian(seed * 7919 + row.interval_s);
  const on_ms = T0 + row.idle_h * H + ((seed * 3779) % (row.interval_s * 1000));
  const off_ms = on_ms + 2.5 * H;
  const used = (ms: number) => ((Math.min(Math.max(ms, on_ms), off_ms) - on_ms) / H) * row.flow_kg_h;
  const temp = (ms: number) => {
    const heat = Math.max(0, Math.min(ms, off_ms) - on_ms - 10 * MIN) / H * 150;
    return ms <= off_ms ? 28 + heat : Math.max(28, 28 + heat - ((ms - off_ms) / H) * 200);
  };
  const tags = (channel: string) => ({ workshop: 'w', kiln: 'k1', channel });
  const points: Point[] = [];
  for (let ms = T0; ms <= off_ms + H; ms += row.interval_s * 1000) {
    const swapped = row.swap_after_h !== null && ms >= on_ms + row.swap_after_h * H ? 96 : 0; // two full 48 kg cylinders
    const mass_kg = Math.round((172 + swapped - used(ms) + 0.05 * g()) * 10) / 10;
    points.push({ measurement: 'temperature', tags: tags('top'), fields: { temp_c: Math.round((temp(ms) + 0.3 * g()) * 10) / 10 }, ts_ms: ms });
    points.push({ measurement: 'gas_scale', tags: tags('scale'), fields: { mass_kg }, ts_ms: ms });
  }
  return { points, on_ms };
}

describe("a cylinder scale's gas-on, 40 seeded firings per row", () => {
  it.each<Row>([
    { interval_s: 10, flow_kg_h: 5.4, idle_h: 1, swap_after_h: 1.5 },
    { interval_s: 10, flow_kg_h: 5.4, idle_h: 2, swap_after_h: null },
    { interval_s: 30, flow_kg_h: 8, idle_h: 1, swap_after_h: 2 },
    { interval_s: 60, flow_kg_h: 5, idle_h: 1.5, swap_after_h: 1 },
  ])('every $interval_s s at $flow_kg_h kg/h, $idle_h h idle, swap $swap_after_h h in', (row) => {
    const errs_s: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const { points, on_ms } = firing(row, seed);
      const fs = foldFirings(points);
      expect(fs).toHaveLength(1); // the swap is no firing, nor a burn of its own
      const f = fs[0]!;
      expect(f.start_ms).toBe(f.gas_on_ms); // the start waits for the dated gas-on
      errs_s.push((f.gas_on_ms! - on_ms) / 1000);
    }
    const rms_s = Math.sqrt(errs_s.reduce((s, e) => s + e * e, 0) / errs_s.length);
    const mean_s = errs_s.reduce((s, e) => s + e, 0) / errs_s.length;
    const sorted = errs_s.map(Math.abs).sort((a, b) => a - b);
    const median_s = sorted[sorted.length / 2]!;
    // Expected spread 2σ/(r√n): σ ≈ 0.058 kg (noise and rounding), n readings in the 30 min fitted.
    const expected_s = (2 * 0.058 / (row.flow_kg_h / 3600)) / Math.sqrt(1800 / row.interval_s);
    expect(median_s).toBeLessThanOrEqual(row.interval_s); // the typical firing within one reading
    expect(rms_s).toBeLessThanOrEqual(Math.max(1.5 * expected_s, 0.5 * row.interval_s));
    expect(Math.abs(mean_s)).toBeLessThanOrEqual(expected_s / 2); // no bias beyond the spread's own
    expect(sorted.at(-1)!).toBeLessThanOrEqual(Math.max(4 * expected_s, row.interval_s));
  });
});
