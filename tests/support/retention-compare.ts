// A report computed from one-minute aggregates against the same firing's report from its raw
// readings: each figure with the tolerance docs/retention.md documents (keep the two in step).
import type { FiringSummary } from '../../src/domain/report/index.ts';

export const TOLERANCE = {
  /** fuel of each meter kind, and the energy, CO₂ and cost that follow it: relative */
  fuel_rel: 0.005,
  /** instants (peak, gas on and off) and durations (soak, cooling, burning) */
  time_ms: 60_000,
  /** the mean heating rate and the fastest 10 min climb: relative */
  rate_rel: 0.02,
  /** zone spread and schedule deviation, °C */
  temp_c: 3,
  /** coverage, percentage points */
  coverage_pct: 0.5,
  /** the highest flow at one instant: relative (a minute's mean flow hides its highest reading) */
  peak_flow_rel: 0.05,
} as const;

export interface FigureDiff { readonly figure: string; readonly raw: string; readonly agg: string; readonly ok: boolean; readonly text: string }

export function compareReports(a: FiringSummary, b: FiringSummary): FigureDiff[] {
  const out: FigureDiff[] = [];
  const fmt = (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));
  const rel = (figure: string, x: number | null | undefined, y: number | null | undefined, tol: number) => {
    const d = x != null && y != null ? Math.abs(y - x) / Math.max(Math.abs(x), 1e-9) : null;
    out.push({ figure, raw: fmt(x), agg: fmt(y), ok: (x == null && y == null) || (d !== null && d <= tol), text: d === null ? 'n/a' : `${(d * 100).toFixed(3)} % (≤ ${tol * 100} %)` });
  };
  const abs = (figure: string, x: number | null | undefined, y: number | null | undefined, tol: number, unit: string) => {
    const d = x != null && y != null ? Math.abs(y - x) : null;
    out.push({ figure, raw: fmt(x), agg: fmt(y), ok: (x == null && y == null) || (d !== null && d <= tol), text: d === null ? 'n/a' : `${fmt(d)} ${unit} (≤ ${tol} ${unit})` });
  };
  const secs = (figure: string, x_ms: number | null | undefined, y_ms: number | null | undefined, tol_s: number) => abs(figure, x_ms == null ? x_ms : x_ms / 1000, y_ms == null ? y_ms : y_ms / 1000, tol_s, 's');
  const same = (figure: string, x: unknown, y: unknown) => out.push({ figure, raw: fmt(x), agg: fmt(y), ok: x === y, text: x === y ? 'equal' : 'differs' });
  const T = TOLERANCE, min = T.time_ms / 1000;

  for (const m of a.fuel.by_meter) {
    const n = b.fuel.by_meter.find((x) => x.kind === m.kind);
    rel(`fuel.${m.kind}.fuel_kg`, m.fuel_kg, n?.fuel_kg, T.fuel_rel);
    secs(`fuel.${m.kind}.gas_on_ms`, m.gas_on_ms, n?.gas_on_ms, min);
    secs(`fuel.${m.kind}.gas_off_ms`, m.gas_off_ms, n?.gas_off_ms, min);
    abs(`fuel.${m.kind}.coverage_pct`, m.coverage_pct, n?.coverage_pct, T.coverage_pct, 'points');
  }
  same('fuel.source', a.fuel.source, b.fuel.source);
  rel('fuel.fuel_kg', a.fuel.fuel_kg, b.fuel.fuel_kg, T.fuel_rel);
  rel('energy_mj', a.energy_mj, b.energy_mj, T.fuel_rel);
  rel('co2_kg', a.co2_kg, b.co2_kg, T.fuel_rel);
  rel('cost.cost_vnd', a.cost?.cost_vnd, b.cost?.cost_vnd, T.fuel_rel);
  rel('fuel.peak_flow_kg_h', a.fuel.peak_flow_kg_h, b.fuel.peak_flow_kg_h, T.peak_flow_rel);
  abs('fuel.burning_h', a.fuel.burning_h * 60, b.fuel.burning_h * 60, min / 60, 'min');
  same('peak_c', a.peak_c, b.peak_c);
  for (const z of Object.keys(a.peak_c_by_zone)) same(`peak_c_by_zone.${z}`, a.peak_c_by_zone[z], b.peak_c_by_zone[z]);
  secs('peak_ms', a.peak_ms, b.peak_ms, min);
  abs('soak_at_peak_min', a.soak_at_peak_min, b.soak_at_peak_min, min / 60 * 2, 'min');
  abs('cooling_to_unload_h', a.cooling_to_unload_h === null ? null : a.cooling_to_unload_h * 60, b.cooling_to_unload_h === null ? null : b.cooling_to_unload_h * 60, min / 60, 'min');
  rel('heating.mean_rate_c_h', a.heating.mean_rate_c_h, b.heating.mean_rate_c_h, T.rate_rel);
  rel('heating.max_rate_c_h', a.heating.max_rate_c_h, b.heating.max_rate_c_h, T.rate_rel);
  same('heating.cone', a.heating.cone?.label, b.heating.cone?.label);
  same('heating.cone_with_soak_estimate', a.heating.cone_with_soak_estimate?.label, b.heating.cone_with_soak_estimate?.label);
  abs('spread.heating_max_c', a.spread.heating_max_c, b.spread.heating_max_c, T.temp_c, '°C');
  abs('spread.at_peak_c', a.spread.at_peak_c, b.spread.at_peak_c, T.temp_c, '°C');
  abs('schedule.max_dev_c', a.schedule?.max_dev_c, b.schedule?.max_dev_c, T.temp_c, '°C');
  abs('schedule.mean_dev_c', a.schedule?.mean_dev_c, b.schedule?.mean_dev_c, T.temp_c, '°C');
  abs('quality.temp_coverage_pct', a.quality.temp_coverage_pct, b.quality.temp_coverage_pct, T.coverage_pct, 'points');
  same('quality.gaps', a.quality.gaps.length, b.quality.gaps.length);
  same('duration_h', a.duration_h, b.duration_h);
  return out;
}

