// InfluxDB stopped: every route that reads or writes it answers 503 with a message naming
// InfluxDB (never a 500), and the routes that do not need it keep answering. The table below
// must cover every route the app registers, so a new route cannot forget to say which it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalInflux } from '../../src/adapters/influx/local-influxd.ts';
import { registeredRoutes } from '../../src/app.ts';
import { startTestInflux, uniqueDb } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';

const K = '/api/workshops/ws-down/kilns/k1';
const F = `${K}/firings/f-1`;
const BY = { by: 'Lan' };

/** [method, route as registered, url to call, body] for every route that needs InfluxDB. */
const NEEDS_DB: [string, string, string, unknown?][] = [
  ['GET', '/api/workshops/:workshop/alerts', '/api/workshops/ws-down/alerts'],
  ['POST', '/api/workshops/:workshop/kilns/:kiln/alerts/:alert_id/ack', `${K}/alerts/stall.flame.1/ack`, BY],
  ['PUT', '/api/workshops/:workshop/kilns/:kiln/alert-settings', `${K}/alert-settings`, { ...BY, settings: { spread_c: 120 } }],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve', `${F}/curve`],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings', `${K}/firings`],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id', F],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/readings.csv', `${F}/readings.csv`],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/usual-firing', `${K}/usual-firing`],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/load', `${F}/load`],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/load/history', `${F}/load/history`],
  ['PUT', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/load', `${F}/load`, { ...BY, ware_kg: 800, furniture_kg: 300, products: [{ product: 'cup', pieces: 400, ware_kg: 800 }], recorded_at_ms: 1_700_000_000_000 }],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/grading', `${F}/grading`],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/grading/history', `${F}/grading/history`],
  ['PUT', '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/grading', `${F}/grading`, { ...BY, products: [{ product: 'cup', first: 390, second: 5, reject: 5 }], recorded_at_ms: 1_700_100_000_000 }],
  ['GET', '/api/workshops/:workshop/baselines', '/api/workshops/ws-down/baselines'],
  ['GET', '/api/workshops/:workshop/baselines/:baseline_id/history', '/api/workshops/ws-down/baselines/bl-00000000-0000-4000-8000-000000000000/history'],
  ['GET', '/api/prices', '/api/prices'],
  ['PUT', '/api/prices', '/api/prices', { ...BY, prices: [{ valid_from: '2021-01-01', vnd_per_kg: 40_000, source: 'a list' }] }],
  ['GET', '/api/rollup', '/api/rollup?level=workshop'],
  ['GET', '/api/rollup.csv', '/api/rollup.csv?level=workshop'],
  ['GET', '/api/workshops/:workshop/firings-figures', '/api/workshops/ws-down/firings-figures'],
  ['GET', '/api/workshops/:workshop/kilns/:kiln/alert-settings/history', `${K}/alert-settings/history`],
  ['GET', '/api/audit', '/api/audit'],
];
const s = (value: number) => ({ value, source: 'coal book', confidence: 'M' });
const BASELINE = {
  workshop: 'ws-down', period: { from: '2004-01-01', to: '2004-12-31' },
  coal_kg_per_firing: s(2000), ware_kg_per_firing: s(1500), yield_pct: s(70), duration_h: s(30),
  coal_ncv_mj_per_kg: s(26.7), coal_price_vnd_per_kg: s(3000), co2_kg_per_kg_coal: s(2.6), recorded_at_ms: 1_700_000_000_000, by: 'Minh',
};
NEEDS_DB.push(
  ['POST', '/api/workshops/:workshop/baselines', '/api/workshops/ws-down/baselines', BASELINE],
  ['PUT', '/api/workshops/:workshop/baselines/:baseline_id', '/api/workshops/ws-down/baselines/bl-00000000-0000-4000-8000-000000000000', BASELINE],
);

/** Routes that answer from memory, stream, or serve files: they must keep working. */
const NO_DB = [
  '/api/health', '/api/health/live', '/api/health/ready', '/api/live/spark', '/metrics', '/api/ingest/rejects', '/api/live', '/api/live/stream', '/api/alerts', '/api/alerts/stream',
  '/api/workshops/:workshop/kilns/:kiln/alert-settings', // read once at start, kept in memory
  '/api/live/usual-gas', // reads the index only for kilns firing now: here there are none
  '/api/openapi.json', '/api/docs', '/*',
  // Users, tokens and the registry are on the access file: logging in to see why works.
  '/api/auth/me', '/api/auth/csrf', '/api/users', '/api/tokens', '/api/workshops',
  '/api/workshops/:workshop/devices', // device credentials too: a technician can still provision
];
/** The same for other methods: [method, route as registered]. */
const NO_DB_WRITES: [string, string][] = [
  ['POST', '/api/auth/login'], ['POST', '/api/auth/logout'], ['POST', '/api/auth/password'],
  ['POST', '/api/users'], ['PATCH', '/api/users/:user_id'], ['POST', '/api/users/:user_id/password-reset'],
  ['POST', '/api/tokens'], ['DELETE', '/api/tokens/:token_id'], ['PUT', '/api/workshops/:workshop'], ['DELETE', '/api/workshops/:workshop'],
  ['POST', '/api/workshops/:workshop/devices'], ['DELETE', '/api/workshops/:workshop/devices/:username'],
];

describe('InfluxDB stopped', () => {
  let influx: LocalInflux;
  let svc: InProcess;
  beforeAll(async () => {
    influx = await startTestInflux();
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('down') }, influx.url);
    await influx.pause();
  });
  afterAll(async () => {
    await svc?.stop();
    await influx?.stop();
  });

  it('the table names every registered route', () => {
    const named = new Set([...NEEDS_DB.map(([m, r]) => `${m} ${r}`), ...NO_DB.map((r) => `GET ${r}`), ...NO_DB_WRITES.map(([m, r]) => `${m} ${r}`)]);
    // The docs page's own files (Swagger UI) are served from disk.
    const served = registeredRoutes.get(svc.app)!.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs/')).map((r) => `${r.method} ${r.url}`);
    expect(served.filter((r) => !named.has(r))).toEqual([]);
  });

  it.each(NEEDS_DB)('%s %s answers 503 naming InfluxDB', async (method, _route, url, payload) => {
    const res = await svc.app.inject({ method: method as 'GET', url, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json<{ error: string; message: string }>()).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/InfluxDB/) as unknown });
  });

  it('health still answers, and says the database is the trouble', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    for (const url of ['/metrics', '/api/ingest/rejects', '/api/live', '/api/openapi.json', `${K}/alert-settings`, '/api/auth/me', '/api/users', '/api/workshops', '/api/workshops/bt01/devices']) expect((await svc.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
  });
});
