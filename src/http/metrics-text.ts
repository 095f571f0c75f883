// GET /metrics's Prometheus text, through prom-client with one Registry per app (tests build
// several apps in one process; the global default registry would mix them):
// - the ingest figures (kiln_*): read from the runtime's counters at scrape time by collect()
//   callbacks, so the ingest path only bumps plain numbers, as before;
// - prom-client's default process metrics (CPU, memory, GC, event-loop lag, handles);
// - http_request_duration_seconds by method, route pattern and status code (onResponse hook).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';
import type { Runtime } from '../runtime.ts';
import { WRITE_LATENCY_BUCKETS_S, type IngestStats } from '../ingest/stats.ts';
import { HOLD_REASONS } from '../ingest/holds.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's own Prometheus registry (src/http/metrics-text.ts). */
    metricsRegistry: Registry;
  }
}

/** The Prometheus text of the app's registry. */
export function renderMetrics(app: FastifyInstance): Promise<string> {
  return app.metricsRegistry.metrics();
}

export const HTTP_DURATION_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metricsPlugin = fp(async (app: FastifyInstance, opts: { runtime: Runtime }) => {
  const register = new Registry();
  collectDefaultMetrics({ register });
  ingestMetrics(register, opts.runtime);
  const http = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request duration, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const, buckets: HTTP_DURATION_BUCKETS_S, registers: [register],
  });
  // A hijacked reply (the SSE streams) is not counted: Fastify does not run onResponse for it.
  app.addHook('onResponse', async (req, reply) => {
    http.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }, reply.elapsedTime / 1000);
  });
  app.decorate('metricsRegistry', register);
}, { name: 'metrics' });

type Labels = Record<string, string>;

function ingestMetrics(register: Registry, rt: Runtime): void {
  const s = rt.stats;
  const registers = [register];
  /** A counter set from the runtime's own count at scrape time. */
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
  const counterBy = (name: string, help: string, read: () => Iterable<[string, number]>) =>
    new Counter({ name, help, labelNames: ['reason'], registers, collect() { this.reset(); for (const [reason, n] of read()) this.inc({ reason }, n); } });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(read()); } });

  counter('kiln_messages_received_total', 'MQTT messages received from devices', () => s.messages_received);
  counterBy('kiln_messages_rejected_total', 'Messages rejected whole, by reason', () => s.messages_rejected);
  counter('kiln_readings_accepted_total', 'Readings (one channel value at one instant) spooled and acknowledged', () => s.readings_accepted);
  counter('kiln_readings_stored_total', 'Readings confirmed stored by InfluxDB', () => s.readings_stored);
  counterBy('kiln_readings_rejected_total', 'Readings rejected, by reason', () => s.readings_rejected);
  gauge('kiln_spool_pending_bytes', 'Bytes spooled on local disk, waiting for InfluxDB', () => rt.spool.pendingBytes());
  gauge('kiln_spool_max_bytes', 'Spool capacity (SPOOL_MAX_MB)', () => rt.config.SPOOL_MAX_MB * 1024 * 1024);
  const holds = rt.pipeline.holds;
  new Gauge({
    name: 'kiln_ingest_paused', help: '1 while intake is paused (messages held unacknowledged), by reason', labelNames: ['reason'], registers,
    collect() { for (const reason of HOLD_REASONS) this.set({ reason }, holds.paused?.reason === reason ? 1 : 0); },
  });
  gauge('kiln_ingest_held_messages', 'Messages waiting unacknowledged for room in the spool', () => holds.size);
  counterBy('kiln_ingest_held_total', 'Messages that had to wait unacknowledged for room, by reason', () => HOLD_REASONS.map((r) => [r, holds.held_total.get(r) ?? 0]));
  counter('kiln_ingest_held_abandoned_total', 'Held messages whose connection dropped first (the broker or device sends them again)', () => holds.abandoned_total);
  gauge('kiln_mqtt_connected', '1 when the broker is connected (or the embedded one is running)', () => rt.source.connected() ? 1 : 0);
  gauge('kiln_influx_writing', '1 when the last InfluxDB write succeeded', () => rt.drainer.db_ok ? 1 : 0);
  counter('kiln_influx_write_errors_total', 'Failed InfluxDB batch writes (retried unless refused)', () => s.write_errors);
  new WriteLatency(s, registers);
  // The live view's streams (src/live/hub.ts): a dropped count that keeps rising is a page that
  // reconnects again and again.
  const sse = rt.live.sse;
  gauge('kiln_live_stream_clients', 'Live-view SSE streams open and caught up', () => rt.live.clientCount());
  counter('kiln_live_stream_snapshots_total', 'Live-view streams started with a snapshot of every kiln', () => sse.snapshots);
  counter('kiln_live_stream_resumes_total', 'Live-view streams resumed from an event id (Last-Event-ID or ?after=) instead of a snapshot', () => sse.resumes);
  counter('kiln_live_stream_dropped_total', 'Live-view streams closed as too slow (they reconnect and resume)', () => sse.dropped);
  // Readings over the live view's budget are left out of it, and each kiln they belonged to is
  // read again from InfluxDB once the burst is over: rising counts mean the live view is behind.
  counter('kiln_live_skipped_readings_total', 'Readings left out of the live view (over its budget of readings a second)', () => rt.live.dropped_points);
  counter('kiln_live_rebuilt_kilns_total', 'Kilns whose live state was read again from InfluxDB (after skipped readings or a restart)', () => rt.live.rebuilt_kilns);
  gauge('kiln_live_rebuilds_waiting', 'Kilns waiting to be read again from InfluxDB', () => rt.live.rebuildsWaiting());
  const ds = rt.downsampler.stats;
  counter('kiln_downsample_minutes_written_total', 'One-minute aggregates written from raw readings older than READINGS_RAW_DAYS', () => ds.minutes_written);
  counter('kiln_downsample_days_dropped_total', 'Kiln-days of raw readings dropped once their aggregates were stored', () => ds.days_dropped);
  counter('kiln_downsample_errors_total', 'Downsampling passes that failed (retried at the next pass)', () => ds.errors);
  // Live data against the cap: a fleet's windows fill over an hour (src/heap-watch.ts).
  gauge('kiln_heap_live_bytes', 'V8 heap used right after the last full collection (live data; 0 before the first)', () => rt.heap.snapshot().live_bytes ?? 0);
  gauge('kiln_heap_limit_bytes', 'V8 heap size limit (--max-old-space-size plus the young generation)', () => rt.heap.snapshot().limit_bytes);
}

/** kiln_influx_write_seconds: the drainer already counts writes per bucket (IngestStats), so this
 *  histogram reports those counts instead of observing each write a second time. */
class WriteLatency extends Histogram {
  constructor(private readonly stats: IngestStats, registers: Registry[]) {
    super({ name: 'kiln_influx_write_seconds', help: 'InfluxDB batch write latency', buckets: WRITE_LATENCY_BUCKETS_S, registers });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const s = this.stats;
    const values: MetricValueWithName<string>[] = [];
    let cumulative = 0;
    const bucket = (le: number | string, n: number) => {
      cumulative += n;
      values.push({ metricName: 'kiln_influx_write_seconds_bucket', labels: { le } as Labels, value: cumulative });
    };
    WRITE_LATENCY_BUCKETS_S.forEach((b, i) => bucket(b, s.write_latency_counts[i] ?? 0));
    bucket('+Inf', s.write_latency_counts[WRITE_LATENCY_BUCKETS_S.length] ?? 0);
    values.push({ metricName: 'kiln_influx_write_seconds_sum', labels: {}, value: s.write_latency_sum_s });
    values.push({ metricName: 'kiln_influx_write_seconds_count', labels: {}, value: s.write_batches });
    // (Not super.get(): prom-client's builds its object through getForPromString, overridden below.)
    return { name: 'kiln_influx_write_seconds', help: 'InfluxDB batch write latency', type: 'histogram', aggregator: 'sum', values } as unknown as MetricObjectWithValues<MetricValueWithName<string>>;
  }

  /** What the registry calls for the text format when a metric has it (prom-client's Histogram does). */
  getForPromString(): ReturnType<WriteLatency['get']> {
    return this.get();
  }
}
