// Records through the API, stored in InfluxDB: the simulator fires ONE kiln through the service's
// embedded broker into its own influxd (INFLUX_RETENTION 52w, so records must go to their own
// INF retention policy); then load, grading, a coal baseline and a price list are saved, and the
// firing report's KPIs and avoided energy are checked against figures worked out here by hand
// from the report's own fuel and the records. A second instance on the same database gives the
// same report, records survive a restart, bad records are refused naming the field, and with
// InfluxDB stopped a save answers 503 and nothing is stored. Each save is made by the user its
// body's `by` names (lan, hoa, minh, tuan: each with an API token); the record says that user,
// whatever the body's `by` and `recorded_at_ms`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSession, type Session } from '../../simulator/session.ts';
import type { FiringTruth } from '../../simulator/model/truth.ts';
import { influxClient, startTestInflux, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import type { LocalInflux } from '../../src/adapters/influx/local-influxd.ts';
import type { FiringReport } from '../../src/firings/service.ts';
import type { RollupRow } from '../../src/domain/savings/rollup.ts';
import { DEFAULT_LPG_PRICES } from '../../src/domain/analytics/energy-prices.ts';
import { LPG_NCV_MJ_KG } from '../../src/domain/analytics/fuels.ts';
import { RecordStore } from '../../src/records/store.ts';

const WS = 'ws-rec';
const PRICE = 40_000; // VND/kg, from 2020: the only entry, so every kg is priced at it

const LOAD = {
  ware_kg: 800, furniture_kg: 300,
  products: [{ product: 'cup', pieces: 400, ware_kg: 200 }, { product: 'vase', pieces: 100, ware_kg: 600 }],
  recorded_at_ms: 1_700_000_000_000, by: 'Lan',
};
const GRADING = {
  products: [
    { product: 'cup', first: 360, second: 30, reject: 10, reject_causes: [{ cause: 'crack', pieces: 6 }] },
    { product: 'vase', first: 80, second: 10, reject: 10 },
  ],
  recorded_at_ms: 1_700_100_000_000, by: 'Lan',
};
const s = (value: number, source = 'owner\'s coal book 2004 "sổ than"') => ({ value, source, confidence: 'M' });
const BASELINE = {
  workshop: WS,
  period: { from: '2004-01-01', to: '2004-12-31' },
  coal_kg_per_firing: s(2000), ware_kg_per_firing: s(1500), yield_pct: s(70), duration_h: s(30),
  coal_ncv_mj_per_kg: s(26.7), coal_price_vnd_per_kg: s(3000), co2_kg_per_kg_coal: s(2.6),
  recorded_at_ms: 1_700_000_000_000, by: 'Minh',
};

/** The user a body's `by` stands for: the service records who is logged in, never the body's words. */
const userOf = (by: unknown) => ({ Lan: 'lan', Hoa: 'hoa', Minh: 'minh', 'Tuấn': 'tuan', Tuan: 'tuan' } as Record<string, string>)[String(by)];
/** A record as stored: by the user, stamped with the service's time. */
const as = <T extends object>(r: T, user: string) => ({ ...r, by: user, recorded_at_ms: expect.any(Number) as unknown });
const tokens = new WeakMap<InProcess, Map<string, string>>();
async function tokenFor(app: InProcess, username: string): Promise<string> {
  const mine = tokens.get(app) ?? new Map<string, string>();
  tokens.set(app, mine);
  let t = mine.get(username);
  if (!t) {
    const access = app.runtime.access;
    const user = access.userByName(username) ?? (await access.createUser({ username, role: 'admin', password: `${username}-password-long` })).user;
    t = access.createToken(user.id, 'records test').token;
    mine.set(username, t);
  }
  return t;
}

describe('records API (load, grading, baselines, prices) in InfluxDB', () => {
  let influx: LocalInflux;
  let svc: InProcess;
  let session: Session;
  let tr: FiringTruth;
  const db = uniqueDb('records');
  const env = { INFLUX_DATABASE: db, INFLUX_RETENTION: '52w' };
  const others: InProcess[] = [];

  const req = async (app: InProcess, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => {
    const user = userOf((payload as { by?: unknown } | undefined)?.by);
    const headers = user ? { authorization: `Bearer ${await tokenFor(app, user)}` } : {};
    return app.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  };
  const firingUrl = () => `/api/workshops/${WS}/kilns/${tr.kiln}/firings/${tr.firing_id}`;

  beforeAll(async () => {
    influx = await startTestInflux();
    svc = await startInProcess(env, influx.url);
    const sim_start_ms = Math.floor((Date.now() - 36 * 3600_000) / 1000) * 1000;
    session = await startSession({
      url: svc.mqttUrl, workshop: WS, kilns: 1, seed: 11, speed: Number.POSITIVE_INFINITY, qos: 1,
      sim_start_ms, interval_s: 10, cool_until_c: 150, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    await session.runner.done;
    await session.link?.drain(30_000);
    tr = session.truth()[0]!;
    await waitFor(() => svc.runtime.spool.pendingBytes() === 0 && svc.runtime.stats.readings_stored >= svc.runtime.stats.readings_accepted, 60_000, 'readings stored');
  }, 120_000);
  afterAll(async () => {
    await session?.stop();
    for (const o of others) await o.stop().catch(() => undefined);
    await svc?.stop().catch(() => undefined);
    await influx?.stop();
  });

  it('serves the seed price list until one is saved, then the saved one', async () => {
    const before = await req(svc, 'GET', '/api/prices');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ source: 'default', prices: DEFAULT_LPG_PRICES, saved_at_ms: null });
    const put = await req(svc, 'PUT', '/api/prices', { prices: [{ valid_from: '2020-01-01', vnd_per_kg: PRICE, source: 'test list' }], by: 'Minh' });
    expect(put.statusCode).toBe(200);
    const after = (await req(svc, 'GET', '/api/prices')).json<{ source: string; prices: unknown[]; by: string }>();
    expect(after).toMatchObject({ source: 'saved', by: 'minh', prices: [{ valid_from: '2020-01-01', vnd_per_kg: PRICE }] });
  });

  it('saves load, grading and a baseline; the report has KPIs and avoided energy equal to figures worked out by hand', async () => {
    expect((await req(svc, 'GET', `${firingUrl()}/load`)).statusCode).toBe(404);
    const noRecords = (await req(svc, 'GET', firingUrl())).json<FiringReport>();
    expect(noRecords.load).toBeNull();
    expect(noRecords.kpis.sec_mj_per_kg_good.ok).toBe(false);
    expect(noRecords.baseline_comparison).toBeNull();
    expect(noRecords.baseline_comparison_reason).toMatch(/no coal baseline/);

    const load = await req(svc, 'PUT', `${firingUrl()}/load`, LOAD);
    expect(load.statusCode).toBe(200);
    expect(load.json()).toMatchObject({ firing_id: tr.firing_id, by: 'lan', load: as(LOAD, 'lan') });
    expect((await req(svc, 'PUT', `${firingUrl()}/grading`, GRADING)).statusCode).toBe(200);
    const bl = await req(svc, 'POST', `/api/workshops/${WS}/baselines`, BASELINE);
    expect(bl.statusCode).toBe(201);
    const baseline_id = bl.json<{ id: string }>().id;
    expect(baseline_id).toMatch(/^bl-/);
    const list = (await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: { id: string; baseline: unknown }[] }>();
    expect(list.baselines).toHaveLength(1);
    expect(list.baselines[0]).toMatchObject({ id: baseline_id, baseline: { ...as(BASELINE, 'minh'), adjustments: [] } });
    expect((await req(svc, 'GET', `${firingUrl()}/grading`)).json()).toMatchObject({ grading: as(GRADING, 'lan') });

    const r = (await req(svc, 'GET', firingUrl())).json<FiringReport>();
    expect(r.load).toEqual(as(LOAD, 'lan'));
    expect(r.grading).toMatchObject(as(GRADING, 'lan'));
    const fuel = r.fuel.fuel_kg!;
    expect(Math.abs(fuel - tr.fuel_kg) / tr.fuel_kg).toBeLessThan(0.01);
    // By hand: energy = fuel × 47.3 MJ/kg; cost = fuel × the saved price.
    const energy = fuel * LPG_NCV_MJ_KG.value;
    expect(r.energy_mj).toBeCloseTo(energy, 6);
    expect(r.cost!.cost_vnd).toBeCloseTo(fuel * PRICE, 3);
    // Yield by pieces 440/500; by mass (360 × 200/400 + 80 × 600/100) / 800 = 660/800; good kg = 800 × 82.5 % = 660.
    const good = 660;
    const k = r.kpis;
    expect(k.yield_pct).toEqual({ ok: true, value: 88 });
    expect(k.yield_mass_pct).toEqual({ ok: true, value: 82.5 });
    expect(k.good_kg).toEqual({ ok: true, value: good });
    const val = (f: { ok: boolean; value?: number }) => { expect(f.ok).toBe(true); return f.value!; };
    expect(val(k.sec_mj_per_kg_set)).toBeCloseTo(energy / 800, 9);
    expect(val(k.sec_mj_per_kg_good)).toBeCloseTo(energy / good, 9);
    expect(val(k.fuel_kg_per_kg_set)).toBeCloseTo(fuel / 800, 12);
    expect(val(k.vnd_per_kg_good)).toBeCloseTo((fuel * PRICE) / good, 3);
    expect(val(k.co2_kg_per_kg_good)).toBeCloseTo(r.co2_kg! / good, 9);
    // Baseline: 2000 kg coal × 26.7 MJ/kg over 1500 kg × 70 % good = 50.857 MJ per kg good; × 660 kg good.
    const c = r.baseline_comparison!;
    expect(c.baseline_id).toBe(baseline_id);
    expect(r.baseline_comparison_reason).toBeNull();
    const base_energy = (2000 * 26.7) / (1500 * 0.7) * good;
    const e = c.energy_mj;
    if (!e.ok) throw new Error(e.reason);
    expect(e.baseline).toBeCloseTo(base_energy, 6);
    expect(e.actual).toBeCloseTo(energy, 6);
    expect(e.avoided).toBeCloseTo(base_energy - energy, 6);
    expect(e.confidence).toBe('M'); // the baseline's figures are M
    // As a % of the baseline, with its range: four M inputs (±15 % each) in quadrature = ±30 %;
    // the firing's own energy H (±5 %).
    const rB = Math.sqrt(4 * 0.15 ** 2), rA = 0.05;
    expect(e.rel_error).toBeCloseTo(rB, 12);
    expect(e.avoided_pct).toBeCloseTo(100 * (base_energy - energy) / base_energy, 6);
    expect(e.avoided_high - e.avoided).toBeCloseTo(Math.hypot(base_energy * rB, energy * rA), 6);
    expect(e.avoided_pct! - e.avoided_pct_low!).toBeCloseTo(100 * (energy / base_energy) * Math.hypot(rA, rB), 6);
    const cost = c.cost_vnd;
    if (!cost.ok) throw new Error(cost.reason);
    expect(cost.avoided).toBeCloseTo((2000 * 3000) / (1500 * 0.7) * good - fuel * PRICE, 2);
    expect(c.baseline_sec_mj_per_kg_set).toBeCloseTo((2000 * 26.7) / 1500, 9);
    expect(c.warnings).toEqual([]); // 70 % and 35.6 MJ/kg: within the published ranges
  });

  it('a second service instance on the same database gives the same report and records', async () => {
    const second = await startInProcess(env, influx.url);
    others.push(second);
    const a = await req(svc, 'GET', firingUrl());
    const b = await req(second, 'GET', firingUrl());
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    expect((await req(second, 'GET', '/api/prices')).json()).toEqual((await req(svc, 'GET', '/api/prices')).json());
    // A record saved through one is the current one through the other.
    const updated = { ...LOAD, furniture_kg: 310, by: 'Hoa' };
    expect((await req(second, 'PUT', `${firingUrl()}/load`, updated)).statusCode).toBe(200);
    expect((await req(svc, 'GET', `${firingUrl()}/load`)).json()).toMatchObject({ by: 'hoa', load: as(updated, 'hoa') });
    const hist = (await req(svc, 'GET', `${firingUrl()}/load/history`)).json<{ versions: { by: string }[] }>();
    expect(hist.versions.map((v) => v.by)).toEqual(['hoa', 'lan']);
  });

  it('records survive a restart of the service', async () => {
    const before = (await req(svc, 'GET', firingUrl())).json<FiringReport>();
    await svc.stop();
    svc = await startInProcess(env, influx.url);
    const after = await req(svc, 'GET', firingUrl());
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(before);
    expect(before.kpis.good_kg).toEqual({ ok: true, value: 660 });
    expect((await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: unknown[] }>().baselines).toHaveLength(1);
    // Records are in the INF retention policy `records`, not the 52w default one.
    const rps = await influxClient(influx.url, db).showRetentionPolicies(db);
    expect(rps.find((p) => p.name === 'records')).toMatchObject({ duration: '0s' });
    expect(rps.find((p) => p.name === 'readings')).toMatchObject({ default: true });
  });

  it('rolls the firing up for the adviser (JSON and CSV) with the figures of its report', async () => {
    const r = (await req(svc, 'GET', firingUrl())).json<FiringReport>();
    const res = await req(svc, 'GET', `/api/rollup?level=kiln&period=all&workshop=${WS}`);
    expect(res.statusCode).toBe(200);
    const roll = res.json<{ rows: RollupRow[]; baselines: { id: string }[] }>();
    expect(roll.rows).toHaveLength(1);
    const row = roll.rows[0]!;
    expect(row).toMatchObject({ workshop: WS, kiln: tr.kiln, month: null, firings: 1, ware_kg: 800, good_kg: 660 });
    expect(row.lpg_kg).toBeCloseTo(r.fuel.fuel_kg!, 9);
    expect(row.energy_mj).toBeCloseTo(r.energy_mj!, 9);
    expect(row.cost_vnd).toBeCloseTo(r.cost!.cost_vnd, 6);
    expect(row.yield_pct).toBeCloseTo(82.5, 9);
    const e = r.baseline_comparison!.energy_mj;
    if (!e.ok) throw new Error(e.reason);
    expect(row.savings!.energy_mj.avoided).toBeCloseTo(e.avoided, 6);
    expect(row.savings!.energy_mj.confidence).toBe('M');
    // One firing: the period's % and range are the firing's.
    expect(row.savings!.energy_mj.avoided_pct).toBeCloseTo(e.avoided_pct!, 6);
    expect(row.savings!.energy_mj.avoided_low).toBeCloseTo(e.avoided_low, 6);
    expect(row.savings!.energy_mj.avoided_pct_high).toBeCloseTo(e.avoided_pct_high!, 6);
    expect(roll.baselines.map((b) => b.id)).toEqual([r.baseline_comparison!.baseline_id]);
    const csv = await req(svc, 'GET', `/api/rollup.csv?level=kiln&period=all&workshop=${WS}`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    const [head, line, ...rest] = csv.body.slice(1).split('\r\n');
    expect(rest).toEqual(['']);
    const cells = Object.fromEntries(head!.split(',').map((h, i) => [h, line!.split(',')[i]]));
    expect(Number(cells.avoided_energy_mj)).toBe(Math.round(e.avoided)); // MJ rounded to units
    expect(Number(cells.avoided_energy_pct)).toBe(Math.round(e.avoided_pct! * 10) / 10);
    expect(cells.kiln).toBe(tr.kiln);
    // A month view puts it in the local month of its start; a range before it has no rows.
    const month = (await req(svc, 'GET', `/api/rollup?level=workshop&period=month&workshop=${WS}`)).json<{ rows: RollupRow[] }>();
    expect(month.rows.map((x) => x.month)).toEqual([new Date(r.start_ms + 7 * 3600_000).toISOString().slice(0, 7)]);
    expect((await req(svc, 'GET', `/api/rollup?from=2020-01-01&to=2020-12-31&workshop=${WS}`)).json<{ rows: unknown[] }>().rows).toEqual([]);
    expect((await req(svc, 'GET', '/api/rollup?level=town')).statusCode).toBe(400);
    expect((await req(svc, 'GET', '/api/rollup?from=2021-02-30')).json<{ message: string }>().message).toMatch(/^from: /);
    const figs = (await req(svc, 'GET', `/api/workshops/${WS}/firings-figures`)).json<{ firings: { firing_id: string; good_kg: number }[] }>();
    expect(figs.firings).toMatchObject([{ firing_id: tr.firing_id, good_kg: 660 }]);
    // A load saved later rewrites the firing's roll-up figures: 900 kg set; good by mass 360/400 × 300 + 80/100 × 600 = 750 kg.
    expect((await req(svc, 'PUT', `${firingUrl()}/load`, { ...LOAD, ware_kg: 900, products: [{ product: 'cup', pieces: 400, ware_kg: 300 }, { product: 'vase', pieces: 100, ware_kg: 600 }], by: 'Tuấn' })).statusCode).toBe(200);
    const after = (await req(svc, 'GET', `/api/rollup?level=kiln&period=all&workshop=${WS}`)).json<{ rows: RollupRow[] }>().rows[0]!;
    expect(after.ware_kg).toBe(900);
    expect(after.good_kg).toBeCloseTo(360 * 300 / 400 + 80 * 600 / 100, 9);
    expect((await req(svc, 'PUT', `${firingUrl()}/load`, LOAD)).statusCode).toBe(200);
    expect((await req(svc, 'GET', `/api/rollup?level=kiln&period=all&workshop=${WS}`)).json<{ rows: RollupRow[] }>().rows[0]!).toMatchObject({ ware_kg: 800, good_kg: 660 });
  });

  it('checks the firing against its kiln\'s own median of earlier firings (MJ per kg of good ware), worked out by hand', async () => {
    // Six earlier firings of this kiln in the index, each 100 kg set, all first grade, 1,000 … 1,500 MJ:
    // 10 … 15 MJ per kg good, median 12.5.
    const r0 = (await req(svc, 'GET', firingUrl())).json<FiringReport>();
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = `P${i}`, start = r0.start_ms - (i + 1) * 2 * 86_400_000;
      // As the index keeps a firing: its figures with ware and good kg (100 kg set, all first grade).
      const fig = { firing_id: id, workshop: WS, kiln: tr.kiln, started_at_ms: start, ware_kg: 100, good_kg: 100, lpg_kg: 20 + i, energy_mj: 1000 + 100 * i, cost_vnd: 1, co2_kg: 1, duration_h: 20, confidence: 'H' };
      lines.push(`firing,kiln=${tr.kiln},workshop=${WS} id="${id}",closed=true,figures_json=${JSON.stringify(JSON.stringify(fig))},summary_json="",record_json="{}",schedule_name="",prices_key="",computed_at_ms=1 ${start}`);
    }
    await svc.runtime.store.write(Buffer.from(lines.join('\n') + '\n'), lines.length, 'records');
    const r = (await req(svc, 'GET', firingUrl())).json<FiringReport>();
    const own = r.own_median!.good;
    expect(own.prior_n).toBe(6);
    expect(own.median_mj_per_kg).toBeCloseTo(12.5, 12);
    const mine = r.energy_mj! / 660; // 660 kg good (the grading above)
    expect(own.ratio_to_median).toBeCloseTo(mine / 12.5, 9);
    // The status from the simulator's exact fuel (its truth, not the report), × 47.3 MJ/kg (IPCC NCV):
    // the report's fuel is within 1 %, so a ratio further than 2 % from the 1.25 line decides it.
    const truth_ratio = (tr.fuel_kg * 47.3) / 660 / 12.5;
    expect(Math.abs(truth_ratio - 1.25) / 1.25, 'the fixture must not sit on the 1.25 line').toBeGreaterThan(0.02);
    expect(own.ratio_to_median).toBeCloseTo(truth_ratio, 1);
    expect(own.status).toBe(truth_ratio > 1.25 ? 'markedly_worse' : 'usual');
    expect(r.own_median!.set.median_mj_per_kg).toBeCloseTo(12.5, 12); // all first grade: per kg set = per kg good
  });

  it('edits a baseline as a new version under the same id, with its history', async () => {
    const [b] = (await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: { id: string; baseline: typeof BASELINE }[] }>().baselines;
    const edited = { ...b!.baseline, by: 'Tuấn' };
    const put = await req(svc, 'PUT', `/api/workshops/${WS}/baselines/${b!.id}`, edited);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: b!.id, by: 'tuan' });
    const hist = (await req(svc, 'GET', `/api/workshops/${WS}/baselines/${b!.id}/history`)).json<{ versions: { by: string }[] }>();
    expect(hist.versions.map((v) => v.by)).toEqual(['tuan', 'minh']);
    expect((await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: unknown[] }>().baselines).toHaveLength(1);
    expect((await req(svc, 'PUT', `/api/workshops/${WS}/baselines/bl-00000000-0000-0000-0000-000000000000`, edited)).statusCode).toBe(404);
    expect((await req(svc, 'PUT', `/api/workshops/${WS}/baselines/${b!.id}`, { ...edited, workshop: 'other' })).statusCode).toBe(400);
  });

  it('refuses bad records with 400 naming the field', async () => {
    const cases: [string, 'PUT' | 'POST', unknown, RegExp][] = [
      [`${firingUrl()}/load`, 'PUT', { ...LOAD, ware_kg: -5 }, /^ware_kg: /],
      [`${firingUrl()}/load`, 'PUT', { ...LOAD, extra: 1 }, /extra/],
      [`${firingUrl()}/grading`, 'PUT', { ...GRADING, products: [{ ...GRADING.products[0], reject_causes: [{ cause: 'crack', pieces: 11 }] }] }, /products\.0: reject causes count more pieces/],
      [`/api/workshops/${WS}/baselines`, 'POST', { ...BASELINE, yield_pct: s(150) }, /yield_pct\.value: /],
      [`/api/workshops/${WS}/baselines`, 'POST', { ...BASELINE, workshop: 'other' }, /^workshop: must be the workshop of the URL/],
      [`/api/workshops/${WS}/baselines`, 'POST', { ...BASELINE, yield_pct: s(0.72) }, /^yield_pct\.value: 0\.72 looks like a fraction; yield is a percentage \(0–100\), did you mean 72 %\?$/],
      [`/api/workshops/${WS}/baselines`, 'POST', { ...BASELINE, yield_pct: s(1) }, /^yield_pct\.value: 1 looks like a fraction/],
      [`${firingUrl()}/grading`, 'PUT', { ...GRADING, products: [{ ...GRADING.products[0], first: 460 }, GRADING.products[1]] }, /^products\.0: cup: 500 pieces graded \(first \+ second \+ reject\), more than the 400 loaded$/],
      [`${firingUrl()}/load`, 'PUT', { ...LOAD, products: [{ product: 'cup', pieces: 300, ware_kg: 200 }, LOAD.products[1]] }, /^products\.0\.pieces: 300 is fewer than the 400 pieces of cup already graded$/],
      ['/api/prices', 'PUT', { prices: [{ valid_from: '2020-01-01', vnd_per_kg: 1, source: 'a' }, { valid_from: '2020-01-01', vnd_per_kg: 2, source: 'b' }], by: 'x' }, /a second price from 2020-01-01/],
      ['/api/prices', 'PUT', { prices: [{ valid_from: '2020-13-01', vnd_per_kg: 1, source: 'a' }], by: 'x' }, /^prices\.0\.valid_from: /],
    ];
    for (const [url, method, body, msg] of cases) {
      const res = await req(svc, method, url, body);
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ error: string; message: string }>()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(msg) as unknown });
    }
    expect((await req(svc, 'PUT', `/api/workshops/${WS}/kilns/${tr.kiln}/firings/bad%20id/load`, LOAD)).statusCode).toBe(400);
    // Records only for a firing that exists (open or closed): another id, another kiln, another workshop.
    for (const url of [`/api/workshops/${WS}/kilns/${tr.kiln}/firings/NO-SUCH-FIRING`, `/api/workshops/${WS}/kilns/no-kiln/firings/${tr.firing_id}`, `/api/workshops/ws-none/kilns/${tr.kiln}/firings/${tr.firing_id}`]) {
      for (const [kind, body] of [['load', LOAD], ['grading', GRADING]] as const) {
        const res = await req(svc, 'PUT', `${url}/${kind}`, body);
        expect(res.statusCode, `${url}/${kind}`).toBe(404);
        expect(res.json<{ error: string; message: string }>()).toMatchObject({ error: 'not_found', message: expect.stringMatching(/^no firing .* \(open or closed\)/) as unknown });
      }
      expect((await req(svc, 'GET', `${url}/load`)).statusCode).toBe(404);
    }
    // Nothing of that was stored (four versions: lan, hoa, and the roll-up test's tuan and lan).
    expect((await req(svc, 'GET', `${firingUrl()}/load/history`)).json<{ versions: unknown[] }>().versions).toHaveLength(4);
    expect((await req(svc, 'GET', '/api/prices')).json()).toMatchObject({ prices: [{ vnd_per_kg: PRICE }] });
  });

  it('takes what an adviser cannot know from the path, the server and cited defaults; flags unusual figures', async () => {
    const { workshop: _w, duration_h: _d, co2_kg_per_kg_coal: _c, recorded_at_ms: _r, ...bare } = BASELINE;
    const t0 = Date.now();
    const res = await req(svc, 'POST', `/api/workshops/${WS}/baselines`, { ...bare, kiln: 'other-kiln', yield_pct: s(95) });
    expect(res.statusCode, res.body).toBe(201);
    const saved = res.json<{ id: string; baseline: Record<string, unknown> & { recorded_at_ms: number }; warnings: { field: string; message: string; source: string | null }[] }>();
    expect(saved.baseline.workshop).toBe(WS);
    expect(saved.baseline.duration_h).toBeUndefined();
    expect(saved.baseline.recorded_at_ms).toBeGreaterThanOrEqual(t0);
    // IPCC 2006 anthracite 98,300 kg CO2/TJ × the NCV entered (26.7 MJ/kg, M), at the NCV's grade.
    expect(saved.baseline.co2_kg_per_kg_coal).toEqual({ value: 26.7 * 98_300 / 1e6, source: expect.stringMatching(/IPCC 2006 anthracite 98,300 kg CO2\/TJ/) as unknown, confidence: 'M' });
    expect(saved.warnings).toEqual([{ field: 'yield_pct', message: expect.stringMatching(/^95 % is outside the 65–80 %/) as unknown, source: expect.stringMatching(/vneec\.gov\.vn/) as unknown }]);
    const listed = (await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: { id: string; warnings: unknown[] }[] }>();
    expect(listed.baselines.find((b) => b.id === saved.id)?.warnings).toEqual(saved.warnings);
    // A load without furniture (not weighed) and without a time: the server's time.
    const { furniture_kg: _f, recorded_at_ms: _t, ...noFurniture } = LOAD;
    const load = await req(svc, 'PUT', `${firingUrl()}/load`, noFurniture);
    expect(load.statusCode, load.body).toBe(200);
    expect(load.json<{ load: { furniture_kg?: number; recorded_at_ms: number } }>().load).toMatchObject({ recorded_at_ms: expect.any(Number) as unknown });
    expect(load.json<{ load: { furniture_kg?: number } }>().load.furniture_kg).toBeUndefined();
    expect((await req(svc, 'GET', firingUrl())).statusCode).toBe(200);
    expect((await req(svc, 'PUT', `${firingUrl()}/load`, LOAD)).statusCode).toBe(200);
  });

  it('InfluxDB stopped: saves answer 503 and nothing is stored, half or whole', async () => {
    await influx.pause();
    try {
      const put = await req(svc, 'PUT', `${firingUrl()}/load`, { ...LOAD, ware_kg: 999, by: 'Tuan' });
      expect(put.statusCode).toBe(503);
      expect(put.json()).toMatchObject({ error: 'unavailable' });
      expect((await req(svc, 'POST', `/api/workshops/${WS}/baselines`, { ...BASELINE, by: 'Tuan' })).statusCode).toBe(503);
      expect((await req(svc, 'PUT', '/api/prices', { prices: [{ valid_from: '2021-01-01', vnd_per_kg: 1, source: 'a' }], by: 'Tuan' })).statusCode).toBe(503);
      expect((await req(svc, 'GET', `${firingUrl()}/load`)).statusCode).toBe(503);
    } finally {
      await influx.resume();
    }
    await waitFor(async () => (await req(svc, 'GET', `${firingUrl()}/load`)).statusCode === 200, 30_000, 'records readable again');
    const hist = (await req(svc, 'GET', `${firingUrl()}/load/history`)).json<{ versions: { by: string }[] }>();
    expect(hist.versions.map((v) => v.by)).toEqual(['lan', 'lan', 'lan', 'tuan', 'hoa', 'lan']);
    expect((await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: unknown[] }>().baselines).toHaveLength(2); // the one above and the other kiln's (defaults test)
    expect((await req(svc, 'GET', '/api/prices')).json()).toMatchObject({ by: 'minh', prices: [{ vnd_per_kg: PRICE }] });
    // And a save works again once it is back.
    expect((await req(svc, 'PUT', `${firingUrl()}/load`, { ...LOAD, by: 'Tuan' })).statusCode).toBe(200);
  });

  it('still loads and shows records of the previous version that would now be refused', async () => {
    // As the previous version stored them: a yield typed as a fraction, more pieces graded than loaded.
    const store = new RecordStore(svc.runtime.store);
    const old = { ...BASELINE, kiln: tr.kiln, yield_pct: s(0.72), adjustments: [], by: 'minh' };
    await store.save({ kind: 'baseline', workshop: WS, key: 'bl-00000000-0000-4000-8000-0000000000aa' }, 'minh', old);
    const grading = { ...GRADING, products: [{ ...GRADING.products[0], first: 460 }, GRADING.products[1]] };
    await store.save({ kind: 'grading', workshop: WS, kiln: tr.kiln, key: tr.firing_id }, 'lan', grading);
    const listed = (await req(svc, 'GET', `/api/workshops/${WS}/baselines`)).json<{ baselines: { id: string; baseline: unknown; warnings: { field: string; message: string }[] }[] }>();
    const b = listed.baselines.find((x) => x.id === 'bl-00000000-0000-4000-8000-0000000000aa')!;
    expect(b.baseline).toMatchObject({ yield_pct: { value: 0.72 } });
    expect(b.warnings).toEqual([expect.objectContaining({ field: 'yield_pct', message: expect.stringMatching(/did you mean 72 %/) as unknown })]);
    expect((await req(svc, 'GET', `${firingUrl()}/grading`)).json()).toMatchObject({ grading: { products: [{ first: 460 }, {}] } });
    const r = await req(svc, 'GET', firingUrl());
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json<FiringReport>();
    expect(report.baseline_comparison?.baseline_id).toBe('bl-00000000-0000-4000-8000-0000000000aa'); // the kiln's own, newest
    expect(report.baseline_comparison?.warnings).toEqual([expect.objectContaining({ field: 'yield_pct', message: expect.stringMatching(/looks like a fraction/) as unknown })]);
    expect(report.grading?.products[0]?.first).toBe(460);
    // Only a new save is refused.
    expect((await req(svc, 'PUT', `${firingUrl()}/grading`, { ...grading, by: 'Lan' })).statusCode).toBe(400);
  });
});
