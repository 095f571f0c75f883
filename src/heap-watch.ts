// The service's live data against V8's heap cap (--max-old-space-size on the command line). Each
// kiln's live view and alert engine hold windows that fill over its first hour of readings (a gas
// meter's, the rate's): measured, 21 KB a kiln after 5 min and 53 KB after two hours at one
// reading per 10 s, 32 and 78 KB at 1 Hz (docs/benchmarks.md, npm run bench:kiln-memory). So a
// fleet that starts well under the cap can come near it an hour later; V8 then collects again and
// again, the service falls behind, and at the cap the process dies. This says so before it
// happens: in the log, on GET /api/health (status degraded) and on /metrics.
//
// Measured after each full (mark-compact) collection: what is left then is live data, not garbage
// waiting to be collected, which the heap's size at any other moment mixes in.
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Logger } from './ports.ts';

/** Live data above this share of the cap: warned, and health says degraded. */
export const HEAP_HIGH_PCT = 80;
/** Warned again only after the live data fell this far below HEAP_HIGH_PCT: no warning per collection. */
const REARM_PCT = 10;

export interface HeapSnapshot {
  readonly used_bytes: number;
  /** V8's limit: the old-space cap plus the young generation. */
  readonly limit_bytes: number;
  /** Left after the last full collection; null before the first. */
  readonly live_bytes: number | null;
  readonly live_pct: number | null;
  readonly full_collections: number;
  readonly high: boolean;
}

export class HeapWatch {
  private observer: PerformanceObserver | null = null;
  private live_bytes: number | null = null;
  private full_collections = 0;
  private warned = false;

  constructor(private readonly log: Logger) {}

  start(): void {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.afterFullCollection();
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  /** A full collection just ended (the observer, or a test that ran one): note what it left. */
  afterFullCollection(): void {
    const s = getHeapStatistics();
    this.live_bytes = s.used_heap_size;
    this.full_collections++;
    const pct = (100 * s.used_heap_size) / s.heap_size_limit;
    if (pct >= HEAP_HIGH_PCT && !this.warned) {
      this.warned = true;
      this.log.warn(`memory: the live data takes ${pct.toFixed(0)} % of the heap cap (${mb(s.used_heap_size)} of ${mb(s.heap_size_limit)} MB) after a full collection; `
        + 'the service will spend its time collecting, and stops at the cap. Raise --max-old-space-size (docs/deploy.md gives the size a kiln needs) or spread the kilns over several instances');
    } else if (pct < HEAP_HIGH_PCT - REARM_PCT && this.warned) {
      this.warned = false;
      this.log.info(`memory: the live data is back to ${pct.toFixed(0)} % of the heap cap (${mb(s.used_heap_size)} of ${mb(s.heap_size_limit)} MB)`);
    }
  }

  snapshot(): HeapSnapshot {
    const s = getHeapStatistics();
    const live_pct = this.live_bytes === null ? null : Math.round((1000 * this.live_bytes) / s.heap_size_limit) / 10;
    return {
      used_bytes: s.used_heap_size, limit_bytes: s.heap_size_limit, live_bytes: this.live_bytes, live_pct,
      full_collections: this.full_collections, high: live_pct !== null && live_pct >= HEAP_HIGH_PCT,
    };
  }
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
