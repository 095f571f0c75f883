// How often the firing index folds a kiln, against a real InfluxDB: at once when the live view
// has news of its firing (it started, its gas went off, it ended) or its readings reach back
// before the checkpoint, otherwise at most every kiln_every_ms. Between folds the checkpoint lags,
// and the firing list still equals the one folded from the readings alone.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AggregateStore } from '../../src/adapters/influx/aggregates.ts';
import { ReadingsReader, type ReadingsQuery } from '../../src/adapters/influx/readings.ts';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { TieredReadings } from '../../src/adapters/influx/tiered-readings.ts';
import { DEFAULT_TRACKER_CONFIG } from '../../src/domain/firing/index.ts';
import { FiringIndexStore } from '../../src/firings/index-store.ts';
import { FiringIndexer } from '../../src/firings/indexer.ts';
import { FiringService, type KilnRef } from '../../src/firings/service.ts';
import { DEFAULT_LIVE_OPTIONS, LiveState } from '../../src/live/live-state.ts';
import { RecordStore } from '../../src/records/store.ts';
import { simulate } from '../fixtures/report/simulated.ts';
import { quietLog, uniqueDb, writePoints } from '../support/influx.ts';

const DAY = 86_400_000;
const PASS_MS = 30_000; // the passes' interval, in the indexer's clock
const DATA_PER_PASS_MS = 10 * 60_000; // readings arriving between two passes (the firing in ~180 passes)
const KILN_EVERY_MS = 300_000;
const spool = { appendedPosition: () => ({ segment: 0, offset: 0 }), isStored: () => true, pendingBytes: () => 0 };

describe('the firing index: when a kiln is folded', () => {
  const db = uniqueDb('cadence');
  const url = inject('influxUrl');
  const store = new InfluxStore({ url, database: db, retention: 'INF', timeout_ms: 10_000 });
  const readings = new TieredReadings(new ReadingsReader(url, db), new AggregateStore(store, 0));
  const [SIM] = simulate([{ preset: 'k1', firing: 'bisque04' }], { interval_s: 10, seed: 5, max_h: 30 });
  const shift = Date.now() - 60_000 - SIM!.points.at(-1)!.ts_ms;
  const points = SIM!.points.map((p) => ({ ...p, ts_ms: p.ts_ms + shift }));
  const kiln: KilnRef = { workshop: 'ws1', kiln: SIM!.kiln };
  const key = `${kiln.workshop}/${kiln.kiln}`;

  beforeAll(async () => {
    await store.ensureDatabase();
    await writePoints(store, points);
  });
  afterAll(() => store.exec(`DROP DATABASE "${db}"`).finally(() => store.close()));

  it('folds on news and rewinds at once, otherwise every kiln_every_ms, and lists the same firings while it lags', async () => {
    const reads: ReadingsQuery[] = [];
    const counting = { read: (q: ReadingsQuery) => readings.read(q), pages: (q: ReadingsQuery) => { reads.push(q); return readings.pages(q); } };
    const index = new FiringIndexStore(store, new RecordStore(store));
    const live = new LiveState({ ...DEFAULT_LIVE_OPTIONS });
    let clock_ms = Date.now();
    const indexer = new FiringIndexer({
      store: index, readings: counting, firings: new FiringService({ readings }), spool, tracker: DEFAULT_TRACKER_CONFIG, log: quietLog,
      interval_ms: PASS_MS, kiln_every_ms: KILN_EVERY_MS, backfill_days: 1, now: () => clock_ms,
      news: (k) => live.firingNews(`${k.workshop}/${k.kiln}`),
    });
    const withIndex = new FiringService({ readings, index });
    const readingsOnly = new FiringService({ readings });

    let folded_at = -Infinity, news_at_fold: number | null = null, folds = 0, lagging_checks = 0;
    const newsSeen: number[] = [];
    let i = 0;
    for (let pass = 0; i < points.length; pass++) {
      const until = points[i]!.ts_ms + DATA_PER_PASS_MS;
      const slice: typeof points = [];
      while (i < points.length && points[i]!.ts_ms < until) slice.push(points[i++]!);
      live.apply(slice);
      indexer.note(slice);
      clock_ms += PASS_MS;
      const news = live.firingNews(key);
      if (newsSeen.at(-1) !== news) newsSeen.push(news!);
      const before = indexer.stats.kilns_folded;
      await indexer.pass();
      expect(indexer.stats.errors).toBe(0);
      const did = indexer.stats.kilns_folded - before;
      // Due: the first pass, news since the last fold, or kiln_every_ms since it; never otherwise.
      const due = pass === 0 || news !== news_at_fold || clock_ms - folded_at >= KILN_EVERY_MS;
      expect({ pass, did }).toEqual({ pass, did: due ? 1 : 0 });
      if (did) { folded_at = clock_ms; news_at_fold = news; folds++; }
      // While the checkpoint lags, the list is the readings' own (every 15th pass: each check reads them all).
      if (!did && pass % 15 === 0) {
        lagging_checks++;
        const q = { ...kiln, from_ms: points[0]!.ts_ms - DAY, to_ms: clock_ms + DAY };
        expect((await withIndex.listFirings(q)).firings).toEqual((await readingsOnly.listFirings(q)).firings);
      }
    }
    // The news the indexer followed: the firing's start, its gas-off and its end.
    expect(newsSeen).toEqual([0, 1, 2, 3]);
    expect(lagging_checks).toBeGreaterThan(3);
    const passes = Math.ceil((points.at(-1)!.ts_ms - points[0]!.ts_ms) / DATA_PER_PASS_MS);
    console.log(`one simulated firing over ${passes} passes of ${PASS_MS / 1000} s: ${folds} folds (${newsSeen.length - 1} news), ${reads.length} chunk reads; every pass would fold ${passes} times`);
    expect(folds).toBeLessThan(passes / 3);
    // The ended firing is in the index, closed and summarised (the end was news: folded at once).
    const indexed = await index.list(kiln, points[0]!.ts_ms - DAY, clock_ms + DAY);
    expect(indexed.length).toBe(1);
    expect(indexed[0]!.record.end_ms).not.toBeNull();
    expect(indexed[0]!.summary).not.toBeNull();

    // A reading from before the checkpoint (an outbox replayed) is folded at the next pass, news or not.
    const old = points[Math.floor(points.length / 2)]!;
    indexer.note([old]);
    clock_ms += PASS_MS;
    const rewinds = indexer.stats.rewinds;
    await indexer.pass();
    expect(indexer.stats.rewinds).toBe(rewinds + 1);
    expect(indexer.stats.kilns_waiting).toBe(0);

    // A newer reading without news waits (and is counted as waiting) until kiln_every_ms has passed.
    const last = points.at(-1)!;
    indexer.note([{ ...last, ts_ms: last.ts_ms + 10_000 }]);
    clock_ms += PASS_MS;
    const n = indexer.stats.kilns_folded;
    await indexer.pass();
    expect(indexer.stats.kilns_folded).toBe(n);
    expect(indexer.stats.kilns_waiting).toBe(1);
    clock_ms += KILN_EVERY_MS;
    await indexer.pass();
    expect(indexer.stats.kilns_folded).toBe(n + 1);
    expect(indexer.stats.kilns_waiting).toBe(0);
  }, 120_000);
});
