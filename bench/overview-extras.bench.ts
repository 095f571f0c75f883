// npm run bench:overview-extras — the overview's once-a-minute extras (GET /api/live/spark and
// /api/live/usual-gas) at BENCH_KILNS (1,000) kilns, in process: the real simulator's kilns folded
// into a LiveState (BENCH_HISTORY_H hours of readings every BENCH_STEP_S s, every kiln mid-firing), a local
// influxd whose firing index holds BENCH_CLOSED (3) finished firings per kiln and its running one,
// and the live routes on a bare Fastify app (the service's zod serializer, no auth: an admin).
// GET /api/live, every kiln's whole view (what the page reads first), is timed beside them.
// Each route is asked BENCH_ROUNDS (5) times cold (usual gas: its cache emptied) and the time and
// the event-loop delay while it ran (max, p99 of a 10 ms histogram) are printed.
// A benchmark, not a test: it prints what it measured.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { startTestInflux } from '../tests/support/influx.ts';
import { buildFleet } from '../simulator/fleet.ts';
import { FIRINGS } from '../simulator/model/presets.ts';
import { stepFleet } from '../simulator/model/sim.ts';
import { topicFor } from '../src/wire/topics.ts';
import { decodeMessage } from '../src/domain/decode.ts';
import { LiveState } from '../src/live/live-state.ts';
import { LiveHub } from '../src/live/hub.ts';
import { InfluxStore } from '../src/adapters/influx/store.ts';
import { RecordStore } from '../src/records/store.ts';
import { FiringIndexStore } from '../src/firings/index-store.ts';
import { UsualGasSource } from '../src/firings/usual-gas.ts';
import { liveRoutes } from '../src/http/live-routes.ts';
import { recordOf } from '../src/domain/firing/fold.ts';
import type { FiringSummary } from '../src/domain/report/index.ts';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const KILNS = env('BENCH_KILNS', 1000);
const HISTORY_H = env('BENCH_HISTORY_H', 2);
const CLOSED = env('BENCH_CLOSED', 3);
const ROUNDS = env('BENCH_ROUNDS', 5);
const PER_WORKSHOP = 100;
const STEP_S = env('BENCH_STEP_S', 60);
const say = (l: string) => process.stdout.write(`${l}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const H = 3_600_000;

say(`overview extras benchmark, ${new Date().toISOString()}; ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}; load average ${load()}`);

// The fleet, folded into the live state.
const state = new LiveState();
const hub = new LiveHub({}, state);
const start_ms = Math.floor(Date.now() / 1000) * 1000 - HISTORY_H * H;
const firings = Object.keys(FIRINGS);
const limits = { max_payload_bytes: 1 << 20, max_future_ms: 60_000, max_past_ms: 400 * 24 * H };
const t0 = performance.now();
for (let w = 0; w * PER_WORKSHOP < KILNS; w++) {
  const n = Math.min(PER_WORKSHOP, KILNS - w * PER_WORKSHOP);
  const kilns = Array.from({ length: n }, (_, i) => {
    const j = w * PER_WORKSHOP + i;
    return { preset: 'k18', firing: firings[j % firings.length], start_h: HISTORY_H * (0.05 + (0.9 * j) / KILNS) };
  });
  const ws = `ws${String(w + 1).padStart(3, '0')}`;
  const { fleet } = buildFleet({ kilns: n, seed: 1 + w, sim_start_ms: start_ms, interval_s: STEP_S, cool_until_c: 200, stagger_min: 0, gas: ['flow', 'totalizer'], config: { kilns } });
  for (let t = start_ms; t < Date.now() - STEP_S * 1000; t += STEP_S * 1000) {
    stepFleet(fleet, STEP_S, (i, out) => {
      if (out.kind !== 'telemetry' && out.kind !== 'event') return;
      const d = decodeMessage(topicFor(ws, fleet[i]!.id, out.kind), out.payload, out.payload.length, t + STEP_S * 1000, limits);
      if (d.points.length) state.apply(d.points);
    });
  }
}
const running = hub.snapshot().kilns.filter((v) => v.firing !== null);
say(`${KILNS} kilns folded (${HISTORY_H} h, a reading every ${STEP_S} s) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${running.length} firing now`);

// The firing index: finished firings of each kiln's schedule, and the running one (open).
const influx = await startTestInflux();
const store = new InfluxStore({ url: influx.url, database: 'bench_extras', retention: 'INF', timeout_ms: 30_000 });
await store.ensureDatabase();
const index = new FiringIndexStore(store, new RecordStore(store));
const t1 = performance.now();
const puts: (() => Promise<void>)[] = [];
for (const v of running) {
  const k = { workshop: v.workshop, kiln: v.kiln };
  const f = v.firing!;
  for (let c = 0; c < CLOSED; c++) {
    const s0 = f.start_ms - (c + 1) * 3 * 24 * H;
    const record = recordOf({ id: `${f.id}-old${c}`, by: 'controller', start_ms: s0, end_ms: s0 + 20 * H, reason: 'complete', target_c: 1000, peak_c: 1000, peak_ms: s0 + 10 * H, last100_rate_c_h: null, cone: null, stages: [], gaps: [] });
    const summary = { firing_id: record.id, start_ms: s0, open: false, duration_h: 20, fuel: { fuel_kg: 40 + c * 3 }, energy_mj: null, co2_kg: null, cost: null } as unknown as FiringSummary;
    puts.push(() => index.put(k, { record, summary, schedule_name: f.schedule_name, prices_key: 'x', computed_at_ms: Date.now() }));
  }
  const open = recordOf({ id: f.id, by: 'controller', start_ms: f.start_ms, end_ms: null, reason: null, target_c: null, peak_c: null, peak_ms: null, last100_rate_c_h: null, cone: null, stages: [], gaps: [] });
  puts.push(() => index.put(k, { record: open, summary: null, schedule_name: f.schedule_name, prices_key: 'x', computed_at_ms: Date.now() }));
}
for (let i = 0; i < puts.length; i += 8) await Promise.all(puts.slice(i, i + 8).map((p) => p()));
say(`${puts.length} firings indexed in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

// The routes, as the service serializes them.
const app = Fastify().withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.decorateRequest('scope', null as unknown as 'all');
app.addHook('onRequest', async (req) => { (req as unknown as { scope: 'all' }).scope = 'all'; });
let usual = new UsualGasSource(index);
await app.register(async (a) => {
  // A fresh source per round (cold cache), behind a stable object the routes hold.
  const proxy = new Proxy({} as UsualGasSource, { get: (_t, p) => { const v = (usual as unknown as Record<string | symbol, unknown>)[p]; return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(usual) : v; } });
  await a.register(liveRoutes, { live: hub, usualGas: proxy });
});
await app.ready();

async function time(url: string, cold: boolean): Promise<void> {
  const ms: number[] = [];
  let bytes = 0, loop_max = 0, loop_p99 = 0, n = 0;
  for (let r = 0; r < ROUNDS; r++) {
    if (cold) usual = new UsualGasSource(index);
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const a = performance.now();
    const res = await app.inject({ method: 'GET', url });
    ms.push(performance.now() - a);
    await new Promise((r2) => setTimeout(r2, 20));
    h.disable();
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    bytes = res.body.length;
    n = (res.json() as { kilns: unknown[] }).kilns.length;
    loop_max = Math.max(loop_max, h.max / 1e6);
    loop_p99 = Math.max(loop_p99, h.percentile(99) / 1e6);
  }
  ms.sort((a, b) => a - b);
  say(`${url}${cold ? ' (cold cache)' : ''}: ${n} kilns, ${(bytes / 1024).toFixed(0)} KiB; time median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, max ${ms[ms.length - 1]!.toFixed(0)} ms; event-loop delay max ${loop_max.toFixed(0)} ms, p99 ${loop_p99.toFixed(0)} ms (over ${ROUNDS} rounds)`);
}

try {
  await time('/api/live', false); // for comparison: what the page reads first (every kiln's whole view)
  await time('/api/live/spark', false);
  await time('/api/live/usual-gas', true);
  await time('/api/live/usual-gas', false);
  say(`load average after: ${load()}`);
} finally {
  await app.close();
  await influx.stop();
}
