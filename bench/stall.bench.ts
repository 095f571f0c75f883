// Stall benchmark (npm run bench:stall): does any work hold the service's event loop for long?
//   A  an outbox replay: STALL_MESSAGES messages of STALL_READINGS readings (4 zones + 2 flow
//      meters each) 1 ms apart in device time, QoS 1 through the embedded broker, live view on.
//   A2 a restart on that data, once the firing index has folded it (the live view restores the
//      kiln from the stored dense readings).
//   B  a restart on STALL_B_KILNS kilns × STALL_B_HOURS h of 1 Hz history (STALL_B_ZONES zones +
//      STALL_B_METERS meters), each with an open firing in the index since the first hour, so the
//      live view restores every kiln from the whole history; then SIGTERM, and once more SIGTERM
//      in the middle of a restore.
// Printed from the service: event-loop delay (perf_hooks, GET /api/health event_loop) p99 / max;
// from outside: /api/health latency (polled every ~100 ms, a timeout counts as its duration),
// time until everything is stored / the live view is whole, peak RSS (VmHWM), SIGTERM to exit.
// STALL_SKIP_A=1 runs B only; STALL_NODE_FLAGS adds node flags to the service (--cpu-prof ...).
// A benchmark, not a test: it exits 0 when a target is missed and says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestInflux } from '../tests/support/influx.ts';
import { freePort } from '../tests/support/ports.ts';
import { connectPublisher } from './support/publisher.ts';
import { influxQuery } from './support/poller.ts';
import { ProcSampler } from './support/procstat.ts';
import { fmt, table, type Row } from './support/report.ts';
import { startService, type BenchService } from './support/service.ts';
import { HealthPoller, healthOf, replayOutbox, writeHistory, ZONES } from './support/stall.ts';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const A = { messages: env('STALL_MESSAGES', 1000), readings: env('STALL_READINGS', 1000), window: env('STALL_WINDOW', 10) };
const B = { kilns: env('STALL_B_KILNS', 100), hours: env('STALL_B_HOURS', 24), zones: env('STALL_B_ZONES', 4), meters: env('STALL_B_METERS', 2) };
const SKIP_A = process.env.STALL_SKIP_A === '1';
/** e.g. STALL_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" */
const NODE_FLAGS = (process.env.STALL_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
/** STALL_SERVICE_LOG=file: also append everything the services print there (with --trace-gc, say). */
const SERVICE_LOG = process.env.STALL_SERVICE_LOG;
const TARGET = { loop_max_ms: 200, health_ms: 1000, sigterm_s: 15 };
const say = (l: string) => process.stdout.write(l + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${fmt(ms / 1000, 1)} s`;

async function until(what: string, fn: () => Promise<boolean>, timeout_ms: number): Promise<number> {
  const t = performance.now();
  while (!(await fn().catch(() => false))) {
    if (performance.now() - t > timeout_ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
  return performance.now() - t;
}

async function live(svc: BenchService): Promise<{ rebuilt_kilns: number; skipped_readings: number; kilns: { kiln: string; complete: boolean; newest_reading_ms: number | null }[] }> {
  return (await svc.fetch('/api/live')).json() as never;
}

async function sigterm(svc: BenchService): Promise<number> {
  const t = performance.now();
  await svc.stop();
  return performance.now() - t;
}

async function phaseA(influx_url: string, dir: string): Promise<Row[]> {
  const db = 'stall_a', workshop = 'stallA', kiln = 'k1';
  const port = await freePort();
  const envA = { INFLUX_URL: influx_url, INFLUX_DATABASE: db, DATA_DIR: join(dir, 'a'), LOG_LEVEL: 'warn', MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1' };
  const svc = startService({ ...envA, MQTT_EMBEDDED_PORT: String(port) }, await freePort(), NODE_FLAGS, SERVICE_LOG);
  try {
    await svc.waitReady();
    const sampler = new ProcSampler(svc.proc.pid!);
    sampler.start();
    const pub = await connectPublisher(`mqtt://127.0.0.1:${port}`, `stall-a-${process.pid}`);
    const t0_ms = Math.floor(Date.now() / 1000) * 1000 - 30 * 60_000; // device time: the last half hour
    const total = A.messages * A.readings;
    say(`\nphase A: outbox replay, ${fmt(A.messages)} messages × ${fmt(A.readings)} readings (${ZONES.length} zones + 2 meters) 1 ms apart, QoS 1, ${A.window} in flight, embedded broker, live view on`);
    await healthOf(svc.httpUrl, true);
    const poller = new HealthPoller(svc.httpUrl).start();
    const t = performance.now();
    const r = await replayOutbox(pub, `kiln/v1/${workshop}/${kiln}/telemetry`, t0_ms, A.messages, A.readings, A.window);
    const acked_ms = performance.now() - t;
    say(`  ${fmt(r.acked)} acked (${r.errors} errors) in ${s(acked_ms)}`);
    const count = async () => Number((await influxQuery(influx_url, db, `SELECT count("temp_c") FROM "temperature" WHERE "workshop"='${workshop}'`))[0]?.[1] ?? 0);
    await until('all readings stored', async () => (await count()) >= total * ZONES.length, 15 * 60_000);
    const stored_ms = performance.now() - t;
    say(`  all ${fmt(total * ZONES.length)} temperatures stored after ${s(stored_ms)}`);
    const last_ms = t0_ms + total - 1;
    await until('the live view whole', async () => {
      const k = (await live(svc)).kilns.find((x) => x.kiln === kiln);
      return k !== undefined && k.complete && k.newest_reading_ms === last_ms;
    }, 15 * 60_000);
    const whole_ms = performance.now() - t;
    const h = await poller.stop();
    const loop = (await healthOf(svc.httpUrl)).event_loop;
    const lv = await live(svc);
    sampler.stop();
    await pub.endAsync();
    // A2 (the restart the replay's data made slow): once the firing index has folded the replay,
    // restart the service on it; the live view restores the kiln from the stored dense readings.
    const indexed = async () => Number((await influxQuery(influx_url, db, `SELECT "until_ms" FROM "records"."firing_index" WHERE "kiln"='${kiln}'`))[0]?.[1] ?? 0) > last_ms;
    const index_ms = await until('the firing index past the replay', indexed, 15 * 60_000);
    const term_ms = await sigterm(svc);
    say(`  live view whole after ${s(whole_ms)} (skipped ${fmt(lv.skipped_readings)} readings, re-read: ${lv.rebuilt_kilns} rebuild(s)); indexed ${s(index_ms)} later; SIGTERM to exit ${s(term_ms)}`);
    const again = startService({ ...envA, MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort(), NODE_FLAGS, SERVICE_LOG);
    const tr = performance.now();
    let r2: Row[] = [];
    try {
      await again.waitReady(120_000);
      await healthOf(again.httpUrl, true);
      const sampler2 = new ProcSampler(again.proc.pid!);
      sampler2.start();
      const poller2 = new HealthPoller(again.httpUrl).start();
      await until('the kiln restored', async () => {
        const l = await live(again);
        const k = l.kilns.find((x) => x.kiln === kiln);
        return l.rebuilt_kilns >= 1 && k !== undefined && k.complete && k.newest_reading_ms === last_ms;
      }, 15 * 60_000);
      const restored_ms = performance.now() - tr;
      const h2 = await poller2.stop();
      const loop2 = (await healthOf(again.httpUrl)).event_loop;
      sampler2.stop();
      const term2_ms = await sigterm(again);
      say(`  restart on it: the kiln restored after ${s(restored_ms)}; SIGTERM to exit ${s(term2_ms)}`);
      r2 = [
        { what: 'A2 restart on the replayed data', measured: '' },
        { what: 'A2 event-loop delay p99 / max', measured: `${fmt(loop2.p99_ms, 1)} / ${fmt(loop2.max_ms, 1)} ms`, target: `max < ${TARGET.loop_max_ms} ms`, pass: loop2.max_ms < TARGET.loop_max_ms },
        { what: 'A2 /api/health latency p99 / max', measured: `${fmt(h2.p99_ms)} / ${fmt(h2.max_ms)} ms`, target: `< ${fmt(TARGET.health_ms)} ms`, pass: h2.max_ms < TARGET.health_ms && h2.failures === 0 },
        { what: 'A2 live view whole (kiln restored)', measured: s(restored_ms) },
        { what: 'A2 peak RSS (VmHWM)', measured: `${fmt(sampler2.hwm_mb)} MB` },
        { what: 'A2 SIGTERM to exit', measured: s(term2_ms), target: `< ${TARGET.sigterm_s} s`, pass: term2_ms < TARGET.sigterm_s * 1000 },
      ];
    } finally {
      await again.stop();
    }
    return [
      { what: `A replay ${fmt(A.messages)} × ${fmt(A.readings)} readings, 1 ms apart`, measured: '' },
      { what: 'A event-loop delay p99 / max', measured: `${fmt(loop.p99_ms, 1)} / ${fmt(loop.max_ms, 1)} ms`, target: `max < ${TARGET.loop_max_ms} ms`, pass: loop.max_ms < TARGET.loop_max_ms },
      { what: 'A /api/health latency p99 / max', measured: `${fmt(h.p99_ms)} / ${fmt(h.max_ms)} ms`, target: `< ${fmt(TARGET.health_ms)} ms`, pass: h.max_ms < TARGET.health_ms && h.failures === 0 },
      { what: 'A health polls (failed)', measured: `${fmt(h.polls)} (${h.failures})` },
      { what: 'A all acked / all stored', measured: `${s(acked_ms)} / ${s(stored_ms)}` },
      { what: 'A live view whole again', measured: s(whole_ms) },
      { what: 'A peak RSS (VmHWM)', measured: `${fmt(sampler.hwm_mb)} MB` },
      { what: 'A SIGTERM to exit (idle)', measured: s(term_ms), target: `< ${TARGET.sigterm_s} s`, pass: term_ms < TARGET.sigterm_s * 1000 },
      ...r2,
    ];
  } finally {
    await svc.stop();
  }
}

async function phaseB(influx_url: string, dir: string): Promise<Row[]> {
  const db = 'stall_b', workshop = 'stallB';
  const points = B.kilns * B.hours * 3600 * (B.zones + B.meters);
  say(`\nphase B: restart on ${B.kilns} kilns × ${B.hours} h at 1 Hz, ${B.zones} zones + ${B.meters} meters = ${fmt(points / 1e6, 1)} M points of history`);
  await fetch(`${influx_url}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
  const end_ms = Math.floor(Date.now() / 1000) * 1000;
  const tw = performance.now();
  const lines = await writeHistory(influx_url, db, { ...B, end_ms, workshop }, say);
  say(`  wrote ${fmt(lines)} points in ${s(performance.now() - tw)}`);
  const envB = { INFLUX_URL: influx_url, INFLUX_DATABASE: db, DATA_DIR: join(dir, 'b'), LOG_LEVEL: 'warn', MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1' };
  // B1: start, poll health from the first answer, wait until every kiln is restored.
  let svc = startService({ ...envB, MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort(), NODE_FLAGS, SERVICE_LOG);
  const t = performance.now();
  await svc.waitReady(120_000);
  const ready_ms = performance.now() - t;
  await healthOf(svc.httpUrl, true); // from here: the start-up itself (loading, building the app) is not the restore
  const sampler = new ProcSampler(svc.proc.pid!);
  sampler.start();
  const poller = new HealthPoller(svc.httpUrl).start();
  await until('every kiln restored', async () => (await live(svc)).rebuilt_kilns >= B.kilns, 60 * 60_000);
  const whole_ms = performance.now() - t;
  const h = await poller.stop();
  const loop = (await healthOf(svc.httpUrl)).event_loop;
  sampler.stop();
  const term_idle_ms = await sigterm(svc);
  say(`  ready (health answers) after ${s(ready_ms)}, all ${B.kilns} kilns restored after ${s(whole_ms)}; SIGTERM to exit ${s(term_idle_ms)}`);
  // B2: the same restart, SIGTERM in the middle of the restore.
  svc = startService({ ...envB, MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort(), NODE_FLAGS, SERVICE_LOG);
  await svc.waitReady(120_000);
  await until('a restore under way', async () => (await live(svc)).rebuilt_kilns >= 1, 5 * 60_000);
  await sleep(2000);
  const restored = (await live(svc)).rebuilt_kilns;
  const term_busy_ms = await sigterm(svc);
  say(`  restart again, SIGTERM with ${restored}/${B.kilns} kilns restored: exit after ${s(term_busy_ms)}`);
  return [
    { what: `B restart on ${B.kilns} kilns × ${B.hours} h × ${B.zones + B.meters} ch`, measured: `${fmt(points / 1e6, 1)} M points` },
    { what: 'B event-loop delay p99 / max', measured: `${fmt(loop.p99_ms, 1)} / ${fmt(loop.max_ms, 1)} ms`, target: `max < ${TARGET.loop_max_ms} ms`, pass: loop.max_ms < TARGET.loop_max_ms },
    { what: 'B /api/health latency p99 / max', measured: `${fmt(h.p99_ms)} / ${fmt(h.max_ms)} ms`, target: `< ${fmt(TARGET.health_ms)} ms`, pass: h.max_ms < TARGET.health_ms && h.failures === 0 },
    { what: 'B health polls (failed)', measured: `${fmt(h.polls)} (${h.failures})` },
    { what: 'B live view whole (all kilns restored)', measured: s(whole_ms) },
    { what: 'B peak RSS (VmHWM)', measured: `${fmt(sampler.hwm_mb)} MB` },
    { what: 'B SIGTERM to exit, after the restore', measured: s(term_idle_ms), target: `< ${TARGET.sigterm_s} s`, pass: term_idle_ms < TARGET.sigterm_s * 1000 },
    { what: 'B SIGTERM to exit, during a restore', measured: s(term_busy_ms), target: `< ${TARGET.sigterm_s} s`, pass: term_busy_ms < TARGET.sigterm_s * 1000 },
  ];
}

async function main(): Promise<void> {
  say(`kiln-monitor stall benchmark; machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  const influx = await startTestInflux();
  const dir = mkdtempSync(join(tmpdir(), 'kiln-stall-'));
  try {
    const rows = SKIP_A ? [] : await phaseA(influx.url, dir);
    if (rows.length) say(table(rows)); // kept if phase B fails
    if (B.kilns > 0) rows.push(...await phaseB(influx.url, dir));
    say(`\nresults (${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores):`);
    say(table(rows));
    const misses = rows.filter((r) => r.pass === false).map((r) => r.what);
    say(misses.length ? `\nMISSED ${misses.length} target(s): ${misses.join('; ')}` : '\nall targets met');
  } finally {
    await influx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`benchmark failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
