// Lists of names that many kilns hold alike: a kiln's zone names, the keys of its reorder window,
// its raw channels. Kilns wired alike (the same zones and meters, as a workshop's kilns usually
// are) then share one frozen array and its strings, not an array and a string a name each, made
// from each kiln's own messages (at 10,000 kilns, ~100 to ~330 bytes a kiln a list, heap
// snapshots of `npm run bench:fleet`: docs/benchmarks.md).
//
// A caller passes the list it holds now (`like`): while its names stay the same that list is
// returned as it is, with no lookup, so a join and a lookup come only when a kiln's wiring
// changes. Bounded: past LISTS_KEPT layouts a new list is the caller's own, frozen too.

const LISTS = new Map<string, readonly string[]>();
const LISTS_KEPT = 4096;

/** `like` when it holds these names in this order, else the shared, frozen list of them. Names
 *  hold no NUL (they are channel and zone ids: docs/mqtt.md). */
export function sharedNames(names: readonly string[], like?: readonly string[]): readonly string[] {
  if (like && sameNames(names, like)) return like;
  const id = names.join('\u0000');
  const known = LISTS.get(id);
  if (known) return known;
  const own = Object.freeze(names.slice()); // slice(): exact length, not a grown array's room
  if (LISTS.size < LISTS_KEPT) LISTS.set(id, own);
  return own;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
