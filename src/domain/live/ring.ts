// A ring of (ts_ms, value) pairs in two Float64Arrays, oldest first: 16 bytes a pair, and no
// object per pair for the garbage collector to trace or the heap to hold. The live view keeps one
// per kiln for its rate window and each meter kind's checkpoints; with 1,000 kilns, a pair as an
// object cost about 80 bytes (object, two boxed numbers, the array slot). It grows by doubling up
// to `max` pairs; when full, a push drops the oldest.

export class PairRing {
  private ts: Float64Array;
  private vs: Float64Array;
  private head = 0;
  private len = 0;

  constructor(private readonly max = Infinity, initial = 16) {
    const cap = Math.max(1, Math.min(initial, max));
    this.ts = new Float64Array(cap);
    this.vs = new Float64Array(cap);
  }

  get length(): number {
    return this.len;
  }

  /** The k-th pair from the oldest (0) to the newest (length - 1). */
  tsAt(k: number): number {
    return this.ts[(this.head + k) % this.ts.length]!;
  }

  valueAt(k: number): number {
    return this.vs[(this.head + k) % this.vs.length]!;
  }

  /** Add the newest pair; when full, the oldest goes, unless it is the last pair at or before
   *  `pin_ts` (then the one after it goes: the caller still needs the value at pin_ts). */
  push(ts_ms: number, value: number, pin_ts: number | null = null): void {
    if (this.len === this.ts.length) {
      if (this.len < this.max) this.grow();
      else if (pin_ts !== null && this.len > 1 && this.tsAt(0) <= pin_ts && this.tsAt(1) > pin_ts) this.dropSecond();
      else this.dropOldest();
    }
    const i = (this.head + this.len) % this.ts.length;
    this.ts[i] = ts_ms;
    this.vs[i] = value;
    this.len++;
  }

  /** Replace the newest pair's value (the same instant again). */
  setNewest(value: number): void {
    this.vs[(this.head + this.len - 1) % this.vs.length] = value;
  }

  dropOldest(): void {
    this.head = (this.head + 1) % this.ts.length;
    this.len--;
  }

  dropNewest(): void {
    if (this.len > 0) this.len--;
  }

  /** Drop the second oldest pair, keeping the oldest (moved into its slot). */
  private dropSecond(): void {
    const cap = this.ts.length;
    const i1 = (this.head + 1) % cap;
    this.ts[i1] = this.ts[this.head]!;
    this.vs[i1] = this.vs[this.head]!;
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
    const cap = Math.min(this.max, this.ts.length * 2);
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    for (let k = 0; k < this.len; k++) {
      ts[k] = this.tsAt(k);
      vs[k] = this.valueAt(k);
    }
    this.ts = ts;
    this.vs = vs;
    this.head = 0;
  }
}
