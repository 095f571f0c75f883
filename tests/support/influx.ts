// A real influxd for tests, on free ports in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfluxDB } from 'influx';
import { startLocalInflux, type LocalInflux } from '../../src/adapters/influx/local-influxd.ts';
import type { InfluxStore } from '../../src/adapters/influx/store.ts';
import type { Point } from '../../src/domain/point.ts';
import { freePort } from './ports.ts';

export const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

export async function startTestInflux(): Promise<LocalInflux> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-influx-'));
  const influx = await startLocalInflux({ dir, port: await freePort(), rpc_port: await freePort(), binary: 'influxd', install: false }, quietLog);
  // stop() also removes the data folder, so test runs do not fill /tmp.
  return { ...influx, stop: async () => { await influx.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

export function uniqueDb(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export function influxClient(url: string, database: string): InfluxDB {
  const u = new URL(url);
  return new InfluxDB({ host: u.hostname, port: Number(u.port), database });
}

/** Count stored points of a measurement (COUNT of one field). */
export async function countPoints(db: InfluxDB, measurement: string, field: string, where = ''): Promise<number> {
  const rows = await db.query<{ count: number }>(`SELECT COUNT("${field}") AS count FROM "${measurement}" ${where}`);
  return rows[0]?.count ?? 0;
}

/** Poll until fn() returns true or time runs out. */
export async function waitFor(fn: () => Promise<boolean> | boolean, timeout_ms: number, what: string): Promise<void> {
  const until = Date.now() + timeout_ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeout_ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Points written straight to InfluxDB with the service's own encoding, 5,000 lines a request. */
export async function writePoints(store: InfluxStore, points: readonly Point[]): Promise<void> {
  for (let i = 0; i < points.length; i += 5000) {
    const lines = points.slice(i, i + 5000).map((p) => store.encode(p));
    await store.write(Buffer.from(lines.join('\n') + '\n'), lines.length);
  }
}
