// Readings of several kilns published by real MQTT clients at QoS 1, through the real broker
// (Mosquitto on 127.0.0.1:1883, or the embedded aedes), read back from a real InfluxDB by query,
// value for value.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice, type Device } from '../support/device.ts';

const KILNS = [['bt01', 'k1'], ['bt01', 'k2'], ['bt02', 'lo-18m3']] as const;
const PER_KILN = 40;

describe.each([
  ['Mosquitto on 127.0.0.1:1883', 'external'],
  ['the embedded aedes broker', 'embedded'],
] as const)('round trip through %s', (_name, mode) => {
  let svc: InProcess;
  let devices: Device[] = [];
  const db = uniqueDb('rt');
  const sent = new Map<string, { ts_ms: number; temp_c: Record<string, number>; flow_kg_h: number }[]>();

  beforeAll(async () => {
    const env: Record<string, string> = { INFLUX_DATABASE: db };
    if (mode === 'external') Object.assign(env, { MQTT_URL: inject('mosquittoUrl'), MQTT_CLIENT_ID: `ingest-${db}` });
    svc = await startInProcess(env, inject('influxUrl'));
    devices = await Promise.all(KILNS.map(([w, k]) => connectDevice(svc.mqttUrl, `dev-${db}-${w}-${k}`)));
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()));
    await svc.stop();
  });

  it('stores every reading of every kiln, keyed by the device timestamp', async () => {
    const t0 = Date.now() - PER_KILN * 1000;
    await Promise.all(KILNS.map(async ([w, k], i) => {
      const rows: { ts_ms: number; temp_c: Record<string, number>; flow_kg_h: number }[] = [];
      for (let n = 0; n < PER_KILN; n++) {
        const ts_ms = t0 + n * 1000 + i; // distinct per kiln
        const temp_c = { top: 20 + n * 10.5 + i, bottom: 18 + n * 9.25 + i };
        const flow_kg_h = 1 + (n % 7) * 0.5;
        rows.push({ ts_ms, temp_c, flow_kg_h });
        await devices[i]!.publish(`kiln/v1/${w}/${k}/telemetry`, JSON.stringify({ v: 1, ts_ms, seq: n, temp_c, gas: { burner: { kind: 'flow', flow_kg_h } } }), n);
      }
      sent.set(`${w}/${k}`, rows);
    }));
    expect(devices.reduce((n, d) => n + d.acked.size, 0)).toBe(KILNS.length * PER_KILN);

    const influx = influxClient(inject('influxUrl'), db);
    // Waits on the database itself, not the service's stored counter: on the shared Mosquitto the
    // service also takes other test files' kilns, which made the counter pass early (seen: 78 of 80).
    const mine = KILNS.map(([w, k]) => `(workshop='${w}' AND kiln='${k}')`).join(' OR ');
    await waitFor(async () => {
      const [t] = await influx.query<{ count: number }>(`SELECT COUNT(temp_c) AS count FROM temperature WHERE ${mine}`);
      const [f] = await influx.query<{ count: number }>(`SELECT COUNT(flow_kg_h) AS count FROM gas_flow WHERE ${mine}`);
      return (t?.count ?? 0) >= KILNS.length * PER_KILN * 2 && (f?.count ?? 0) >= KILNS.length * PER_KILN;
    }, 15_000, 'readings stored');
    for (const [w, k] of KILNS) {
      const temps = await influx.query<{ time: Date; channel: string; temp_c: number }>(
        `SELECT temp_c, channel FROM temperature WHERE workshop='${w}' AND kiln='${k}' ORDER BY time ASC`, { precision: 'ms' });
      const flows = await influx.query<{ time: Date; flow_kg_h: number }>(
        `SELECT flow_kg_h FROM gas_flow WHERE workshop='${w}' AND kiln='${k}' AND channel='burner' ORDER BY time ASC`, { precision: 'ms' });
      const rows = sent.get(`${w}/${k}`)!;
      const got = new Map(temps.map((t) => [`${t.time.getTime()}/${t.channel}`, t.temp_c]));
      expect(got.size).toBe(rows.length * 2);
      for (const r of rows) {
        expect(got.get(`${r.ts_ms}/top`)).toBe(r.temp_c.top);
        expect(got.get(`${r.ts_ms}/bottom`)).toBe(r.temp_c.bottom);
      }
      expect(flows.map((f) => [f.time.getTime(), f.flow_kg_h])).toEqual(rows.map((r) => [r.ts_ms, r.flow_kg_h]));
    }
  });

  it('overwrites rather than duplicates a redelivered reading', async () => {
    const [w, k] = KILNS[0];
    const first = sent.get(`${w}/${k}`)![0]!;
    // The same instant sent again, its top reading corrected: once the new value reads back, the
    // count must be unchanged (overwritten, not added).
    const top = first.temp_c.top! + 0.5;
    await devices[0]!.publish(`kiln/v1/${w}/${k}/telemetry`, JSON.stringify({ v: 1, ts_ms: first.ts_ms, seq: 0, temp_c: { ...first.temp_c, top }, gas: { burner: { kind: 'flow', flow_kg_h: first.flow_kg_h } } }), 9999);
    const influx = influxClient(inject('influxUrl'), db);
    await waitFor(async () => {
      const [r] = await influx.query<{ temp_c: number }>(`SELECT temp_c FROM temperature WHERE workshop='${w}' AND kiln='${k}' AND channel='top' AND time = ${first.ts_ms}ms`);
      return r?.temp_c === top;
    }, 10_000, 'the redelivery written');
    const rows = await influx.query<{ count: number }>(`SELECT COUNT(temp_c) AS count FROM temperature WHERE workshop='${w}' AND kiln='${k}'`);
    expect(rows[0]?.count).toBe(PER_KILN * 2);
  });
});
