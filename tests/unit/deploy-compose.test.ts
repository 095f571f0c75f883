// The compose deployment (deploy/compose/): every setting it gives the service is one the service
// accepts, each instance keeps its own client id, data volume and port, its Mosquitto settings are
// the project's (config/mosquitto.conf) but for the data dir, and `docker compose config` accepts
// the file where Docker Compose is installed (images are not pulled: no network needed).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { npmStart } from '../support/npm-start.ts';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../../src/config.ts';

const dir = new URL('../../deploy/compose/', import.meta.url);
const text = readFileSync(new URL('compose.yaml', dir), 'utf8');
interface Service { image?: string; environment?: Record<string, string>; ports?: string[]; volumes?: string[]; restart?: string }
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const instances = Object.entries(compose.services).filter(([name]) => name.startsWith('kiln-'));

describe('deploy/compose', () => {
  it('runs Mosquitto 2, InfluxDB 1.8 and at least two instances of the service', () => {
    expect(compose.services.mosquitto?.image).toBe('eclipse-mosquitto:2');
    expect(compose.services.influxdb?.image).toBe('influxdb:1.8');
    expect(instances.length).toBeGreaterThanOrEqual(2);
  });

  it('gives each instance only settings the service accepts, and a valid configuration', () => {
    for (const [name, s] of instances) {
      const env = s.environment ?? {};
      const unknown = Object.keys(env).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
      expect(unknown, name).toEqual([]);
      const c = loadConfig(env);
      expect(c.MQTT_SHARE_GROUP, name).toBe('kiln');
      expect(c.MQTT_URL, name).toBe('mqtt://mosquitto:1883');
      expect(c.INFLUX_URL, name).toBe('http://influxdb:8086');
      expect(s.restart, name).toBe('always'); // it must come back under its own client id
    }
  });

  it('gives each instance its own client id, data volume and port, and one shared access file', () => {
    const own = (f: (s: Service) => unknown) => new Set(instances.map(([, s]) => JSON.stringify(f(s)))).size;
    expect(own((s) => s.environment?.MQTT_CLIENT_ID)).toBe(instances.length);
    expect(own((s) => s.ports)).toBe(instances.length);
    expect(own((s) => s.volumes?.find((v) => v.endsWith(':/var/lib/kiln-monitor')))).toBe(instances.length);
    for (const [, s] of instances) expect(s.volumes).toContain('kiln-shared:/shared');
    expect(own((s) => s.environment?.ACCESS_FILE)).toBe(1);
  });

  it('configures Mosquitto as config/mosquitto.conf does (persistence, the large queue), its data in the image\'s data dir', () => {
    const settings = (t: string) => t.split('\n').filter((l) => /^[a-z]/.test(l));
    const ours = settings(readFileSync(new URL('mosquitto.conf', dir), 'utf8'));
    const project = settings(readFileSync(new URL('../../config/mosquitto.conf', import.meta.url), 'utf8'));
    expect(ours).toEqual(project.map((l) => (l.startsWith('persistence_location ') ? 'persistence_location /mosquitto/data/' : l)));
    expect(ours).toEqual(expect.arrayContaining(['persistence true', 'max_queued_bytes 1073741824']));
  });

  it('builds a non-root image whose health check asks /api/health/ready', () => {
    const docker = readFileSync(new URL('Dockerfile', dir), 'utf8');
    expect(docker).toMatch(/^FROM node:24-slim/m);
    expect(docker).toMatch(/^RUN npm ci$/m);
    expect(docker).toMatch(/npm run build/);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toMatch(/^HEALTHCHECK [\s\S]*\/api\/health\/ready/m);
  });

  it('starts the service with the command line and environment settings of npm start', () => {
    const docker = readFileSync(new URL('Dockerfile', dir), 'utf8');
    const start = npmStart();
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(docker)?.[1] ?? '[]') as string[];
    expect(cmd.join(' ')).toBe(start.command);
    const env = /^ENV (.*)$/m.exec(docker.split('FROM node:24-slim\n').at(-1) ?? '')?.[1]?.split(/\s+/) ?? [];
    for (const [k, v] of Object.entries(start.env)) expect(env).toContain(`${k}=${v}`);
  });

  const compose_cli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const has_compose = compose_cli.status === 0;
  it.skipIf(!has_compose)('is accepted by `docker compose config` (skipped where Docker Compose is not installed)', () => {
    const r = spawnSync('docker', ['compose', '-f', new URL('compose.yaml', dir).pathname, 'config', '--quiet'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
