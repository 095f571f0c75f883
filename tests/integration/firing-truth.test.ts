// A firing's moments as the simulator knows them, through the real broker, InfluxDB, the firing
// index, the reports and the live view: for kilns with no controller and one meter kind each (flow,
// totaliser, cylinder scale), every firing the simulator reports complete has a report, and its
// start, gas-on, gas-off and end are within one reading interval of the simulator's own truth.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSession } from '../../simulator/session.ts';
import type { FiringTruth } from '../../simulator/model/truth.ts';
import type { GasKind } from '../../simulator/model/presets.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import type { FiringList, FiringReport } from '../../src/firings/service.ts';
import type { LiveSnapshot } from '../../src/http/schemas/live.ts';

const INTERVAL_S = 10;
const TOL_MS = INTERVAL_S * 1000;
// A cylinder scale reads 0.1 kg steps with ±0.05 kg noise; at the opening ~5 kg/h each reading
// moves a seventh of a step, so its gas-on (and the start dated from it) is a fit of the idle level
// and the first half hour of burning, a statistical estimate: spread 2σ/(r√n) ≈ 6 s at 10 s readings
// (tests/unit/domain/firing-scale-gas-on.test.ts), plus ~5 s early on average here from the way the
// simulator's controller opens the burners (5.6 kg/h in the first minutes, 5.2 kg/h at 10 min). Over
// 60 seeded simulator firings: rms 7.9 s, 90 % within 12.7 s, all within 18.2 s; so two intervals.
// Its gas-off, at a higher flow, and its end (a thermocouple) are held to one interval like the others.
const SCALE_ON_TOL_MS = 2 * INTERVAL_S * 1000;
const KINDS: readonly GasKind[] = ['flow', 'totalizer', 'scale'];

describe('firing start, gas-on, gas-off and end against the simulator, monitor-only kilns', () => {
  let svc: InProcess;
  const truth = new Map<GasKind, FiringTruth[]>();
  const db = uniqueDb('truth');
  const get = (url: string) => svc.app.inject({ method: 'GET', url });
  const ws = (kind: GasKind) => `ws-${kind}`;
  const figures: Record<string, number> = {};
  // A kiln with its own end rule, saved in its settings before its readings come: 2 h after gas-off
  // (it cools to 200 °C in far longer), flow meter only.
  const RULE = { ws: 'ws-rule', kiln: 'K01', after_h: 2 };
  let ruleTruth: FiringTruth | null = null;

  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: db, FIRING_INDEX_INTERVAL_S: '1' }, inject('influxUrl'));
    // 40 h ago: whole firings and their cooling, sent as fast as the broker takes them, carry past timestamps.
    const sim_start_ms = Math.floor((Date.now() - 40 * 3600_000) / 1000) * 1000;
    const saved = await svc.app.inject({ method: 'PUT', url: `/api/workshops/${RULE.ws}/kilns/${RULE.kiln}/alert-settings`, payload: { settings: { firing_end_after_gas_off_h: RULE.after_h } } });
    expect(saved.statusCode).toBe(200);
    const rule = await startSession({
      url: svc.mqttUrl, workshop: RULE.ws, kilns: 1, seed: 8, speed: Number.POSITIVE_INFINITY, qos: 1,
      sim_start_ms, interval_s: INTERVAL_S, cool_until_c: 200, stagger_min: 0, gas: ['flow'], monitor_only: true, faults: [],
      config: { kilns: [{ preset: 'k3_5', firing: 'bisque04', start_h: 1 }] },
    });
    await rule.runner.done;
    await rule.link?.drain(30_000);
    ruleTruth = rule.truth()[0]!;
    await rule.stop();
    for (const kind of KINDS) {
      const session = await startSession({
        url: svc.mqttUrl, workshop: ws(kind), kilns: 2, seed: 7, speed: Number.POSITIVE_INFINITY, qos: 1,
        sim_start_ms, interval_s: INTERVAL_S, cool_until_c: 200, stagger_min: 30,
        gas: [kind], monitor_only: true, faults: [],
        // An hour idle first (the idle level the gas-on is dated against), the second kiln 40 min later.
        config: { kilns: [{ preset: 'k3_5', firing: 'bisque04', start_h: 1 }, { preset: 'k3_5', firing: 'bisque04', start_h: 1.7 }] },
      });
      await session.runner.done;
      await session.link?.drain(30_000);
      truth.set(kind, session.truth());
      await session.stop();
    }
    await waitFor(() => svc.runtime.spool.pendingBytes() === 0 && svc.runtime.stats.readings_stored >= svc.runtime.stats.readings_accepted, 60_000, 'readings stored');
  }, 120_000);
  afterAll(async () => {
    await svc?.stop();
    console.log(`firing-truth errors (s): ${JSON.stringify(figures)}`);
  });

  it.each(KINDS)('%s only: every complete firing has a report, its moments within one reading interval', async (kind) => {
    const complete = truth.get(kind)!.filter((t) => t.stop_reason === 'complete');
    expect(complete).toHaveLength(2);
    for (const t of complete) {
      const url = `/api/workshops/${ws(kind)}/kilns/${t.kiln}/firings`;
      let list: FiringList | null = null;
      await waitFor(async () => {
        list = (await get(url)).json<FiringList>();
        return list.firings.length === 1 && list.firings[0]!.status === 'ended';
      }, 30_000, `${kind} ${t.kiln}: the firing listed as ended`);
      const f = list!.firings[0]!;
      expect(f.by).toBe('detected');
      const err = {
        start: f.start_ms - t.gas_on_ts_ms!, gas_on: f.gas_on_ms! - t.gas_on_ts_ms!,
        gas_off: f.gas_off_ms! - t.gas_off_ts_ms!, end: f.end_ms! - t.end_ts_ms!,
      };
      for (const [k, v] of Object.entries(err)) figures[`${kind}_${t.kiln}_${k}`] = v / 1000;
      const onTol = kind === 'scale' ? SCALE_ON_TOL_MS : TOL_MS;
      expect(Math.abs(err.start)).toBeLessThanOrEqual(onTol);
      expect(Math.abs(err.gas_on)).toBeLessThanOrEqual(onTol);
      expect(Math.abs(err.gas_off)).toBeLessThanOrEqual(TOL_MS);
      expect(Math.abs(err.end)).toBeLessThanOrEqual(TOL_MS);

      const res = await get(`${url}/${f.id}`);
      expect(res.statusCode).toBe(200);
      const r = res.json<FiringReport>();
      expect(r.status).toBe('ended');
      expect(r.gas_off_ms).toBe(f.gas_off_ms);
      expect(r.fuel.source).toBe(kind);
      // The fuel burnt before the temperature rose is in the firing.
      expect(Math.abs(r.fuel.fuel_kg! - t.fuel_kg) / t.fuel_kg).toBeLessThan(0.01);
    }
  });

  it('a kiln\'s own end rule (its settings): the index, the report and the live view end the firing 2 h after gas-off', async () => {
    const url = `/api/workshops/${RULE.ws}/kilns/${RULE.kiln}/firings`;
    let list: FiringList | null = null;
    await waitFor(async () => {
      list = (await get(url)).json<FiringList>();
      return list.firings.length === 1 && list.firings[0]!.status === 'ended';
    }, 30_000, 'the rule kiln\'s firing listed as ended');
    const f = list!.firings[0]!;
    expect(Math.abs(f.gas_off_ms! - ruleTruth!.gas_off_ts_ms!)).toBeLessThanOrEqual(TOL_MS);
    expect(f.end_ms).toBe(f.gas_off_ms! + RULE.after_h * 3600_000);
    expect(ruleTruth!.end_ts_ms! - f.end_ms!).toBeGreaterThan(RULE.after_h * 3600_000); // by the default rule it would end hours later
    const r = (await get(`${url}/${f.id}`)).json<FiringReport>();
    expect(r.status).toBe('ended');
    expect(r.end_ms).toBe(f.end_ms);
    let snap: LiveSnapshot | null = null;
    await waitFor(async () => {
      snap = (await get('/api/live')).json<LiveSnapshot>();
      return snap.kilns.some((x) => x.workshop === RULE.ws && x.kiln === RULE.kiln && x.complete);
    }, 90_000, 'the rule kiln in the live view');
    const k = snap!.kilns.find((x) => x.workshop === RULE.ws && x.kiln === RULE.kiln)!;
    expect(k.firing).toBeNull();
    if (k.last_firing) expect(k.last_firing.end_ms).toBe(f.end_ms);
  }, 120_000);

  it('the live view shows no kiln still firing once its firing ended', async () => {
    // Readings the live view skipped under the burst are re-read from InfluxDB first (complete: false till then).
    let snap: LiveSnapshot | null = null;
    await waitFor(async () => {
      snap = (await get('/api/live')).json<LiveSnapshot>();
      return KINDS.every((kind) => truth.get(kind)!.every((t) => snap!.kilns.some((x) => x.workshop === ws(kind) && x.kiln === t.kiln && x.complete)));
    }, 90_000, 'live view complete'); // the rebuild of six 40 h kilns from InfluxDB: ~20 s on a busy box
    for (const kind of KINDS) {
      for (const t of truth.get(kind)!) {
        const k = snap!.kilns.find((x) => x.workshop === ws(kind) && x.kiln === t.kiln)!;
        expect(k.firing).toBeNull();
        // A kiln rebuilt from InfluxDB after a skip is read back only 2 h when no firing is open, so its
        // last firing may be out of that range; when it is there, it ended where the index says.
        if (k.last_firing) expect(Math.abs(k.last_firing.end_ms - t.end_ts_ms!)).toBeLessThanOrEqual(TOL_MS);
      }
    }
  }, 120_000);
});
