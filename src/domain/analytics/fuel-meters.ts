// Fuel from cumulative registers (a gas meter's totaliser) and from a cylinder scale.

import { timeOrdered } from './fuel-flow.ts';

export interface TotalSample { readonly ts_ms: number; readonly total: number }
export interface TotalizerOpts {
  /** The register wraps to 0 on reaching this value (e.g. 100,000 m³ on a 5-digit index). */
  readonly rollover_at?: number;
  /**
   * Largest increase plausible between two samples, in register units. A decrease is a wrap
   * only if the increase it implies (rollover_at − prev + new) is at most this; otherwise it
   * is a reset. Default rollover_at / 10. Set it to burner capacity × longest sample gap.
   */
  readonly max_wrap_step?: number;
  /** Decreases up to this are read jitter (a rounded re-read), not resets. Default 0. */
  readonly jitter?: number;
}
export interface MeterReset { readonly at_ms: number; readonly from: number; readonly to: number }
export interface TotalizerResult {
  /** In the register's unit (kg or m³ at its reference: convert m³ with m3ToKg). */
  readonly consumed: number;
  readonly rollovers: number;
  /** Meter reset or replaced: nothing is counted across one. */
  readonly resets: readonly MeterReset[];
}

/**
 * A register is cumulative, so a data gap loses nothing: the next reading carries the total.
 * (More than one wrap inside a gap cannot be seen; max_wrap_step keeps that from being guessed.)
 */
export function totalizerConsumption(samples: readonly TotalSample[], opts: TotalizerOpts = {}): TotalizerResult {
  const xs = timeOrdered(samples.filter((s) => Number.isFinite(s.total)));
  const first = xs[0];
  if (first === undefined) return { consumed: 0, rollovers: 0, resets: [] };
  const max_wrap_step = opts.max_wrap_step ?? (opts.rollover_at ?? 0) / 10;
  const jitter = opts.jitter ?? 0;
  let high = first.total; // highest reading since the last wrap/reset: jitter never counts twice
  let consumed = 0;
  let rollovers = 0;
  const resets: MeterReset[] = [];
  for (const { ts_ms, total } of xs.slice(1)) {
    if (total >= high) {
      consumed += total - high;
      high = total;
      continue;
    }
    if (high - total <= jitter) continue;
    const wrap_step = opts.rollover_at === undefined ? -1 : opts.rollover_at - high + total;
    if (wrap_step >= 0 && wrap_step <= max_wrap_step) {
      consumed += wrap_step;
      rollovers++;
    } else {
      resets.push({ at_ms: ts_ms, from: high, to: total });
    }
    high = total;
  }
  return { consumed, rollovers, resets };
}

export interface ScaleSample { readonly ts_ms: number; readonly mass_kg: number }
export interface ScaleOpts {
  /** A rise above the current level by more than this is a cylinder swap (~40 kg for a 48 kg cylinder). */
  readonly swap_min_rise_kg: number;
  /** Peak scale noise; level changes within it are ignored. */
  readonly noise_kg: number;
  /**
   * Burner capacity. A drop larger than both swap_min_rise_kg and what the burners could use
   * since the level last moved is "off the scale" and skipped. Without it, every drop larger
   * than swap_min_rise_kg is off-scale, so a long data gap can hide real use: set it.
   */
  readonly max_flow_kg_h?: number;
}
export interface CylinderSwap { readonly at_ms: number; readonly before_kg: number; readonly after_kg: number }
export interface ScaleResult {
  readonly fuel_kg: number;
  readonly swaps: readonly CylinderSwap[];
  /** Readings skipped as "cylinder off the scale" (lifted for a swap, or someone leaning on it). */
  readonly off_scale_samples: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Spike filter: a reading more than 3 × noise_kg off the median of its two neighbours on the
 * left AND of its two on the right, in the same direction, is replaced by the median of those
 * four (someone leaning on the scale or lifting the cylinder for a moment: spikes of 1 or 2
 * readings). A step (a swap, the cylinder lifted off) agrees with one side and is kept, so the
 * lowest level before a swap is not smoothed away as a running median would. The first and
 * last readings have one side only and are kept as read.
 */
function despike(masses_kg: readonly number[], noise_kg: number): number[] {
  return masses_kg.map((m, i) => {
    const left = masses_kg.slice(Math.max(0, i - 2), i);
    const right = masses_kg.slice(i + 1, i + 3);
    if (left.length === 0 || right.length === 0) return m;
    const dev_left_kg = m - median(left);
    const dev_right_kg = m - median(right);
    const spike = Math.abs(dev_left_kg) > 3 * noise_kg && Math.abs(dev_right_kg) > 3 * noise_kg
      && Math.sign(dev_left_kg) === Math.sign(dev_right_kg);
    return spike ? median([...left, ...right]) : m;
  });
}

/**
 * Consumption = the sum of drops of a level that follows the despiked mass with hysteresis:
 * it moves down only when the mass falls more than noise_kg below it, never up except on a
 * swap. LPG mass cannot rise without a swap, so smaller rises (drift, a tool set down) are
 * ignored. Error: within about 2 × noise_kg per cylinder.
 */
export function scaleConsumption(samples: readonly ScaleSample[], opts: ScaleOpts): ScaleResult {
  const xs = timeOrdered(samples.filter((s) => Number.isFinite(s.mass_kg)));
  const masses_kg = despike(xs.map((s) => s.mass_kg), opts.noise_kg);
  if (masses_kg.length === 0) return { fuel_kg: 0, swaps: [], off_scale_samples: 0 };
  let level_kg = masses_kg[0]!;
  let level_ms = xs[0]!.ts_ms;
  let last_kg = level_kg; // last accepted reading, for the drop inside the noise band at a swap or the end
  let fuel_kg = 0;
  let off_scale_samples = 0;
  const swaps: CylinderSwap[] = [];
  for (let i = 1; i < xs.length; i++) {
    const m = masses_kg[i]!;
    const ts_ms = xs[i]!.ts_ms;
    const burnable_kg = opts.max_flow_kg_h === undefined ? 0 : (opts.max_flow_kg_h * (ts_ms - level_ms)) / 3_600_000;
    if (level_kg - m > Math.max(opts.swap_min_rise_kg, burnable_kg)) {
      off_scale_samples++;
      continue;
    }
    if (m > level_kg + opts.swap_min_rise_kg) {
      const before_kg = Math.min(level_kg, last_kg);
      fuel_kg += level_kg - before_kg;
      swaps.push({ at_ms: ts_ms, before_kg, after_kg: m });
      level_kg = m;
      level_ms = ts_ms;
    } else if (m < level_kg - opts.noise_kg) {
      fuel_kg += level_kg - m;
      level_kg = m;
      level_ms = ts_ms;
    }
    last_kg = m;
  }
  fuel_kg += Math.max(0, level_kg - last_kg);
  return { fuel_kg, swaps, off_scale_samples };
}
