// The report path reads back exactly the Points the live path decoded and stored.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeMessage } from '../../src/domain/decode.ts';
import type { Point } from '../../src/domain/point.ts';
import { ReadingsReader } from '../../src/adapters/influx/readings.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice } from '../support/device.ts';

describe('ReadingsReader', () => {
  let svc: InProcess;
  const db = uniqueDb('read');
  const t0 = Date.now() - 3600_000;
  const sent: { topic: string; payload: string }[] = [];
  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: db }, inject('influxUrl'));
    const dev = await connectDevice(svc.mqttUrl, `dev-${db}`);
    for (let i = 0; i < 50; i++) {
      sent.push({ topic: 'kiln/v1/bt01/k1/telemetry', payload: JSON.stringify({ v: 1, ts_ms: t0 + i * 10_000, seq: i, temp_c: { top: 100 + i * 2.5, bottom: 95 + i * 2.25 }, gas: { burner: { kind: 'flow', flow_kg_h: 2 + i / 100 }, scale: { kind: 'scale', mass_kg: 48 - i * 0.01 } }, o2_pct: 4 }) });
    }
    sent.push({ topic: 'kiln/v1/bt01/k1/event', payload: JSON.stringify({ v: 1, ts_ms: t0, seq: 1000, type: 'firing_start', firing_id: 'f-1', load: { ware_kg: 500 } }) });
    sent.push({ topic: 'kiln/v1/bt01/k2/telemetry', payload: JSON.stringify({ v: 1, ts_ms: t0, seq: 0, temp_c: { top: 999 } }) }); // another kiln
    for (const [i, m] of sent.entries()) await dev.publish(m.topic, m.payload, i);
    await dev.close();
    await waitFor(() => svc.runtime.stats.readings_stored >= 50 * 5 + 2, 10_000, 'stored');
  });
  afterAll(() => svc.stop());

  it('returns the decoded points of one kiln and range, sorted by time, value for value', async () => {
    const expected: Point[] = sent
      .filter((m) => m.topic.includes('/k1/'))
      .flatMap((m) => decodeMessage(m.topic, m.payload, m.payload.length, Date.now(), { max_payload_bytes: 1e6, max_future_ms: 3e5, max_past_ms: 864e5 }).points);
    const reader = new ReadingsReader(inject('influxUrl'), db);
    const got = await reader.read({ workshop: 'bt01', kiln: 'k1', from_ms: t0, to_ms: t0 + 3600_000 });
    const key = (p: Point) => `${p.ts_ms}/${p.measurement}/${p.tags.channel}`;
    expect(got.map(key).sort()).toEqual(expected.map(key).sort());
    const byKey = new Map(got.map((p) => [key(p), p]));
    for (const p of expected) expect(byKey.get(key(p))).toEqual(p);
    expect(got.every((p, i) => i === 0 || got[i - 1]!.ts_ms <= p.ts_ms)).toBe(true);
  });

  it('limits to the range and refuses ids that could change the query', async () => {
    const reader = new ReadingsReader(inject('influxUrl'), db);
    const part = await reader.read({ workshop: 'bt01', kiln: 'k1', from_ms: t0 + 100_000, to_ms: t0 + 200_000, measurements: ['temperature'] });
    expect(part).toHaveLength(10 * 2);
    await expect(reader.read({ workshop: "bt01' OR 1=1 --", kiln: 'k1', from_ms: 0, to_ms: 1 })).rejects.toThrow(/must match/);
  });
});
