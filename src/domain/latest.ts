// The newest reading of each of a kiln's channels (its zones, its gas meters) and when it came: the
// tracker and the alert engine each keep one table of zones and one of flows.
//
// Flat, for a fleet's sake: channel i is names[i] (shared by every kiln wired alike: names.ts), its
// time (ms) is vals[2i] and its value vals[2i + 1]. Kept as a record of {value, ts_ms} objects, a
// kiln's four zones were 5 objects and ~340 bytes in a heap snapshot of 10,000 kilns, and each
// holder kept two such tables; flat, a table is 3 objects of its own (the names are shared), and
// a fleet kiln holds ~370 bytes less for its four (npm run bench:kiln-memory; docs/benchmarks.md).
// A table is never written to once made: an update makes a new one, so a state that holds one
// stays as it was.
import { sharedNames } from './names.ts';

export interface Latest {
  readonly names: readonly string[];
  /** Channel i's time (ms), then its value, after channel i - 1's. */
  readonly vals: readonly number[];
}

export const NO_LATEST: Latest = Object.freeze({ names: Object.freeze([]), vals: Object.freeze([]) });

/** Where a channel is in the table, or -1. */
export const channelIndex = (t: Latest, name: string): number => t.names.indexOf(name);
/** Channel i's time (ms). */
export const tsAt = (t: Latest, i: number): number => t.vals[2 * i]!;
/** Channel i's value. */
export const valueAt = (t: Latest, i: number): number => t.vals[2 * i + 1]!;

/** When a channel's newest reading came, or undefined (no object made: the tracker asks per reading). */
export function tsOf(t: Latest, name: string): number | undefined {
  const i = channelIndex(t, name);
  return i < 0 ? undefined : tsAt(t, i);
}

/** A channel's newest reading, or undefined (for readers and tests; the hot paths use channelIndex). */
export function latestOf(t: Latest, name: string): { value: number; ts_ms: number } | undefined {
  const i = channelIndex(t, name);
  return i < 0 ? undefined : { value: valueAt(t, i), ts_ms: tsAt(t, i) };
}

/** The table with these channels' readings at ts_ms (the others as they were); t itself when
 *  there are none. */
export function mergeLatest(t: Latest, values: Readonly<Record<string, number>>, ts_ms: number): Latest {
  let vals: number[] | null = null;
  let added: string[] | null = null;
  for (const name in values) {
    const v = values[name]!;
    const i = channelIndex(t, name);
    if (i < 0) {
      (added ??= []).push(name);
      continue;
    }
    vals ??= t.vals.slice();
    vals[2 * i] = ts_ms;
    vals[2 * i + 1] = v;
  }
  if (added === null) return vals === null ? t : { names: t.names, vals };
  // A new channel (rare: a kiln's first messages, a zone wired later): the names in the order a
  // record of them iterates (integer-like names first, ascending, then the others as first heard),
  // the order these tables had as records, so every loop over them visits channels as before.
  const order: Record<string, number> = Object.create(null) as Record<string, number>;
  t.names.forEach((name, i) => { order[name] = i; });
  for (const name of added) order[name] = -1;
  const names = Object.keys(order);
  const had = vals ?? t.vals;
  const next: number[] = [];
  for (const name of names) {
    const i = order[name]!;
    if (i < 0) next.push(ts_ms, values[name]!);
    else next.push(had[2 * i]!, had[2 * i + 1]!);
  }
  // slice(): exactly the length needed (appended.ts), where a pushed array keeps room to grow.
  return { names: sharedNames(names), vals: next.slice() };
}

/** The table with one channel's reading. */
export function withLatest(t: Latest, name: string, value: number, ts_ms: number): Latest {
  return mergeLatest(t, { [name]: value }, ts_ms);
}

/** The table as {value, ts_ms} records, in its channels' order (for tests and a reader). */
export function recordOfLatest(t: Latest): Record<string, { value: number; ts_ms: number }> {
  const out: Record<string, { value: number; ts_ms: number }> = {};
  t.names.forEach((name, i) => { out[name] = { value: valueAt(t, i), ts_ms: tsAt(t, i) }; });
  return out;
}

/** A table from {value, ts_ms} records (a checkpoint saved before tables were flat). */
export function latestOfRecord(r: Readonly<Record<string, { readonly value: number; readonly ts_ms: number }>>): Latest {
  const names = Object.keys(r);
  if (names.length === 0) return NO_LATEST;
  return { names: sharedNames(names), vals: names.flatMap((n) => [r[n]!.ts_ms, r[n]!.value]) };
}

/** A saved table in today's shape (arrays), not a record of objects. A record's values are never
 *  arrays, so a zone named "names" or "vals" cannot be taken for one. */
export function isFlatLatest(x: unknown): x is Latest {
  return typeof x === 'object' && x !== null && Array.isArray((x as Latest).names) && Array.isArray((x as Latest).vals);
}
