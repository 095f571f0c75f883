// A new kiln's first fold into the firing index, against a real InfluxDB: it crosses the
// backfill window's empty days in a few reads (not one a day, each with a checkpoint write; at
// 10,000 new kilns that was a third of a million reads before the index caught up), and finds
// the same firing the report path lists from the same readings.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AggregateStore } from '../../src/adapters/influx/aggregates.ts';
import { ReadingsReader, type ReadingsQuery } from '../../src/adapters/influx/readings.ts';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { TieredReadings } from '../../src/adapters/influx/tiered-readings.ts';
import { DEFAULT_TRACKER_CONFIG } from '../../src/domain/firing/index.ts';
import { FiringIndexStore, type Checkpoint } from '../../src/firings/index-store.ts';
import { FiringIndexer } from '../../src/firings/indexer.ts';
import { FiringService, type KilnRef } from '../../src/firings/service.ts';
import { RecordStore } from '../../src/records/store.ts';
import { simulate } from '../fixtures/report/simulated.ts';
import { quietLog, uniqueDb, writePoints } from '../support/influx.ts';

const DAY = 86_400_000;
const spool = { appendedPosition: () => ({ segment: 0, offset: 0 }), isStored: () => true, pendingBytes: () => 0 };

describe('the firing index: a new kiln\'s first fold', () => {
  const db = uniqueDb('firstfold');
  const url = inject('influxUrl');
  const store = new InfluxStore({ url, database: db, retention: 'INF', timeout_ms: 10_000 });
  const readings = new TieredReadings(new ReadingsReader(url, db), new AggregateStore(store, 0));
  const firings = new FiringService({ readings });
  const [SIM] = simulate([{ preset: 'k1', firing: 'bisque04' }], { interval_s: 10, seed: 11, max_h: 30 });
  // The whole firing moved to end a minute ago: the 30 days of backfill before it are empty.
  const shift = Date.now() - 60_000 - SIM!.points.at(-1)!.ts_ms;
  const points = SIM!.points.map((p) => ({ ...p, ts_ms: p.ts_ms + shift }));
  const kiln: KilnRef = { workshop: 'ws1', kiln: SIM!.kiln };

  beforeAll(async () => {
    await store.ensureDatabase();
    await writePoints(store, points);
  });
  afterAll(() => store.exec(`DROP DATABASE "${db}"`).finally(() => store.close()));

  it('reads the empty backfill in a few growing chunks, writes a checkpoint only where it read something, and indexes the firing the report path lists', async () => {
    const reads: ReadingsQuery[] = [];
    const counting = { read: (q: ReadingsQuery) => readings.read(q), pages: (q: ReadingsQuery) => { reads.push(q); return readings.pages(q); } };
    const index = new FiringIndexStore(store, new RecordStore(store));
    const saves: Checkpoint[] = [];
    const save = index.saveCheckpoint.bind(index);
    index.saveCheckpoint = (k, c) => { saves.push(c); return save(k, c); };
    const indexer = new FiringIndexer({
      store: index, readings: counting, firings, spool, tracker: DEFAULT_TRACKER_CONFIG, log: quietLog, interval_ms: 3_600_000, backfill_days: 30,
    });
    indexer.note(points);
    await indexer.pass();
    expect(indexer.stats.errors).toBe(0);
    expect(indexer.stats.kilns_folded).toBe(1);
    // From 30 days (and the lookback) before the firing: chunks of 1, 4, 16, 64, 256 h of nothing, then the firing.
    const empty = reads.filter((q) => q.to_ms <= points[0]!.ts_ms);
    expect(reads[0]!.from_ms).toBeLessThan(points[0]!.ts_ms - 30 * DAY);
    expect(empty.length).toBeLessThanOrEqual(6);
    expect(reads.length).toBeLessThanOrEqual(12);
    console.log(`first fold of a kiln with 30 days of empty backfill: ${reads.length} chunk reads (${empty.length} empty), ${saves.length} checkpoint writes`);
    // Every checkpoint written is past the first reading (the empty chunks wrote none), the last at the end.
    expect(saves.length).toBeGreaterThan(0);
    for (const c of saves) expect(c.until_ms).toBeGreaterThan(points[0]!.ts_ms);
    expect(saves.at(-1)!.until_ms).toBe(points.at(-1)!.ts_ms + 1);
    // The firing, as the report path lists it from the same readings.
    const listed = await firings.listFirings({ ...kiln, from_ms: points[0]!.ts_ms - DAY, to_ms: Date.now() });
    const indexed = await index.list(kiln, points[0]!.ts_ms - DAY, Date.now());
    expect(listed.firings.length).toBe(1);
    expect(indexed.map((f) => f.record)).toEqual(listed.firings.map((f) => expect.objectContaining({ id: f.id, start_ms: f.start_ms, end_ms: f.end_ms })));
  }, 60_000);
});
