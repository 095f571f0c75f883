// kill -9 of the service mid-stream, then a restart: every reading whose QoS 1 publish was
// acknowledged is in InfluxDB, exactly once. With the embedded broker the service itself
// acknowledges (after spooling); with Mosquitto (our shipped config) the broker does and
// keeps the service's persistent session while it is down.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startChild, type ChildService } from '../support/service.ts';
import { connectDevice, telemetry } from '../support/device.ts';
import { startTestMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { freePort } from '../support/ports.ts';

const MESSAGES = 3000;
const ZONES = 3;

describe.each(['embedded', 'mosquitto'] as const)('kill -9 mid-stream (%s broker)', (mode) => {
  let mosq: TestMosquitto | undefined;
  let svc: ChildService | undefined;
  afterAll(async () => {
    await svc?.stop();
    await mosq?.stop();
  });

  it('loses no acknowledged reading and stores none twice', async () => {
    const db = uniqueDb(`k9_${mode}`);
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-k9-'));
    const httpPort = await freePort();
    const env: Record<string, string> = { INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: db, DATA_DIR: dataDir };
    let mqttUrl: string;
    if (mode === 'embedded') {
      const p = await freePort();
      Object.assign(env, { MQTT_EMBEDDED_PORT: String(p), MQTT_EMBEDDED_HOST: '127.0.0.1' });
      mqttUrl = `mqtt://127.0.0.1:${p}`;
    } else {
      mosq = await startTestMosquitto();
      Object.assign(env, { MQTT_URL: mosq.url, MQTT_CLIENT_ID: `ingest-${db}` });
      mqttUrl = mosq.url;
    }
    svc = startChild(env, httpPort);
    await svc.waitReady();
    const device = await connectDevice(mqttUrl, `dev-${db}`);

    const t0 = Date.now() - MESSAGES * 10;
    const pending: Promise<boolean>[] = [];
    let ackedAtKill = new Set<number>();
    for (let seq = 0; seq < MESSAGES; seq++) {
      pending.push(device.publish('kiln/v1/bt-k9/k1/telemetry', telemetry(t0 + seq * 10, seq, ZONES), seq));
      if (seq % 50 === 49) await new Promise((r) => setTimeout(r, 10));
      if (seq === Math.floor(MESSAGES / 3)) {
        // Mid-stream means after some acknowledgements: on a loaded machine the first may take a while.
        await waitFor(() => device.acked.size > 0, 60_000, 'a first acknowledgement before the kill');
        await svc.kill9();
        ackedAtKill = new Set(device.acked);
        svc = startChild(env, httpPort); // same data dir, same ports
      }
    }
    await svc.waitReady();
    await Promise.all(pending);
    expect(ackedAtKill.size).toBeGreaterThan(0);
    expect(ackedAtKill.size).toBeLessThan(MESSAGES); // the kill really came mid-stream
    expect(device.acked.size).toBe(MESSAGES);
    await device.close();

    const influx = influxClient(inject('influxUrl'), db);
    await waitFor(async () => (await countPoints(influx, 'temperature', 'temp_c')) >= MESSAGES * ZONES, 30_000, 'all readings stored');
    // Exactly once: a point is keyed by its device timestamp, so a redelivery overwrote itself.
    expect(await countPoints(influx, 'temperature', 'temp_c')).toBe(MESSAGES * ZONES);
    expect(await countPoints(influx, 'gas_flow', 'flow_kg_h')).toBe(MESSAGES);
    // Every reading acknowledged before the kill is there, by its sequence number.
    const seqs = await influx.query<{ seq: number }>(`SELECT seq FROM gas_flow`);
    const stored = new Set(seqs.map((r) => r.seq));
    for (const s of ackedAtKill) expect(stored.has(s)).toBe(true);
  }, 180_000);
});
