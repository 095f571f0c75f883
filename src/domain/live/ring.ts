// A ring of (ts_ms, value) pairs in one typed array, interleaved, oldest first, and no object per
// pair for the garbage collector to trace or the heap to hold. The live view keeps one per kiln for
// each meter kind's checkpoints; with 1,000 kilns, a pair as an object cost about 80 bytes
// (object, two boxed numbers, the array slot). One array, not one for times and one for values: a
// typed array is two objects (the array and its buffer) whatever its length. It grows by doubling
// up to `max` pairs; when full, a push drops the oldest.
//
// Doubles by default, 16 bytes a pair. Given `units_per_value`, packed: 8 bytes a pair, the time to
// the millisecond and the value to 1 / units_per_value, each as a 32-bit integer counted from a
// base (the fuel checkpoints: to the milligram, where a checkpoint's fuel is known to 30 s of
// burning). Pairs that cannot all be counted from one base (over ~49 days or ~4,294 units apart:
// a firing pinned for weeks) turn the ring back to doubles, losing nothing.

import { countsFrom, INT32_MAX } from '../packed.ts';

export class PairRing {
  /** ts_ms - base_ms at 2k, the value (in units, less base_units, when packed) at 2k + 1, for slot k. */
  private xs: Float64Array | Int32Array;
  private cap: number;
  private head = 0;
  private len = 0;
  private base_ms = 0;
  private base_units = 0;
  /** 1 in doubles: (0 + x) / 1 is x exactly, so one way of reading serves both. */
  private per_unit = 1;

  constructor(private readonly max = Infinity, initial = 16, units_per_value: number | null = null) {
    this.cap = Math.max(1, Math.min(initial, max));
    this.xs = units_per_value === null ? new Float64Array(2 * this.cap) : new Int32Array(2 * this.cap);
    if (units_per_value !== null) this.per_unit = units_per_value;
  }

  get length(): number {
    return this.len;
  }

  /** The k-th pair from the oldest (0) to the newest (length - 1). */
  tsAt(k: number): number {
    return this.base_ms + this.xs[2 * ((this.head + k) % this.cap)]!;
  }

  valueAt(k: number): number {
    return (this.base_units + this.xs[2 * ((this.head + k) % this.cap) + 1]!) / this.per_unit;
  }

  /** Whether the pairs are packed (8 bytes each) now. */
  get packed(): boolean {
    return this.xs instanceof Int32Array;
  }

  /** Add the newest pair; when full, the oldest goes, unless it is the last pair at or before
   *  `pin_ts` (then the one after it goes: the caller still needs the value at pin_ts). */
  push(ts_ms: number, value: number, pin_ts: number | null = null): void {
    if (this.len === this.cap) {
      if (this.len < this.max) this.grow();
      else if (pin_ts !== null && this.len > 1 && this.tsAt(0) <= pin_ts && this.tsAt(1) > pin_ts) this.dropSecond();
      else this.dropOldest();
    }
    if (this.packed) {
      ts_ms = Math.round(ts_ms);
      if (this.len === 0) { this.base_ms = ts_ms; this.base_units = Math.round(value * this.per_unit); }
      if (!this.fits(ts_ms, value) && !this.rebase(ts_ms, value)) this.unpack();
    }
    const i = 2 * ((this.head + this.len) % this.cap);
    this.xs[i] = ts_ms - this.base_ms;
    this.xs[i + 1] = this.unitsOf(value);
    this.len++;
  }

  /** A value as stored: itself in doubles, else in units from the base. */
  private unitsOf(value: number): number {
    return this.packed ? Math.round(value * this.per_unit) - this.base_units : value;
  }

  private fits(ts_ms: number, value: number): boolean {
    return countsFrom(this.base_ms, ts_ms) && countsFrom(this.base_units, Math.round(value * this.per_unit));
  }

  /** Count every pair, and this one, from the middle of their range, if they fit in 32 bits. */
  private rebase(ts_ms: number, value: number): boolean {
    let lo_ms = ts_ms, hi_ms = ts_ms, lo = Math.round(value * this.per_unit), hi = lo;
    for (let k = 0; k < this.len; k++) {
      const t = this.tsAt(k), u = this.base_units + this.xs[2 * ((this.head + k) % this.cap) + 1]!;
      lo_ms = Math.min(lo_ms, t); hi_ms = Math.max(hi_ms, t); lo = Math.min(lo, u); hi = Math.max(hi, u);
    }
    if (hi_ms - lo_ms > 2 * INT32_MAX || hi - lo > 2 * INT32_MAX) return false;
    const base_ms = Math.floor((lo_ms + hi_ms) / 2), base_units = Math.floor((lo + hi) / 2);
    for (let k = 0; k < this.len; k++) {
      const i = 2 * ((this.head + k) % this.cap);
      this.xs[i] = this.base_ms + this.xs[i]! - base_ms;
      this.xs[i + 1] = this.base_units + this.xs[i + 1]! - base_units;
    }
    this.base_ms = base_ms;
    this.base_units = base_units;
    return true;
  }

  /** Back to doubles, the same pairs. */
  private unpack(): void {
    const xs = new Float64Array(this.xs.length);
    for (let k = 0; k < this.len; k++) {
      const i = 2 * ((this.head + k) % this.cap);
      xs[i] = this.tsAt(k);
      xs[i + 1] = this.valueAt(k);
    }
    this.xs = xs;
    this.base_ms = 0;
    this.base_units = 0;
    this.per_unit = 1;
  }

  dropOldest(): void {
    this.head = (this.head + 1) % this.cap;
    this.len--;
  }

  /** Keep at most n pairs (n >= 1), the newest, and the last pair at or before `pin_ts` as push()
   *  keeps it; with storage for about that many: a ring grown for more gives its room back. */
  trimTo(n: number, pin_ts: number | null = null): void {
    while (this.len > n) {
      if (pin_ts !== null && this.len > 1 && this.tsAt(0) <= pin_ts && this.tsAt(1) > pin_ts) this.dropSecond();
      else this.dropOldest();
    }
    if (this.cap > 2 * (n + 1)) this.resize(n + 1);
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
    this.resize(Math.min(this.max, this.cap * 2));
  }

  /** The same pairs, oldest at slot 0, in storage for cap (>= length) pairs. */
  private resize(cap: number): void {
    const xs = this.packed ? new Int32Array(2 * cap) : new Float64Array(2 * cap);
    for (let k = 0; k < this.len; k++) {
      const i = 2 * ((this.head + k) % this.cap);
      xs[2 * k] = this.xs[i]!;
      xs[2 * k + 1] = this.xs[i + 1]!;
    }
    this.xs = xs;
    this.cap = cap;
    this.head = 0;
  }
}
