// Rate of rise over a sliding window: the kiln temperature (hottest fresh zone) once per device
// instant, oldest dropped as the window slides. O(1) amortised per push, in a typed ring (ring.ts)
// rather than an object per instant, so a fleet's windows take little heap and make no garbage.
import { PairRing } from './ring.ts';

export class RateWindow {
  private readonly xs = new PairRing();

  /** window_s: the span measured over; min_span_s: no rate until the window holds this much. */
  constructor(private readonly window_s = 600, private readonly min_span_s = 60) {}

  /** Add a reading; an older one than the newest is ignored (out of order), the same instant replaces. */
  push(ts_ms: number, temp_c: number): void {
    const xs = this.xs;
    if (xs.length > 0) {
      const last_ms = xs.tsAt(xs.length - 1);
      if (ts_ms < last_ms) return;
      if (ts_ms === last_ms) {
        xs.setNewest(temp_c);
        return;
      }
    }
    xs.push(ts_ms, temp_c);
    // Keep one point at or before the window's start (the anchor), drop the rest.
    while (xs.length > 1 && xs.tsAt(1) <= ts_ms - this.window_s * 1000) xs.dropOldest();
  }

  /** °C/h from the oldest kept point to the newest; null until min_span_s of readings. */
  rateCH(): number | null {
    const n = this.xs.length;
    if (n === 0) return null;
    const a_ms = this.xs.tsAt(0), b_ms = this.xs.tsAt(n - 1);
    if (b_ms - a_ms < this.min_span_s * 1000) return null;
    return ((this.xs.valueAt(n - 1) - this.xs.valueAt(0)) * 3_600_000) / (b_ms - a_ms);
  }

  size(): number {
    return this.xs.length;
  }
}
