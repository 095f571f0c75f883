// A real Prometheus (Debian's `prometheus` package) scrapes the service's GET /metrics over HTTP
// and has the ingest figures: the exposition is one Prometheus itself parses, not just text that
// looks right. Skipped, saying so, where the binary is not installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { connectDevice, telemetry } from '../support/device.ts';
import { freePort } from '../support/ports.ts';

const BIN = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));
if (!BIN) console.log('prometheus.test.ts skipped: no prometheus binary (apt-get install -y prometheus)');

describe.skipIf(!BIN)('a real Prometheus scraping GET /metrics', () => {
  let svc: InProcess;
  let prom: ChildProcess | undefined;
  let promUrl = '';
  let dir = '';
  let out = '';
  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('prom') }, inject('influxUrl'));
    const dev = await connectDevice(svc.mqttUrl, `dev-prom-${Date.now()}`);
    for (let i = 0; i < 5; i++) await dev.publish('kiln/v1/bt01/k9/telemetry', telemetry(Date.now() - 1000 + i, i, 2), i);
    await dev.close();
    await waitFor(() => svc.runtime.stats.readings_stored >= 10, 10_000, 'stored');
    const port = await freePort();
    await svc.app.listen({ host: '127.0.0.1', port });
    dir = mkdtempSync(join(tmpdir(), 'kiln-prom-'));
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: kiln',
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
    ].join('\n') + '\n');
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    prom = spawn(BIN!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    prom.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  });
  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const gone = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGTERM');
      await gone;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    await svc?.stop();
  });

  const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => null);
    if (!res?.ok) return [];
    return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  };

  it('has kiln_readings_stored_total, the HTTP histogram and the process metrics from a scrape', async () => {
    try {
      await waitFor(async () => (await query('kiln_readings_stored_total')).length > 0, 30_000, 'a scrape of the service');
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus output:\n${out}`);
    }
    const stored = await query('kiln_readings_stored_total');
    expect(stored[0]!.metric).toMatchObject({ job: 'kiln' });
    expect(Number(stored[0]!.value[1])).toBe(svc.runtime.stats.readings_stored);
    expect(Number((await query('up{job="kiln"}'))[0]?.value[1])).toBe(1);
    // The second scrape sees the first one in the request histogram.
    await waitFor(async () => (await query('http_request_duration_seconds_count{route="/metrics"}')).length > 0, 10_000, 'the scrape in the request histogram');
    expect((await query('kiln_influx_write_seconds_bucket{le="+Inf"}')).length).toBe(1);
    expect((await query('nodejs_eventloop_lag_p99_seconds')).length).toBe(1);
  });
});
