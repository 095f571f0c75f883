// IPMVP over a reporting period (docs/sources.md): the sum over its firings of baseline, actual and
// avoided, each firing against the baseline that applies to it. Firings that lack a line are
// counted by reason, not guessed. No per-firing objects are kept: the roll-up calls this for
// every group of ~30,000 firings, and garbage, not arithmetic, was what made it slow.
import { adjustmentsInForce, LINE_KEYS, lineFor, prepareBaseline, type LineKey, type PreparedBaseline } from './baseline.ts';
import { lower, type Confidence } from './figure.ts';
import type { FiringFigures } from './firing-figures.ts';
import { VIETNAM_UTC_OFFSET_MIN } from './local-time.ts';
import { savingsRange, type SavingsRange } from './ranges.ts';
import type { CoalBaseline } from './records.ts';

// The range of a total: the firings summed share the baseline's figures and the fuel's NCV, so
// their errors are taken as fully correlated and add linearly (Σ Bᵢ·rBᵢ), never in quadrature:
// a month's range in % is as wide as its firings', not narrower (docs/analytics.md, "Ranges").
export interface SavingsTotal extends SavingsRange {
  readonly firings: number; // firings with this line available
  readonly baseline: number;
  readonly actual: number;
  readonly avoided: number;
  readonly confidence: Confidence | null; // lowest of the firings summed; null when none was
  readonly excluded: Readonly<Record<string, number>>; // reason → firings left out for it
}

export interface PeriodSavings {
  readonly energy_mj: SavingsTotal;
  readonly cost_vnd: SavingsTotal;
  readonly co2_kg: SavingsTotal;
  readonly firings_without_baseline: number;
}

const rel = (d: number, x: number) => (x > 0 ? d / x : 0);

/** A line's total with its range; d_baseline and d_actual are the summed absolute ± (kept out of the answer). */
function total(a: Acc): SavingsTotal {
  return {
    firings: a.firings, baseline: a.baseline, actual: a.actual, avoided: a.baseline - a.actual, confidence: a.confidence, excluded: a.excluded,
    ...savingsRange(a.baseline, rel(a.d_baseline, a.baseline), a.actual, rel(a.d_actual, a.actual)),
  };
}

type Acc = { firings: number; baseline: number; actual: number; confidence: Confidence | null; excluded: Record<string, number>; d_baseline: number; d_actual: number };

/** baselineFor: the baseline that applies to a firing (its kiln's, else its workshop's), if any. */
export function sumSavings(
  firings: readonly FiringFigures[],
  baselineFor: (f: FiringFigures) => CoalBaseline | undefined,
  utc_offset_min = VIETNAM_UTC_OFFSET_MIN,
): PeriodSavings {
  const prepared = new Map<CoalBaseline, PreparedBaseline>(); // one preparation per baseline record
  const acc = {} as Record<LineKey, Acc>;
  for (const k of LINE_KEYS) acc[k] = { firings: 0, baseline: 0, actual: 0, confidence: null, excluded: {}, d_baseline: 0, d_actual: 0 };
  let firings_without_baseline = 0;
  for (const f of firings) {
    const b = baselineFor(f);
    if (b === undefined) { firings_without_baseline += 1; continue; }
    let p = prepared.get(b);
    if (p === undefined) prepared.set(b, (p = prepareBaseline(b)));
    const adj = adjustmentsInForce(p, f, utc_offset_min);
    for (const k of LINE_KEYS) {
      const a = acc[k];
      const v = lineFor(p, k, f, adj);
      if (typeof v === 'string') { a.excluded[v] = (a.excluded[v] ?? 0) + 1; continue; }
      a.firings += 1; a.baseline += v.baseline; a.actual += v.actual;
      a.d_baseline += v.baseline * v.rel_baseline; a.d_actual += v.actual * v.rel_actual;
      a.confidence = a.confidence === null ? v.confidence : lower(a.confidence, v.confidence);
    }
  }
  return { energy_mj: total(acc.energy_mj), cost_vnd: total(acc.cost_vnd), co2_kg: total(acc.co2_kg), firings_without_baseline };
}
