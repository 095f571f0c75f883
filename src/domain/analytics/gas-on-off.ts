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

/** The first rise of "used" beyond the threshold, dated where the burning line meets the idle level. */
function firstRise(raw: readonly Used[], o: OnOffOpts): number | null {
  const xs = o.threshold_kg > 0 ? smoothed(raw) : raw;
  let min = Infinity, min_i = 0, d = -1;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i]!.kg < min) { min = xs[i]!.kg; min_i = i; }
    if (xs[i]!.kg - min > o.threshold_kg) { d = i; break; }
  }
  if (d < 0) return null;
  if (d === 0 || min_i === d) return xs[0]!.ts_ms;
  const t_d = xs[d]!.ts_ms;
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

/** Gas on: the first use beyond noise; gas off for good: the last, by the same rule run backwards. */
export function gasOnOff(used: readonly Used[], o: OnOffOpts): GasOnOff {
  const xs = [...used].sort((a, b) => a.ts_ms - b.ts_ms);
  const on_ms = firstRise(xs, o);
  const back = firstRise(xs.map((x) => ({ ts_ms: -x.ts_ms, kg: -x.kg })).reverse(), o);
  return { on_ms, off_ms: back === null ? null : -back };
}
