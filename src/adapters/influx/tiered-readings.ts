// A kiln's stored readings from both tiers (docs/retention.md): before the kiln's dropped_before
// instant, raw readings where a series still has them in a minute and that minute rebuilt from its
// one-minute aggregate otherwise (mergeTiers); after it, raw readings only, page by page as
// ReadingsReader gives them. A kiln whose raw readings were never dropped costs one small query
// more, unless the range is all within RECENT_MS: those readings are raw, for every kiln.
import type { Point } from '../../domain/point.ts';
import { mergeTiers, minuteOf, READING_MEASUREMENTS, type ReadingMeasurement, type Resolution } from '../../domain/retention/minutes.ts';
import type { AggregateStore } from './aggregates.ts';
import type { ReadingsQuery, ReadingsReader } from './readings.ts';

/** No raw reading newer than this is ever dropped, by any instance: READINGS_RAW_DAYS must exceed
 *  INGEST_MAX_PAST_DAYS (at least 1), so a kiln's dropped_before is always over two days old; one
 *  day leaves a day for clocks that differ. A range starting within it skips the dropped_before
 *  lookup: the firing index and the live view read the last seconds to hours of each kiln, and at
 *  10,000 kilns that lookup was half their queries to InfluxDB (profiled). */
export const RECENT_MS = 86_400_000;

export class TieredReadings {
  constructor(private readonly raw: ReadingsReader, private readonly aggs: AggregateStore, private readonly now: () => number = Date.now) {}

  async read(q: ReadingsQuery): Promise<Point[]> {
    return (await this.readResolved(q)).points;
  }

  /** The readings and whether any came from aggregates. */
  async readResolved(q: ReadingsQuery): Promise<{ points: Point[]; resolution: Resolution }> {
    const out: Point[] = [];
    let resolution: Resolution = 'raw';
    for await (const page of this.tiered(q)) {
      for (const p of page.points) out.push(p);
      if (page.resolution === '1m') resolution = '1m';
    }
    return { points: out, resolution };
  }

  async *pages(q: ReadingsQuery): AsyncGenerator<Point[]> {
    for await (const page of this.tiered(q)) yield page.points;
  }

  private async *tiered(q: ReadingsQuery): AsyncGenerator<{ points: Point[]; resolution: Resolution }> {
    const cut = q.from_ms >= this.now() - RECENT_MS ? null : await this.aggs.droppedBefore(q);
    const old_to = cut === null ? q.from_ms : Math.min(q.to_ms, cut);
    if (old_to > q.from_ms) {
      const measurements = (q.measurements ?? READING_MEASUREMENTS).filter((m): m is ReadingMeasurement => m !== 'event');
      const old = { ...q, to_ms: old_to };
      const [raw, aggs] = await Promise.all([this.raw.read(old), this.aggs.read(q, minuteOf(q.from_ms), old_to, measurements)]);
      const m = mergeTiers(raw, aggs);
      // A rebuilt minute straddling the range's start may hold readings before it.
      yield { points: m.points.filter((p) => p.ts_ms >= q.from_ms && p.ts_ms < old_to), resolution: m.resolution };
    }
    const from_ms = Math.max(q.from_ms, old_to);
    if (from_ms < q.to_ms) for await (const points of this.raw.pages({ ...q, from_ms })) yield { points, resolution: 'raw' };
  }
}
