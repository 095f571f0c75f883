// A figure is either a number or an explicit "not available" with the reason, never NaN or a
// silent 0: advisers compare these across workshops, and a missing input must stay visible.
// Confidence grades as in docs/sources.md: H standard or official table, M government or news
// report, L owner's quote, marketing page, or a figure derived from other numbers.

export const CONFIDENCES = ['H', 'M', 'L'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export type Figure =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: string };

export const available = (value: number): Figure => ({ ok: true, value });
export const notAvailable = (reason: string): Figure => ({ ok: false, reason });

/** A measured quantity that may be missing: finite and ≥ 0, or the reason it cannot be used. */
export function quantity(value: number | null | undefined, name: string): Figure {
  if (value === null || value === undefined) return notAvailable(`${name} missing`);
  if (!Number.isFinite(value)) return notAvailable(`${name} is not a finite number`);
  if (value < 0) return notAvailable(`${name} is negative`);
  return available(value);
}

/** num ÷ den, guarded: either side unavailable or den ≤ 0 gives the reason, never NaN or Infinity. */
export function ratio(num: Figure, den: Figure, den_name: string): Figure {
  if (!num.ok) return num;
  if (!den.ok) return den;
  if (den.value <= 0) return notAvailable(`${den_name} is 0`);
  return available(num.value / den.value);
}

const RANK: Readonly<Record<Confidence, number>> = { H: 2, M: 1, L: 0 };

/** The lower of two: a result is no surer than its weakest input. */
export const lower = (a: Confidence, b: Confidence): Confidence => (RANK[a] <= RANK[b] ? a : b);

/** The lowest confidence of the inputs used ('H' for none: nothing lowered it). */
export const lowest = (confidences: readonly Confidence[]): Confidence => confidences.reduce(lower, 'H');
