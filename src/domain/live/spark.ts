// The kiln temperature of the last hours in fixed time buckets, for the overview card's
// sparkline: a fixed-size ring (one float per bucket, the hottest reading of the bucket), so a
// kiln's share of the live view's memory does not grow with its readings.

export interface SparkView {
  readonly bucket_ms: number;
  /** End of the newest bucket (device time); bucket i covers end_ms - (n - i) × bucket_ms onwards. */
  readonly end_ms: number | null;
  /** Oldest first; null: no reading in that bucket. */
  readonly temps_c: readonly (number | null)[];
}

export class SparkRing {
  private readonly max_c: Float32Array;
  /** Bucket number (device time / bucket_ms) of the newest slot; null before the first reading. */
  private head: number | null = null;

  constructor(readonly bucket_ms: number, readonly size: number) {
    this.max_c = new Float32Array(size).fill(Number.NaN);
  }

  push(ts_ms: number, temp_c: number): void {
    const b = Math.floor(ts_ms / this.bucket_ms);
    if (this.head === null) this.head = b;
    if (b > this.head) {
      // Clear the buckets passed over (at most the whole ring), then move the head.
      for (let i = this.head + 1; i <= Math.min(b, this.head + this.size); i++) this.max_c[i % this.size] = Number.NaN;
      this.head = b;
    }
    if (b <= this.head - this.size) return; // older than the ring reaches
    const slot = b % this.size;
    const cur = this.max_c[slot]!;
    if (Number.isNaN(cur) || temp_c > cur) this.max_c[slot] = temp_c;
  }

  view(): SparkView {
    if (this.head === null) return { bucket_ms: this.bucket_ms, end_ms: null, temps_c: [] };
    const out: (number | null)[] = [];
    for (let b = this.head - this.size + 1; b <= this.head; b++) {
      const v = this.max_c[((b % this.size) + this.size) % this.size]!;
      out.push(Number.isNaN(v) ? null : Math.round(v * 10) / 10);
    }
    return { bucket_ms: this.bucket_ms, end_ms: (this.head + 1) * this.bucket_ms, temps_c: out };
  }
}
