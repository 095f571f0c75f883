// A ring of (ts_ms, value) pairs in one Float64Array, interleaved, oldest first: 16 bytes a pair,
// and no object per pair for the garbage collector to trace or the heap to hold. The live view
// keeps one per kiln for its rate window and each meter kind's checkpoints; with 1,000 kilns, a
// pair as an object cost about 80 bytes (object, two boxed numbers, the array slot). One array,
// not one for times and one for values: a typed array is two objects (the array and its buffer)
// whatever its length. It grows by doubling up to `max` pairs; when full, a push drops the oldest.

export class PairRing {
  /** ts_ms at 2k, value at 2k + 1, for slot k. */
  private xs: Float64Array;
  private cap: number;
  private head = 0;
  private len = 0;

  constructor(private readonly max = Infinity, initial = 16) {
    this.cap = Math.max(1, Math.min(initial, max));
    this.xs = new Float64Array(2 * this.cap);
  }

  get length(): number {
    return this.len;
  }

  /** The k-th pair from the oldest (0) to the newest (length - 1). */
  tsAt(k: number): number {
    return this.xs[2 * ((this.head + k) % this.cap)]!;
  }

  valueAt(k: number): number {
    return this.xs[2 * ((this.head + k) % this.cap) + 1]!;
  }

  /** Add the newest pair; when full, the oldest goes, unless it is the last pair at or before
   *  `pin_ts` (then the one after it goes: the caller still needs the value at pin_ts). */
  push(ts_ms: number, value: number, pin_ts: number | null = null): void {
    if (this.len === this.cap) {
      if (this.len < this.max) this.grow();
      else if (pin_ts !== null && this.len > 1 && this.tsAt(0) <= pin_ts && this.tsAt(1) > pin_ts) this.dropSecond();
      else this.dropOldest();
    }
    const i = 2 * ((this.head + this.len) % this.cap);
    this.xs[i] = ts_ms;
    this.xs[i + 1] = value;
    this.len++;
  }

  /** Replace the newest pair's value (the same instant again). */
  setNewest(value: number): void {
    this.xs[2 * ((this.head + this.len - 1) % this.cap) + 1] = value;
  }

  dropOldest(): void {
    this.head = (this.head + 1) % this.cap;
    this.len--;
  }

  dropNewest(): void {
    if (this.len > 0) this.len--;
  }

  /** Drop the second oldest pair, keeping the oldest (moved into its slot). */
  private dropSecond(): void {
    const i1 = (this.head + 1) % this.cap;
    this.xs[2 * i1] = this.xs[2 * this.head]!;
    this.xs[2 * i1 + 1] = this.xs[2 * this.head + 1]!;
    this.head = i1;
    this.len--;
  }

  /** The index of the last pair with ts <= ts_ms (pairs in time order), or -1. */
  lastAtOrBefore(ts_ms: number): number {
    if (this.len === 0 || this.tsAt(0) > ts_ms) return -1;
    let lo = 0;
    let hi = this.len - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.tsAt(mid) <= ts_ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private grow(): void {
    const cap = Math.min(this.max, this.cap * 2);
    const xs = new Float64Array(2 * cap);
    for (let k = 0; k < this.len; k++) {
      xs[2 * k] = this.tsAt(k);
      xs[2 * k + 1] = this.valueAt(k);
    }
    this.xs = xs;
    this.cap = cap;
    this.head = 0;
  }
}
