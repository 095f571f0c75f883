// Device credentials on the embedded broker (aedes), through the real service with anonymous
// clients refused: who may connect, publish and subscribe, how a refusal is counted, and that
// an abusing client never costs a good device a reading.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { telemetry } from '../support/device.ts';
import { grantedQos, loginClients } from '../support/mqtt-login.ts';

const WS = 'bt-acl';
const OTHER_WS = 'bt-other';

interface Rejects { messages_rejected: Record<string, number>; recent: { reason: string; topic: string; detail: string }[] }

describe('device credentials on the embedded broker', () => {
  let svc: InProcess;
  const db = uniqueDb('devauth');
  const cred = { k1: { username: '', secret: '' }, k2: { username: '', secret: '' }, gw: { username: '', secret: '' } };

  const { connect, refusal, endAll } = loginClients(() => svc.mqttUrl);
  const aclDenied = () => svc.runtime.stats.messages_rejected.get('acl_denied') ?? 0;
  const stored = (where: string) => countPoints(influxClient(inject('influxUrl'), db), 'temperature', 'temp_c', where);
  const rejects = async () => (await svc.app.inject({ method: 'GET', url: '/api/ingest/rejects?limit=200' })).json<Rejects>();

  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: db, MQTT_ALLOW_ANONYMOUS: 'false' }, inject('influxUrl'));
    for (const [k, kiln] of [['k1', 'K01'], ['k2', 'K02'], ['gw', null]] as const) {
      const { device, secret } = svc.runtime.access.createDevice(WS, kiln);
      cred[k] = { username: device.username, secret };
    }
  });
  afterAll(async () => {
    await endAll();
    await svc?.stop();
  });

  it('refuses a wrong secret, an unknown username, a revoked credential and (anonymous off) no username', async () => {
    expect(await refusal(cred.k1.username, 'kd_wrong')).toMatch(/bad user ?name or password/i);
    expect(await refusal('nobody.K01', cred.k1.secret)).toMatch(/bad user ?name or password/i);
    expect(await refusal(undefined, undefined)).toMatch(/not authori[sz]ed/i);
    const spare = svc.runtime.access.createDevice(WS, 'K09');
    expect(await refusal(spare.device.username, spare.secret)).toBe('connected');
    svc.runtime.access.revokeDevice(spare.device.username);
    expect(await refusal(spare.device.username, spare.secret)).toMatch(/bad user ?name or password/i);
    expect(await refusal(cred.k1.username, cred.k1.secret)).toBe('connected');
  });

  it('takes a connected device\'s rights within a second of its credential being revoked', async () => {
    const spare = svc.runtime.access.createDevice(WS, 'K08');
    const dev = await connect(spare.device.username, spare.secret);
    const ts = Date.now() - 20_000;
    await dev.publishAsync(`kiln/v1/${WS}/K08/telemetry`, telemetry(ts, 1), { qos: 1 });
    await waitFor(async () => (await stored(`WHERE workshop='${WS}' AND kiln='K08'`)) === 3, 15_000, 'reading before the revocation stored');
    expect(svc.runtime.access.deviceIsLive(spare.device.username)).toBe(true);
    svc.runtime.access.revokeDevice(spare.device.username);
    expect(svc.runtime.access.deviceIsLive(spare.device.username)).toBe(false);
    expect(svc.runtime.access.deviceIsLive('nobody.K08')).toBe(false);
    expect(svc.runtime.access.deviceIsLive(cred.k1.username)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    const before = aclDenied();
    await dev.publishAsync(`kiln/v1/${WS}/K08/telemetry`, telemetry(ts + 1000, 2), { qos: 1 }).catch(() => undefined);
    await waitFor(async () => aclDenied() === before + 1, 10_000, 'the publish after the revocation refused');
    expect((await rejects()).recent.find((r) => r.reason === 'acl_denied' && r.topic === `kiln/v1/${WS}/K08/telemetry`)?.detail).toBe(`${spare.device.username}: revoked`);
    expect(await stored(`WHERE workshop='${WS}' AND kiln='K08'`)).toBe(3);
  });

  it('drops and counts a publish to another kiln\'s topic; the device\'s own topic is stored', async () => {
    const before = aclDenied();
    const k1 = await connect(cred.k1.username, cred.k1.secret);
    const ts = Date.now() - 10_000;
    // Acknowledged (a QoS 1 device must not send it again forever), not relayed, not stored.
    await k1.publishAsync(`kiln/v1/${WS}/K02/telemetry`, telemetry(ts, 1), { qos: 1 });
    await k1.publishAsync(`kiln/v1/${OTHER_WS}/K01/telemetry`, telemetry(ts, 2), { qos: 1 });
    await k1.publishAsync(`kiln/v1/${WS}/K01/telemetry`, telemetry(ts, 3), { qos: 1 });
    expect(k1.connected).toBe(true);
    await waitFor(async () => (await stored(`WHERE workshop='${WS}' AND kiln='K01'`)) === 3, 15_000, 'own reading stored');
    expect(await stored(`WHERE workshop='${WS}' AND kiln='K02'`)).toBe(0);
    expect(await stored(`WHERE workshop='${OTHER_WS}'`)).toBe(0);
    expect(aclDenied()).toBe(before + 2);
    const body = await rejects();
    expect(body.messages_rejected.acl_denied).toBe(before + 2);
    expect(body.recent.find((r) => r.reason === 'acl_denied' && r.topic === `kiln/v1/${WS}/K02/telemetry`)?.detail).toBe(`${cred.k1.username}: not_own_topic`);
    const metrics = (await svc.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(new RegExp(`^kiln_messages_rejected_total\\{reason="acl_denied"\\} ${before + 2}$`, 'm'));
  });

  it('refuses subscriptions to #, $SYS/#, another kiln and the alert topic (granted 128); grants its own control topic', async () => {
    const k1 = await connect(cred.k1.username, cred.k1.secret);
    const filters = ['#', '$SYS/#', `kiln/v1/${WS}/K02/sim/fault`, `kiln/v1/${WS}/+/telemetry`, `kiln/v1/${WS}/K01/alert`, `kiln/v1/${WS}/K01/sim/fault`];
    expect(await grantedQos(k1, filters)).toEqual([128, 128, 128, 128, 128, 1]);
    expect(k1.connected).toBe(true);
  });

  it('refuses a forged .../alert from a device and relays nothing it refused; the service\'s own alert publish still goes out', async () => {
    const before = aclDenied();
    // The gateway watches every kiln's control topic of its workshop: the one topic family a
    // device may both publish and subscribe to, so it shows what is relayed and what is not.
    const gw = await connect(cred.gw.username, cred.gw.secret);
    const seen: string[] = [];
    gw.on('message', (t) => seen.push(t));
    expect(await grantedQos(gw, [`kiln/v1/${WS}/+/sim/fault`])).toEqual([1]);
    const k1 = await connect(cred.k1.username, cred.k1.secret);
    await k1.publishAsync(`kiln/v1/${WS}/K01/alert`, '{"v":1,"active":[]}', { qos: 1, retain: true });
    await k1.publishAsync(`kiln/v1/${WS}/K02/sim/fault`, '{"fault":"x"}', { qos: 1 });
    await k1.publishAsync(`kiln/v1/${WS}/K01/sim/fault`, '{"fault":"y"}', { qos: 1 });
    await waitFor(() => seen.length >= 1, 5000, 'own control message relayed');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([`kiln/v1/${WS}/K01/sim/fault`]);
    expect(aclDenied()).toBe(before + 2);
    expect((await rejects()).recent.find((r) => r.topic === `kiln/v1/${WS}/K01/alert`)?.detail).toBe(`${cred.k1.username}: alert_topic`);
    // The service publishes in-process, past the ACL: it must still reach the broker.
    await expect(svc.runtime.source.publish(`kiln/v1/${WS}/K01/alert`, '{"v":1,"active":[]}', { qos: 1, retain: true })).resolves.toBeUndefined();
  });

  it('lets a gateway publish for every kiln of its workshop, not for another workshop', async () => {
    const before = aclDenied();
    const gw = await connect(cred.gw.username, cred.gw.secret);
    const ts = Date.now() - 20_000;
    for (const kiln of ['G1', 'G2', 'G3']) await gw.publishAsync(`kiln/v1/${WS}/${kiln}/telemetry`, telemetry(ts, 1), { qos: 1 });
    await gw.publishAsync(`kiln/v1/${OTHER_WS}/G1/telemetry`, telemetry(ts, 2), { qos: 1 });
    await waitFor(async () => (await stored(`WHERE workshop='${WS}' AND kiln=~/^G/`)) === 9, 15_000, 'gateway readings stored');
    expect(await stored(`WHERE workshop='${OTHER_WS}'`)).toBe(0);
    expect(aclDenied()).toBe(before + 1);
  });

  it('keeps every reading of a good device while another one is being refused', async () => {
    const good = await connect(cred.k2.username, cred.k2.secret, { clientId: `good-${db}` });
    const abuser = await connect(cred.k1.username, cred.k1.secret);
    const before = aclDenied();
    const N = 300, ABUSE = 1500;
    const t0 = Date.now() - 60_000;
    const abusing = (async () => {
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < ABUSE; i++) sends.push(abuser.publishAsync(`kiln/v1/${WS}/K02/telemetry`, telemetry(t0 + i, i), { qos: i % 2 === 0 ? 1 : 0 }));
      await Promise.all(sends);
    })();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      sends.push(good.publishAsync(`kiln/v1/${WS}/K02/telemetry`, telemetry(t0 + i * 100, i), { qos: 1 }));
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all([...sends, abusing]);
    await waitFor(async () => (await stored(`WHERE workshop='${WS}' AND kiln='K02'`)) === N * 3, 30_000, `all ${N * 3} good readings stored`);
    await waitFor(() => aclDenied() === before + ABUSE, 5000, 'every abusive publish counted');
    expect(good.connected && abuser.connected).toBe(true);
  });

  it('makes, lists and revokes credentials over HTTP; the mosquitto_pub line it gives works as it is', async () => {
    const made = await svc.app.inject({ method: 'POST', url: `/api/workshops/${WS}/devices`, payload: { kiln: 'H1' }, headers: { host: 'kiln.local:8080' } });
    expect(made.statusCode).toBe(201);
    const d = made.json<{ username: string; secret: string; workshop: string; kiln: string; mqtt_url: string; mosquitto_pub: string }>();
    const port = new URL(svc.mqttUrl).port;
    // The embedded broker listens on 127.0.0.1 here (a named host, not 0.0.0.0): that is the address given.
    expect(d).toMatchObject({ username: `${WS}.H1`, workshop: WS, kiln: 'H1', mqtt_url: `mqtt://127.0.0.1:${port}` });
    expect(d.secret).toMatch(/^kd_/);
    await promisify(execFile)('sh', ['-c', d.mosquitto_pub], { timeout: 10_000 });
    await waitFor(async () => (await stored(`WHERE workshop='${WS}' AND kiln='H1'`)) === 2, 15_000, 'the sample reading stored');

    const list = (await svc.app.inject({ method: 'GET', url: `/api/workshops/${WS}/devices` })).json<{ devices: { username: string; revoked_at_ms: number | null }[] }>();
    expect(list.devices.find((x) => x.username === d.username)).toMatchObject({ revoked_at_ms: null });
    expect(JSON.stringify(list)).not.toMatch(/sha256|mosquitto_hash|kd_/);
    expect((await svc.app.inject({ method: 'DELETE', url: `/api/workshops/${OTHER_WS}/devices/${d.username}` })).statusCode).toBe(404);
    expect((await svc.app.inject({ method: 'DELETE', url: `/api/workshops/${WS}/devices/${d.username}` })).json()).toEqual({ ok: true });
    expect(await refusal(d.username, d.secret)).toMatch(/bad user ?name or password/i);
    expect((await svc.app.inject({ method: 'POST', url: `/api/workshops/${WS}/devices`, payload: { kiln: 'a/b' } })).statusCode).toBe(400);
    expect((await svc.app.inject({ method: 'GET', url: `/api/workshops/${WS}/devices`, headers: { authorization: '' } })).statusCode).toBe(401);
  });
});
