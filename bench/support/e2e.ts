// One end-to-end phase through the running service: publish (at full pace or paced), follow
// max(seq) in InfluxDB until everything acknowledged is queryable, then check the counts.
import type { MqttClient } from 'mqtt';
import { publishFor, nowMs, type PublishRun } from './publisher.ts';
import { COUNT_FIELDS, READINGS_PER_MESSAGE, expectedPerMessage, tsOf } from './payload.ts';
import { SeqPoller, influxQuery, latencies } from './poller.ts';
import { CpuMeter, type ProcSampler } from './procstat.ts';
import type { BenchService } from './service.ts';
import { fmt, percentile } from './report.ts';

export interface E2eResult {
  readonly run: PublishRun;
  readonly drained: boolean;
  readonly e2e_readings_s: number; // acked readings / (first publish .. all queryable)
  readonly pub_readings_s: number; // acked readings / publishing time
  readonly drain_s: number; // from the last PUBACK until all queryable
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  readonly counts: Record<string, number>;
  readonly expected: Record<string, number>;
  readonly loss_free: boolean;
  readonly rss_max_mb: number;
}

export interface E2eOptions {
  readonly label: string;
  readonly pub: MqttClient;
  readonly svc: BenchService;
  readonly sampler: ProcSampler;
  readonly pids: ReadonlyMap<string, number>;
  readonly influxUrl: string;
  readonly db: string;
  readonly t0_ms: number;
  readonly first_seq: number;
  readonly seconds: number;
  readonly window: number;
  readonly rate_msgs_s?: number;
  /** Readings per message (payload.ts): READINGS_PER_MESSAGE when absent, or SMALL_READINGS. */
  readonly readings?: number;
  readonly say: (l: string) => void;
}

export async function health(svc: BenchService): Promise<{ ingest: Record<string, number>; spool: { pending_bytes: number } }> {
  return (await fetch(`${svc.httpUrl}/api/health`)).json() as never;
}

export async function runE2e(o: E2eOptions): Promise<E2eResult> {
  const { label, say, sampler } = o;
  const readings = o.readings ?? READINGS_PER_MESSAGE;
  sampler.rss_max_mb = 0;
  const poller = new SeqPoller(o.influxUrl, o.db, o.t0_ms, o.first_seq);
  poller.start();
  const progress = (when: string) => {
    void health(o.svc).then((h) => say(`  [${label} ${when}] service: ${fmt(h.ingest.messages_received ?? NaN)} msgs received, spool ${fmt(h.spool.pending_bytes / 1e6, 1)} MB pending, RSS ${fmt(sampler.rss_now_mb)} MB`), () => undefined);
  };
  const queryable = () => poller.max_seq + 1 - o.first_seq;
  const cpuPublish = new CpuMeter(o.pids).start();
  const run = await publishFor(o.pub, o.t0_ms, {
    duration_s: o.seconds, window: o.window, first_seq: o.first_seq, readings, ...(o.rate_msgs_s ? { rate_msgs_s: o.rate_msgs_s } : {}),
    progress: (sent, acked, elapsed_s) => {
      say(`  [${label} ${elapsed_s.toFixed(0)} s] ${fmt(sent)} published, ${fmt(acked)} acked by the broker (${fmt(acked / elapsed_s)} msg/s); ${fmt(queryable())} queryable (${fmt((queryable() * readings) / elapsed_s)} readings/s)`);
      progress(`${elapsed_s.toFixed(0)} s`);
    },
  });
  say(`  ${cpuPublish.stop()} (while publishing)`);
  say(`  publishing done: ${fmt(run.acked)} of ${fmt(run.published)} acked in ${fmt((run.end_ms - run.start_ms) / 1000, 1)} s; waiting until all are queryable`);
  const cpuDrain = new CpuMeter(o.pids).start();
  let drained = true;
  await poller.waitFor(o.first_seq + run.published - 1, 60_000, () => progress('drain'))
    .catch((err: Error) => { drained = false; say(`  ${err.message}`); });
  await poller.stop();
  const done_ms = poller.polls.at(-1)?.at_ms ?? nowMs();
  if (done_ms - run.end_ms > 1500) say(`  ${cpuDrain.stop()} (after publishing, until all queryable)`);

  // Zero loss: COUNT per measurement over this phase's device time equals acked × readings.
  const from_ns = BigInt(tsOf(o.t0_ms, o.first_seq)) * 1_000_000n;
  const to_ns = BigInt(tsOf(o.t0_ms, o.first_seq + run.published - 1)) * 1_000_000n;
  const counts: Record<string, number> = {};
  const expected: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    for (const [m, field] of Object.entries(COUNT_FIELDS)) {
      const rows = await influxQuery(o.influxUrl, o.db, `SELECT count("${field}") FROM "${m}" WHERE time >= ${from_ns} AND time <= ${to_ns}`);
      counts[m] = Number(rows[0]?.[1] ?? 0);
      expected[m] = run.acked * expectedPerMessage(readings)[m as keyof typeof COUNT_FIELDS];
    }
    if (Object.keys(counts).every((m) => counts[m] === expected[m])) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const loss_free = drained && run.errors === 0 && run.acked === run.published && Object.keys(counts).every((m) => counts[m] === expected[m]);
  const lat = latencies(poller.polls, run.sent_at_ms, o.first_seq).filter((x) => !Number.isNaN(x)).sort();
  const acked_readings = run.acked * readings;
  const r: E2eResult = {
    run, drained, loss_free,
    e2e_readings_s: acked_readings / ((done_ms - run.start_ms) / 1000),
    pub_readings_s: acked_readings / ((run.end_ms - run.start_ms) / 1000),
    drain_s: Math.max(0, (done_ms - run.end_ms) / 1000),
    p50_ms: percentile(lat, 50), p99_ms: percentile(lat, 99), max_ms: lat.length ? lat[lat.length - 1]! : NaN,
    counts, expected, rss_max_mb: sampler.rss_max_mb,
  };
  say(`  counts: ${Object.keys(counts).map((m) => `${m} ${fmt(counts[m]!)}/${fmt(expected[m]!)}`).join(', ')}`);
  say(`  end to end ${fmt(r.e2e_readings_s)} readings/s (all queryable ${fmt(r.drain_s, 1)} s after the last PUBACK); latency p50 ${fmt(r.p50_ms)} ms, p99 ${fmt(r.p99_ms)} ms, max ${fmt(r.max_ms)} ms (${fmt(lat.length)} samples, slowest poll ${fmt(poller.query_ms_max)} ms)`);
  return r;
}
