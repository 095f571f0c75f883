// Drops raw readings older than READINGS_RAW_DAYS, keeping their one-minute aggregates
// (docs/retention.md). Every interval, for each kiln (in a cluster: each kiln this instance owns):
//   1. wait until the spool has written everything acknowledged before the pass: a reading
//      acknowledged later is younger than the cut (INGEST_MAX_PAST_DAYS < READINGS_RAW_DAYS), so
//      no reading can arrive into a range after it was dropped;
//   2. from the kiln's oldest raw reading up to the cut, an hour at a time: aggregate the raw
//      readings (domain/retention/minutes.ts) and write the aggregates; a minute aggregated before
//      (an earlier pass that stopped half-way) is aggregated again, so a reading that arrived late
//      since is in it, unless the raw readings now hold fewer readings than it did;
//   3. a day at a time: move the kiln's dropped_before instant (readers take aggregates before it),
//      then DELETE the raw readings (events are kept).
// Aggregating only just before dropping is what keeps late readings: a continuous query in
// InfluxDB 1.x aggregates each interval once, soon after it ends, and misses what arrives later.
import type { Logger } from '../ports.ts';
import { PeriodicPass } from '../periodic-pass.ts';
import { aggregateKey, aggregateMinutes, fuller, minuteOf, rawCutMs, READING_MEASUREMENTS, type MinuteAggregate } from '../domain/retention/minutes.ts';
import type { AggregateStore, KilnRef } from '../adapters/influx/aggregates.ts';
import type { ReadingsReader } from '../adapters/influx/readings.ts';
import type { SpoolPosition } from '../firings/indexer.ts';

const H = 3_600_000;
const DAY = 24 * H;

export interface DownsamplerOptions {
  readonly aggs: AggregateStore;
  readonly raw: ReadingsReader;
  readonly spool: SpoolPosition;
  /** Raw readings are kept this many days; 0: for ever (the downsampler does nothing). */
  readonly raw_days: number;
  readonly interval_ms: number;
  readonly log: Logger;
  readonly now?: () => number;
}

export class Downsampler {
  private readonly passes: PeriodicPass;
  private readonly now: () => number;
  /** Several instances: each kiln is downsampled by its owner only. */
  owns: ((key: string) => boolean) | null = null;
  readonly stats = { passes: 0, minutes_written: 0, days_dropped: 0, errors: 0, last_error: null as string | null };

  constructor(private readonly o: DownsamplerOptions) {
    this.now = o.now ?? Date.now;
    this.passes = new PeriodicPass(() => this.passOnce(), o.interval_ms);
  }

  start(): void {
    if (this.o.raw_days > 0) this.passes.start(Math.min(this.o.interval_ms, 60_000));
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  private get stopped(): boolean {
    return this.passes.stopped();
  }

  /** One pass (passes never overlap; tests call it). */
  pass(): Promise<void> {
    return this.passes.run();
  }

  private async passOnce(): Promise<void> {
    const cut = rawCutMs(this.now(), this.o.raw_days);
    if (cut === null) return;
    const pos = this.o.spool.appendedPosition();
    const wait_until = this.now() + 30_000;
    while (!this.o.spool.isStored(pos)) {
      if (this.stopped || this.now() > wait_until) return; // InfluxDB behind or down: the next pass
      await new Promise((r) => setTimeout(r, 200));
    }
    try {
      await this.o.aggs.ensure();
      for (const k of await this.o.aggs.kilns()) {
        if (this.stopped) return;
        if (this.owns && !this.owns(`${k.workshop}/${k.kiln}`)) continue;
        await this.dropBefore(k, cut);
      }
      this.stats.passes++;
    } catch (err) {
      this.stats.errors++;
      this.stats.last_error = (err as Error).message;
      if (this.stats.errors === 1 || this.stats.errors % 100 === 0) this.o.log.warn(`downsampler: ${this.stats.last_error} (will retry; errors so far: ${this.stats.errors})`);
    }
  }

  /** Aggregate and drop a kiln's raw readings before cut_ms, a day at a time. */
  async dropBefore(k: KilnRef, cut_ms: number): Promise<void> {
    let dropped_to = -Infinity;
    for (;;) {
      const oldest = await this.o.aggs.oldestRaw(k);
      if (oldest === null || oldest >= cut_ms || this.stopped) return;
      if (oldest < dropped_to) throw new Error(`${k.workshop}/${k.kiln}: raw readings before ${new Date(dropped_to).toISOString()} are still there after DELETE`);
      const from_ms = minuteOf(oldest);
      const to_ms = Math.min(cut_ms, from_ms + DAY);
      await this.aggregate(k, from_ms, to_ms);
      const before = (await this.o.aggs.droppedBefore(k)) ?? -Infinity;
      if (to_ms > before) await this.o.aggs.setDroppedBefore(k, to_ms); // readers take aggregates there first
      await this.o.aggs.dropRaw(k, from_ms, to_ms);
      dropped_to = to_ms;
      this.stats.days_dropped++;
    }
  }

  /** Aggregate a kiln's raw readings in [from_ms, to_ms) (whole minutes) an hour at a time; returns the minutes written. */
  async aggregate(k: KilnRef, from_ms: number, to_ms: number): Promise<number> {
    let written = 0;
    for (let t = from_ms; t < to_ms; t += H) {
      const end = Math.min(t + H, to_ms);
      const raw = await this.o.raw.read({ ...k, from_ms: t, to_ms: end, measurements: READING_MEASUREMENTS });
      if (raw.length === 0) continue;
      const stored = new Map((await this.o.aggs.read(k, t, end)).map((a) => [aggregateKey(a), a] as const));
      const keep = aggregateMinutes(raw).filter((a): a is MinuteAggregate => fuller(stored.get(aggregateKey(a)), a) !== null);
      await this.o.aggs.write(keep);
      written += keep.length;
    }
    this.stats.minutes_written += written;
    return written;
  }
}
