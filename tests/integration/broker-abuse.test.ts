// Clients trying to fill the embedded broker: retained junk, huge publishes, $SYS. Each is refused
// and counted, the service's memory stays bounded, and good readings are still stored. Also
// the shipped Mosquitto config's packet limit.
import { createConnection } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice, telemetry } from '../support/device.ts';
import { abuse } from '../support/mqtt-abuser.ts';
import { startTestMosquitto } from '../support/mosquitto.ts';
import { maxPacketBytes } from '../../src/adapters/mqtt/packet-size-guard.ts';
import type { RejectReason } from '../../src/domain/point.ts';

const WS = 'bt-abuse';
const MB = 1024 * 1024;
// 2 MiB payloads here, so that 1 MB junk gets past the size check and meets the topic check.
const PAYLOAD_KB = 2048;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** RSS, and the Buffer memory still referenced (the allocator may keep freed pages in RSS). */
function mem(): { rss: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss / MB, buffers: m.arrayBuffers / MB };
}
const show = (b: { rss: number; buffers: number }, a: { rss: number; buffers: number }) =>
  `RSS ${b.rss.toFixed(0)} -> ${a.rss.toFixed(0)} MB, Buffers ${b.buffers.toFixed(1)} -> ${a.buffers.toFixed(1)} MB`;

async function connect(url: string, id: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: `${id}-${Math.random().toString(36).slice(2, 8)}`, clean: true, reconnectPeriod: 0, protocolVersion: 4 });
  c.on('error', () => undefined);
  return c;
}

/** What a fresh subscriber to `filter` receives within `ms`. */
async function received(url: string, filter: string, ms = 700): Promise<IPublishPacket[]> {
  const c = await connect(url, 'watch');
  const got: IPublishPacket[] = [];
  c.on('message', (_t, _p, packet) => got.push(packet));
  await c.subscribeAsync(filter, { qos: 1 });
  await new Promise((r) => setTimeout(r, ms));
  await c.endAsync(true);
  return got;
}

/** A device that sends its retained status and a 60 KB publish in one socket write (a logger
 *  flushing its outbox on reconnect), over a raw socket: both arrive in one read. Resolves once
 *  both are acknowledged and the socket is closed. */
async function statusInOneWrite(url: string, kiln: string, big: Buffer): Promise<void> {
  const { hostname, port } = new URL(url);
  const sock = createConnection(Number(port), hostname);
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const seen: string[] = [];
  const waiters: (() => void)[] = [];
  parser.on('packet', (p: Packet) => { seen.push(p.cmd); waiters.splice(0).forEach((w) => w()); });
  sock.on('data', (d: Buffer) => parser.parse(d));
  const until = (ok: () => boolean) => new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${kiln}: got ${seen.join(',')}`)), 10_000);
    const check = () => { if (ok()) { clearTimeout(t); resolve(); } else waiters.push(check); };
    check();
  });
  sock.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0, clientId: `one-write-${kiln}-${Math.random().toString(36).slice(2, 8)}` }));
  await until(() => seen.includes('connack'));
  sock.write(Buffer.concat([
    mqttPacket.generate({ cmd: 'publish', topic: `kiln/v1/${WS}/${kiln}/status`, payload: JSON.stringify({ v: 1, state: 'online' }), qos: 1, messageId: 1, retain: true, dup: false }),
    mqttPacket.generate({ cmd: 'publish', topic: 'junk/outbox', payload: big, qos: 1, messageId: 2, retain: false, dup: false }),
  ]));
  await until(() => seen.filter((c) => c === 'puback').length === 2);
  await new Promise<void>((resolve) => { sock.once('close', () => resolve()); sock.end(); });
}

describe('the embedded broker cannot be filled by a client', () => {
  let svc: InProcess;
  const db = uniqueDb('abuse');
  const rejected = (reason: RejectReason) => svc.runtime.stats.messages_rejected.get(reason) ?? 0;

  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: db, INGEST_MAX_PAYLOAD_KB: String(PAYLOAD_KB) }, inject('influxUrl'));
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('refuses retained junk and oversized packets, counts them, and keeps its memory', async () => {
    const before = mem();
    const result = await abuse(svc.mqttUrl, [
      { topic: 'junk/{i}', bytes: MB, retain: true, count: 30 },
      { topic: 'junk/big/{i}', bytes: 10 * MB, retain: true, count: 3 },
    ]);
    const after = mem();
    console.log(`retained junk: ${show(before, after)}; ${JSON.stringify(result)}`);
    // Junk within the size limit is acknowledged and dropped; 10 MB closes the connection.
    expect(result).toEqual({ acked: 30, closed: 3 });
    // Measured: RSS +4 to +38 MB (1 MB packets are still parsed whole, and freed), Buffers +0;
    // with everything retained, before these checks: RSS +109 to +117 MB, Buffers +60 MB.
    expect(after.rss - before.rss).toBeLessThan(100);
    expect(after.buffers - before.buffers).toBeLessThan(10);

    const junk = await received(svc.mqttUrl, 'junk/#'); // '#' alone is refused (docs/mqtt.md, "Device credentials")
    expect(junk.map((p) => p.topic)).toEqual([]);

    expect(rejected('topic_not_allowed')).toBe(30);
    expect(rejected('packet_too_large')).toBe(3);
    const metrics = (await svc.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^kiln_messages_rejected_total\{reason="topic_not_allowed"\} 30$/m);
    expect(metrics).toMatch(/^kiln_messages_rejected_total\{reason="packet_too_large"\} 3$/m);
    const body = (await svc.app.inject({ method: 'GET', url: '/api/ingest/rejects?limit=200' })).json<{ messages_rejected: Record<string, number>; recent: { reason: string; topic: string; detail: string }[] }>();
    expect(body.messages_rejected).toMatchObject({ topic_not_allowed: 30, packet_too_large: 3 });
    expect(body.recent.filter((r) => r.reason === 'topic_not_allowed' && r.topic.startsWith('junk/'))).toHaveLength(30);
    expect(body.recent.find((r) => r.reason === 'packet_too_large')?.detail).toMatch(/^\d+ byte packet from .* > \d+ bytes: connection closed$/);
  });

  it('closes the connection of a 20 MB publish before buffering it, and still stores good readings', async () => {
    const tooLarge = rejected('packet_too_large');
    const before = mem();
    const result = await abuse(svc.mqttUrl, [{ topic: `kiln/v1/${WS}/k1/telemetry`, bytes: 20 * MB, retain: false, count: 1 }]);
    const after = mem();
    console.log(`20 MB publish: ${show(before, after)}; ${JSON.stringify(result)}`);
    expect(result).toEqual({ acked: 0, closed: 1 });
    expect(rejected('packet_too_large')).toBe(tooLarge + 1);
    expect(after.rss - before.rss).toBeLessThan(10); // not the packet's 20 MB

    const dev = await connectDevice(svc.mqttUrl, `dev-${db}`);
    const ts = Date.now() - 5000;
    expect(await dev.publish(`kiln/v1/${WS}/k1/telemetry`, telemetry(ts, 1), 1)).toBe(true);
    await dev.close();
    await waitFor(async () => (await countPoints(influxClient(inject('influxUrl'), db), 'temperature', 'temp_c', `WHERE workshop='${WS}'`)) === 3, 15_000, 'the good reading stored');
  });

  it('keeps a retained status as bytes of its own, not the socket read it came in', async () => {
    const big = Buffer.alloc(60 * 1024, 0x6a);
    const n = 200;
    // Kiln ids new to each attempt: a retry must add retained statuses, not replace the first try's.
    const prefix = `one${Date.now().toString(36)}`;
    const before = mem();
    for (let i = 0; i < n; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => statusInOneWrite(svc.mqttUrl, `${prefix}-${i + j}`, big)));
    const after = mem();
    console.log(`${n} retained statuses, each read with 60 KB more: ${show(before, after)}`);
    // As slices of their reads they held +11.8 MB of Buffers here (200 reads of ~60 KB).
    expect(after.buffers - before.buffers).toBeLessThan(3);
    const got = await received(svc.mqttUrl, `kiln/v1/${WS}/+/status`, 1500);
    expect(got.filter((p) => p.retain && p.topic.startsWith(`kiln/v1/${WS}/${prefix}-`))).toHaveLength(n);
    expect(got.find((p) => p.topic === `kiln/v1/${WS}/${prefix}-7/status`)?.payload.toString()).toBe('{"v":1,"state":"online"}');
  });

  it('refuses a client publish to $SYS and does not relay it', async () => {
    const refused = rejected('topic_not_allowed');
    const watcher = await connect(svc.mqttUrl, 'sys-watch');
    const got: string[] = [];
    watcher.on('message', (t) => got.push(t));
    // Subscribing to $SYS, or to every topic, is refused (granted 128); the publishes below are still refused and counted.
    await watcher.subscribeAsync('$SYS/#', { qos: 1 }).then(() => { throw new Error('$SYS/# granted'); }, (err: Error) => expect(err.message).toMatch(/Subscribe error/));
    await watcher.subscribeAsync('+/anything', { qos: 1 }).then(() => { throw new Error('+/anything granted'); }, (err: Error) => expect(err.message).toMatch(/Subscribe error/));
    const c = await connect(svc.mqttUrl, 'sys-pub');
    await c.publishAsync('$SYS/anything', 'fake broker stats', { qos: 1 });
    await c.publishAsync('$SYS/retained', 'fake', { qos: 1, retain: true });
    expect(c.connected).toBe(true); // acknowledged and dropped, not disconnected
    await c.endAsync(true);
    await new Promise((r) => setTimeout(r, 500));
    await watcher.endAsync(true);
    expect(got.filter((t) => t === '$SYS/anything' || t === '$SYS/retained')).toEqual([]);
    expect(rejected('topic_not_allowed')).toBe(refused + 2);
  });

  it('does not retain telemetry (its readings are kept); retains status', async () => {
    const retainRefused = rejected('retain_not_allowed');
    const c = await connect(svc.mqttUrl, 'retainer');
    const ts = Date.now() - 3000;
    await c.publishAsync(`kiln/v1/${WS}/k2/telemetry`, telemetry(ts, 7), { qos: 1, retain: true });
    await c.publishAsync(`kiln/v1/${WS}/k2/status`, JSON.stringify({ v: 1, state: 'online' }), { qos: 1, retain: true });
    await c.endAsync(true);
    expect(rejected('retain_not_allowed')).toBe(retainRefused + 1);

    const got = await received(svc.mqttUrl, `kiln/v1/${WS}/k2/+`);
    expect(got.filter((p) => p.retain).map((p) => p.topic)).toEqual([`kiln/v1/${WS}/k2/status`]);
    await waitFor(async () => (await countPoints(influxClient(inject('influxUrl'), db), 'temperature', 'temp_c', `WHERE workshop='${WS}' AND kiln='k2'`)) === 3, 15_000, 'the retained telemetry\'s readings stored');
  });
});

describe('the shipped Mosquitto config limits the packet size', () => {
  it('does not deliver a publish over max_packet_size, and closes the sender', async () => {
    const mosq = await startTestMosquitto();
    try {
      const sub = await connect(mosq.url, 'mq-sub');
      const got: number[] = [];
      sub.on('message', (_t, payload) => got.push(payload.length));
      await sub.subscribeAsync(`kiln/v1/${WS}-mq/+/telemetry`, { qos: 1 });
      const big = maxPacketBytes(256 * 1024) + 1; // the default INGEST_MAX_PAYLOAD_KB's limit, as the config
      const result = await abuse(mosq.url, [
        { topic: `kiln/v1/${WS}-mq/k1/telemetry`, bytes: big, retain: false, count: 1 },
        { topic: `kiln/v1/${WS}-mq/k1/telemetry`, bytes: 256 * 1024, retain: false, count: 1 },
      ]);
      expect(result).toEqual({ acked: 1, closed: 1 });
      await waitFor(() => got.length > 0, 5000, 'the message within the limit');
      expect(got).toEqual([256 * 1024]);
      await sub.endAsync(true);
    } finally {
      await mosq.stop();
    }
  });
});
