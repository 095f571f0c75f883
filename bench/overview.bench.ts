// npm run bench:overview — the overview page's frame times with a large fleet, in Debian's
// chromium: the service as npm start runs it (dist/server.mjs, its embedded broker, a local
// influxd), BENCH_KILNS kilns (1,000) in BENCH_WORKSHOPS workshops (10), one reading each over
// MQTT, then BENCH_TRICKLE readings/s (150) while the page scrolls itself for BENCH_SECONDS (5) at
// desktop and at phone size. Reference from the same run: the same scroll with no reading arriving.
// A benchmark, not a test: it prints what it measured.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestInflux } from '../tests/support/influx.ts';
import { freePort } from '../tests/support/ports.ts';
import { provisionChildToken } from '../tests/support/service.ts';
import { DESKTOP, PHONE } from '../tests/browser/support.ts';
import { startService } from './support/service.ts';
import { feedFleet } from './support/fleet-feed.ts';
import { measureOverviewFrames, type OverviewFrames } from './support/overview-frames.ts';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const KILNS = env('BENCH_KILNS', 1000);
const WORKSHOPS = env('BENCH_WORKSHOPS', 10);
const TRICKLE = env('BENCH_TRICKLE', 150);
const SECONDS = env('BENCH_SECONDS', 5);
const say = (l: string) => process.stdout.write(`${l}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const line = (f: OverviewFrames) => `${f.frames} frames, p50 ${f.p50_ms.toFixed(1)} ms, p95 ${f.p95_ms.toFixed(1)} ms, max ${f.max_ms.toFixed(1)} ms; `
  + `long tasks ${f.long_tasks < 0 ? 'not reported' : `${f.long_tasks} (longest ${f.long_task_max_ms.toFixed(0)} ms)`}; ${f.kilns_in_view_model} kilns in the page's model, at most ${f.cards_rendered} cards in the page`;

say(`kiln-monitor overview benchmark, ${new Date().toISOString()}; machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}; load average ${load()}`);
const influx = await startTestInflux();
const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-overview-'));
const mqttPort = await freePort();
const svcEnv = { INFLUX_URL: influx.url, INFLUX_DATABASE: 'bench_overview', DATA_DIR: dir, LOG_LEVEL: 'warn', MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(mqttPort) };
const token = provisionChildToken(svcEnv)!;
const svc = startService(svcEnv, await freePort());
try {
  await svc.waitReady();
  const t0 = performance.now();
  const feed = await feedFleet(`mqtt://127.0.0.1:${mqttPort}`, { kilns: KILNS, workshops: WORKSHOPS, clientId: `bench-overview-${process.pid}` });
  say(`${KILNS} kilns in ${WORKSHOPS} workshops: one reading each, QoS 1, acknowledged in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const run = (what: string, f: OverviewFrames) => say(`  ${size} ${viewport.width}×${viewport.height}, ${what}: ${line(f)}`);
      const trickle = feed.trickle(TRICKLE);
      const flowing = await measureOverviewFrames({ baseUrl: svc.httpUrl, token, seconds: SECONDS, viewport, kilns: KILNS });
      const sent = await trickle.stop();
      run(`${SECONDS} s scrolling at 3,000 px/s, ${TRICKLE} readings/s (${sent} acknowledged meanwhile)`, flowing);
      run('reference, the same with no reading arriving', await measureOverviewFrames({ baseUrl: svc.httpUrl, token, seconds: SECONDS, viewport, kilns: KILNS }));
    }
  } finally {
    await feed.close();
  }
} finally {
  await svc.stop();
  await influx.stop();
  rmSync(dir, { recursive: true, force: true });
  say(`load average after: ${load()}`);
}
