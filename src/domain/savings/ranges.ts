// The range of a savings figure from the confidence of its inputs (docs/analytics.md, "Ranges").
// Each grade stands for a relative ± band; a product or ratio of independent inputs has the
// relative errors added in quadrature; a difference (avoided = baseline − actual) has the
// absolute errors added in quadrature. These bands are the project's choice, explained there.
import type { Confidence } from './figure.ts';

/** Relative half-width of the range each grade stands for. */
export const BAND: Readonly<Record<Confidence, number>> = { H: 0.05, M: 0.15, L: 0.3 };

/** √(Σ rᵢ²): the relative error of a product or ratio of independent factors. */
export function quadrature(rels: readonly number[]): number {
  let s = 0;
  for (const r of rels) s += r * r;
  return Math.sqrt(s);
}

/** The relative error of a product of inputs graded `confidences`. */
export const relErrorOf = (confidences: readonly Confidence[]): number => quadrature(confidences.map((c) => BAND[c]));

/** What every ok savings line carries beside baseline, actual and avoided. */
export interface SavingsRange {
  /** avoided ÷ baseline × 100; null when the baseline is 0. */
  readonly avoided_pct: number | null;
  /** The combined relative ± of the baseline side (a fraction). */
  readonly rel_error: number;
  readonly avoided_low: number;
  readonly avoided_high: number;
  readonly avoided_pct_low: number | null;
  readonly avoided_pct_high: number | null;
}

/**
 * baseline ± baseline·rel_baseline, actual ± actual·rel_actual, independent:
 *   avoided = B − A, ± √((B·rB)² + (A·rA)²)
 *   avoided % = 100 (1 − A/B), ± 100 (A/B) √(rA² + rB²)
 */
export function savingsRange(baseline: number, rel_baseline: number, actual: number, rel_actual: number): SavingsRange {
  const avoided = baseline - actual;
  const d = Math.hypot(baseline * rel_baseline, actual * rel_actual);
  if (!(baseline > 0)) {
    return { avoided_pct: null, rel_error: rel_baseline, avoided_low: avoided - d, avoided_high: avoided + d, avoided_pct_low: null, avoided_pct_high: null };
  }
  const pct = (100 * avoided) / baseline;
  const d_pct = 100 * (actual / baseline) * Math.hypot(rel_actual, rel_baseline);
  return { avoided_pct: pct, rel_error: rel_baseline, avoided_low: avoided - d, avoided_high: avoided + d, avoided_pct_low: pct - d_pct, avoided_pct_high: pct + d_pct };
}
