// Which meter gives THE fuel figure of a firing, when a kiln has more than one.
//
// Rule: the first COMPLETE meter in the order totaliser → flow → scale; if none is complete, the
// one with the best coverage (ties in that order). Complete = readings at both ends of the firing
// and no hole the figure cannot see across: for a flow meter no gap, for a register no reset.
// Why this order:
// - a totaliser is cumulative: it counts between readings, so a dropped reading loses nothing,
//   and it reads 0.01 kg; only a reset (meter replaced) breaks it, and that is detected;
// - a flow meter is sampled: the integral misses whatever falls in a gap (reported, never bridged)
//   and aliases a modulating burner between samples (~0.1–1 % at a 10 s interval);
// - a platform scale reads ~0.1 kg with ±0.05–0.2 kg noise and drift, and what is left in the
//   cylinders at a swap is a judgement (fuel-meters.ts: within ~2 × noise per cylinder).
import type { MeterCore, MeterKind } from './types.ts';

export const METER_PREFERENCE: readonly MeterKind[] = ['totalizer', 'flow', 'scale'];
/** Coverage below this (%) is not complete: a 10 s sample interval at one end costs < 0.01 %. */
export const COMPLETE_COVERAGE_PCT = 99;

export function isComplete(m: MeterCore): boolean {
  const holes = m.kind === 'flow' ? m.gaps.length > 0 : m.resets > 0;
  return m.coverage_pct >= COMPLETE_COVERAGE_PCT && !holes;
}

export function chooseMeter<M extends MeterCore>(meters: readonly M[]): { chosen: M | null; complete: boolean; reason: string } {
  const ordered = METER_PREFERENCE.flatMap((k) => meters.filter((m) => m.kind === k));
  const complete = ordered.find(isComplete);
  if (complete) return { chosen: complete, complete: true, reason: `${complete.kind}: the first complete meter in the order totalizer, flow, scale` };
  const best = ordered.reduce<M | null>((b, m) => (b === null || m.coverage_pct > b.coverage_pct ? m : b), null);
  if (!best) return { chosen: null, complete: false, reason: 'no gas meter readings in this firing' };
  return { chosen: best, complete: false, reason: `${best.kind}: no meter is complete; this one covers the most of the firing (${best.coverage_pct.toFixed(1)} %)` };
}
