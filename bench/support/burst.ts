// The burst phases (G through Mosquitto, H through the embedded broker): a fresh service, idle
// for a few seconds, then BURST_MESSAGES six-reading messages across BURST_KILNS kilns published
// as fast as the QoS 1 window allows; wait until every acknowledged reading is queryable, then
// 30 and 120 s more (BENCH_BURST_AFTER_S). Prints the service's RSS idle before, its peak (VmHWM:
// the fresh process's whole life, the burst included) and RSS at each of those moments after, and
// whether stored = acknowledged.
import type { MqttClient } from 'mqtt';
import { publishFor, type PublishRun } from './publisher.ts';
import { BURST_KILNS, COUNT_FIELDS, EXPECTED_PER_MESSAGE, READINGS_PER_MESSAGE, tsOf } from './payload.ts';
import { influxQuery } from './poller.ts';
import { memOf } from './procstat.ts';
import { fmt } from './report.ts';

export const BURST_MESSAGES = Number(process.env.BENCH_BURST_MESSAGES ?? 200_000);
const IDLE_S = 5;
/** When RSS is read again after all is stored (s): BENCH_BURST_AFTER_S, e.g. "30,120". */
export const AFTER_S = (process.env.BENCH_BURST_AFTER_S ?? '30,120').split(',').map(Number).filter((x) => x > 0).sort((a, b) => a - b);
const STALL_MS = 60_000;

export interface BurstResult {
  readonly run: PublishRun;
  readonly idle_rss_mb: number;
  readonly peak_rss_mb: number; // VmHWM
  /** RSS at each of AFTER_S after all was stored. */
  readonly after_rss_mb: readonly number[];
  readonly acked_readings: number;
  readonly stored_readings: number;
  readonly loss_free: boolean;
  readonly stored_s: number; // first publish .. all queryable
}

export interface BurstOptions {
  readonly label: string;
  readonly pub: MqttClient;
  readonly pid: number;
  readonly influxUrl: string;
  readonly db: string;
  readonly t0_ms: number;
  readonly window: number;
  readonly say: (l: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// BENCH_SNAPSHOTS=1 (with BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2): a heap snapshot of
// the service idle, when publishing ends, when all is stored and 30 s after (diagnosis only: a
// snapshot itself takes time and memory).
const snapshot = (pid: number) => { if (process.env.BENCH_SNAPSHOTS) process.kill(pid, 'SIGUSR2'); };

/** Readings stored per measurement since t0 (the warm-up reading, an hour before t0, is outside). */
async function storedCounts(o: BurstOptions, published: number): Promise<Record<string, number>> {
  const to_ns = BigInt(tsOf(o.t0_ms, published - 1, BURST_KILNS)) * 1_000_000n;
  const out: Record<string, number> = {};
  for (const [m, field] of Object.entries(COUNT_FIELDS)) {
    const rows = await influxQuery(o.influxUrl, o.db, `SELECT count("${field}") FROM "${m}" WHERE time >= ${BigInt(o.t0_ms) * 1_000_000n} AND time <= ${to_ns}`);
    out[m] = Number(rows[0]?.[1] ?? 0);
  }
  return out;
}

export async function runBurst(o: BurstOptions): Promise<BurstResult> {
  const { say, label } = o;
  await sleep(IDLE_S * 1000);
  const idle_rss_mb = memOf(o.pid).rss_mb;
  snapshot(o.pid);
  say(`  idle ${IDLE_S} s after start: RSS ${fmt(idle_rss_mb)} MB (VmHWM so far ${fmt(memOf(o.pid).hwm_mb)} MB)`);
  const run = await publishFor(o.pub, o.t0_ms, {
    duration_s: 3600, max_messages: BURST_MESSAGES, window: o.window, kilns: BURST_KILNS,
    progress: (sent, acked, elapsed_s) => say(`  [${label} ${elapsed_s.toFixed(0)} s] ${fmt(sent)} published, ${fmt(acked)} acked; service RSS ${fmt(memOf(o.pid).rss_mb)} MB`),
  });
  snapshot(o.pid);
  say(`  publishing done: ${fmt(run.acked)} of ${fmt(run.published)} acked in ${fmt((run.end_ms - run.start_ms) / 1000, 1)} s; waiting until all are queryable`);
  const acked = Object.fromEntries(Object.entries(EXPECTED_PER_MESSAGE).map(([m, n]) => [m, run.acked * n]));
  let counts: Record<string, number> = {};
  let total = -1;
  for (let since = Date.now(), lastSay = Date.now(); ; await sleep(250)) {
    counts = await storedCounts(o, run.published).catch(() => counts);
    const now = Object.values(counts).reduce((a, b) => a + b, 0);
    if (Object.keys(acked).every((m) => counts[m] === acked[m])) break;
    if (now !== total) { total = now; since = Date.now(); }
    if (Date.now() - since > STALL_MS) { say(`  no progress for ${STALL_MS / 1000} s`); break; }
    if (Date.now() - lastSay >= 5000) { lastSay = Date.now(); say(`  [${label} drain] ${fmt(now)} readings stored; service RSS ${fmt(memOf(o.pid).rss_mb)} MB`); }
  }
  const stored_s = (Date.now() - run.start_ms) / 1000;
  const stored_readings = Object.values(counts).reduce((a, b) => a + b, 0);
  say(`  all stored ${fmt(stored_s, 1)} s after the first publish (${fmt(run.acked * READINGS_PER_MESSAGE / stored_s)} readings/s); RSS now ${fmt(memOf(o.pid).rss_mb)} MB, VmHWM ${fmt(memOf(o.pid).hwm_mb)} MB; reading RSS ${AFTER_S.join(' and ')} s after`);
  snapshot(o.pid);
  const after_rss_mb: number[] = [];
  for (const s of AFTER_S) {
    await sleep((s - (AFTER_S[after_rss_mb.length - 1] ?? 0)) * 1000);
    after_rss_mb.push(memOf(o.pid).rss_mb);
    say(`  RSS ${s} s after: ${fmt(after_rss_mb.at(-1)!)} MB`);
  }
  const m = memOf(o.pid);
  snapshot(o.pid);
  const r: BurstResult = {
    run, idle_rss_mb, peak_rss_mb: m.hwm_mb, after_rss_mb,
    acked_readings: run.acked * READINGS_PER_MESSAGE, stored_readings,
    loss_free: run.errors === 0 && run.acked === run.published && Object.keys(acked).every((k) => counts[k] === acked[k]),
    stored_s,
  };
  say(`  RSS ${AFTER_S.join(' / ')} s after: ${r.after_rss_mb.map((x) => fmt(x)).join(' / ')} MB (idle before ${fmt(idle_rss_mb)} MB, peak ${fmt(r.peak_rss_mb)} MB); stored ${fmt(stored_readings)} of ${fmt(r.acked_readings)} acknowledged readings`);
  return r;
}
