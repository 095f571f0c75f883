// A roll-up as CSV (RFC 4180), one row per group: the adviser's export for spreadsheets. UTF-8
// with a byte-order mark, units in the headers, the month's first instant in local time (ISO 8601
// with +07:00) beside its epoch ms, and figures rounded to the digits that mean something:
// kg and kg CO2 to 0.1, MJ and ₫ to units, hours and % to 0.1, MJ/kg to 0.01. Every avoided
// figure with its range and as a % of the baseline (docs/analytics.md, "Ranges").
import type { LineKey } from '../domain/savings/baseline.ts';
import { localIso, monthStartMs } from '../domain/savings/local-time.ts';
import type { SavingsTotal } from '../domain/savings/period-savings.ts';
import type { RollupRow } from '../domain/savings/rollup.ts';
import { CSV_BOM, csvCell } from '../firings/csv.ts';

type Cell = string | number | null | undefined;
type Column = readonly [string, (r: RollupRow) => Cell];

/** Rounded to `decimals`; -0 shown as 0. */
export const rounded = (v: number | null | undefined, decimals: number): number | null => {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** decimals;
  return Math.round(v * f) / f + 0;
};

const DECIMALS: Readonly<Record<LineKey, number>> = { energy_mj: 0, cost_vnd: 0, co2_kg: 1 };
const NAMES: Readonly<Record<LineKey, [string, string]>> = { energy_mj: ['energy', 'mj'], cost_vnd: ['cost', 'vnd'], co2_kg: ['co2', 'kg'] };

/** baseline, avoided with its range, avoided %, its range, the baseline's ± and the grade, for one line. */
function savingsColumns(key: LineKey): Column[] {
  const [what, unit] = NAMES[key];
  const d = DECIMALS[key];
  const s = (r: RollupRow): SavingsTotal | undefined => (r.savings?.[key].firings ? r.savings[key] : undefined);
  return [
    [`baseline_${what}_${unit}`, (r) => rounded(s(r)?.baseline, d)],
    [`avoided_${what}_${unit}`, (r) => rounded(s(r)?.avoided, d)],
    [`avoided_${what}_${unit}_low`, (r) => rounded(s(r)?.avoided_low, d)],
    [`avoided_${what}_${unit}_high`, (r) => rounded(s(r)?.avoided_high, d)],
    [`avoided_${what}_pct`, (r) => rounded(s(r)?.avoided_pct, 1)],
    [`avoided_${what}_pct_low`, (r) => rounded(s(r)?.avoided_pct_low, 1)],
    [`avoided_${what}_pct_high`, (r) => rounded(s(r)?.avoided_pct_high, 1)],
    [`baseline_${what}_rel_error_pct`, (r) => rounded(s(r) === undefined ? null : s(r)!.rel_error * 100, 1)],
    [`avoided_${what}_confidence`, (r) => r.savings?.[key].confidence],
  ];
}

const monthStart = (r: RollupRow) => (r.month === null ? null : monthStartMs(r.month));

const COLUMNS: readonly Column[] = [
  ['workshop', (r) => r.workshop], ['kiln', (r) => r.kiln], ['month', (r) => r.month],
  ['month_start_local', (r) => { const ms = monthStart(r); return ms === null ? null : localIso(ms); }], ['month_start_ms', monthStart],
  ['firings', (r) => r.firings],
  ['ware_kg', (r) => rounded(r.ware_kg, 1)], ['good_kg', (r) => rounded(r.good_kg, 1)], ['lpg_kg', (r) => rounded(r.lpg_kg, 1)], ['energy_mj', (r) => rounded(r.energy_mj, 0)],
  ['cost_vnd', (r) => rounded(r.cost_vnd, 0)], ['co2_kg', (r) => rounded(r.co2_kg, 1)], ['duration_h', (r) => rounded(r.duration_h, 1)], ['yield_pct', (r) => rounded(r.yield_pct, 1)],
  ['mj_per_kg_good_median', (r) => rounded(r.sec_mj_per_kg_good?.median, 2)], ['mj_per_kg_good_p25', (r) => rounded(r.sec_mj_per_kg_good?.p25, 2)], ['mj_per_kg_good_p75', (r) => rounded(r.sec_mj_per_kg_good?.p75, 2)],
  ...savingsColumns('energy_mj'), ...savingsColumns('cost_vnd'), ...savingsColumns('co2_kg'),
  ['firings_without_baseline', (r) => r.savings?.firings_without_baseline],
];

export function rollupCsv(rows: readonly RollupRow[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(',')];
  for (const r of rows) lines.push(COLUMNS.map(([, f]) => { const v = f(r); return v === null || v === undefined ? '' : csvCell(v); }).join(','));
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}
