// Lists of names that many kilns hold alike: a kiln's zone names, the keys of its reorder window,
// its raw channels. Kilns wired alike (the same zones and meters, as a workshop's kilns usually
// are) then share one frozen array and its strings, not an array and a string a name each, made
// from each kiln's own messages (at 10,000 kilns, ~100 to ~330 bytes a kiln a list, heap
// snapshots of `npm run bench:fleet`: docs/benchmarks.md).
//
// A list is shared only when asked for with names no shared list has; the callers keep the one
// they have while their names stay the same, so a lookup (and its join) comes only when a kiln's
// wiring changes. Bounded: past LISTS_KEPT layouts a new list is the caller's own, frozen too.

const LISTS = new Map<string, readonly string[]>();
const LISTS_KEPT = 4096;

/** The shared, frozen list of these names, in this order. Names hold no NUL (they are channel and
 *  zone ids: docs/mqtt.md). */
export function sharedNames(names: readonly string[]): readonly string[] {
  const id = names.join('\u0000');
  const known = LISTS.get(id);
  if (known) return known;
  const own = Object.freeze(names.slice()); // slice(): exact length, not a grown array's room
  if (LISTS.size < LISTS_KEPT) LISTS.set(id, own);
  return own;
}
