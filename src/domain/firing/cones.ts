// Orton cone equivalent of a firing: the highest cone its peak temperature would have bent,
// given how fast the last ~100 °C were climbed. Heat-work, not temperature, bends a cone: a
// slower final ramp bends the same cone at a lower temperature, hence the rate argument.

/** Large Orton cones, °C at a final heating rate of 15 / 60 / 150 °C/h.
 *  Source: Orton large-cone temperature equivalent chart, listed in docs/sources.md
 *  ("older charts differ by ≤ 3 °C"). Only the cones with a cited value are listed: a cone
 *  missing here must be added with its source, not interpolated between neighbours. */
export const ORTON_LARGE_CONES: readonly ConeRow[] = [
  { cone: '04', temp_c_at: [1048, 1060, 1070] },
  { cone: '6', temp_c_at: [1187, 1220, 1241] },
  { cone: '8', temp_c_at: [1213, 1247, 1269] },
  { cone: '10', temp_c_at: [1253, 1282, 1303] },
];

/** The heating rates (°C/h) the chart gives, matching the order of ConeRow.temp_c_at. */
export const CHART_RATES_C_H = [15, 60, 150] as const;

export interface ConeRow {
  readonly cone: string;
  readonly temp_c_at: readonly [number, number, number];
}

export interface ConeEquivalent {
  /** Highest listed cone whose temperature at this rate the peak reached; null = below the lowest cone. */
  readonly reached: { readonly cone: string; readonly temp_c: number } | null;
  /** The next listed cone and how far short of it the peak was (°C); null = above the highest cone. */
  readonly next: { readonly cone: string; readonly temp_c: number; readonly short_by_c: number } | null;
  /** The rate actually used: the chart does not extend past 15–150 °C/h, so the rate is clamped. */
  readonly rate_c_h_used: number;
  /** "cone 6", or "below cone 04". */
  readonly label: string;
}

/** A cone's bending temperature at a heating rate: piecewise linear in log(rate) between the
 *  chart's rates (the chart's spacing is itself roughly logarithmic), clamped outside 15–150 °C/h. */
export function coneTempAt(row: ConeRow, rate_c_h: number): number {
  const [r0, r1, r2] = CHART_RATES_C_H;
  const [t0, t1, t2] = row.temp_c_at;
  const r = clampRate(rate_c_h);
  const lerp = (ra: number, rb: number, ta: number, tb: number) =>
    ta + ((tb - ta) * Math.log(r / ra)) / Math.log(rb / ra);
  return r <= r1 ? lerp(r0, r1, t0, t1) : lerp(r1, r2, t1, t2);
}

function clampRate(rate_c_h: number): number {
  // A non-finite or non-positive rate (a firing that never climbed) is read as the slowest rate.
  if (!Number.isFinite(rate_c_h) || rate_c_h <= CHART_RATES_C_H[0]) return CHART_RATES_C_H[0];
  return Math.min(rate_c_h, CHART_RATES_C_H[2]);
}

export function coneEquivalent(peak_c: number, last100_rate_c_h: number, table: readonly ConeRow[] = ORTON_LARGE_CONES): ConeEquivalent {
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
