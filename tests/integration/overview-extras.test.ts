// The overview cards' extras against the real service, broker and InfluxDB: a kiln with two
// finished firings of a schedule in the firing index and a third one running. Its usual gas is
// the median of the two finished firings' reported fuel; its sparkline holds the temperatures
// the live view folded, in 5 min buckets.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSession, type Session } from '../../simulator/session.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { z } from 'zod';
import { liveUsualGas, type KilnLiveView, type LiveSparks, type LiveUsualGas } from '../../src/http/schemas/live.ts';
import type { FiringList } from '../../src/http/schemas/firings.ts';
import type { FiringReport } from '../../src/http/schemas/report.ts';

const WS = 'ws-usual';
const KILN = 'K01';
const H = 3_600_000;

describe('overview extras: usual gas and sparkline', () => {
  let svc: InProcess;
  let live: Session;
  const get = async <T>(url: string): Promise<T> => {
    const r = await svc.app.inject({ method: 'GET', url });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return r.json<T>();
  };

  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('usual'), FIRING_INDEX_INTERVAL_S: '1' }, inject('influxUrl'));
    const common = { url: svc.mqttUrl, workshop: WS, kilns: 1, qos: 1 as const, cool_until_c: 150, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04', faults: [] };
    // Two whole firings of the same kiln and schedule, days ago, as fast as the broker takes them.
    for (const [n, seed, ago_h] of [[1, 21, 120], [2, 22, 60]] as const) {
      const s = await startSession({ ...common, seed, speed: Number.POSITIVE_INFINITY, interval_s: 10, sim_start_ms: Math.floor((Date.now() - ago_h * H) / 1000) * 1000 });
      await s.runner.done;
      await s.link?.drain(30_000);
      let list: unknown = null;
      await waitFor(async () => {
        const r = await svc.app.inject({ method: 'GET', url: `/api/workshops/${WS}/kilns/${KILN}/firings?from=${encodeURIComponent(new Date(Date.now() - 144 * H).toISOString())}` });
        list = r.json();
        return r.statusCode === 200 && r.json<FiringList>().firings.filter((f) => f.reason === 'complete').length === n;
      }, 60_000, `firing ${n} complete in the index`).catch((err: unknown) => { console.log(JSON.stringify(list)); throw err; });
      await s.stop();
    }
    // The history went faster than the live view's budget: let the kiln be re-read from InfluxDB
    // first (readings spooled but not yet in InfluxDB when that read starts would be missed).
    await waitFor(async () => {
      const v = (await svc.app.inject({ method: 'GET', url: '/api/live' })).json<{ kilns: KilnLiveView[] }>().kilns.find((k) => k.kiln === KILN);
      return svc.runtime.spool.pendingBytes() === 0 && v?.complete === true;
    }, 60_000, 'history stored and the live view complete');
    // A third, running: started 30 min ago, caught up, then live.
    live = await startSession({ ...common, seed: 23, speed: 200, catch_up: true, interval_s: 5, sim_start_ms: Math.floor((Date.now() - 30 * 60_000) / 1000) * 1000 });
    await waitFor(() => live.runner.simNowMs() >= Date.now() - 5000, 60_000, 'live kiln caught up');
  }, 240_000);
  afterAll(async () => {
    await live?.stop();
    await svc?.stop();
  });

  it('usual gas is the median of the earlier complete firings of the same schedule, from their reports', async () => {
    const path = `/api/workshops/${WS}/kilns/${KILN}/firings`;
    const from = encodeURIComponent(new Date(Date.now() - 144 * H).toISOString());
    let done: FiringList['firings'] = [];
    let all: FiringList['firings'] = [];
    await waitFor(async () => {
      all = (await get<FiringList>(`${path}?from=${from}`)).firings;
      done = all.filter((f) => f.reason === 'complete');
      return done.length === 2;
    }, 60_000, 'two complete firings in the index').catch((err: unknown) => { console.log(JSON.stringify(all)); throw err; });
    const reports = await Promise.all(done.map((f) => get<FiringReport>(`${path}/${f.id}`)));
    const kg = reports.map((r) => r.fuel.fuel_kg!);
    expect(kg.every((x) => x > 0)).toBe(true);
    let view: KilnLiveView | undefined;
    await waitFor(async () => {
      view = (await get<{ kilns: KilnLiveView[] }>('/api/live')).kilns.find((k) => k.workshop === WS && k.kiln === KILN);
      return view?.firing != null;
    }, 30_000, 'the running firing in the live view');
    expect(view!.firing!.schedule_name).toBe(reports[0]!.schedule_name);
    expect(view!.firing!.schedule_name).not.toBeNull();

    const body = await get<LiveUsualGas>('/api/live/usual-gas');
    expect(z.encode(liveUsualGas, body)).toEqual(body); // sent as a stream, not through the schema: it takes the body whole
    const u = body.kilns.find((k) => k.kiln === KILN && k.workshop === WS);
    expect(u).toMatchObject({ firing_id: view!.firing!.id, schedule_name: view!.firing!.schedule_name, of_n: 2 });
    // Two: the lower of the middle two, the same firing the kiln page draws as the usual one.
    expect(u!.fuel_kg).toBeCloseTo(Math.min(kg[0]!, kg[1]!), 6);
    const drawn = await get<{ usual: { fuel_kg: number } | null }>(`/api/workshops/${WS}/kilns/${KILN}/usual-firing?schedule=${encodeURIComponent(view!.firing!.schedule_name!)}&exclude=${view!.firing!.id}`);
    expect(drawn.usual?.fuel_kg).toBeCloseTo(u!.fuel_kg!, 6);
  }, 90_000);

  it('the sparkline holds the live kiln temperature of the last hours in 5 min buckets', async () => {
    // The history bursts may have gone over the live view's budget: then the kiln is re-read from
    // InfluxDB (complete: false until then), and only after that does it hold every reading.
    let v: KilnLiveView | undefined;
    await waitFor(async () => {
      v = (await get<{ kilns: KilnLiveView[] }>('/api/live')).kilns.find((k) => k.workshop === WS && k.kiln === KILN);
      return v?.complete === true;
    }, 60_000, 'the live kiln complete');
    const s = (await get<LiveSparks>('/api/live/spark')).kilns.find((k) => k.workshop === WS && k.kiln === KILN)!;
    expect(s.bucket_ms).toBe(5 * 60_000);
    expect(s.end_ms!).toBeGreaterThan(v!.newest_reading_ms!);
    const known = s.temps_c.filter((x): x is number => x !== null);
    expect(known.length).toBeGreaterThanOrEqual(6); // 30 min of readings
    // Heating: the newest bucket's highest reading is at least the kiln temperature of a moment ago.
    expect(s.temps_c[s.temps_c.length - 1]!).toBeGreaterThanOrEqual(v!.kiln_temp_c! - 0.1);
    expect(known[known.length - 1]!).toBeGreaterThan(known[0]!);
  });

});
