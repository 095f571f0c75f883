// Moves spooled readings to InfluxDB in batches. While one batch is being written the next
// one grows, so batches are small when traffic is light (low latency) and large under load.
import { WriteError, type Logger, type PointWriter } from '../ports.ts';
import type { Spool } from './spool.ts';
import type { IngestStats } from './stats.ts';

const IDLE_WAIT_MS = 1000;
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5000;

export class Drainer {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  db_ok = true;
  last_error: string | undefined;

  constructor(
    private readonly spool: Spool,
    private readonly writer: PointWriter,
    private readonly stats: IngestStats,
    private readonly batch_max_readings: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** New data was spooled. */
  notify(): void {
    this.wake?.();
  }

  /** Stop, after writing what is spooled if InfluxDB takes it within deadline_ms (retrying
   *  meanwhile even if it was failing). What is left stays spooled for the next start. */
  async stop(deadline_ms: number): Promise<void> {
    const until = Date.now() + deadline_ms;
    while (this.spool.pendingBytes() > 0 && Date.now() < until) {
      this.notify(); // cut a backoff short: try now
      await sleep(50);
    }
    if (this.spool.pendingBytes() > 0) this.log.warn(`InfluxDB did not take everything in time: ${this.spool.pendingBytes()} bytes stay spooled and are written at the next start`);
    this.running = false;
    this.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff_ms = BACKOFF_FIRST_MS;
    while (this.running) {
      const batch = this.spool.read(this.batch_max_readings);
      if (batch.lines === 0) {
        await this.idle(IDLE_WAIT_MS);
        continue;
      }
      const n = batch.lines;
      const t0 = performance.now();
      try {
        await this.writer.write(batch.data, n);
        this.spool.commit(batch.end);
        this.stats.recordWrite((performance.now() - t0) / 1000, n);
        if (!this.db_ok) this.log.info(`InfluxDB is back: writing ${this.spool.pendingBytes()} spooled bytes`);
        this.db_ok = true;
        this.last_error = undefined;
        backoff_ms = BACKOFF_FIRST_MS;
      } catch (err) {
        this.stats.write_errors++;
        const e = err instanceof WriteError ? err : new WriteError(String(err), true);
        if (!e.can_retry) {
          // InfluxDB kept the good lines of the batch and refused the rest: count them, move on.
          const dropped = Math.min(e.dropped_readings ?? n, n);
          this.stats.readings_rejected.set('db_rejected', (this.stats.readings_rejected.get('db_rejected') ?? 0) + dropped);
          this.stats.readings_stored += n - dropped;
          this.spool.commit(batch.end);
          this.log.warn(`InfluxDB refused ${dropped} of ${n} readings: ${e.message.slice(0, 300)}`);
          continue;
        }
        if (this.db_ok) this.log.warn(`InfluxDB write failed, readings stay spooled and are retried: ${e.message.slice(0, 200)}`);
        this.db_ok = false;
        this.last_error = e.message;
        await this.idle(backoff_ms);
        backoff_ms = Math.min(backoff_ms * 2, BACKOFF_MAX_MS);
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
