// The alert engine's rate history: each fresh zone's temperature about every rate_window_s / 10,
// oldest first, and one snapshot at or before the window's start (the anchor the rate is read
// from; the others are kept only to become the next anchor).
//
// Flat, for a fleet's sake: snapshot k's zone names are names[k] (the snapshot before's list when
// they are the same, else the one every kiln wired alike shares: names.ts), and its time and its
// zones' temperatures, in that order, follow one another in `vals`. Kept as an object each, a
// kiln's ~11 snapshots were ~38 objects and ~1.4 KB in a heap snapshot of 10,000 kilns; flat they
// are 5 objects and about half the bytes (docs/benchmarks.md). Never written to once made: a push
// makes a new history (once a snapshot, every rate_window_s / 10), so a state that holds one stays
// as it was.
import { sharedNames } from '../names.ts';

export interface ZoneHistory {
  readonly names: readonly (readonly string[])[];
  /** Snapshot k's time, then its temperatures in names[k]'s order, after snapshot k - 1's. */
  readonly vals: readonly number[];
}

export const NO_HISTORY: ZoneHistory = Object.freeze({ names: Object.freeze([]), vals: Object.freeze([]) });

/** Where snapshot k's time is in vals. */
function startOf(h: ZoneHistory, k: number): number {
  let at = 0;
  for (let j = 0; j < k; j++) at += h.names[j]!.length + 1;
  return at;
}

/** Adds the fresh zones' temperatures when the newest snapshot is rate_window_s / 10 old, and drops
 *  the snapshots before the anchor (the last one at or before ts_ms - window_s). */
export function pushHistory(h: ZoneHistory, temps_c: Readonly<Record<string, number>>, ts_ms: number, window_s: number): ZoneHistory {
  const n = h.names.length;
  const add = n === 0 || ts_ms - h.vals[startOf(h, n - 1)]! >= (window_s * 1000) / 10;
  let drop = 0, from = 0;
  for (let next = h.names[0]?.length ?? 0; drop + 1 < n && h.vals[from + next + 1]! <= ts_ms - window_s * 1000; drop++) {
    from += next + 1;
    next = h.names[drop + 1]!.length;
  }
  if (!add && drop === 0) return h;
  let names = h.names.slice(drop), vals = h.vals.slice(from);
  if (add) {
    const zones = sharedNames(Object.keys(temps_c), h.names[n - 1]);
    const row = [ts_ms];
    for (const z of zones) row.push(temps_c[z]!);
    // concat: an array of exactly that length (appended.ts), where a push would leave room to grow.
    names = names.concat([zones]);
    vals = vals.concat(row);
  }
  return { names, vals };
}

/** °C/h from the anchor to now, of the zone rising fastest (or falling slowest) among the zones
 *  read at both ends: a zone that drops out, drifts or fails cannot fake a fall of the kiln, and
 *  the kiln is heating at least as fast as its fastest zone. Null until half a window exists. */
export function rateCH(h: ZoneHistory, temps_c: Readonly<Record<string, number>>, ts_ms: number, window_s: number): number | null {
  const zones = h.names[0];
  if (!zones) return null;
  const first_ms = h.vals[0]!;
  if (ts_ms - first_ms < (window_s * 1000) / 2) return null;
  let max: number | null = null;
  for (const [ch, t] of Object.entries(temps_c)) {
    const i = zones.indexOf(ch);
    if (i < 0) continue;
    const a = h.vals[1 + i]!;
    const r = ((t - a) * 3_600_000) / (ts_ms - first_ms);
    if (max === null || r > max) max = r;
  }
  return max;
}

/** The snapshots as records (for tests and a reader): time and zone → °C, oldest first. */
export function snapshotsOf(h: ZoneHistory): { ts_ms: number; temps_c: Record<string, number> }[] {
  const out: { ts_ms: number; temps_c: Record<string, number> }[] = [];
  for (let k = 0, at = 0; k < h.names.length; at += h.names[k]!.length + 1, k++) {
    const temps_c: Record<string, number> = {};
    h.names[k]!.forEach((z, i) => { temps_c[z] = h.vals[at + 1 + i]!; });
    out.push({ ts_ms: h.vals[at]!, temps_c });
  }
  return out;
}
