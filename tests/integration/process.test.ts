// The service as a process, the way `npm start` runs it: clear messages instead of stack traces.
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startChild } from '../support/service.ts';
import { freePort } from '../support/ports.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'kiln-proc-'));

describe('service process', () => {
  it('bad configuration: one line per bad key, exit code 2, no stack trace', async () => {
    const svc = startChild({ HTTP_PORT: 'eighty', MQTT_URL: 'ftp://x', SPOOL_MAX_MB: '-5' }, await freePort());
    const code = await new Promise<number | null>((r) => svc.proc.once('exit', r));
    expect(code).toBe(2);
    const out = svc.output();
    expect(out).toContain('Bad configuration');
    expect(out).toMatch(/^ {2}HTTP_PORT: .*"eighty"/m);
    expect(out).toMatch(/^ {2}MQTT_URL: /m);
    expect(out).toMatch(/^ {2}SPOOL_MAX_MB: /m);
    expect(out).not.toMatch(/\n\s+at /); // no stack frames
  });

  it('embedded broker port taken: says which setting to change', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const svc = startChild({ INFLUX_URL: inject('influxUrl'), DATA_DIR: tmp(), MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(port) }, await freePort());
      const code = await new Promise<number | null>((r) => svc.proc.once('exit', r));
      expect(code).toBe(1);
      expect(svc.output()).toContain(`port ${port} is already in use`);
      expect(svc.output()).toContain('MQTT_EMBEDDED_PORT');
      expect(svc.output()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('HTTP port taken: says to set HTTP_PORT', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const svc = startChild({ INFLUX_URL: inject('influxUrl'), DATA_DIR: tmp(), MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(await freePort()) }, port);
      const code = await new Promise<number | null>((r) => svc.proc.once('exit', r));
      expect(code).toBe(1);
      expect(svc.output()).toContain(`port ${port} is already in use: set HTTP_PORT`);
    } finally {
      blocker.close();
    }
  });

  it('local InfluxDB port taken: says to set INFLUX_LOCAL_PORT or INFLUX_URL', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const svc = startChild({ DATA_DIR: tmp(), MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(await freePort()), INFLUX_LOCAL_PORT: String(port), INFLUX_LOCAL_RPC_PORT: String(await freePort()) }, await freePort());
      const code = await new Promise<number | null>((r) => svc.proc.once('exit', r));
      expect(code).toBe(1);
      expect(svc.output()).toContain('INFLUX_LOCAL_PORT');
      expect(svc.output()).toContain('INFLUX_URL');
    } finally {
      blocker.close();
    }
  });

  it('SIMULATE_KILNS starts simulated kilns that feed the service over MQTT (as a gateway of their own, anonymous clients refused), with no timestamp from the future', async () => {
    const dataDir = tmp();
    const env = { INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: `demo_${Date.now()}`, DATA_DIR: dataDir, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(await freePort()), MQTT_ALLOW_ANONYMOUS: 'false', SIMULATE_KILNS: '2', SIMULATE_HISTORY_H: '1', SIMULATE_SPEED: '600' };
    await runDemo(env);
    // A second start makes a fresh credential (only hashes are kept) and revokes the first.
    await runDemo(env);
    const devices = (JSON.parse(readFileSync(join(dataDir, 'access.json'), 'utf8')) as { devices: { username: string; workshop: string; kiln: string | null; revoked_at_ms: number | null }[] }).devices;
    expect(devices.map((d) => [d.username, d.workshop, d.kiln, d.revoked_at_ms === null])).toEqual([['demo.gateway', 'demo', null, false], ['demo.gateway.2', 'demo', null, true]]);
  });

  async function runDemo(env: Record<string, string>): Promise<void> {
    const svc = startChild(env, await freePort());
    try {
      await svc.waitReady();
      let h = { ingest: { readings_stored: 0, readings_rejected: 0 }, kilns: [] as { workshop: string; state: string }[] };
      for (let i = 0; i < 100 && (h.ingest.readings_stored < 100 || h.kilns.length < 2); i++) {
        await new Promise((r) => setTimeout(r, 200));
        h = await (await svc.fetch('/api/health')).json() as typeof h; // the kilns only to a logged-in caller
      }
      expect(h.ingest.readings_stored).toBeGreaterThanOrEqual(100);
      expect(h.ingest.readings_rejected).toBe(0); // fast-forward never runs ahead of now
      expect(h.kilns.filter((k) => k.workshop === 'demo' && k.state === 'online')).toHaveLength(2);
      expect(svc.output()).not.toMatch(/kd_[A-Za-z0-9_-]{20,}/); // the secret is never logged
    } finally {
      expect(await svc.stop()).toBe(0);
    }
  }

  it('InfluxDB not installed: says exactly how to install it or what to set instead', async () => {
    const svc = startChild({ DATA_DIR: tmp(), INFLUX_LOCAL_BINARY: '/nonexistent/influxd', MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort());
    const code = await new Promise<number | null>((r) => svc.proc.once('exit', r));
    expect(code).toBe(1);
    expect(svc.output()).toContain('apt-get install -y influxdb');
    expect(svc.output()).toContain('INFLUX_URL');
    expect(svc.output()).not.toMatch(/\n\s+at /);
  });

  it('on its embedded defaults it starts its own influxd and broker, survives a kill -9 of itself, and stops them on SIGTERM', async () => {
    const dataDir = tmp();
    const env = { DATA_DIR: dataDir, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(await freePort()), INFLUX_LOCAL_PORT: String(await freePort()), INFLUX_LOCAL_RPC_PORT: String(await freePort()) };
    const httpPort = await freePort();
    const first = startChild(env, httpPort);
    await first.waitReady(60_000);
    const health = await (await fetch(`${first.httpUrl}/api/health`)).json() as { status: string; broker: { kind: string } };
    expect(health).toMatchObject({ status: 'ok', broker: { kind: 'embedded' } });
    // kill -9 leaves its influxd behind, holding the ports; the next start must deal with it.
    await first.kill9();
    const second = startChild(env, httpPort);
    await second.waitReady(60_000);
    expect(second.output()).not.toContain('already in use');
    expect(await second.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'influxdb', 'influxd.pid'))).toBe(false); // influxd went down with it
  });
});
