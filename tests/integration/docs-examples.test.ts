// The copy-paste examples of docs/mqtt.md run against the running service, as a technician
// would run them (mosquitto_pub and curl), with the ports of this test and an API token.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startChild, type ChildService } from '../support/service.ts';
import { freePort } from '../support/ports.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessService } from '../../src/access/service.ts';

function tryItBlock(doc = 'mqtt.md', heading = '## Try it'): string {
  const md = readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8');
  const section = md.slice(md.indexOf(heading));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m?.[1]) throw new Error(`docs/${doc} has no \`\`\`sh block under "${heading}"`);
  return m[1];
}

describe('docs/mqtt.md examples', () => {
  let svc: ChildService;
  let mqttPort: number;
  let token: string;
  let dir: string;
  const db = uniqueDb('docs');
  beforeAll(async () => {
    mqttPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'kiln-docs-'));
    // The reader's API token: an admin's, in the access file the service reads.
    const access = AccessService.open(join(dir, 'access.json'));
    const admin = (await access.createUser({ username: 'docs-admin', role: 'admin', password: 'docs-admin-password' })).user;
    token = access.createToken(admin.id, 'docs').token;
    svc = startChild({ INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: db, DATA_DIR: dir, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(mqttPort), MQTT_ALLOW_ANONYMOUS: 'false' }, await freePort());
    await svc.waitReady();
  });
  afterAll(() => svc.stop());

  it('show how to pass a token to every curl of a route behind a login', () => {
    for (const line of tryItBlock().split('\n').filter((l) => l.startsWith('curl ') && !l.includes('/api/health'))) {
      expect(line).toContain('-H "Authorization: Bearer $TOKEN"');
    }
  });

  it('work as written: readings stored, the event stored, the bad one rejected and listed', async () => {
    const script = tryItBlock().replaceAll('-p 1883', `-p ${mqttPort}`).replaceAll('127.0.0.1:8080', svc.httpUrl.replace('http://', ''));
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', cwd: dir, env: { ...process.env, TOKEN: token } });
    expect(out).toContain('"reason":"out_of_range"');
    expect(out).toContain('"reason":"acl_denied"');
    expect(out).toContain('"status":"ok"');
    const influx = influxClient(inject('influxUrl'), db);
    await waitFor(async () => (await countPoints(influx, 'temperature', 'temp_c').catch(() => 0)) === 2, 10_000, 'example readings stored');
    expect(await countPoints(influx, 'gas_flow', 'flow_kg_h')).toBe(1);
    expect(await countPoints(influx, 'event', 'seq')).toBe(1);
  });
});

// docs/simulator.md's fault example runs against the demo kilns as `SIMULATE_KILNS` starts them:
// workshop demo, the service's own broker, a kiln credential made over HTTP.
describe('docs/simulator.md fault example on the demo kilns', () => {
  let svc: ChildService;
  let mqttPort: number;
  let token: string;
  beforeAll(async () => {
    mqttPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'kiln-docs-sim-'));
    const access = AccessService.open(join(dir, 'access.json'));
    const admin = (await access.createUser({ username: 'docs-admin', role: 'admin', password: 'docs-admin-password' })).user;
    token = access.createToken(admin.id, 'docs').token;
    svc = startChild({
      INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: uniqueDb('docsim'), DATA_DIR: dir, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(mqttPort),
      MQTT_ALLOW_ANONYMOUS: 'false', SIMULATE_KILNS: '1', SIMULATE_HISTORY_H: '0',
    }, await freePort());
    await svc.waitReady();
    // The demo simulator is a process of its own: wait until its kiln has reported.
    await waitFor(async () => {
      const r = await fetch(`${svc.httpUrl}/api/live`, { headers: { authorization: `Bearer ${token}` } });
      return r.ok && ((await r.json()) as { kilns: { workshop: string; kiln: string }[] }).kilns.some((k) => k.workshop === 'demo' && k.kiln === 'K01');
    }, 30_000, 'demo kiln K01 in the live view');
  }, 60_000);
  afterAll(() => svc.stop());

  it('works as written: the fault is acknowledged and shows in the live view', () => {
    const script = tryItBlock('simulator.md', '### Try it on the demo kilns').replaceAll('-p 1883', `-p ${mqttPort}`).replaceAll('127.0.0.1:8080', svc.httpUrl.replace('http://', ''));
    const dir = mkdtempSync(join(tmpdir(), 'kiln-docs-sim-run-'));
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', cwd: dir, env: { ...process.env, TOKEN: token } });
    expect(JSON.parse(out.trim())).toMatchObject({ type: 'tc_open', zone: 'top', of: null });
  }, 30_000);
});
