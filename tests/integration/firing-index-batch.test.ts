// The firing index read for several kilns at once (the overview's usual gas at fleet size), against
// a real InfluxDB: one query, and for each kiln the same firings as its own list().
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { RecordStore } from '../../src/records/store.ts';
import { FiringIndexStore, type IndexedFiring } from '../../src/firings/index-store.ts';
import { UsualGasSource } from '../../src/firings/usual-gas.ts';
import { recordOf } from '../../src/domain/firing/fold.ts';
import type { FiringSummary } from '../../src/domain/report/index.ts';
import { uniqueDb } from '../support/influx.ts';

const H = 3_600_000;
const NOW = Date.now();

const firing = (id: string, start_ms: number, fuel_kg: number | null): IndexedFiring => ({
  record: recordOf({ id, by: 'controller', start_ms, end_ms: fuel_kg === null ? null : start_ms + 20 * H, reason: fuel_kg === null ? null : 'complete', target_c: 1000, peak_c: 990, peak_ms: null, last100_rate_c_h: null, cone: null, stages: [], gaps: [] }),
  summary: fuel_kg === null ? null : { fuel: { fuel_kg } } as unknown as FiringSummary,
  schedule_name: 'bisque', prices_key: 'p', computed_at_ms: NOW,
});

describe('FiringIndexStore.listMany', () => {
  let store: InfluxStore;
  let index: FiringIndexStore;
  let queries: string[];

  beforeAll(async () => {
    store = new InfluxStore({ url: inject('influxUrl'), database: uniqueDb('idxbatch'), retention: 'INF', timeout_ms: 10_000 });
    await store.ensureDatabase();
    queries = [];
    const query = store.query.bind(store);
    store.query = (q: string) => { queries.push(q); return query(q); }; // counted, still answered by InfluxDB
    index = new FiringIndexStore(store, new RecordStore(store));
    // w1/k1: two finished and one running; w1/k2: one finished; w2/k1 (same kiln id, other
    // workshop): one, not asked for; w1/k3: one, too old for the window.
    await index.put({ workshop: 'w1', kiln: 'k1' }, firing('a', NOW - 100 * H, 40));
    await index.put({ workshop: 'w1', kiln: 'k1' }, firing('b', NOW - 50 * H, 50));
    await index.put({ workshop: 'w1', kiln: 'k1' }, firing('run', NOW - 2 * H, null));
    await index.put({ workshop: 'w1', kiln: 'k2' }, firing('c', NOW - 60 * H, 70));
    await index.put({ workshop: 'w2', kiln: 'k1' }, firing('d', NOW - 30 * H, 99));
    await index.put({ workshop: 'w1', kiln: 'k3' }, firing('e', NOW - 400 * 24 * H, 10));
  });
  afterAll(async () => {
    await store.exec(`DROP DATABASE "${store.opts.database}"`).catch(() => undefined);
  });

  it('reads several kilns in one query, each kiln\'s firings as its own list gives them', async () => {
    const ks = [{ workshop: 'w1', kiln: 'k1' }, { workshop: 'w1', kiln: 'k2' }, { workshop: 'w1', kiln: 'k3' }];
    const from = NOW - 180 * 24 * H;
    queries.length = 0;
    const many = await index.listMany(ks, from, NOW + H);
    expect(queries.filter((q) => q.startsWith('SELECT')).length).toBe(1);
    expect([...many.keys()].sort()).toEqual(['w1/k1', 'w1/k2']); // k3's only firing is before the window; w2 not asked
    for (const k of ks) {
      const one = (await index.list(k, from, NOW + H)).map(({ record, summary, schedule_name }) => ({ record, summary, schedule_name }));
      expect((many.get(`${k.workshop}/${k.kiln}`) ?? []).map(({ record, summary, schedule_name }) => ({ record, summary, schedule_name }))).toEqual(one);
    }
    expect(many.get('w1/k1')!.map((f) => f.record.id)).toEqual(['a', 'b', 'run']);
    expect(await index.listMany([], from, NOW)).toEqual(new Map());
  });

  it('gives the overview the usual gas of many running firings from one query', async () => {
    const usual = new UsualGasSource(index);
    queries.length = 0;
    const got = await usual.ofMany([
      { workshop: 'w1', kiln: 'k1', firing_id: 'run', schedule_name: 'bisque' },
      { workshop: 'w1', kiln: 'k2', firing_id: 'run2', schedule_name: 'bisque' },
      { workshop: 'w2', kiln: 'k1', firing_id: 'run3', schedule_name: 'glaze' },
    ]);
    expect(queries.filter((q) => q.startsWith('SELECT')).length).toBe(1);
    expect(got.map((u) => [u.fuel_kg, u.of_n])).toEqual([[40, 2], [70, 1], [null, 0]]);
  });
});
