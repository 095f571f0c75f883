// A firing's curve, aggregated by InfluxDB (GROUP BY time(bucket), "channel"), so only buckets
// cross the network: per temperature channel max and mean of temp_c, per flow meter
// mean/count of flow_kg_h, and the firing_start events (a few rows) for the schedule. The
// bucketing itself is decided in the domain (src/domain/report/curve.ts curveBucketing).
// Measured (bench/curve.bench.ts, docs/benchmarks.md): a 24 h × 1 Hz × 4 zone firing in ~0.3 s,
// against 1.5–3 s for its raw points.
import { ID_PATTERN } from '../../wire/topics.ts';
import type { CurveAggregates, FlowBucket, TempBucket } from '../../domain/report/curve.ts';
import { queryV1, type InfluxTarget, type Series } from './query.ts';

export interface CurveQuery {
  readonly workshop: string;
  readonly kiln: string;
  readonly from_ms: number;
  readonly to_ms: number; // exclusive
  readonly bucket_ms: number;
  readonly offset_ms: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class CurveReader {
  constructor(private readonly target: InfluxTarget) {}

  async read(q: CurveQuery): Promise<CurveAggregates> {
    // Ids reach InfluxQL only after passing ID_PATTERN, which has no quote or backslash.
    if (!ID_PATTERN.test(q.workshop) || !ID_PATTERN.test(q.kiln)) throw new Error('workshop and kiln ids must match [A-Za-z0-9_-]{1,40}');
    const bucket = Math.max(1, Math.round(q.bucket_ms));
    const offset = Math.max(0, Math.round(q.offset_ms)) % bucket;
    const where = `"workshop"='${q.workshop}' AND "kiln"='${q.kiln}' AND time >= ${Math.floor(q.from_ms)}ms AND time < ${Math.floor(q.to_ms)}ms`;
    const by = `GROUP BY time(${bucket}ms, ${offset}ms), "channel" fill(none)`;
    // Two requests in parallel (influxd runs one request's statements one after another). Only max and
    // mean of temp_c: each further aggregate (min, count) added ~60 ms to a 24 h × 1 Hz × 4 zone firing.
    const [a, b] = await Promise.all([
      queryV1(this.target, `SELECT max("temp_c") AS max_c, mean("temp_c") AS mean_c FROM "temperature" WHERE ${where} ${by}`),
      queryV1(this.target, [
        `SELECT mean("flow_kg_h") AS mean_kg_h, count("flow_kg_h") AS n FROM "gas_flow" WHERE ${where} ${by}`,
        `SELECT "data_json" FROM "event" WHERE ${where} AND "type"='firing_start'`,
      ].join(';')),
    ]);
    const series = [...a, ...b];
    const temps: Record<string, TempBucket[]> = {}, flows: Record<string, FlowBucket[]> = {};
    const start_events: { ts_ms: number; data_json: string }[] = [];
    for (const s of series) {
      const col = columnsOf(s);
      const ch = s.tags?.channel ?? '';
      for (const row of s.values ?? []) {
        const t_ms = num(row[col('time')]);
        if (t_ms === null) continue;
        if (s.name === 'temperature') {
          const max_c = num(row[col('max_c')]), mean_c = num(row[col('mean_c')]);
          if (max_c === null || mean_c === null) continue;
          (temps[ch] ??= []).push({ t_ms, max_c, mean_c });
        } else if (s.name === 'gas_flow') {
          const mean_kg_h = num(row[col('mean_kg_h')]), n = num(row[col('n')]);
          if (mean_kg_h === null || !n) continue;
          (flows[ch] ??= []).push({ t_ms, mean_kg_h, n });
        } else if (s.name === 'event') {
          const d = row[col('data_json')];
          if (typeof d === 'string') start_events.push({ ts_ms: t_ms, data_json: d });
        }
      }
    }
    return { temps, flows, start_events };
  }
}

function columnsOf(s: Series): (name: string) => number {
  const m = new Map(s.columns.map((c, i) => [c, i] as const));
  return (name) => m.get(name) ?? -1;
}
