// The adviser's roll-up (docs/sources.md "Comparing before and after": advisers compare fuel, cost, yield and CO2 against the
// old coal baseline, across workshops): by village, workshop or kiln, per local month or overall.
// One pass to group, one sort per group for the distributions: O(n log n) for ~30,000 firings
// (100 kilns × a year). Timing belongs in a benchmark; ad hoc it took ~30–70 ms warm here.
import { usable, type FiringFigures } from './firing-figures.ts';
import { localMonthIndex, monthLabel, VIETNAM_UTC_OFFSET_MIN } from './local-time.ts';
import { sumSavings, type PeriodSavings } from './period-savings.ts';
import type { CoalBaseline } from './records.ts';

export type RollupLevel = 'village' | 'workshop' | 'kiln';
export type RollupPeriod = 'month' | 'all';

export interface RollupOptions {
  readonly level: RollupLevel;
  readonly period: RollupPeriod;
  readonly utc_offset_min?: number; // default UTC+7, Asia/Ho_Chi_Minh
  /** The coal baseline that applies to a firing (its kiln's, else its workshop's); none: no savings. */
  readonly baselineFor?: (f: FiringFigures) => CoalBaseline | undefined;
}

/** Spread of per-firing MJ/kg; quartiles by linear interpolation (numpy default, Excel PERCENTILE.INC). */
export interface Distribution { readonly n: number; readonly min: number; readonly p25: number; readonly median: number; readonly p75: number; readonly max: number }

const SUMMED = ['ware_kg', 'good_kg', 'lpg_kg', 'energy_mj', 'cost_vnd', 'co2_kg', 'duration_h'] as const;
type Summed = (typeof SUMMED)[number];

export type RollupRow = {
  readonly workshop: string | null; // null at village level
  readonly kiln: string | null;
  readonly month: string | null; // 'YYYY-MM' local; null for period 'all'
  readonly firings: number;
  /** Firings in the row lacking each summed figure: sums cover only firings that have it. */
  readonly missing: Readonly<Record<Summed, number>>;
  readonly sec_mj_per_kg_set: Distribution | null;
  readonly sec_mj_per_kg_good: Distribution | null;
  /** Σ good kg ÷ Σ ware kg over graded firings: mass-weighted, so big loads count for more. */
  readonly yield_pct: number | null;
  readonly savings: PeriodSavings | null; // null without options.baselineFor
} & Readonly<Record<Summed, number>>;

export interface Rollup {
  readonly rows: readonly RollupRow[];
  readonly skipped: readonly { firing_id: string; reason: string }[];
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? NaN; // callers pass non-empty arrays
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (b - a) * (pos - lo);
}

export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  return { n: s.length, min: s[0] ?? NaN, p25: quantile(s, 0.25), median: quantile(s, 0.5), p75: quantile(s, 0.75), max: s[s.length - 1] ?? NaN };
}

interface Group { workshop: string | null; kiln: string | null; month: string | null; firings: FiringFigures[] }

function summarise(g: Group, baselineFor: RollupOptions['baselineFor'], offset_min: number): RollupRow {
  const sums = Object.fromEntries(SUMMED.map((k) => [k, 0])) as Record<Summed, number>;
  const missing = Object.fromEntries(SUMMED.map((k) => [k, 0])) as Record<Summed, number>;
  const set: number[] = [], good: number[] = [];
  let graded_ware_kg = 0, graded_good_kg = 0;
  for (const f of g.firings) {
    for (const k of SUMMED) { const v = f[k]; if (usable(v)) sums[k] += v; else missing[k] += 1; }
    if (usable(f.energy_mj) && usable(f.ware_kg) && f.ware_kg > 0) set.push(f.energy_mj / f.ware_kg);
    if (usable(f.energy_mj) && usable(f.good_kg) && f.good_kg > 0) good.push(f.energy_mj / f.good_kg);
    if (usable(f.ware_kg) && f.ware_kg > 0 && usable(f.good_kg)) { graded_ware_kg += f.ware_kg; graded_good_kg += f.good_kg; }
  }
  return {
    workshop: g.workshop, kiln: g.kiln, month: g.month, firings: g.firings.length, ...sums, missing,
    sec_mj_per_kg_set: distribution(set),
    sec_mj_per_kg_good: distribution(good),
    yield_pct: graded_ware_kg > 0 ? (100 * graded_good_kg) / graded_ware_kg : null,
    savings: baselineFor === undefined ? null : sumSavings(g.firings, baselineFor, offset_min),
  };
}

export function rollup(firings: readonly FiringFigures[], options: RollupOptions): Rollup {
  const offset_min = options.utc_offset_min ?? VIETNAM_UTC_OFFSET_MIN;
  const groups = new Map<string, Group>();
  const skipped: { firing_id: string; reason: string }[] = [];
  for (const f of firings) {
    if (options.period === 'month' && !Number.isFinite(f.started_at_ms)) {
      skipped.push({ firing_id: f.firing_id, reason: 'started_at_ms is not a finite number' });
      continue;
    }
    const workshop = options.level === 'village' ? null : f.workshop;
    const kiln = options.level === 'kiln' ? f.kiln : null;
    const month = options.period === 'month' ? localMonthIndex(f.started_at_ms, offset_min) : -1;
    const key = `${workshop ?? ''}\u0000${kiln ?? ''}\u0000${month}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { workshop, kiln, month: month < 0 ? null : monthLabel(month), firings: [f] });
    else g.firings.push(f);
  }
  // Code-unit order, not localeCompare: the same order on every machine whatever its locale.
  const cmp = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  const rows = [...groups.values()]
    .sort((a, b) => cmp(a.workshop, b.workshop) || cmp(a.kiln, b.kiln) || cmp(a.month, b.month))
    .map((g) => summarise(g, options.baselineFor, offset_min));
  return { rows, skipped };
}
