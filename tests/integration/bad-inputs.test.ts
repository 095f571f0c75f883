// The bad-input corpus interleaved with good messages, through a real broker: each bad one is
// rejected with its reason and shows in the API, the service stays up, every good reading is stored.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mqtt from 'mqtt';
import { badInputs } from '../fixtures/bad-inputs.ts';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice, telemetry, type Device } from '../support/device.ts';

describe('bad input never costs a good reading', () => {
  let svc: InProcess;
  let good: Device;
  const db = uniqueDb('bad');

  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: db }, inject('influxUrl'));
    good = await connectDevice(svc.mqttUrl, `good-${db}`);
  });
  afterAll(async () => {
    await good.close();
    await svc.stop();
  });

  it('rejects each bad message with its reason while storing every good one sent beside it', async () => {
    const now = Date.now();
    const corpus = badInputs(now);
    // Bad messages come from their own connection, as a faulty device would send them.
    const bad = mqtt.connect(svc.mqttUrl, { clientId: `bad-${db}`, reconnectPeriod: 100 });
    bad.on('error', () => undefined);
    await new Promise((r) => bad.once('connect', r));
    let seq = 0;
    for (const c of corpus) {
      await good.publish('kiln/v1/bt-good/k1/telemetry', telemetry(now - 100_000 + seq, seq), seq);
      seq++;
      await bad.publishAsync(c.topic, c.payload, { qos: 1 });
      await good.publish('kiln/v1/bt-good/k1/telemetry', telemetry(now - 100_000 + seq, seq), seq);
      seq++;
    }
    await bad.endAsync();
    expect(good.acked.size).toBe(seq);

    const expectedGood = seq * 4; // 3 zones + 1 gas channel per message
    await waitFor(() => svc.runtime.stats.readings_stored >= expectedGood, 15_000, 'good readings stored');
    const influx = influxClient(inject('influxUrl'), db);
    expect(await countPoints(influx, 'temperature', 'temp_c', "WHERE workshop='bt-good'")).toBe(seq * 3);
    expect(await countPoints(influx, 'gas_flow', 'flow_kg_h', "WHERE workshop='bt-good'")).toBe(seq);
    expect(await countPoints(influx, 'temperature', 'temp_c', "WHERE workshop='bt-bad'")).toBe(0);

    // Every bad input is counted under its reason and is inspectable through the API.
    const res = await svc.app.inject({ method: 'GET', url: '/api/ingest/rejects?limit=200' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ messages_rejected: Record<string, number>; readings_rejected: Record<string, number>; recent: { reason: string; topic: string }[] }>();
    const expectedByReason = new Map<string, number>();
    // A topic off the contract is refused by the embedded broker itself, before decoding (docs/mqtt.md).
    const viaBroker = (reason: string) => (reason === 'unknown_topic' || reason === 'bad_id' ? 'topic_not_allowed' : reason);
    for (const c of corpus) expectedByReason.set(viaBroker(c.reason), (expectedByReason.get(viaBroker(c.reason)) ?? 0) + 1);
    for (const [reason, n] of expectedByReason) {
      const counted = (body.messages_rejected[reason] ?? 0) > 0 ? body.messages_rejected[reason] : body.readings_rejected[reason];
      expect(counted, reason).toBeGreaterThanOrEqual(n);
    }
    expect(body.recent.length).toBe(corpus.length);
    const health = await svc.app.inject({ method: 'GET', url: '/api/health' });
    const h = health.json<{ status: string; heap: { used_bytes: number; limit_bytes: number; high: boolean }; retention: { raw_days: number; errors: number } }>();
    expect(h.retention).toMatchObject({ raw_days: svc.runtime.config.READINGS_RAW_DAYS, errors: 0 });
    expect(h.status).toBe('ok');
    // Bad input leaves the live data far from the heap cap.
    expect(h.heap.high).toBe(false);
    expect(h.heap.used_bytes).toBeLessThan(h.heap.limit_bytes);
  });
});
