// A roll-up as CSV (RFC 4180), one row per group: the adviser's export. Units in the headers.
import type { RollupRow } from '../domain/savings/rollup.ts';
import { csvCell } from '../firings/csv.ts';

const COLUMNS: readonly [string, (r: RollupRow) => string | number | null | undefined][] = [
  ['workshop', (r) => r.workshop], ['kiln', (r) => r.kiln], ['month', (r) => r.month], ['firings', (r) => r.firings],
  ['ware_kg', (r) => r.ware_kg], ['good_kg', (r) => r.good_kg], ['lpg_kg', (r) => r.lpg_kg], ['energy_mj', (r) => r.energy_mj],
  ['cost_vnd', (r) => r.cost_vnd], ['co2_kg', (r) => r.co2_kg], ['duration_h', (r) => r.duration_h], ['yield_pct', (r) => r.yield_pct],
  ['mj_per_kg_good_median', (r) => r.sec_mj_per_kg_good?.median], ['mj_per_kg_good_p25', (r) => r.sec_mj_per_kg_good?.p25], ['mj_per_kg_good_p75', (r) => r.sec_mj_per_kg_good?.p75],
  ['baseline_energy_mj', (r) => r.savings?.energy_mj.baseline], ['avoided_energy_mj', (r) => r.savings?.energy_mj.avoided], ['avoided_energy_confidence', (r) => r.savings?.energy_mj.confidence],
  ['baseline_cost_vnd', (r) => r.savings?.cost_vnd.baseline], ['avoided_cost_vnd', (r) => r.savings?.cost_vnd.avoided], ['avoided_cost_confidence', (r) => r.savings?.cost_vnd.confidence],
  ['baseline_co2_kg', (r) => r.savings?.co2_kg.baseline], ['avoided_co2_kg', (r) => r.savings?.co2_kg.avoided], ['avoided_co2_confidence', (r) => r.savings?.co2_kg.confidence],
  ['firings_without_baseline', (r) => r.savings?.firings_without_baseline],
];

export function rollupCsv(rows: readonly RollupRow[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(',')];
  for (const r of rows) lines.push(COLUMNS.map(([, f]) => { const v = f(r); return v === null || v === undefined ? '' : csvCell(v); }).join(','));
  return lines.join('\r\n') + '\r\n';
}
