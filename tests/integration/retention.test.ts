// Retention with a real influxd (docs/retention.md): a simulated 22 h firing with every meter kind
// (flow meter, totaliser, cylinder scale with two swaps) is stored, its report computed from the raw
// readings; the downsampler then aggregates and really DELETEs them, and the report, the curve and
// the readings CSV are read again from the one-minute aggregates, each report figure within the
// documented tolerance. Also: a reading arriving late into an aggregated minute ends up in its
// aggregate, and a database written by the previous version (raw readings only) upgrades with nothing lost.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AggregateStore, AGG_RP } from '../../src/adapters/influx/aggregates.ts';
import { CurveReader } from '../../src/adapters/influx/curve-reader.ts';
import { ReadingsReader } from '../../src/adapters/influx/readings.ts';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { TieredReadings } from '../../src/adapters/influx/tiered-readings.ts';
import { DEFAULT_LPG_PRICES } from '../../src/domain/analytics/energy-prices.ts';
import type { Point } from '../../src/domain/point.ts';
import { minuteOf, READING_MEASUREMENTS } from '../../src/domain/retention/minutes.ts';
import { CurveService } from '../../src/firings/curve.ts';
import { readingsCsv } from '../../src/firings/csv.ts';
import { FiringService } from '../../src/firings/service.ts';
import { Downsampler } from '../../src/retention/downsampler.ts';
import { simulate } from '../fixtures/report/simulated.ts';
import { quietLog, uniqueDb, writePoints } from '../support/influx.ts';
import { compareReports } from '../support/retention-compare.ts';

const DAY = 86_400_000;
const spool = { appendedPosition: () => ({ segment: 0, offset: 0 }), isStored: () => true, pendingBytes: () => 0 };

function setup(db: string) {
  const url = inject('influxUrl');
  const store = new InfluxStore({ url, database: db, retention: 'INF', timeout_ms: 10_000 });
  const raw = new ReadingsReader(url, db);
  const aggs = new AggregateStore(store, 0);
  const readings = new TieredReadings(raw, aggs);
  const firings = new FiringService({ readings, prices: DEFAULT_LPG_PRICES });
  const curves = new CurveService(firings, new CurveReader({ url, database: db }, aggs), 300);
  // Raw readings kept one day: everything written here (a year old) is past it.
  const downsampler = new Downsampler({ aggs, raw, spool: spool as never, raw_days: 1, interval_ms: 3_600_000, log: quietLog });
  const write = (points: readonly Point[]) => writePoints(store, points);
  const count = async (where: string, rp = '') => {
    const q = READING_MEASUREMENTS.map((m) => `SELECT count(*) FROM ${rp}"${m}${rp ? '_1m' : ''}" WHERE ${where}`).join(';');
    let n = 0;
    for (const s of await store.query(q)) for (const row of s.values ?? []) for (const v of row.slice(1)) if (typeof v === 'number') n = Math.max(n, v);
    return n;
  };
  return { url, store, raw, aggs, readings, firings, curves, downsampler, write, count };
}

describe('retention: a firing downsampled to one-minute aggregates', () => {
  const db = uniqueDb('retention');
  const env = setup(db);
  const [SIM] = simulate([{ preset: 'k3_5', firing: 'cone10red' }], { interval_s: 10, seed: 7, max_h: 48 });
  const kiln = { workshop: 'ws1', kiln: SIM!.kiln };
  let firing_id = '';
  let before: Awaited<ReturnType<FiringService['firingReport']>>;
  let curveBefore: Awaited<ReturnType<CurveService['curve']>>;

  beforeAll(async () => {
    await env.store.ensureDatabase();
    await env.write(SIM!.points);
    const t0 = SIM!.points[0]!.ts_ms;
    const list = await env.firings.listFirings({ ...kiln, from_ms: t0, to_ms: t0 + 3 * DAY });
    expect(list.firings).toHaveLength(1);
    firing_id = list.firings[0]!.id;
    before = await env.firings.firingReport({ ...kiln, firing_id });
    curveBefore = await env.curves.curve({ ...kiln, firing_id }, 600);
    await env.downsampler.pass();
  });
  afterAll(() => env.store.exec(`DROP DATABASE "${db}"`).finally(() => env.store.close()));

  it('really deletes the raw readings, keeps the events, and stores the aggregates', async () => {
    const where = `"kiln"='${kiln.kiln}'`;
    expect(await env.count(where)).toBe(0);
    const rows = await env.store.query(READING_MEASUREMENTS.map((m) => `SELECT count("n") FROM "${AGG_RP}"."${m}_1m" WHERE ${where}`).join(';'));
    const agg_points = rows.reduce((s, r) => s + Number(r.values?.[0]?.[1] ?? 0), 0);
    const raw_points = SIM!.points.filter((p) => p.measurement !== 'event').length;
    console.log(`stored: ${raw_points} raw readings (10 s) → ${agg_points} one-minute aggregate points`);
    expect(agg_points).toBeGreaterThan(raw_points / 10);
    const events = await env.store.query(`SELECT count("seq") FROM "event" WHERE ${where}`);
    expect(events[0]?.values?.[0]?.[1]).toBeGreaterThan(0);
    expect(await env.aggs.droppedBefore(kiln)).toBeGreaterThan(SIM!.points.at(-1)!.ts_ms);
    expect(env.downsampler.stats).toMatchObject({ errors: 0, last_error: null });
    // What GET /api/health and /metrics report: the pass wrote aggregates and dropped the firing's days.
    expect(env.downsampler.stats.minutes_written).toBeGreaterThan(0);
    expect(env.downsampler.stats.days_dropped).toBeGreaterThan(0);
  });

  it('gives a report from the aggregates within the documented tolerance of the raw one, for every meter kind', async () => {
    const after = await env.firings.firingReport({ ...kiln, firing_id });
    expect(before!.quality.resolution).toBe('raw');
    expect(after!.quality.resolution).toBe('1m');
    const diffs = compareReports(before!, after!);
    console.log(`report raw vs one-minute aggregates (influxd):\n${diffs.map((d) => `  ${d.figure}: raw ${d.raw} · 1m ${d.agg} · ${d.text}`).join('\n')}`);
    for (const d of diffs) expect(d.ok, `${d.figure}: raw ${d.raw}, 1m ${d.agg} (${d.text})`).toBe(true);
    expect(after!.fuel.by_meter.map((m) => m.kind).sort()).toEqual(['flow', 'scale', 'totalizer']);
  });

  it('still draws the curve (exact zone peaks) and writes the readings CSV', async () => {
    const after = await env.curves.curve({ ...kiln, firing_id }, 600);
    expect(after!.peaks_c).toEqual(curveBefore!.peaks_c);
    expect(after!.kiln_c.length).toBeGreaterThan(curveBefore!.kiln_c.length * 0.9);
    expect(after!.flow_kg_h.length).toBeGreaterThan(0);
    // Without a stored report to scale it, the curve's fuel is its own flow sum (fuel_method 'flow'): near the report's.
    const fuel = (c: typeof after) => c!.fuel_kg.at(-1)![1];
    const report_kg = before!.fuel.by_meter.find((m) => m.kind === 'flow')!.fuel_kg;
    console.log(`curve's flow fuel: raw ${fuel(curveBefore)} kg, from aggregates ${fuel(after)} kg; the report's flow meter ${report_kg} kg`);
    expect(Math.abs(fuel(after) - report_kg) / report_kg).toBeLessThan(0.02);
    const found = await env.firings.firingReadings({ ...kiln, firing_id });
    const csv = [...readingsCsv(found!.points)].join('');
    expect(csv).toMatch(/temperature,top,temp_c/);
    expect(csv).toMatch(/gas_total,/);
  });

  it('reads a range within the last day as raw readings without asking for the kiln\'s dropped_before; an older range still asks', async () => {
    let asked = 0;
    const counting = Object.assign(Object.create(env.aggs) as AggregateStore, { droppedBefore: (k: { workshop: string; kiln: string }) => { asked++; return env.aggs.droppedBefore(k); } });
    const readings = new TieredReadings(env.raw, counting);
    const now = Date.now();
    const recent = { ...kiln, kiln: `${kiln.kiln}-recent` };
    const points: Point[] = Array.from({ length: 6 }, (_, i) => ({ measurement: 'temperature', tags: { ...recent, channel: 'z0' }, fields: { temp_c: 100 + i }, ts_ms: now - 3_600_000 + i * 10_000 }));
    await env.write(points);
    const got = await readings.read({ ...recent, from_ms: now - 2 * 3_600_000, to_ms: now + 1 });
    expect(got.map((p) => p.fields.temp_c)).toEqual(points.map((p) => p.fields.temp_c));
    expect(asked).toBe(0);
    const t0 = SIM!.points[0]!.ts_ms;
    expect((await readings.read({ ...kiln, from_ms: t0, to_ms: t0 + 3_600_000 })).length).toBeGreaterThan(0); // from the aggregates
    expect(asked).toBe(1);
  });
});

describe('retention: late readings and an upgraded database', () => {
  const T0 = minuteOf(Date.parse('2025-06-01T00:00:00Z'));
  const temp = (k: string, t_s: number, v: number, ch = 'top'): Point => ({ measurement: 'temperature', tags: { workshop: 'w1', kiln: k, channel: ch }, fields: { temp_c: v }, ts_ms: T0 + t_s * 1000 });
  const ramp = (k: string) => Array.from({ length: 360 }, (_, i) => [temp(k, i * 10, 20 + i), temp(k, i * 10, 18 + i, 'bottom')]).flat();

  it('puts a reading that arrives after its minute was aggregated into that minute\'s aggregate', async () => {
    const db = uniqueDb('late');
    const env = setup(db);
    try {
      await env.store.ensureDatabase();
      const k = { workshop: 'w1', kiln: 'late' };
      await env.write(ramp('late'));
      expect(await env.downsampler.aggregate(k, T0, T0 + 3_600_000)).toBe(120); // 60 minutes × 2 zones
      const minute = T0 + 30 * 60_000;
      const [old] = (await env.aggs.read(k, minute, minute + 60_000)).filter((a) => a.channel === 'top');
      expect(old).toMatchObject({ n: 6, max: 20 + 185 });
      await env.write([temp('late', 30 * 60 + 33, 999)]); // a logger's outbox, replayed: between two readings
      await env.downsampler.pass();
      expect(await env.count(`"kiln"='late'`)).toBe(0);
      const [now] = (await env.aggs.read(k, minute, minute + 60_000)).filter((a) => a.channel === 'top');
      expect(now).toMatchObject({ n: 7, max: 999, max_dt_ms: 33_000 });
      const got = await env.readings.read({ ...k, from_ms: minute, to_ms: minute + 60_000 });
      expect(got.some((p) => p.fields.temp_c === 999 && p.ts_ms === minute + 33_000)).toBe(true);
    } finally {
      await env.store.exec(`DROP DATABASE "${db}"`);
      env.store.close();
    }
  });

  it('upgrades a database the previous version wrote (raw readings only) with nothing lost', async () => {
    const db = uniqueDb('oldshape');
    const env = setup(db);
    try {
      // As the previous version left it: the database, the default policy, raw readings and events; no other policy.
      await env.store.exec(`CREATE DATABASE "${db}"`);
      const points = ramp('old');
      await env.write(points);
      const k = { workshop: 'w1', kiln: 'old' }, q = { ...k, from_ms: T0, to_ms: T0 + DAY };
      const plain = await env.raw.read(q);
      expect(plain).toHaveLength(points.length);
      // Read before anything is created, then after the start-up's ensure (twice: idempotent).
      expect(await env.readings.readResolved(q)).toEqual({ points: plain, resolution: 'raw' });
      await env.store.ensureDatabase();
      await env.aggs.ensure();
      await new AggregateStore(env.store, 0).ensure();
      const rps = (await env.store.query(`SHOW RETENTION POLICIES ON "${db}"`))[0]!;
      const names = rps.values!.map((r) => [r[0], r[rps.columns.indexOf('default')]]);
      expect(names).toEqual(expect.arrayContaining([['autogen', true], [AGG_RP, false], ['records', false]]));
      expect(await env.readings.readResolved(q)).toEqual({ points: plain, resolution: 'raw' });
      expect(await env.count(`"kiln"='old'`)).toBe(720); // 360 instants × 2 zones
    } finally {
      await env.store.exec(`DROP DATABASE "${db}"`);
      env.store.close();
    }
  });
});
