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
import { quietLog } from './influx.ts';
import type { Logger } from '../../src/ports.ts';
import { freePort } from './ports.ts';

export interface InProcess {
  readonly runtime: Runtime;
  readonly app: FastifyInstance;
  readonly mqttUrl: string;
  stop(): Promise<void>;
}

export async function startInProcess(env: Record<string, string>, influxUrl: string, log: Logger = quietLog): Promise<InProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'kiln-svc-'));
  const embeddedPort = env.MQTT_URL ? 0 : Number(env.MQTT_EMBEDDED_PORT ?? (await freePort()));
  const config = loadConfig({ LOG_LEVEL: 'warn', MQTT_EMBEDDED_HOST: '127.0.0.1', ...env, DATA_DIR: dataDir, INFLUX_URL: influxUrl, ...(env.MQTT_URL ? {} : { MQTT_EMBEDDED_PORT: String(embeddedPort) }) });
  const runtime = await startRuntime(config, influxUrl, log);
  const app = await buildApp(runtime);
  return {
    runtime, app,
    mqttUrl: env.MQTT_URL ?? `mqtt://127.0.0.1:${embeddedPort}`,
    stop: async () => {
      await app.close();
      await runtime.stop(10_000);
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true }); // our own temporary folder
    },
  };
}

export interface ChildService {
  readonly proc: ChildProcess;
  readonly httpUrl: string;
  output(): string;
  waitReady(timeout_ms?: number): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
}

/** Run src/server.ts as its own process, as `npm start` does. */
export function startChild(env: Record<string, string>, httpPort: number): ChildService {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  return {
    proc, httpUrl,
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
