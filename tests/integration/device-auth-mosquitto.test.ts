// Device credentials on a real Mosquitto (its own process, on a free port) with the password
// and ACL files `mosquitto-files` makes from the access file, and the service connected to it
// with its own user: who may connect, publish and subscribe, and the good path into InfluxDB.
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { startTestMosquitto, type TestMosquitto } from '../support/mosquitto.ts';
import { telemetry } from '../support/device.ts';
import { grantedQos, loginClients } from '../support/mqtt-login.ts';
import { AccessService } from '../../src/access/service.ts';
import { ACL_FILE, PASSWD_FILE } from '../../src/cli/device-commands.ts';
import { execFileSync } from 'node:child_process';

const WS = 'bt-mosq';
const SERVICE = { username: 'kiln-monitor', password: 'service-secret-1234' };

describe('device credentials on Mosquitto (password and ACL files from the access file)', () => {
  let broker: TestMosquitto;
  let svc: InProcess;
  const db = uniqueDb('devmosq');
  const cred = { k1: { username: '', secret: '' }, k2: { username: '', secret: '' } };

  const { connect, refusal, endAll } = loginClients(() => broker.url);
  const stored = (where: string) => countPoints(influxClient(inject('influxUrl'), db), 'temperature', 'temp_c', where);

  beforeAll(async () => {
    // The access file and the two Mosquitto files, made as an operator would (the CLI command).
    const dir = mkdtempSync(join(tmpdir(), 'kiln-mosq-auth-'));
    chmodSync(dir, 0o755);
    const access = AccessService.open(join(dir, 'access.json'));
    for (const [k, kiln] of [['k1', 'K01'], ['k2', 'K02']] as const) {
      const { device, secret } = access.createDevice(WS, kiln);
      cred[k] = { username: device.username, secret };
    }
    access.revokeDevice(access.createDevice(WS, 'K09').device.username);
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/users.ts', 'mosquitto-files', '--out', join(dir, 'mq')], {
      encoding: 'utf8', env: { ...process.env, DATA_DIR: dir, ACCESS_FILE: '', MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password },
    });
    expect(out.split('\n')[0]).toMatch(/2 device\(s\), service user kiln-monitor/);
    // Mosquitto started as root reads them as the 'mosquitto' user.
    for (const f of [PASSWD_FILE, ACL_FILE]) chmodSync(join(dir, 'mq', f), 0o644);
    chmodSync(join(dir, 'mq'), 0o755);
    const snippet = readFileSync(new URL('../../config/mosquitto-auth.conf.example', import.meta.url), 'utf8').replaceAll('/etc/mosquitto/kiln', join(dir, 'mq'));
    broker = await startTestMosquitto(undefined, (conf) => conf.replace(/^allow_anonymous true$/m, snippet));
    svc = await startInProcess({ INFLUX_DATABASE: db, MQTT_URL: broker.url, MQTT_USERNAME: SERVICE.username, MQTT_PASSWORD: SERVICE.password, MQTT_CLIENT_ID: `svc-${db}` }, inject('influxUrl'));
    await waitFor(() => svc.runtime.source.connected(), 10_000, 'the service connected to Mosquitto with its own user');
  });
  afterAll(async () => {
    await endAll();
    await svc?.stop();
    await broker?.stop();
  });

  it('refuses a wrong secret, an unknown or revoked username, and no username', async () => {
    expect(await refusal(cred.k1.username, 'kd_wrong')).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    expect(await refusal('nobody', cred.k1.secret)).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    expect(await refusal(`${WS}.K09`, 'anything')).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    expect(await refusal(undefined, undefined)).toMatch(/not authori[sz]ed/i);
    expect(await refusal(cred.k1.username, cred.k1.secret)).toBe('connected');
  });

  it('stores the device\'s own readings, end to end; silently drops one for another kiln (acknowledged, never delivered)', async () => {
    const k1 = await connect(cred.k1.username, cred.k1.secret);
    const received = svc.runtime.stats.messages_received;
    const ts = Date.now() - 10_000;
    // MQTT 3.1.1 has no way to say "refused" in a PUBACK: Mosquitto acknowledges and drops it.
    await k1.publishAsync(`kiln/v1/${WS}/K02/telemetry`, telemetry(ts, 1), { qos: 1 });
    await k1.publishAsync(`kiln/v1/${WS}/K01/telemetry`, telemetry(ts, 2), { qos: 1 });
    expect(k1.connected).toBe(true);
    expect(k1.connected).toBe(true);
    await waitFor(async () => (await stored(`WHERE workshop='${WS}' AND kiln='K01'`)) === 3, 15_000, 'own reading stored');
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored(`WHERE workshop='${WS}' AND kiln='K02'`)).toBe(0);
    expect(svc.runtime.stats.messages_received).toBe(received + 1); // the dropped one never reached the service
  });

  it('delivers nothing beyond the device\'s read rights to #, $SYS/# or another kiln\'s topic (Mosquitto grants the SUBACK, then filters)', async () => {
    const k1 = await connect(cred.k1.username, cred.k1.secret);
    const seen: string[] = [];
    k1.on('message', (t) => seen.push(t));
    // Mosquitto 2.0 with an acl_file answers SUBACK with the QoS asked for, and checks read access
    // on every message it would deliver: retained $SYS topics (its version, uptime) never arrive.
    await grantedQos(k1, ['#', '$SYS/#', `kiln/v1/${WS}/K02/control`, `kiln/v1/${WS}/+/telemetry`, `kiln/v1/${WS}/K01/control`]);
    const k2 = await connect(cred.k2.username, cred.k2.secret);
    await k2.publishAsync(`kiln/v1/${WS}/K02/telemetry`, telemetry(Date.now() - 5000, 1), { qos: 1 });
    await k2.publishAsync(`kiln/v1/${WS}/K02/control`, '{"x":1}', { qos: 1 });
    await k1.publishAsync(`kiln/v1/${WS}/K01/control`, '{"own":1}', { qos: 1 });
    await waitFor(() => seen.length >= 1, 5000, 'own control message');
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([`kiln/v1/${WS}/K01/control`]);
  });

  it('drops a forged .../alert from a device; the service\'s own alert goes out', async () => {
    const watcher = await connect(SERVICE.username, SERVICE.password); // the service user may read everything devices and alerts use
    const seen: string[] = [];
    watcher.on('message', (_t, p) => seen.push(p.toString()));
    expect(await grantedQos(watcher, [`kiln/v1/${WS}/K01/alert`])).toEqual([1]);
    const k1 = await connect(cred.k1.username, cred.k1.secret);
    await k1.publishAsync(`kiln/v1/${WS}/K01/alert`, '{"forged":true}', { qos: 1, retain: true });
    await svc.runtime.source.publish(`kiln/v1/${WS}/K01/alert`, '{"v":1,"active":[]}', { qos: 1, retain: false });
    await waitFor(() => seen.length >= 1, 5000, 'the service\'s alert delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual(['{"v":1,"active":[]}']);
  });
});
