// The HTTP basics through app.inject against a real broker and InfluxDB.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice, telemetry } from '../support/device.ts';
import { numberCacheOn } from '../../src/adapters/mqtt/packet-writer.ts';
import { createRequire } from 'node:module';
// The packet writer's own cache of the 65,536 two-byte numbers (src/adapters/mqtt/packet-writer.ts).
const mqttNumbers = createRequire(import.meta.url)('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> };

describe('HTTP: health, metrics, rejects', () => {
  let svc: InProcess;
  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('http') }, inject('influxUrl'));
    const dev = await connectDevice(svc.mqttUrl, `dev-http-${Date.now()}`);
    for (let i = 0; i < 10; i++) await dev.publish('kiln/v1/bt01/k7/telemetry', telemetry(Date.now() - 1000 + i, i, 2), i);
    await dev.publish('kiln/v1/bt01/k7/telemetry', '{"v":1,"ts_ms":1,', 99);
    await dev.publish('kiln/v1/bt01/k7/status', JSON.stringify({ v: 1, state: 'online' }), 100);
    await dev.close();
    await waitFor(() => svc.runtime.stats.readings_stored >= 30, 10_000, 'stored');
  });
  afterAll(() => svc.stop());

  it('writes MQTT packets (CONNACK, PUBACKs) without building the packet writer\'s cache of 65,536 numbers', () => {
    expect(svc.runtime.stats.messages_received).toBe(12); // packets went both ways
    expect(numberCacheOn()).toBe(false);
    expect(Object.keys(mqttNumbers.cache)).toHaveLength(0);
  });

  it('GET /api/health reports broker, database, spool and ingest figures', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const h = res.json();
    expect(h).toMatchObject({
      status: 'ok',
      broker: { kind: 'embedded', connected: true },
      database: { writing: true, last_error: null },
      spool: { pending_bytes: 0 },
      ingest: { messages_received: 12, readings_accepted: 30, readings_stored: 30, messages_rejected: 1, readings_rejected: 0 },
    });
    expect(h.kilns).toEqual([expect.objectContaining({ workshop: 'bt01', kiln: 'k7', state: 'online' })]);
  });

  it('GET /metrics is Prometheus text with counters, reasons and the write latency histogram', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(/^kiln_readings_stored_total 30$/m);
    expect(text).toMatch(/^kiln_messages_rejected_total\{reason="bad_json"\} 1$/m);
    expect(text).toMatch(/^kiln_spool_pending_bytes 0$/m);
    expect(text).toMatch(/^kiln_influx_write_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    expect(text).toMatch(/^kiln_influx_write_seconds_count [1-9]\d*$/m);
  });

  it('GET /api/ingest/rejects lists the latest rejects, newest first, and validates its query', async () => {
    const ok = await svc.app.inject({ method: 'GET', url: '/api/ingest/rejects?limit=5' });
    expect(ok.json()).toMatchObject({ messages_rejected: { bad_json: 1 }, recent: [{ reason: 'bad_json', topic: 'kiln/v1/bt01/k7/telemetry' }] });
    const bad = await svc.app.inject({ method: 'GET', url: '/api/ingest/rejects?limit=abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request' });
  });

  it('has the live view on by default; with LIVE_VIEW=false it says how to turn it on', async () => {
    const on = await svc.app.inject({ method: 'GET', url: '/api/live' });
    expect(on.statusCode).toBe(200);
    expect(on.json<{ kilns: { kiln: string }[] }>().kilns.map((k) => k.kiln)).toEqual(['k7']);
    const off = await startInProcess({ INFLUX_DATABASE: uniqueDb('http_off'), LIVE_VIEW: 'false' }, inject('influxUrl'));
    try {
      const res = await off.app.inject({ method: 'GET', url: '/api/live' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'live_view_off', message: expect.stringMatching(/LIVE_VIEW=true/) });
    } finally {
      await off.stop();
    }
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /api/nope' });
  });
});
