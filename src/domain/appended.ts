// A kiln's short lists (the rate history, the climb, the reorder window) are held for seconds to
// hours, one set per kiln. A spread `[...list, item]` leaves room for more behind the items: 328
// bytes for twelve objects where 152 hold them (node --expose-gc, 100,000 lists; 10,000 kilns hold
// several such lists each). slice() copies at the exact length; the spread it copies dies young.
// (concat is exact too but ~6x slower: 1.2 % of the service's busy time at full pace, profiled.)

/** A new list: `list` followed by `item` (never written to: the caller's list is left as it was). */
export function appended<T>(list: readonly T[], item: T): readonly T[] {
  return [...list, item].slice();
}
