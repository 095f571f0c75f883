// Liveness and readiness probes, for an orchestrator or a load balancer (docs/deploy.md):
// ready follows the real broker going away and coming back; InfluxDB being down is not a reason.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { startTestMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { connectDevice, telemetry } from '../support/device.ts';

type Ready = { ready: boolean; reasons: string[] };

describe('health probes', () => {
  let svc: InProcess | undefined;
  let broker: TestMosquitto | undefined;
  afterAll(async () => { await svc?.stop(); await broker?.stop(); });

  it('live answers without a login; ready turns 503 while the broker is gone and 200 again after', async () => {
    broker = await startTestMosquitto();
    const db = uniqueDb('probes');
    svc = await startInProcess({ INFLUX_DATABASE: db, MQTT_URL: broker.url, MQTT_CLIENT_ID: `ingest-${db}` }, inject('influxUrl'));
    const app = svc.app;
    const probe = async (url: string) => app.inject({ method: 'GET', url, headers: { authorization: '' } });

    const live = await probe('/api/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'alive' });

    await waitFor(async () => (await probe('/api/health/ready')).statusCode === 200, 10_000, 'ready with the broker up');
    expect((await probe('/api/health/ready')).json<Ready>()).toEqual({ ready: true, reasons: [] });

    await broker.stop();
    await waitFor(async () => (await probe('/api/health/ready')).statusCode === 503, 10_000, 'not ready without the broker');
    expect((await probe('/api/health/ready')).json<Ready>()).toEqual({ error: 'not_ready', message: 'not ready: broker_disconnected', ready: false, reasons: ['broker_disconnected'] });
    expect((await probe('/api/health/live')).statusCode).toBe(200);

    await broker.start();
    await waitFor(async () => (await probe('/api/health/ready')).statusCode === 200, 30_000, 'ready again after the broker returns');
  }, 60_000);

  it('stays ready while InfluxDB is unreachable: the spool keeps the readings', async () => {
    const db = uniqueDb('probes_nodb');
    // A port nothing listens on: the drainer cannot write, the spool takes the readings.
    const other = await startInProcess({ INFLUX_DATABASE: db }, 'http://127.0.0.1:9');
    try {
      const device = await connectDevice(other.mqttUrl, `probe-${db}`);
      expect(await device.publish('kiln/v1/ws-probe/K01/telemetry', telemetry(Date.now(), 1), 1)).toBe(true);
      await device.close();
      const get = (url: string) => other.app.inject({ method: 'GET', url, headers: { authorization: '' } });
      await waitFor(async () => (await get('/api/health')).json<{ status: string }>().status === 'degraded', 20_000, 'health degraded: InfluxDB unreachable');
      const r = await get('/api/health/ready');
      expect(r.statusCode).toBe(200);
      expect(r.json<Ready>()).toEqual({ ready: true, reasons: [] });
    } finally {
      await other.stop();
    }
  }, 60_000);
});
