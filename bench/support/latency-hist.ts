// Publish → SSE latencies of a long run, folded into fixed 1 ms buckets (bounded memory whatever
// the run's length: 600,000 events at 1,000 kilns × 10 min) with exact min, max and count.
// Percentiles are nearest-rank, read as the bucket's upper edge (so never under the true value
// by more than 1 ms, never over it by more than 1 ms).

export class LatencyHistogram {
  private readonly buckets: Uint32Array;
  private over = 0;
  count = 0;
  min_ms = Infinity;
  max_ms = -Infinity;
  sum_ms = 0;

  /** limit_ms: the last bucket's edge; slower values are counted above it (percentiles there read as max_ms). */
  constructor(private readonly limit_ms = 120_000) {
    this.buckets = new Uint32Array(limit_ms);
  }

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.count++;
    this.sum_ms += ms;
    if (ms < this.min_ms) this.min_ms = ms;
    if (ms > this.max_ms) this.max_ms = ms;
    // A reading stamped a hair after its receipt (clock granularity) counts in the first bucket.
    const i = Math.max(0, Math.ceil(ms) - 1);
    if (i >= this.limit_ms) this.over++;
    else this.buckets[i]!++;
  }

  /** p in 0..100; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.min(this.count, Math.max(1, Math.ceil((p / 100) * this.count)));
    let seen = 0;
    for (let i = 0; i < this.limit_ms; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min(i + 1, this.max_ms);
    }
    return this.max_ms; // in the overflow
  }

  mean(): number {
    return this.count ? this.sum_ms / this.count : NaN;
  }
}
