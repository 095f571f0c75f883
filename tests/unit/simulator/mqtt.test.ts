// The programmatic API and the control topic over a real (in-process aedes) broker: no mocks.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAedes } from './aedes.ts';
import { startSimulation } from '../../../simulator/index.ts';
import { wireError } from './helpers.ts';

let broker: Awaited<ReturnType<typeof startAedes>>;
let url = '';

beforeAll(async () => {
  broker = await startAedes();
  url = broker.url;
});
afterAll(() => broker.close());

describe('startSimulation over MQTT', () => {
  it('publishes valid messages for each kiln, obeys a fault on the control topic, stops cleanly', async () => {
    const sub = await mqtt.connectAsync(url, { protocolVersion: 4 });
    const got: { topic: string; payload: string }[] = [];
    sub.on('message', (topic, buf) => got.push({ topic, payload: buf.toString() }));
    await sub.subscribeAsync('kiln/v1/t1/#', { qos: 1 });
    const logs: string[] = [];
    const sim = await startSimulation({ url, kilns: 2, speed: 600, seed: 4, workshop: 't1', log: (l) => logs.push(l), stagger_min: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    await sub.publishAsync('kiln/v1/t1/K01/sim/fault', JSON.stringify({ type: 'tc_open', zone: 'top' }), { qos: 1 });
    await sub.publishAsync('kiln/v1/t1/K02/sim/fault', '{"type":"smoke"}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    await sim.stop();
    await new Promise((r) => setTimeout(r, 200));
    await sub.endAsync();

    const device = got.filter((m) => !m.topic.endsWith('/sim/fault'));
    expect(new Set(device.map((m) => m.topic.split('/')[3]))).toEqual(new Set(['K01', 'K02']));
    for (const m of device) expect(wireError(m.topic, m.payload)).toBeNull();
    expect(logs.some((l) => l.startsWith('fault tc_open on K01'))).toBe(true);
    expect(logs.some((l) => l.startsWith('fault ignored on K02: type:'))).toBe(true);
    // The fault taken is acknowledged on the kiln's status topic (retained, still online); the bad one is not.
    const acks = device.filter((m) => m.topic.endsWith('/status')).map((m) => ({ kiln: m.topic.split('/')[3], s: JSON.parse(m.payload) as { state: string; fault?: { type: string; zone?: string } } })).filter((m) => m.s.fault);
    expect(acks.map((a) => [a.kiln, a.s.state, a.s.fault])).toEqual([['K01', 'online', expect.objectContaining({ type: 'tc_open', zone: 'top' })]]);
    const k1 = device.filter((m) => m.topic === 'kiln/v1/t1/K01/telemetry').map((m) => JSON.parse(m.payload));
    expect(k1[k1.length - 1].temp_c.top).toBeUndefined();
    const last = device.filter((m) => m.topic.endsWith('/status')).slice(-2).map((m) => JSON.parse(m.payload).state);
    expect(last).toEqual(['offline', 'offline']);
    const stops = device.filter((m) => m.topic.endsWith('/event')).map((m) => JSON.parse(m.payload)).filter((e) => e.type === 'firing_stop');
    expect(stops.map((e) => e.reason)).toEqual(['aborted', 'aborted']);
    const truth = sim.truth();
    expect(truth).toHaveLength(2);
    expect(truth[0]!.fuel_kg).toBeGreaterThan(0);
  });
});
