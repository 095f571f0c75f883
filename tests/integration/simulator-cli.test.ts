// The simulator's command line as a technician runs it: export a firing to CSV without a broker,
// replay that CSV through the real broker into the service, and stop a live run with SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countPoints, influxClient, uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';

function cli(args: string[], timeout_ms = 120_000): Promise<{ code: number | null; out: string; kill: () => void }> & { proc: ReturnType<typeof spawn> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const t = setTimeout(() => proc.kill('SIGKILL'), timeout_ms);
  const p = new Promise<{ code: number | null; out: string; kill: () => void }>((resolve) => proc.once('exit', (code) => { clearTimeout(t); resolve({ code, out, kill: () => proc.kill() }); }));
  return Object.assign(p, { proc });
}

describe('simulator CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
  const csv = join(dir, 'firing.csv');
  let svc: InProcess;
  const db = uniqueDb('cli');
  beforeAll(async () => { svc = await startInProcess({ INFLUX_DATABASE: db }, inject('influxUrl')); });
  afterAll(() => svc.stop());

  it('--help explains every flag', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--url', '--kilns', '--speed', '--seed', '--fault', '--csv-out', '--replay', '--history-h']) expect(r.out).toContain(flag);
  });

  it('exports a firing as CSV without a broker, then replays it through the broker into the service', async () => {
    const start = new Date(Date.now() - 30 * 3600_000).toISOString();
    const made = await cli(['--no-mqtt', '--kilns', '1', '--kiln', 'k1', '--firing', 'bisque04', '--speed', 'max', '--start', start, '--csv-out', csv, '--truth-out', join(dir, 'truth.json'), '--quiet']);
    expect(made.code).toBe(0);
    expect(existsSync(join(dir, 'truth.json'))).toBe(true);
    const [header, ...rows] = readFileSync(csv, 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const tempCols = cols.map((c, i) => [c, i] as const).filter(([c]) => c.startsWith('temp_'));
    const temps = rows.reduce((n, r) => { const v = r.split(','); return n + tempCols.filter(([, i]) => v[i] !== '' && v[i] !== undefined).length; }, 0);
    expect(rows.length).toBeGreaterThan(1000);

    const replay = await cli(['--replay', csv, '--url', svc.mqttUrl, '--speed', 'max', '--quiet']);
    expect(replay.code).toBe(0);
    const influx = influxClient(inject('influxUrl'), db);
    await waitFor(async () => (await countPoints(influx, 'temperature', 'temp_c').catch(() => 0)) >= temps, 30_000, 'replayed readings stored');
    expect(await countPoints(influx, 'temperature', 'temp_c')).toBe(temps);
    expect(svc.runtime.stats.totalRejected(svc.runtime.stats.readings_rejected)).toBe(0);
  });

  it('stops cleanly on SIGTERM with a summary and the kilns marked offline', async () => {
    const run = cli(['--url', svc.mqttUrl, '--kilns', '2', '--speed', '100', '--workshop', 'cli-live', '--quiet']);
    await waitFor(() => [...svc.runtime.pipeline.kilnStatus.values()].filter((k) => k.workshop === 'cli-live' && k.state === 'online').length === 2, 20_000, 'kilns online');
    run.proc.kill('SIGTERM');
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/total fuel [\d.]+ kg LPG/);
    await waitFor(() => [...svc.runtime.pipeline.kilnStatus.values()].filter((k) => k.workshop === 'cli-live' && k.state === 'offline').length === 2, 10_000, 'kilns offline');
  });
});
