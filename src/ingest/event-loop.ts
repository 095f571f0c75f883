// How long the event loop was held: perf_hooks' delay histogram (a timer every resolution_ms
// notes how late it ran). A long fold shows here as max_ms; while the loop is held the embedded
// broker, HTTP and the spool all wait, so this is the service's own deafness figure.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopSnapshot {
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  readonly mean_ms: number;
  /** Delays sampled since the last reset (or start). */
  readonly samples: number;
  readonly since_ms: number;
}

const NS_PER_MS = 1e6;
const ms = (ns: number): number => Math.round((ns / NS_PER_MS) * 10) / 10;

export class EventLoopMonitor {
  private readonly h: IntervalHistogram;
  private since_ms = Date.now();

  constructor(resolution_ms = 10) {
    this.h = monitorEventLoopDelay({ resolution: resolution_ms });
  }

  start(): void {
    this.h.enable();
  }

  stop(): void {
    this.h.disable();
  }

  snapshot(): EventLoopSnapshot {
    const n = this.h.count;
    return {
      p50_ms: n ? ms(this.h.percentile(50)) : 0, p99_ms: n ? ms(this.h.percentile(99)) : 0, max_ms: n ? ms(this.h.max) : 0,
      mean_ms: n ? ms(this.h.mean) : 0, samples: n, since_ms: this.since_ms,
    };
  }

  reset(): void {
    this.h.reset();
    this.since_ms = Date.now();
  }
}
