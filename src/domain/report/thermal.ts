// What the thermocouples say about a firing: peaks, soak, heating rates, spread between zones,
// cooling. Pure functions over the instants of series.ts.
import { coneEquivalent } from '../firing/cones.ts';
import { coneWithSoak } from '../firing/soak-cone.ts';
import { last100RateCH, markClimb } from '../firing/ramp.ts';
import type { FiringRecord } from '../firing/fold.ts';
import type { Instant, TempAt } from './series.ts';
import type { FiringSummary } from './types.ts';

const MS_PER_H = 3_600_000;

export interface Peak { readonly peak_c: number; readonly peak_ms: number; readonly index: number }

/** The first instant of the hottest kiln temperature. */
export function peakOf(xs: readonly Instant[]): Peak | null {
  let best: Peak | null = null;
  xs.forEach((x, index) => { if (!best || x.kiln_c > best.peak_c) best = { peak_c: x.kiln_c, peak_ms: x.ts_ms, index }; });
  return best;
}

export function zonePeaks(zones: Readonly<Record<string, readonly TempAt[]>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [z, xs] of Object.entries(zones)) if (xs.length) out[z] = Math.max(...xs.map((x) => x.temp_c));
  return out;
}

/** Minutes of the unbroken stretch around the peak with the kiln within band_c of it. */
export function soakMin(xs: readonly Instant[], peak: Peak, band_c: number): number {
  const floor_c = peak.peak_c - band_c;
  let a = peak.index;
  let b = peak.index;
  while (a > 0 && xs[a - 1]!.kiln_c >= floor_c) a--;
  while (b < xs.length - 1 && xs[b + 1]!.kiln_c >= floor_c) b++;
  return (xs[b]!.ts_ms - xs[a]!.ts_ms) / 60_000;
}

/**
 * Fastest climb over window_s during the heating (start to peak): for each instant, the rate from
 * the latest instant at least window_s earlier. Pairs that straddle a data gap (more than
 * window + max_gap apart) are skipped, since the rate across a gap is a guess.
 */
export function maxRateCH(heating: readonly Instant[], window_s: number, max_gap_s: number): number | null {
  const w_ms = window_s * 1000;
  let best: number | null = null;
  let j = 0;
  for (let i = 0; i < heating.length; i++) {
    const b = heating[i]!;
    while (j + 1 < i && heating[j + 1]!.ts_ms <= b.ts_ms - w_ms) j++;
    const a = heating[j]!;
    const dt_ms = b.ts_ms - a.ts_ms;
    if (dt_ms < w_ms || dt_ms > w_ms + max_gap_s * 1000) continue;
    const rate = ((b.kiln_c - a.kiln_c) * MS_PER_H) / dt_ms;
    if (best === null || rate > best) best = rate;
  }
  return best;
}

/** The tracker's own last-100 °C rate when it has one; otherwise the same rule (ramp.ts) over the series.
 *  The cone is the chart's, at the final rate; the cone with the soak is our estimate, kept apart. */
export function heatingRates(firing: FiringRecord, xs: readonly Instant[], peak: Peak | null, window_s: number, max_gap_s: number, soak_min: number | null = null): FiringSummary['heating'] {
  const none = { mean_rate_c_h: null, max_rate_c_h: null, max_rate_window_s: window_s, last100_rate_c_h: null, cone: null, cone_with_soak_estimate: null };
  const first = xs[0];
  if (!peak || !first) return none;
  const heating = xs.slice(0, peak.index + 1);
  let climb: readonly number[] = [];
  for (const x of heating) climb = markClimb(climb, x.kiln_c, x.ts_ms);
  const last100_rate_c_h = firing.last100_rate_c_h ?? last100RateCH(climb);
  const dt_ms = peak.peak_ms - first.ts_ms;
  return {
    mean_rate_c_h: dt_ms > 0 ? ((peak.peak_c - first.kiln_c) * MS_PER_H) / dt_ms : null,
    max_rate_c_h: maxRateCH(heating, window_s, max_gap_s),
    max_rate_window_s: window_s,
    last100_rate_c_h,
    cone: last100_rate_c_h === null ? null : coneEquivalent(peak.peak_c, last100_rate_c_h),
    cone_with_soak_estimate: last100_rate_c_h === null ? null : coneWithSoak(peak.peak_c, last100_rate_c_h, soak_min ?? 0),
  };
}

/** max − min across zones at one instant; only instants where every zone was read count. */
function spreadAt(x: Instant, n_zones: number): number | null {
  const v = Object.values(x.temps_c);
  return n_zones >= 2 && v.length === n_zones ? Math.max(...v) - Math.min(...v) : null;
}

/** p-th percentile, nearest rank (no interpolation: the value reported was actually seen). */
export function percentile(xs: readonly number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function spread(xs: readonly Instant[], peak: Peak | null, n_zones: number): FiringSummary['spread'] {
  if (!peak) return { heating_max_c: null, heating_p95_c: null, at_peak_c: null };
  const during = xs.slice(0, peak.index + 1).map((x) => spreadAt(x, n_zones)).filter((s): s is number => s !== null);
  const at = xs[peak.index];
  return {
    heating_max_c: during.length ? Math.max(...during) : null,
    heating_p95_c: percentile(during, 95),
    at_peak_c: at ? spreadAt(at, n_zones) : null,
  };
}

/** Hours from the peak to the first instant the kiln (hottest zone) is below unload_c. */
export function coolingH(xs: readonly Instant[], peak: Peak | null, unload_c: number): number | null {
  if (!peak) return null;
  for (let i = peak.index + 1; i < xs.length; i++) {
    if (xs[i]!.kiln_c < unload_c) return (xs[i]!.ts_ms - peak.peak_ms) / MS_PER_H;
  }
  return null;
}
