// A thinned sliding window with an anchor, as every rate or steadiness measure here keeps one
// (the firing tracker's heating rate, the alert engine's per-zone rate, the device-clock check):
// an item at most every step_ms, and of those older than the window only the newest, so that
// "from the anchor to now" always spans at least the whole window once it has filled.

/** xs oldest first; x is kept if it is step_ms or more after the last kept one. A new array only when something changed. */
export function pushWindowed<T extends { readonly ts_ms: number }>(xs: readonly T[], x: T, step_ms: number, window_ms: number): readonly T[] {
  const last = xs[xs.length - 1];
  const next = !last || x.ts_ms - last.ts_ms >= step_ms ? [...xs, x] : xs;
  let drop = 0;
  while ((next[drop + 1]?.ts_ms ?? Infinity) <= x.ts_ms - window_ms) drop++;
  return drop ? next.slice(drop) : next;
}
