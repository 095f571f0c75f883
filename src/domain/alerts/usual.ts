// The kiln's usual firing (over_usual), from the firings the firing index kept: the engine learns
// it from the firings it sees end, in memory, so without this a restart forgot it and over_usual
// stayed mute until usual_min_firings more firings had ended. Same definitions as the engine's
// (engine.ts track()): complete firings only; duration = start → the cooling stage (the heating
// time); fuel = the report's fuel (the best meter, analytics.md), where the engine integrates the
// flow meter: they agree within the report's 1 % on the simulator's firings.
import type { FiringRecord } from '../firing/fold.ts';
import type { UsualFiring } from './engine.ts';

/** At most this many, newest last: the engine keeps as many. */
export const USUAL_KEPT = 10;

export function usualFromIndexed(firings: readonly { readonly record: FiringRecord; readonly fuel_kg: number | null }[]): UsualFiring[] {
  const out: { start_ms: number; u: UsualFiring }[] = [];
  for (const { record: r, fuel_kg } of firings) {
    if (r.reason !== 'complete' || r.end_ms === null || fuel_kg === null || !Number.isFinite(fuel_kg) || fuel_kg < 0) continue;
    const heat_end_ms = r.stages.find((s) => s.stage === 'cooling')?.start_ms ?? r.end_ms;
    out.push({ start_ms: r.start_ms, u: { fuel_kg, duration_h: (heat_end_ms - r.start_ms) / 3_600_000 } });
  }
  return out.sort((a, b) => a.start_ms - b.start_ms).slice(-USUAL_KEPT).map((x) => x.u);
}
