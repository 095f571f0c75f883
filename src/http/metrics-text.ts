// Prometheus text exposition of the ingest counters.
import type { Runtime } from '../runtime.ts';
import { WRITE_LATENCY_BUCKETS_S } from '../ingest/stats.ts';
import { HOLD_REASONS } from '../ingest/holds.ts';

export function renderMetrics(rt: Runtime): string {
  const s = rt.stats;
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, rows: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) out.push(`${name}${labels} ${v}`);
  };
  const byReason = (m: Map<string, number>): [string, number][] => [...m].map(([r, n]) => [`{reason="${r}"}`, n]);
  metric('kiln_messages_received_total', 'counter', 'MQTT messages received from devices', [['', s.messages_received]]);
  metric('kiln_messages_rejected_total', 'counter', 'Messages rejected whole, by reason', byReason(s.messages_rejected));
  metric('kiln_readings_accepted_total', 'counter', 'Readings (one channel value at one instant) spooled and acknowledged', [['', s.readings_accepted]]);
  metric('kiln_readings_stored_total', 'counter', 'Readings confirmed stored by InfluxDB', [['', s.readings_stored]]);
  metric('kiln_readings_rejected_total', 'counter', 'Readings rejected, by reason', byReason(s.readings_rejected));
  metric('kiln_spool_pending_bytes', 'gauge', 'Bytes spooled on local disk, waiting for InfluxDB', [['', rt.spool.pendingBytes()]]);
  metric('kiln_spool_max_bytes', 'gauge', 'Spool capacity (SPOOL_MAX_MB)', [['', rt.config.SPOOL_MAX_MB * 1024 * 1024]]);
  const holds = rt.pipeline.holds;
  metric('kiln_ingest_paused', 'gauge', '1 while intake is paused (messages held unacknowledged), by reason', HOLD_REASONS.map((r) => [`{reason="${r}"}`, holds.paused?.reason === r ? 1 : 0]));
  metric('kiln_ingest_held_messages', 'gauge', 'Messages waiting unacknowledged for room in the spool', [['', holds.size]]);
  metric('kiln_ingest_held_total', 'counter', 'Messages that had to wait unacknowledged for room, by reason', HOLD_REASONS.map((r) => [`{reason="${r}"}`, holds.held_total.get(r) ?? 0]));
  metric('kiln_ingest_held_abandoned_total', 'counter', 'Held messages whose connection dropped first (the broker or device sends them again)', [['', holds.abandoned_total]]);
  metric('kiln_mqtt_connected', 'gauge', '1 when the broker is connected (or the embedded one is running)', [['', rt.source.connected() ? 1 : 0]]);
  metric('kiln_influx_writing', 'gauge', '1 when the last InfluxDB write succeeded', [['', rt.drainer.db_ok ? 1 : 0]]);
  metric('kiln_influx_write_errors_total', 'counter', 'Failed InfluxDB batch writes (retried unless refused)', [['', s.write_errors]]);
  out.push('# HELP kiln_influx_write_seconds InfluxDB batch write latency', '# TYPE kiln_influx_write_seconds histogram');
  let cumulative = 0;
  WRITE_LATENCY_BUCKETS_S.forEach((b, i) => {
    cumulative += s.write_latency_counts[i] ?? 0;
    out.push(`kiln_influx_write_seconds_bucket{le="${b}"} ${cumulative}`);
  });
  cumulative += s.write_latency_counts[WRITE_LATENCY_BUCKETS_S.length] ?? 0;
  out.push(`kiln_influx_write_seconds_bucket{le="+Inf"} ${cumulative}`, `kiln_influx_write_seconds_sum ${s.write_latency_sum_s}`, `kiln_influx_write_seconds_count ${s.write_batches}`);
  return out.join('\n') + '\n';
}
