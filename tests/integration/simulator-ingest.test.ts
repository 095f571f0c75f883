// The simulator through a real broker into the service's ingest and a real InfluxDB: what is
// stored matches what the simulator sent, and a network cut's outbox replay fills the gap.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSession, type Session } from '../../simulator/session.ts';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { startTestMosquitto, type TestMosquitto } from '../support/mosquitto.ts';

const INTERVAL_S = 10;
const CUT = { at_h: 6, duration_min: 90 };

describe.each(['embedded', 'mosquitto'] as const)('simulator → %s broker → ingest → InfluxDB', (mode) => {
  let svc: InProcess;
  let session: Session;
  const db = uniqueDb(`sim_${mode}`);
  const sent = { temperature: new Set<string>(), gas: new Set<string>() };
  const cutKilnTs: number[] = [];
  let sim_start_ms = 0;
  let mosq: TestMosquitto | undefined;

  beforeAll(async () => {
    const env: Record<string, string> = { INFLUX_DATABASE: db };
    if (mode === 'mosquitto') {
      // Our shipped config: the system broker's default max_queued_messages (1,000) would drop
      // what queues for the service while it is busy, silently, which is the point of that config.
      mosq = await startTestMosquitto();
      Object.assign(env, { MQTT_URL: mosq.url, MQTT_CLIENT_ID: `ingest-${db}` });
    }
    svc = await startInProcess(env, inject('influxUrl'));
    // Start a day and a half ago so that a whole firing, sent as fast as the broker takes it,
    // carries device timestamps in the past (the service refuses readings from the future).
    sim_start_ms = Math.floor((Date.now() - 36 * 3600_000) / 1000) * 1000;
    session = await startSession({
      url: svc.mqttUrl, workshop: `ws-${mode}`, kilns: 2, seed: 11, speed: Number.POSITIVE_INFINITY, qos: 1,
      sim_start_ms, interval_s: INTERVAL_S, cool_until_c: 200, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04',
      faults: [{ type: 'net_cut', kiln: 1, ...CUT }],
      sink: (topic, out) => {
        if (out.kind !== 'telemetry') return;
        const kiln = topic.split('/')[3]!;
        const msg = JSON.parse(out.payload) as { ts_ms?: number; readings?: { ts_ms: number; temp_c?: Record<string, number>; gas?: Record<string, unknown> }[] } & { temp_c?: Record<string, number>; gas?: Record<string, unknown> };
        const readings = msg.readings ?? [msg as { ts_ms: number; temp_c?: Record<string, number>; gas?: Record<string, unknown> }];
        for (const r of readings) {
          for (const ch of Object.keys(r.temp_c ?? {})) sent.temperature.add(`${kiln}/${ch}/${r.ts_ms}`);
          for (const ch of Object.keys(r.gas ?? {})) sent.gas.add(`${kiln}/${ch}/${r.ts_ms}`);
          if (kiln === session?.fleet[0]?.id) cutKilnTs.push(r.ts_ms);
        }
      },
    });
    await session.runner.done;
    await session.link?.drain(30_000);
  }, 240_000);
  afterAll(async () => {
    await session?.stop();
    await svc?.stop();
    await mosq?.stop();
  });

  it('stores exactly the readings the simulator sent', async () => {
    expect(sent.temperature.size).toBeGreaterThan(1000);
    const influx = influxClient(inject('influxUrl'), db);
    const gasPoints = async () => (await countPoints(influx, 'gas_flow', 'flow_kg_h')) + (await countPoints(influx, 'gas_total', 'total_kg').catch(() => 0)) + (await countPoints(influx, 'gas_scale', 'mass_kg').catch(() => 0));
    await waitFor(async () => (await countPoints(influx, 'temperature', 'temp_c')) >= sent.temperature.size, 60_000, 'temperatures stored');
    expect(await countPoints(influx, 'temperature', 'temp_c')).toBe(sent.temperature.size);
    expect(await gasPoints()).toBe(sent.gas.size);
    expect(svc.runtime.stats.totalRejected(svc.runtime.stats.readings_rejected)).toBe(0);
  });

  it('has no gap where the network was cut: the outbox replay filled it with the original timestamps', async () => {
    const kiln = session.fleet[0]!.id;
    const from_ms = sim_start_ms + CUT.at_h * 3600_000 - 600_000;
    const to_ms = from_ms + CUT.duration_min * 60_000 + 1_200_000;
    const influx = influxClient(inject('influxUrl'), db);
    const rows = await influx.query<{ time: Date }>(
      `SELECT flow_kg_h FROM gas_flow WHERE kiln='${kiln}' AND time >= ${from_ms}ms AND time <= ${to_ms}ms ORDER BY time ASC`, { precision: 'ms' });
    const ts = rows.map((r) => r.time.getTime());
    expect(ts.length).toBeGreaterThan(((to_ms - from_ms) / 1000 / INTERVAL_S) * 0.95);
    const maxStep_s = Math.max(...ts.slice(1).map((t, i) => (t - ts[i]!) / 1000));
    expect(maxStep_s).toBeLessThanOrEqual(INTERVAL_S * 1.5);
    // and the replay was real: readings of the cut window arrived in batches after it ended
    const inCut = cutKilnTs.filter((t) => t >= sim_start_ms + CUT.at_h * 3600_000 + 60_000 && t < sim_start_ms + CUT.at_h * 3600_000 + CUT.duration_min * 60_000 - 60_000);
    expect(inCut.length).toBeGreaterThan(0);
  });
});
