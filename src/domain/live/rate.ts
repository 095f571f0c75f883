// Rate of rise over a sliding window: the kiln temperature (hottest fresh zone) once per device
// instant, oldest dropped as the window slides. Amortised O(1) per push (a head index, compacted
// now and then), so the live path pays the same per reading however long the firing runs.

export interface RatePoint { readonly ts_ms: number; readonly temp_c: number }

export class RateWindow {
  private xs: RatePoint[] = [];
  private head = 0;

  /** window_s: the span measured over; min_span_s: no rate until the window holds this much. */
  constructor(private readonly window_s = 600, private readonly min_span_s = 60) {}

  /** Add a reading; an older one than the newest is ignored (out of order), the same instant replaces. */
  push(ts_ms: number, temp_c: number): void {
    const last = this.xs[this.xs.length - 1];
    if (last && this.xs.length > this.head) {
      if (ts_ms < last.ts_ms) return;
      if (ts_ms === last.ts_ms) {
        this.xs[this.xs.length - 1] = { ts_ms, temp_c };
        return;
      }
    }
    this.xs.push({ ts_ms, temp_c });
    // Keep one point at or before the window's start (the anchor), drop the rest.
    while (this.head + 1 < this.xs.length && this.xs[this.head + 1]!.ts_ms <= ts_ms - this.window_s * 1000) this.head++;
    if (this.head > 64 && this.head * 2 > this.xs.length) {
      this.xs = this.xs.slice(this.head);
      this.head = 0;
    }
  }

  /** °C/h from the oldest kept point to the newest; null until min_span_s of readings. */
  rateCH(): number | null {
    const a = this.xs[this.head];
    const b = this.xs[this.xs.length - 1];
    if (!a || !b || b.ts_ms - a.ts_ms < this.min_span_s * 1000) return null;
    return ((b.temp_c - a.temp_c) * 3_600_000) / (b.ts_ms - a.ts_ms);
  }

  size(): number {
    return this.xs.length - this.head;
  }
}
