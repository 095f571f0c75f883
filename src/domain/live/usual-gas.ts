// The gas a kiln usually burns in a firing of a schedule, for the overview card's "gas so far
// against the usual firing": the median total fuel of its last complete firings of the same
// schedule (by the controller's schedule name; a kiln without a controller has none, and then its
// firings without one count). The median, not the mean: one refired or leaking firing does not
// move it. Null with the reason when there is none: never a made-up figure.

export interface IndexedGas {
  readonly id: string;
  readonly start_ms: number;
  readonly reason: string | null;
  readonly schedule_name: string | null;
  readonly fuel_kg: number | null;
}

export interface UsualGas { readonly fuel_kg: number | null; readonly of_n: number; readonly reason: string }

/** How many of the newest firings count (as the kiln page's usual firing). */
export const USUAL_GAS_FIRINGS = 10;

export function usualGas(firings: readonly IndexedGas[], schedule_name: string | null, exclude_id: string | null): UsualGas {
  const kg = firings
    .filter((f) => f.id !== exclude_id && f.reason === 'complete' && f.schedule_name === schedule_name && f.fuel_kg !== null && Number.isFinite(f.fuel_kg) && f.fuel_kg >= 0)
    .sort((a, b) => b.start_ms - a.start_ms).slice(0, USUAL_GAS_FIRINGS)
    .map((f) => f.fuel_kg!).sort((a, b) => a - b);
  const what = schedule_name === null ? 'without a schedule' : `of schedule "${schedule_name}"`;
  if (kg.length === 0) return { fuel_kg: null, of_n: 0, reason: `no earlier complete firing ${what} in the firing index` };
  const mid = Math.floor(kg.length / 2);
  const median = kg.length % 2 ? kg[mid]! : (kg[mid - 1]! + kg[mid]!) / 2;
  return { fuel_kg: median, of_n: kg.length, reason: `median total fuel of the last ${kg.length} complete firing(s) ${what}` };
}
