// A private Mosquitto for fault tests (restart mid-stream), run with the config we ship
// (config/mosquitto.conf) on a free port, its persistence in a temporary folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portInUse } from '../../src/adapters/influx/local-influxd.ts';
import { freePort } from './ports.ts';

export interface TestMosquitto {
  readonly url: string;
  readonly port: number;
  /** Its config, persistence (and any files the test puts there). */
  readonly dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function mosquittoBinary(): string {
  return '/usr/sbin/mosquitto';
}

/** `edit` changes the shipped config further (given the config text and the broker's folder). */
export async function startTestMosquitto(port?: number, edit?: (conf: string, dir: string) => string): Promise<TestMosquitto> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'kiln-mosq-'));
  // Started as root, mosquitto drops to the 'mosquitto' user: it must be able to write its
  // persistence file here, or a restart silently forgets every session.
  chmodSync(dir, 0o777);
  const shipped = readFileSync(new URL('../../config/mosquitto.conf', import.meta.url), 'utf8')
    .replace(/^listener .*$/m, `listener ${p} 127.0.0.1`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`);
  const conf = edit ? edit(shipped, dir) : shipped;
  const confPath = join(dir, 'mosquitto.conf');
  writeFileSync(confPath, conf);
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(mosquittoBinary(), ['-c', confPath], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await portInUse(p)); i++) await new Promise((r) => setTimeout(r, 50));
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM'); // a clean stop writes the persistence file
    await exited;
  };
  await start();
  return { url: `mqtt://127.0.0.1:${p}`, port: p, dir, start, stop };
}
