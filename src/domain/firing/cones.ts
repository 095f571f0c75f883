// Orton cone equivalent of a firing: the highest cone its peak temperature would have bent,
// given how fast the last ~100 °C were climbed. Heat-work, not temperature, bends a cone: a
// slower final ramp bends the same cone at a lower temperature, hence the rate argument.
import { CHART_RATES_C_H, ORTON_SELF_SUPPORTING, type ConeRow } from './cone-chart.ts';

export { CHART_RATES_C_H, ORTON_SELF_SUPPORTING, type ConeRow } from './cone-chart.ts';

export interface ConeEquivalent {
  /** Highest listed cone whose temperature at this rate the peak reached; null = below the lowest cone. */
  readonly reached: { readonly cone: string; readonly temp_c: number } | null;
  /** The next listed cone and how far short of it the peak was (°C); null = above the highest cone. */
  readonly next: { readonly cone: string; readonly temp_c: number; readonly short_by_c: number } | null;
  /** The rate actually used: the chart does not extend past 15–150 °C/h, so the rate is clamped. */
  readonly rate_c_h_used: number;
  /** "cone 6", or "below cone 022" (English, for the API and CSV; the dashboard words it per language). */
  readonly label: string;
}

/** A cone's bending temperature at a heating rate: piecewise linear in log(rate) between the
 *  chart's rates (their spacing is itself logarithmic), clamped outside 15–150 °C/h. Where the
 *  chart has no 15 °C/h value, slower rates take the 60 °C/h one: never claims a cone on a guess. */
export function coneTempAt(row: ConeRow, rate_c_h: number): number {
  const [r0, r1, r2] = CHART_RATES_C_H;
  const [t0, t1, t2] = row.temp_c_at;
  const r = clampRate(rate_c_h);
  const lerp = (ra: number, rb: number, ta: number, tb: number) =>
    ta + ((tb - ta) * Math.log(r / ra)) / Math.log(rb / ra);
  if (r >= r1) return lerp(r1, r2, t1, t2);
  return t0 === null ? t1 : lerp(r0, r1, t0, t1);
}

export function clampRate(rate_c_h: number): number {
  // A non-finite or non-positive rate (a firing that never climbed) is read as the slowest rate.
  if (!Number.isFinite(rate_c_h) || rate_c_h <= CHART_RATES_C_H[0]) return CHART_RATES_C_H[0];
  return Math.min(rate_c_h, CHART_RATES_C_H[2]);
}

export function coneEquivalent(peak_c: number, last100_rate_c_h: number, table: readonly ConeRow[] = ORTON_SELF_SUPPORTING): ConeEquivalent {
  const rate_c_h_used = clampRate(last100_rate_c_h);
  let reached: ConeEquivalent['reached'] = null;
  let next: ConeEquivalent['next'] = null;
  for (const row of table) {
    const temp_c = round1(coneTempAt(row, rate_c_h_used));
    if (peak_c >= temp_c) {
      reached = { cone: row.cone, temp_c };
    } else {
      next = { cone: row.cone, temp_c, short_by_c: round1(temp_c - peak_c) };
      break;
    }
  }
  const lowest = table[0]?.cone ?? '?';
  return { reached, next, rate_c_h_used, label: reached ? `cone ${reached.cone}` : `below cone ${lowest}` };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
