// The project's own estimate of the heat-work a hold at the peak adds (Orton publishes no formula):
// the hold is read as a slower final ramp. The chart is indexed by the time the last 100 °C took;
// a hold at the top of them is time spent as hot as the ramp's end, so the estimate spreads
// ramp time + hold time over the same 100 °C and reads the chart at that slower rate.
// Assumptions and confidence: docs/analytics.md, "Cone equivalent and soak".
import { CHART_RATES_C_H } from './cone-chart.ts';
import { coneEquivalent, type ConeEquivalent } from './cones.ts';

const SPAN_C = 100; // the chart's "last ~100 °C"

export interface SoakConeEstimate extends ConeEquivalent {
  /** Always true: an estimate of the project's own, not a chart value. */
  readonly estimate: true;
  readonly hold_min: number;
  /** The slower final rate the ramp and the hold together are read as. */
  readonly equivalent_rate_c_h: number;
  /** true when the equivalent rate is below the chart's slowest rate: the estimate is then a floor. */
  readonly beyond_chart: boolean;
}

/** 100 °C over (ramp time + hold time). A longer hold only lowers it, so the cone never drops. */
export function equivalentRateCH(last100_rate_c_h: number, hold_min: number): number {
  if (!(last100_rate_c_h > 0) || !Number.isFinite(last100_rate_c_h)) return 0;
  const ramp_h = SPAN_C / last100_rate_c_h;
  return SPAN_C / (ramp_h + Math.max(0, hold_min) / 60);
}

export function coneWithSoak(peak_c: number, last100_rate_c_h: number, hold_min: number): SoakConeEstimate {
  const hold = Number.isFinite(hold_min) ? Math.max(0, hold_min) : 0;
  const equivalent_rate_c_h = equivalentRateCH(last100_rate_c_h, hold);
  const c = coneEquivalent(peak_c, equivalent_rate_c_h);
  return { ...c, estimate: true, hold_min: hold, equivalent_rate_c_h: round1(equivalent_rate_c_h), beyond_chart: equivalent_rate_c_h < CHART_RATES_C_H[0] };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
