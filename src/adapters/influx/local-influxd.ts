// Starts and supervises a local influxd (InfluxDB 1.x from the OS packages) with its data
// under DATA_DIR, for a workshop that has no InfluxDB of its own. Also used by the tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { Logger } from '../../ports.ts';

export interface LocalInfluxOptions {
  readonly dir: string;
  readonly port: number;
  readonly rpc_port: number;
  readonly binary: string;
  readonly install: boolean; // may we apt-get install influxdb?
}

export interface LocalInflux {
  readonly url: string;
  stop(): Promise<void>;
  /** For fault tests: stop influxd without the supervisor restarting it, then start it again. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export class LocalInfluxError extends Error {}

const INSTALL_HELP = 'Install it with: sudo apt-get update && sudo apt-get install -y influxdb (Debian/Ubuntu), or set INFLUX_URL to an InfluxDB 1.x/2.x/3.x server.';

function findBinary(binary: string): string | undefined {
  if (binary.includes('/')) return existsSync(binary) ? binary : undefined;
  for (const d of (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/sbin'])) {
    if (d && existsSync(join(d, binary))) return join(d, binary);
  }
  return undefined;
}

function installInflux(log: Logger): void {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !findBinary('apt-get')) throw new LocalInfluxError(`InfluxDB (influxd) is not installed. ${INSTALL_HELP}`);
  log.info('InfluxDB is not installed: installing the Debian package influxdb (apt-get install -y influxdb), this takes a minute...');
  let r = spawnSync('apt-get', ['install', '-y', 'influxdb'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    r = spawnSync('apt-get', ['install', '-y', 'influxdb'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (r.status !== 0) throw new LocalInfluxError(`installing influxdb failed. ${INSTALL_HELP}`);
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ port, host });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('error', () => res(false));
  });
}

function configText(dir: string, port: number, rpc_port: number): string {
  return `# Written by kiln-monitor for its local influxd; edited copies are overwritten.
reporting-disabled = true
bind-address = "127.0.0.1:${rpc_port}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  log-enabled = false
[logging]
  level = "warn"
`;
}

/** A previous run killed with -9 leaves its influxd behind, holding the ports: end it. */
async function endOrphan(pidFile: string, confPath: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let cmd = '';
  try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { /* gone */ }
  if (pid > 0 && cmd.includes('influxd') && cmd.includes(confPath)) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(100);
  }
  unlinkSync(pidFile);
}

async function waitForPing(url: string, child: ChildProcess, timeout_ms: number): Promise<void> {
  const until = Date.now() + timeout_ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new LocalInfluxError(`influxd exited with code ${child.exitCode} while starting`);
    try {
      const r = await fetch(`${url}/ping`);
      if (r.status === 204) return;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new LocalInfluxError(`influxd did not answer on ${url}/ping within ${timeout_ms / 1000} s`);
}

export async function startLocalInflux(opts: LocalInfluxOptions, log: Logger): Promise<LocalInflux> {
  let bin = findBinary(opts.binary);
  // Install from the OS packages only for the packaged name; a custom path is the user's own.
  if (!bin && opts.install && !opts.binary.includes('/')) { installInflux(log); bin = findBinary(opts.binary); }
  if (!bin) throw new LocalInfluxError(`InfluxDB (${opts.binary}) is not installed. ${INSTALL_HELP}`);

  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const confPath = join(dir, 'influxd.conf');
  const pidFile = join(dir, 'influxd.pid');
  await endOrphan(pidFile, confPath);
  for (const [p, key] of [[opts.port, 'INFLUX_LOCAL_PORT'], [opts.rpc_port, 'INFLUX_LOCAL_RPC_PORT']] as const) {
    if (await portInUse(p)) {
      throw new LocalInfluxError(`port ${p} is already in use, so the local InfluxDB cannot start. Set ${key} to a free port` +
        (key === 'INFLUX_LOCAL_PORT' ? `, or INFLUX_URL=http://127.0.0.1:${p} if an InfluxDB is already running there.` : '.'));
    }
  }
  writeFileSync(confPath, configText(dir, opts.port, opts.rpc_port));
  const url = `http://127.0.0.1:${opts.port}`;
  let child: ChildProcess;
  let stopping = false;
  let restarts = 0;

  const launch = async (): Promise<void> => {
    const logFd = openSync(join(dir, 'influxd.log'), 'a');
    child = spawn(bin, ['-config', confPath], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    writeFileSync(pidFile, String(child.pid));
    child.once('exit', (code, signal) => {
      if (stopping) return;
      restarts++;
      const delay_ms = Math.min(1000 * restarts, 10_000);
      log.warn(`local influxd exited (${signal ?? code}); restarting in ${delay_ms / 1000} s (see ${join(dir, 'influxd.log')})`);
      setTimeout(() => { if (!stopping) launch().catch((e: Error) => log.error(e.message)); }, delay_ms);
    });
    await waitForPing(url, child, 60_000);
    restarts = 0;
  };

  const halt = async (): Promise<void> => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
  };

  await launch();
  log.info(`local InfluxDB ${url} (data in ${dir})`);
  return {
    url,
    stop: async () => { await halt(); if (existsSync(pidFile)) unlinkSync(pidFile); },
    pause: halt,
    resume: async () => { stopping = false; await launch(); },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
