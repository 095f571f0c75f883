// A meter's consumption summarised per hour of the firing and per stage span: what a report
// carries instead of every reading interval (a day at 1 Hz is ~86,000 of them, ~0.6 MB of JSON).
// The cumulative meters are cut at the same instants (cutsFor), so each of their pieces falls
// wholly inside one hour and one stage; a flow interval is dated at its middle (≤ 1 reading off).
import type { StageSpan } from '../firing/fold.ts';
import type { Window } from './series.ts';
import type { ConsumptionSegment, HourFuel, MeteredFigure, MeterFigure, StageFuel } from './types.ts';

const MS_PER_H = 3_600_000;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Every instant a cumulative meter's reading must be cut at: price changes, whole hours since
 *  the start, stage changes; sorted, inside the window, each once. */
export function cutsFor(w: Window, stages: readonly StageSpan[], price_cuts: readonly number[]): number[] {
  const hours: number[] = [];
  for (let t = w.from_ms + MS_PER_H; t < w.to_ms; t += MS_PER_H) hours.push(t);
  const stage_starts = stages.map((s) => s.start_ms);
  return [...new Set([...price_cuts, ...hours, ...stage_starts])].filter((t) => t > w.from_ms && t < w.to_ms).sort((a, b) => a - b);
}

export function byHour(segments: readonly ConsumptionSegment[], w: Window): HourFuel[] {
  const n = Math.max(1, Math.ceil((w.to_ms - w.from_ms) / MS_PER_H));
  const kg = new Array<number>(n).fill(0);
  for (const s of segments) {
    const i = Math.min(n - 1, Math.max(0, Math.floor((s.ts_ms - w.from_ms) / MS_PER_H)));
    kg[i]! += s.kg;
  }
  return kg.map((k, i) => ({ from_ms: w.from_ms + i * MS_PER_H, kg: round6(k) }));
}

/** kg per stage span; fuel before the first span (none in practice: the first starts with the firing) is left out. */
export function byStage(segments: readonly ConsumptionSegment[], stages: readonly StageSpan[]): StageFuel[] {
  const out = stages.map((s) => ({ stage: s.stage, from_ms: s.start_ms, to_ms: s.end_ms, kg: 0 }));
  if (!out.length) return [];
  const sorted = [...segments].sort((a, b) => a.ts_ms - b.ts_ms);
  let j = 0;
  for (const s of sorted) {
    while (j + 1 < out.length && s.ts_ms >= out[j + 1]!.from_ms) j++;
    if (s.ts_ms >= out[j]!.from_ms) out[j]!.kg += s.kg;
  }
  return out.map((x) => ({ ...x, kg: round6(x.kg) }));
}

/** The meter as a report carries it: totals, per hour, per stage; no per-interval segments. */
export function summarizeMeter<M extends MeteredFigure>(m: M, w: Window, stages: readonly StageSpan[]): Omit<M, 'segments'> & MeterFigure {
  const { segments, ...rest } = m;
  return { ...rest, by_hour: byHour(segments, w), by_stage: byStage(segments, stages) };
}
