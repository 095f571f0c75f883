// Faults mid-stream: InfluxDB stopped and restarted, the broker restarted, the network cut
// between the service and the broker. In each, every acknowledged reading ends up stored once.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { countPoints, influxClient, startTestInflux, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice, telemetry, type Device } from '../support/device.ts';
import { startTestMosquitto } from '../support/mosquitto.ts';
import { startProxy } from '../support/proxy.ts';

const ZONES = 3;
// How long InfluxDB stays down in the outage test ("down for minutes"); KILN_TEST_OUTAGE_S shortens it.
const OUTAGE_S = Number(process.env.KILN_TEST_OUTAGE_S ?? 120);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined); });

/** Publish `n` messages, ~`rate` per second, calling `during(seq)` between them. */
async function stream(device: Device, n: number, rate: number, during: (seq: number) => Promise<void> | void): Promise<void> {
  const t0 = Date.now() - n * 10;
  const pending: Promise<boolean>[] = [];
  for (let seq = 0; seq < n; seq++) {
    pending.push(device.publish('kiln/v1/bt-fault/k1/telemetry', telemetry(t0 + seq * 10, seq, ZONES), seq));
    if (seq % 10 === 9) await sleep((10 * 1000) / rate);
    await during(seq);
  }
  await Promise.all(pending);
}

async function expectAllStored(influxUrl: string, db: string, n: number): Promise<void> {
  const influx = influxClient(influxUrl, db);
  await waitFor(async () => (await countPoints(influx, 'gas_flow', 'flow_kg_h').catch(() => 0)) >= n, 60_000, 'all readings stored');
  expect(await countPoints(influx, 'gas_flow', 'flow_kg_h')).toBe(n);
  expect(await countPoints(influx, 'temperature', 'temp_c')).toBe(n * ZONES);
}

describe('faults mid-stream', () => {
  it(`InfluxDB down for ${OUTAGE_S} s: readings wait on disk, health says degraded, all are written when it returns`, async () => {
    const influx = await startTestInflux();
    cleanups.push(() => influx.stop());
    const db = uniqueDb('down');
    const svc: InProcess = await startInProcess({ INFLUX_DATABASE: db }, influx.url);
    cleanups.push(() => svc.stop());
    const device = await connectDevice(svc.mqttUrl, `dev-${db}`);
    cleanups.push(() => device.close());
    const RATE = 100; // messages/s
    const N = (OUTAGE_S + 4) * RATE;
    let sawDegraded = false;
    let spooledWhileDown = 0;
    await stream(device, N, RATE, async (seq) => {
      if (seq === 2 * RATE) await influx.pause();
      if (seq === N - 2 * RATE) {
        const h = (await svc.app.inject({ method: 'GET', url: '/api/health' })).json<{ status: string; database: { writing: boolean }; spool: { pending_bytes: number } }>();
        sawDegraded = h.status === 'degraded' && !h.database.writing;
        spooledWhileDown = h.spool.pending_bytes;
        await influx.resume();
      }
    });
    expect(sawDegraded).toBe(true);
    expect(spooledWhileDown).toBeGreaterThan(0);
    expect(device.acked.size).toBe(N); // intake never stopped
    await expectAllStored(influx.url, db, N);
    const h = (await svc.app.inject({ method: 'GET', url: '/api/health' })).json<{ status: string; spool: { pending_bytes: number } }>();
    expect(h).toMatchObject({ status: 'ok', spool: { pending_bytes: 0 } });
  }, (OUTAGE_S + 90) * 1000);

  it('graceful stop writes what the spool holds before the process ends', async () => {
    const influx = await startTestInflux();
    cleanups.push(() => influx.stop());
    const db = uniqueDb('stop');
    const svc = await startInProcess({ INFLUX_DATABASE: db }, influx.url);
    const device = await connectDevice(svc.mqttUrl, `dev-${db}`);
    await influx.pause();
    const N = 300;
    await stream(device, N, 1000, () => undefined);
    await device.close();
    expect(svc.runtime.spool.pendingBytes()).toBeGreaterThan(0);
    await influx.resume();
    await svc.stop(); // no waiting in between: the stop itself must flush
    expect(svc.runtime.spool.pendingBytes()).toBe(0);
    const influxDb = influxClient(influx.url, db);
    expect(await countPoints(influxDb, 'gas_flow', 'flow_kg_h')).toBe(N);
  });

  it('broker restarted: the service reconnects, resumes its session, and nothing is lost', async () => {
    const mosq = await startTestMosquitto();
    cleanups.push(() => mosq.stop());
    const db = uniqueDb('brk');
    const svc = await startInProcess({ INFLUX_DATABASE: db, MQTT_URL: mosq.url, MQTT_CLIENT_ID: `ingest-${db}` }, inject('influxUrl'));
    cleanups.push(() => svc.stop());
    const device = await connectDevice(mosq.url, `dev-${db}`);
    cleanups.push(() => device.close());
    const N = 1500;
    let reconnected = false;
    await stream(device, N, 500, async (seq) => {
      if (seq === 500) {
        await mosq.stop();
        await sleep(500);
        await mosq.start();
      }
      if (seq > 500 && svc.runtime.source.connected()) reconnected = true;
    });
    expect(reconnected).toBe(true);
    expect(device.acked.size).toBe(N);
    await expectAllStored(inject('influxUrl'), db, N);
  });

  it('network cut between service and broker: the broker queues the session, the service catches up', async () => {
    const mosq = await startTestMosquitto();
    cleanups.push(() => mosq.stop());
    const proxy = await startProxy(mosq.port);
    cleanups.push(() => proxy.close());
    const db = uniqueDb('cut');
    const svc = await startInProcess({ INFLUX_DATABASE: db, MQTT_URL: proxy.url, MQTT_CLIENT_ID: `ingest-${db}` }, inject('influxUrl'));
    cleanups.push(() => svc.stop());
    const device = await connectDevice(mosq.url, `dev-${db}`);
    cleanups.push(() => device.close());
    const N = 1500;
    let storedDuringCut = -1;
    await stream(device, N, 500, async (seq) => {
      if (seq === 300) proxy.cut();
      if (seq === 1200) {
        storedDuringCut = svc.runtime.stats.readings_accepted;
        expect(svc.runtime.source.connected()).toBe(false);
        proxy.restore();
      }
    });
    expect(storedDuringCut).toBeLessThan(1200 * (ZONES + 1)); // the cut was real
    await expectAllStored(inject('influxUrl'), db, N);
  });
});
