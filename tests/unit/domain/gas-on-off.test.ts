// Gas on and off from a totaliser and from a cylinder scale (with a swap), against the truth they
// were generated from: within one reading interval (a coarse register: within the time it takes
// to move one step, since its fraction at gas-on cannot be read). Deterministic noise.
import { describe, expect, it } from 'vitest';
import { gasOnOff, scaleUsed, totalizerUsed } from '../../../src/domain/analytics/gas-on-off.ts';

const T0 = Date.UTC(2025, 0, 10, 2, 0);
const H = 3_600_000;

interface Truth { on_ms: number; off_ms: number; flow_kg_h: number; interval_s: number }
const usedAt = (t: Truth, ms: number) => (Math.min(Math.max(ms, t.on_ms), t.off_ms) - t.on_ms) * t.flow_kg_h / H;
const times = (t: Truth) => {
  const out: number[] = [];
  for (let ms = t.on_ms - H - 7_000; ms <= t.off_ms + H; ms += t.interval_s * 1000) out.push(ms);
  return out;
};
/** Deterministic noise in [−1, 1]. */
const noise = (i: number) => ((i * 7919) % 2003) / 1001 - 1;

describe('totaliser', () => {
  it.each([
    // reading interval, register step (kg), flow, rollover
    { interval_s: 10, step: 0.01, flow_kg_h: 6, rollover_at: undefined },
    { interval_s: 10, step: 0.1, flow_kg_h: 3, rollover_at: undefined }, // a coarse register: a step every 2 min
    { interval_s: 60, step: 0.1, flow_kg_h: 8, rollover_at: undefined },
    { interval_s: 30, step: 0.01, flow_kg_h: 5, rollover_at: 10_000 }, // wraps during the firing
  ])('every $interval_s s, steps of $step kg, $flow_kg_h kg/h, rollover $rollover_at', ({ interval_s, step, flow_kg_h, rollover_at }) => {
    const truth: Truth = { on_ms: T0 + 123_456, off_ms: T0 + 20 * H + 45_678, flow_kg_h, interval_s };
    const start = rollover_at ? rollover_at - 50 : 1234.5;
    const samples = times(truth).map((ts_ms) => {
      const raw = start + Math.floor(usedAt(truth, ts_ms) / step + 1e-9) * step;
      return { ts_ms, total: rollover_at ? raw % rollover_at : raw };
    });
    const r = gasOnOff(totalizerUsed(samples, rollover_at ? { rollover_at } : {}), { threshold_kg: 0, fit_s: 1800 });
    const tol_ms = Math.max(interval_s * 1000, (step / flow_kg_h) * H);
    expect(Math.abs(r.on_ms! - truth.on_ms)).toBeLessThanOrEqual(tol_ms);
    expect(Math.abs(r.off_ms! - truth.off_ms)).toBeLessThanOrEqual(tol_ms);
  });
});

describe('cylinder scale', () => {
  const opts = { swap_min_rise_kg: 40, noise_kg: 0.2 };
  it.each([
    // reading interval, flow, swap during the firing (h after gas-on), peak noise
    { interval_s: 10, flow_kg_h: 6, swap_h: 8, noise_kg: 0.05 },
    { interval_s: 30, flow_kg_h: 3, swap_h: 5, noise_kg: 0.05 },
    { interval_s: 60, flow_kg_h: 8, swap_h: 12, noise_kg: 0.05 },
    { interval_s: 60, flow_kg_h: 5, swap_h: null, noise_kg: 0.02 },
  ])('every $interval_s s, $flow_kg_h kg/h, swap at $swap_h h', ({ interval_s, flow_kg_h, swap_h, noise_kg }) => {
    const truth: Truth = { on_ms: T0 + 123_456, off_ms: T0 + 20 * H + 45_678, flow_kg_h, interval_s };
    const swap_ms = swap_h === null ? Infinity : truth.on_ms + swap_h * H;
    const samples = times(truth).map((ts_ms, i) => {
      const added = ts_ms >= swap_ms ? 45 : 0; // a full 45 kg cylinder joins the manifold
      return { ts_ms, mass_kg: 150 + added - usedAt(truth, ts_ms) + noise(i) * noise_kg };
    });
    const r = gasOnOff(scaleUsed(samples, opts), { threshold_kg: opts.noise_kg, fit_s: 1800 });
    expect(Math.abs(r.on_ms! - truth.on_ms)).toBeLessThanOrEqual(interval_s * 1000);
    expect(Math.abs(r.off_ms! - truth.off_ms)).toBeLessThanOrEqual(interval_s * 1000);
  });

  it('no gas used: neither on nor off', () => {
    const samples = Array.from({ length: 100 }, (_, i) => ({ ts_ms: T0 + i * 60_000, mass_kg: 100 + noise(i) * 0.05 }));
    expect(gasOnOff(scaleUsed(samples, opts), { threshold_kg: 0.2, fit_s: 1800 })).toEqual({ on_ms: null, off_ms: null });
  });
});
