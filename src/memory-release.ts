// After a burst of readings, the memory it took goes back to the system. A burst (a gateway
// sending what it buffered through a network outage, a fleet catching up after a restart) makes
// V8 grow its heap; once it is over the garbage is collected, but the pages stay with the
// process: Node 24 keeps freed heap pages mapped for reuse (after a 1.2-million-reading burst,
// RSS stayed at its peak, ~195 MB against ~117 MB idle, for minutes), and on Node 20 the heap
// shrinks only when V8's memory reducer happens to run (it did after one burst and not after
// another). So once the intake has fallen to a tenth of its peak for quiet_s and the spool is
// drained, one full collection that gives the free pages back is asked of V8
// (docs/benchmarks.md, "Memory under bursts").
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from './ports.ts';

export interface BurstEndOptions {
  /** Every second of this long must be quiet before the burst counts as over. */
  readonly quiet_s: number;
  /** Quiet: under the peak rate divided by this. */
  readonly fall_ratio: number;
  /** A peak under this many readings a second is no burst (a small workshop's pace). */
  readonly min_peak_readings_s: number;
  /** At most one release this often. */
  readonly min_interval_s: number;
}

export const DEFAULT_BURST_END: BurstEndOptions = { quiet_s: 20, fall_ratio: 10, min_peak_readings_s: 2_000, min_interval_s: 600 };

/** Decides from the count of readings accepted, sampled about once a second, when a burst is over. */
export class BurstEnd {
  private last: { t_ms: number; total: number } | null = null;
  /** The highest rate (readings/s) since the last release. */
  private peak_s = 0;
  /** The rates of the last quiet_s samples, oldest first. */
  private readonly recent: number[] = [];
  private released_ms = -Infinity;

  constructor(private readonly o: BurstEndOptions = DEFAULT_BURST_END) {}

  /** The peak of the burst that observe() last said was over. */
  lastPeak_s = 0;

  /** total: readings accepted since start; idle: nothing waits to be written to InfluxDB.
   *  True when a burst has just ended (then not again for min_interval_s). */
  observe(t_ms: number, total: number, idle: boolean): boolean {
    const prev = this.last;
    this.last = { t_ms, total };
    if (!prev || t_ms <= prev.t_ms) return false;
    const rate_s = ((total - prev.total) * 1000) / (t_ms - prev.t_ms);
    this.peak_s = Math.max(this.peak_s, rate_s);
    this.recent.push(rate_s);
    if (this.recent.length > this.o.quiet_s) this.recent.shift();
    if (this.peak_s < this.o.min_peak_readings_s || this.recent.length < this.o.quiet_s) return false;
    const quiet_max_s = Math.max(...this.recent);
    if (quiet_max_s * this.o.fall_ratio > this.peak_s || !idle || t_ms - this.released_ms < this.o.min_interval_s * 1000) return false;
    this.released_ms = t_ms;
    this.lastPeak_s = this.peak_s;
    this.peak_s = quiet_max_s; // the next burst is measured from here
    return true;
  }
}

/** Live data above this (what the last full collection left) is not collected this way: the
 *  pause grows with it (~140 ms for ~90 MB live on Node 24 here), and a service holding that
 *  much is a large fleet, not a burst. */
export const MAX_RELEASE_LIVE_BYTES = 128 * 1024 * 1024;

type Gc = (options?: { type: 'major'; flavor: 'last-resort' }) => void;
let gcFn: Gc | null = null;

/** V8's own full collection, without starting node with --expose-gc: the flag is set for as long
 *  as it takes to fetch the function from a new context, then unset. */
function v8Gc(): Gc {
  if (gcFn) return gcFn;
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (exposed) return (gcFn = exposed);
  setFlagsFromString('--expose-gc');
  try {
    gcFn = runInNewContext('gc') as Gc;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return gcFn;
}

/** Collects the whole heap and gives its free pages back to the system. V8 12 and later (Node 22,
 *  24) keep freed pages unless the collection is a "last resort" one; V8 11 (Node 20) ignores
 *  options here (a call with them collected nothing) and returns the pages after a plain one. */
export function collectAndRelease(): void {
  const gc = v8Gc();
  if (Number(process.versions.v8.split('.')[0]) >= 12) gc({ type: 'major', flavor: 'last-resort' });
  else gc();
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
const AFTER_S = 2;

/** The service's part: fed the ingest's once-a-second samples (RateMeter.onSample), it releases
 *  after a burst. */
export class MemoryRelease {
  private readonly burst: BurstEnd;

  /** idle: the spool is drained; live_bytes: what the last full collection left (null before the first). */
  constructor(private readonly idle: () => boolean, private readonly live_bytes: () => number | null, private readonly log: Logger, o: BurstEndOptions = DEFAULT_BURST_END) {
    this.burst = new BurstEnd(o);
  }

  /** A sample: when, and the readings accepted since start. */
  sample(t_ms: number, accepted: number): void {
    if (this.burst.observe(t_ms, accepted, this.idle())) this.release();
  }

  private release(): void {
    const peak = Math.round(this.burst.lastPeak_s).toLocaleString('en');
    const live = this.live_bytes() ?? 0;
    if (live > MAX_RELEASE_LIVE_BYTES) {
      this.log.info(`memory: a burst of up to ${peak} readings/s is over; with ${mb(live)} MB of live data a collection of everything would hold the service too long, so V8 gives memory back at its own pace`);
      return;
    }
    const before_rss = process.memoryUsage().rss;
    const t0 = performance.now();
    collectAndRelease();
    const ms = performance.now() - t0;
    // Read a moment later: V8 hands some of the freed pages back from a thread of its own.
    setTimeout(() => {
      this.log.info(`memory: a burst of up to ${peak} readings/s is over; the heap was collected (${ms.toFixed(0)} ms) and its free pages given back: RSS ${mb(before_rss)} MB before, ${mb(process.memoryUsage().rss)} MB ${AFTER_S} s after`);
    }, AFTER_S * 1000).unref();
  }
}
