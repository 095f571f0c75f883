// The service as its own process, as `npm start` runs it (dist/server.mjs), so that its memory
// (/proc/<pid>/status) and CPU are its own. Like tests/support/service.ts startChild, plus
// extra node flags (--cpu-prof is not allowed in NODE_OPTIONS).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { provisionChildToken, waitForHealth } from '../../tests/support/service.ts';
import { npmStart } from '../../tests/support/npm-start.ts';

/** BENCH_SERVICE_DIR: build and run the service of another checkout (an older commit, to
 *  compare two versions under the same benchmark); this one's when absent. */
const SERVICE_DIR = resolve(process.env.BENCH_SERVICE_DIR ?? new URL('../..', import.meta.url).pathname);

export interface BenchService {
  readonly proc: ChildProcess;
  readonly httpUrl: string;
  /** The admin's API token (null without a DATA_DIR or ACCESS_FILE to make it in). */
  readonly token: string | null;
  /** fetch() against the service with an admin's API token (made in its access file before it started). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  output(): string;
  waitReady(timeout_ms?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** env: an undefined value removes that variable (e.g. MQTT_URL, for the embedded broker). logFile: also append everything the service prints there. */
export function startService(env: Record<string, string | undefined>, httpPort: number, nodeFlags: readonly string[] = [], logFile?: string): BenchService {
  // The bench's simulated kilns publish without device credentials.
  const start = startLine();
  const full: Record<string, string | undefined> = { ...process.env, ...start.env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort), MQTT_ALLOW_ANONYMOUS: 'true', ...env };
  const token = provisionChildToken(full);
  for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
  // Exactly what `npm start` runs: the bundle of src/server.ts (scripts/build.mjs), without tsx.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit', cwd: SERVICE_DIR });
  const proc = spawn(process.execPath, [...start.flags, ...nodeFlags, 'dist/server.mjs'], { env: full, stdio: ['ignore', 'pipe', 'pipe'], cwd: SERVICE_DIR });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
    if (logFile) appendFileSync(logFile, d);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  return {
    proc, httpUrl, token,
    fetch: (path, init = {}) => fetch(`${httpUrl}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) } }),
    output: () => out,
    waitReady: (timeout_ms = 30_000) => waitForHealth(proc, httpUrl, () => out, timeout_ms),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** The service's own InfluxDB batch write figures, from its /metrics. */
export async function writeMetrics(svc: BenchService): Promise<{ batches: number; mean_ms: number; over_250ms: number; errors: number }> {
  const v = await metricsOf(svc);
  const batches = v('kiln_influx_write_seconds_count');
  return {
    batches,
    mean_ms: (1000 * v('kiln_influx_write_seconds_sum')) / batches,
    over_250ms: batches - v('kiln_influx_write_seconds_bucket\\{le="0.25"\\}'),
    errors: v('kiln_influx_write_errors_total'),
  };
}

/** A reader of the service's /metrics, as it is now: the value of a sample by its name. */
async function metricsOf(svc: BenchService): Promise<(name: string) => number> {
  const text = await (await fetch(`${svc.httpUrl}/metrics`)).text();
  return (name) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** The live view's figures in the service's /metrics, from one read: how its streams started and
 *  ended, and how far it kept up (readings it left out, kilns read again, kilns waiting). */
export async function liveMetrics(svc: BenchService): Promise<{ snapshots: number; resumes: number; dropped: number; skipped: number; rebuilt: number; waiting: number }> {
  const v = await metricsOf(svc);
  return {
    snapshots: v('kiln_live_stream_snapshots_total'), resumes: v('kiln_live_stream_resumes_total'), dropped: v('kiln_live_stream_dropped_total'),
    skipped: v('kiln_live_skipped_readings_total'), rebuilt: v('kiln_live_rebuilt_kilns_total'), waiting: v('kiln_live_rebuilds_waiting'),
  };
}

/** What `npm start` sets (its environment settings and node flags), so the service runs here as it does there. */
function startLine(): { env: Readonly<Record<string, string>>; flags: string[] } {
  const { env, command } = npmStart(join(SERVICE_DIR, 'package.json'));
  const words = command.split(' ');
  return { env, flags: words.slice(1, words.indexOf('dist/server.mjs')) };
}
