// When the gas went on and off for good, from any meter kind. A flow meter says it directly; a
// totaliser and a cylinder scale only say how much has been used so far, so each is turned into a
// cumulative "used" series (across rollovers, resets and cylinder swaps), and the first and last
// changes beyond the meter's noise are dated by a straight line fitted to the burning just after
// (or before) them, met with the idle level. A register's readings bracket the truth (after the
// last idle reading, at most one register step's time before the first step), so the estimate is
// clamped to that: off by at most one reading interval or one step's time, whichever is longer.
import { timeOrdered } from './fuel-flow.ts';
import type { ScaleOpts, TotalSample, TotalizerOpts } from './fuel-meters.ts';

export interface Used { readonly ts_ms: number; readonly kg: number }
export interface GasOnOff { readonly on_ms: number | null; readonly off_ms: number | null }
export interface OnOffOpts {
  /** A change of "used" within this is noise (a scale's noise_kg; a register's jitter, else 0). */
  readonly threshold_kg: number;
  /** How much burning is fitted to date the change (s). */
  readonly fit_s: number;
}

/** Register readings as used-so-far: rollovers add the wrap, a reset (meter replaced) carries on
 *  from the new register's first reading, a drop within jitter is a re-read. */
export function totalizerUsed(samples: readonly TotalSample[], opts: TotalizerOpts = {}): Used[] {
  const xs = timeOrdered(samples.filter((s) => Number.isFinite(s.total)));
  const max_wrap_step = opts.max_wrap_step ?? (opts.rollover_at ?? 0) / 10;
  const out: Used[] = [];
  let high = xs[0]?.total ?? 0, used = 0;
  for (const { ts_ms, total } of xs) {
    if (total >= high) used += total - high;
    else if (high - total <= (opts.jitter ?? 0)) { out.push({ ts_ms, kg: used }); continue; }
    else {
      const wrap = opts.rollover_at === undefined ? -1 : opts.rollover_at - high + total;
      if (wrap >= 0 && wrap <= max_wrap_step) used += wrap;
    }
    high = total;
    out.push({ ts_ms, kg: used });
  }
  return out;
}

/** Gross cylinder mass as used-so-far: a rise beyond swap_min_rise_kg is a swap, across which
 *  the series carries on (what burnt between those two readings is not seen). */
export function scaleUsed(samples: readonly { ts_ms: number; mass_kg: number }[], opts: ScaleOpts): Used[] {
  const xs = timeOrdered(samples.filter((s) => Number.isFinite(s.mass_kg)));
  let offset = 0;
  return xs.map((x, i) => {
    const prev = xs[i - 1];
    if (prev && x.mass_kg - prev.mass_kg > opts.swap_min_rise_kg) offset += x.mass_kg - prev.mass_kg;
    return { ts_ms: x.ts_ms, kg: offset + (xs[0]?.mass_kg ?? 0) - x.mass_kg };
  });
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Least squares kg = a + r × t over the points (t in ms relative to t0). */
function fit(xs: readonly Used[], t0: number): { a: number; r: number } | null {
  if (xs.length < 2) return null;
  const mt = mean(xs.map((x) => x.ts_ms - t0)), mk = mean(xs.map((x) => x.kg));
  let num = 0, den = 0;
  for (const x of xs) { num += (x.ts_ms - t0 - mt) * (x.kg - mk); den += (x.ts_ms - t0 - mt) ** 2; }
  if (den === 0 || num <= 0) return null;
  const r = num / den;
  return { a: mk - r * mt, r };
}

/** A noisy meter's readings averaged over ±SMOOTH_HALF neighbours, for finding the change only (the
 *  dating fits the raw readings): a scale read to 0.1 kg with ±0.05 kg noise swings 0.3 kg peak to
 *  peak when idle, more than its noise band, and one low reading would otherwise be taken for the
 *  idle level and the next ordinary one for use. */
const SMOOTH_HALF = 2;
function smoothed(xs: readonly Used[]): Used[] {
  return xs.map((x, i) => {
    const w = xs.slice(Math.max(0, i - SMOOTH_HALF), i + SMOOTH_HALF + 1);
    return { ts_ms: x.ts_ms, kg: w.reduce((s, y) => s + y.kg, 0) / w.length };
  });
}

/** The first rise of "used" beyond the threshold, dated where the burning line meets the idle level
 *  (with `hinge`, a noisy meter's line and level are fitted together: hingeDate). */
function firstRise(raw: readonly Used[], o: OnOffOpts, hinge: boolean): number | null {
  const xs = o.threshold_kg > 0 ? smoothed(raw) : raw;
  let min = Infinity, min_i = 0, d = -1;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i]!.kg < min) { min = xs[i]!.kg; min_i = i; }
    if (xs[i]!.kg - min > o.threshold_kg) { d = i; break; }
  }
  if (d < 0) return null;
  if (d === 0 || min_i === d) return xs[0]!.ts_ms;
  const t_d = xs[d]!.ts_ms;
  if (hinge && o.threshold_kg > 0) return hingeDate(raw.filter((x) => x.ts_ms <= t_d + o.fit_s * 1000), xs[0]!.ts_ms, t_d) ?? t_d;
  const burning = raw.filter((x) => x.ts_ms >= t_d && x.ts_ms <= t_d + o.fit_s * 1000);
  const line = fit(burning, t_d);
  // The last reading still at the idle level (within the threshold of the low): the truth is after it.
  let last_idle = min_i;
  for (let i = min_i; i < d; i++) if (xs[i]!.kg - min <= (o.threshold_kg > 0 ? o.threshold_kg / 2 : 0)) last_idle = i;
  const idle = raw.slice(0, last_idle + 1).map((x) => x.kg); // all the idle readings: the level's noise averages out
  const base = o.threshold_kg > 0 ? mean(idle) : min;
  if (!line) return t_d;
  // Without noise the truth lies after the last idle reading, or at most one register step's time
  // before the first step (the register's fraction at gas-on is unknown); with noise, anywhere.
  const steps = burning.slice(1).map((x, i) => x.kg - burning[i]!.kg).filter((k) => k > 0);
  const step_ms = steps.length ? Math.min(...steps) / line.r : 0;
  const lo = o.threshold_kg > 0 ? xs[0]!.ts_ms : Math.min(xs[last_idle]!.ts_ms, t_d - step_ms);
  const t = t_d + (base - line.a) / line.r;
  return Math.min(t_d, Math.max(lo, t));
}

/** A noisy meter's change dated by least squares over every reading at once: "used" = a before t0,
 *  a + r × (t − t0) after, for the t0 (between the first reading and the change's detection) that
 *  leaves the smallest residuals. The idle level and the burning line share t0, so every idle
 *  reading and every burning one from the first counts, where a line fitted to the burning only
 *  after the change was seen (minutes later, on a scale) is extrapolated back over those minutes.
 *  Its spread is about 2σ/(r√n) for n burning readings of noise σ (a scale at ±0.06 kg burning
 *  5.4 kg/h, read every 10 s for 30 min: ~6 s); a flow that changes within the fit adds a bias. */
function hingeDate(xs: readonly Used[], lo_ms: number, hi_ms: number): number | null {
  if (xs.length < 4) return null;
  const sse = hingeSums(xs);
  const cand = xs.filter((x) => x.ts_ms >= lo_ms && x.ts_ms <= hi_ms).map((x) => x.ts_ms);
  if (!cand.length) return null;
  let best_i = 0, best_sse = Infinity;
  cand.forEach((t, i) => {
    const e = sse(t);
    if (e < best_sse) { best_sse = e; best_i = i; }
  });
  // The residuals are smooth in t0 between readings: a golden-section search around the best reading.
  let a = cand[Math.max(0, best_i - 1)]!, b = cand[Math.min(cand.length - 1, best_i + 1)]!;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 40 && b - a > 1; k++) {
    const m1 = b - g * (b - a), m2 = a + g * (b - a);
    if (sse(m1) <= sse(m2)) b = m2; else a = m1;
  }
  const t = (a + b) / 2;
  return sse(t) <= best_sse ? t : cand[best_i]!;
}

/** The residual sum of squares of the best a + r × max(0, t − t0) (r > 0, else Infinity) as a
 *  function of t0, each call O(log n): suffix sums of the readings after t0 (a 1 Hz scale refits
 *  an hour of readings at every reading while its dating settles). */
function hingeSums(xs: readonly Used[]): (t0_ms: number) => number {
  const n = xs.length, t_base = xs[0]!.ts_ms, y_base = xs[0]!.kg;
  const t = xs.map((x) => (x.ts_ms - t_base) / 3_600_000); // hours, from the first reading: well scaled
  const y = xs.map((x) => x.kg - y_base);
  // suffix sums from index i: Σt, Σt², Σy, Σty
  const st = new Float64Array(n + 1), stt = new Float64Array(n + 1), sy_ = new Float64Array(n + 1), sty = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    st[i] = st[i + 1]! + t[i]!; stt[i] = stt[i + 1]! + t[i]! ** 2; sy_[i] = sy_[i + 1]! + y[i]!; sty[i] = sty[i + 1]! + t[i]! * y[i]!;
  }
  const sy = sy_[0]!, syy = y.reduce((s, v) => s + v * v, 0);
  return (t0_ms: number) => {
    const t0 = (t0_ms - t_base) / 3_600_000;
    let lo = 0, hi = n; // first reading after t0
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t[mid]! > t0) hi = mid; else lo = mid + 1; }
    const m = n - lo;
    const sh = st[lo]! - m * t0, shh = stt[lo]! - 2 * t0 * st[lo]! + m * t0 * t0, shy = sty[lo]! - t0 * sy_[lo]!;
    const den = n * shh - sh * sh;
    if (den <= 0) return Infinity;
    const r = (n * shy - sh * sy) / den;
    if (r <= 0) return Infinity;
    const a = (sy - r * sh) / n;
    return syy - a * sy - r * shy;
  };
}

/** Gas on: the first use beyond noise; gas off for good: the last, by the same rule run backwards.
 *  A noisy meter's gas-on is dated by hingeDate (its first burning is a low fire, each reading moving
 *  a fraction of the noise); its gas-off, at the end of a firing's high fire, by the line met with
 *  the idle level (a hinge fitted across a firing's last hold, where the flow changes, is biased). */
export function gasOnOff(used: readonly Used[], o: OnOffOpts): GasOnOff {
  const xs = [...used].sort((a, b) => a.ts_ms - b.ts_ms);
  const on_ms = firstRise(xs, o, true);
  const back = firstRise(xs.map((x) => ({ ts_ms: -x.ts_ms, kg: -x.kg })).reverse(), o, false);
  return { on_ms, off_ms: back === null ? null : -back };
}
