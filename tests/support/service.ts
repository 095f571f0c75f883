// The service under test: in-process (runtime + Fastify app, for app.inject) or as a real
// child process (for kill -9 and exit-code tests). Both against real brokers and InfluxDB.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { startRuntime, type Runtime } from '../../src/runtime.ts';
import { buildApp } from '../../src/app.ts';
import { AccessService } from '../../src/access/service.ts';
import { accessFile } from '../../src/access/store.ts';
import { quietLog } from './influx.ts';
import type { Logger } from '../../src/ports.ts';
import { freePort } from './ports.ts';

/** Rate limits out of the way of tests that are not about them. */
export const UNLIMITED = { RATE_LIMIT_LOGIN_PER_MIN: '100000', RATE_LIMIT_WRITES_PER_MIN: '1000000' };

export interface InProcess {
  readonly runtime: Runtime;
  /** The real app. Its inject() sends an admin's API token unless the request sets its own
   *  authorization or cookie header (or `anonymous: true` in its headers' place: see asAnonymous). */
  readonly app: FastifyInstance;
  /** An admin's API token (the access file's first user), for requests made outside inject(). */
  readonly adminToken: string;
  readonly mqttUrl: string;
  stop(): Promise<void>;
}

export async function startInProcess(env: Record<string, string>, influxUrl: string, log: Logger = quietLog): Promise<InProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'kiln-svc-'));
  const embeddedPort = env.MQTT_URL ? 0 : Number(env.MQTT_EMBEDDED_PORT ?? (await freePort()));
  // Tests that are not about device credentials publish without one, as a site moving its loggers over would.
  // Tests not about rate limits log in and write faster than a person would.
  const config = loadConfig({ LOG_LEVEL: 'warn', MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_ALLOW_ANONYMOUS: 'true', ...UNLIMITED, ...env, DATA_DIR: dataDir, INFLUX_URL: influxUrl, ...(env.MQTT_URL ? {} : { MQTT_EMBEDDED_PORT: String(embeddedPort) }) });
  const runtime = await startRuntime(config, influxUrl, log);
  const app = await buildApp(runtime);
  const adminToken = await provisionAdmin(runtime);
  withDefaultToken(app, adminToken);
  return {
    runtime, app, adminToken,
    mqttUrl: env.MQTT_URL ?? `mqtt://127.0.0.1:${embeddedPort}`,
    stop: async () => {
      await app.close();
      await runtime.stop(10_000);
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true }); // our own temporary folder
    },
  };
}

/** An admin with an API token in the runtime's access file (the first one made, reused after). */
export async function provisionAdmin(runtime: Runtime): Promise<string> {
  const access = runtime.access;
  const admin = access.userByName('test-admin') ?? (await access.createUser({ username: 'test-admin', role: 'admin', password: 'test-admin-password' })).user;
  return access.createToken(admin.id, 'tests').token;
}

/** inject() with `authorization: Bearer <token>` unless the request carries its own credentials.
 *  Tests about access control set their own headers (or { authorization: '' } for none). */
export function withDefaultToken(app: FastifyInstance, token: string): void {
  const inject = app.inject.bind(app) as (o: unknown) => unknown;
  (app as { inject: unknown }).inject = (opts?: unknown) => {
    if (opts === undefined) throw new Error('use app.inject({ … }) in tests: the chained form skips the default token');
    const o: { headers?: Record<string, string> } = typeof opts === 'string' ? { url: opts } as never : (opts as { headers?: Record<string, string> });
    const h = o.headers ?? {};
    const own = 'authorization' in h || 'cookie' in h || 'Authorization' in h || 'Cookie' in h;
    const headers = own ? Object.fromEntries(Object.entries(h).filter(([k, v]) => !(k.toLowerCase() === 'authorization' && v === ''))) : { ...h, authorization: `Bearer ${token}` };
    return inject({ ...o, headers });
  };
}

export interface ChildService {
  readonly proc: ChildProcess;
  readonly httpUrl: string;
  /** An admin's API token in the child's access file (null when it was given no DATA_DIR or
   *  ACCESS_FILE, or was asked not to make one). */
  readonly token: string | null;
  /** fetch() against the child with its admin token. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  output(): string;
  waitReady(timeout_ms?: number): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
}

/** An admin (no password: tokens only) with a new API token, written to the access file of a
 *  child's environment before it starts, as `npm run users -- token` would; null without a DATA_DIR. */
export function provisionChildToken(env: Record<string, string | undefined>): string | null {
  if (!env.DATA_DIR && !env.ACCESS_FILE) return null;
  const access = AccessService.open(accessFile({ DATA_DIR: env.DATA_DIR ?? '', ACCESS_FILE: env.ACCESS_FILE || undefined }));
  const id = access.userByName('test-admin')?.id ?? access.store.update((d) => {
    const now = Date.now();
    // '!' is no scrypt hash: nobody logs in with a password as this user.
    d.users.push({ id: `u-test-admin-${now}`, username: 'test-admin', role: 'admin', workshops: [], villages: [], password_hash: '!', must_change_password: false, password_changed_at_ms: now, created_at_ms: now, disabled_at_ms: null });
    return `u-test-admin-${now}`;
  });
  return access.createToken(id, 'tests').token;
}

/** Run src/server.ts as its own process, as `npm start` does. Devices may publish without a
 *  credential (MQTT_ALLOW_ANONYMOUS) unless env says otherwise; `token` is an admin's.
 *  `{ provisionToken: false }` leaves the access file alone: a first start, as after a clone. */
export function startChild(env: Record<string, string>, httpPort: number, opts: { provisionToken?: boolean } = {}): ChildService {
  const token = opts.provisionToken === false ? null : provisionChildToken(env);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort), MQTT_ALLOW_ANONYMOUS: 'true', ...UNLIMITED, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  return {
    proc, httpUrl, token,
    fetch: (path, init = {}) => fetch(`${httpUrl}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) } }),
    output: () => out,
    waitReady: (timeout_ms = 30_000) => waitForHealth(proc, httpUrl, () => out, timeout_ms),
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** Poll GET /api/health until it answers 200; fail with the process output if it exits first. */
export async function waitForHealth(proc: ChildProcess, httpUrl: string, output: () => string, timeout_ms: number): Promise<void> {
  const until = Date.now() + timeout_ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`service exited (${proc.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${httpUrl}/api/health`)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service not ready in ${timeout_ms} ms:\n${output()}`);
}
