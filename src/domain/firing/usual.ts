// A kiln's usual firing of a schedule: the kiln page draws it under the running firing, and the
// overview card compares the gas so far with its fuel. One rule for both: among the kiln's
// previous firings of the same schedule (by the controller's schedule name; a kiln without a
// controller has none, and then its firings without one count) whose gas is final and that ran
// their course, the newest USUAL_FIRINGS, the one whose fuel is the median (the lower of the
// middle two for an even count: a real firing, whose curve can be drawn). The median, not the
// mean: one refired or leaking firing does not move it. None: null with the reason, never a
// made-up figure.

export interface IndexedGas {
  readonly id: string;
  readonly start_ms: number;
  /** Why it ended (null: not said, as for an old record); 'aborted' and the like do not count. */
  readonly reason: string | null;
  /** 'firing' while the gas is on: its fuel is not final yet. */
  readonly status?: string;
  readonly schedule_name: string | null;
  readonly fuel_kg: number | null;
}

export interface UsualGas { readonly fuel_kg: number | null; readonly of_n: number; readonly reason: string }

/** How many of the newest firings count. */
export const USUAL_FIRINGS = 10;

const RAN_ITS_COURSE = new Set([null, 'complete', 'refired']);

export function pickUsual<T extends IndexedGas>(firings: readonly T[], schedule_name: string | null, exclude_id: string | null): { firing: T; of_n: number } | null {
  const done = firings
    .filter((f) => f.id !== exclude_id && f.status !== 'firing' && RAN_ITS_COURSE.has(f.reason) && (f.schedule_name ?? null) === schedule_name
      && f.fuel_kg !== null && Number.isFinite(f.fuel_kg) && f.fuel_kg >= 0)
    .sort((a, b) => b.start_ms - a.start_ms).slice(0, USUAL_FIRINGS)
    .sort((a, b) => a.fuel_kg! - b.fuel_kg!);
  const firing = done[Math.floor((done.length - 1) / 2)];
  return firing ? { firing, of_n: done.length } : null;
}

/** "None yet" answers by schedule: the overview asks for every running firing and keeps the
 *  answers minutes, and most kilns of a new fleet have none, so one frozen answer (and its reason)
 *  serves every kiln firing that schedule, not one each (~150 bytes a kiln). Bounded. */
const NONE = new Map<string | null, UsualGas>();
const NONE_KEPT = 1024;

/** The usual firing's fuel, for "gas so far against the usual firing". */
export function usualGas(firings: readonly IndexedGas[], schedule_name: string | null, exclude_id: string | null): UsualGas {
  const what = schedule_name === null ? 'without a schedule' : `of schedule "${schedule_name}"`;
  const u = pickUsual(firings, schedule_name, exclude_id);
  if (!u) {
    const known = NONE.get(schedule_name);
    if (known) return known;
    const none: UsualGas = Object.freeze({ fuel_kg: null, of_n: 0, reason: `no earlier finished firing ${what} in the firing index` });
    if (NONE.size < NONE_KEPT) NONE.set(schedule_name, none);
    return none;
  }
  return { fuel_kg: u.firing.fuel_kg, of_n: u.of_n, reason: `the median fuel of the last ${u.of_n} finished firing(s) ${what}` };
}
