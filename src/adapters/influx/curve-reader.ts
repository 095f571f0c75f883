// A firing's curve, aggregated by InfluxDB (GROUP BY time(bucket), "channel"), so only buckets
// cross the network: per temperature channel max and mean of temp_c, per flow meter
// mean/count of flow_kg_h, and the firing_start events (a few rows) for the schedule. The
// bucketing itself is decided in the domain (src/domain/report/curve.ts curveBucketing).
// Measured (bench/curve.bench.ts, docs/benchmarks.md): a 24 h × 1 Hz × 4 zone firing in ~0.3 s,
// against 1.5–3 s for its raw points.
import { ID_PATTERN } from '../../wire/topics.ts';
import type { CurveAggregates, FlowBucket, TempBucket } from '../../domain/report/curve.ts';
import { queryV1, type InfluxTarget, type Series } from './query.ts';
import { AGG_RP, type AggregateStore } from './aggregates.ts';

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
  /** aggs: where a kiln's raw readings were dropped, its one-minute aggregates are read instead (docs/retention.md). */
  constructor(private readonly target: InfluxTarget, private readonly aggs?: AggregateStore) {}

  /** Before this instant the kiln's raw readings are dropped: the curve reads aggregates there. */
  aggregatedBefore(k: { workshop: string; kiln: string }): Promise<number | null> {
    return this.aggs ? this.aggs.droppedBefore(k) : Promise.resolve(null);
  }

  async read(q: CurveQuery): Promise<CurveAggregates> {
    // Ids reach InfluxQL only after passing ID_PATTERN, which has no quote or backslash.
    if (!ID_PATTERN.test(q.workshop) || !ID_PATTERN.test(q.kiln)) throw new Error('workshop and kiln ids must match [A-Za-z0-9_-]{1,40}');
    const bucket = Math.max(1, Math.round(q.bucket_ms));
    const offset = Math.max(0, Math.round(q.offset_ms)) % bucket;
    const cut = await this.aggregatedBefore(q);
    const split = cut === null ? q.from_ms : Math.min(Math.max(cut, q.from_ms), q.to_ms);
    const kiln = `"workshop"='${q.workshop}' AND "kiln"='${q.kiln}'`;
    const where = `${kiln} AND time >= ${Math.floor(split)}ms AND time < ${Math.floor(q.to_ms)}ms`;
    const whole = `${kiln} AND time >= ${Math.floor(q.from_ms)}ms AND time < ${Math.floor(q.to_ms)}ms`;
    const by = `GROUP BY time(${bucket}ms, ${offset}ms), "channel" fill(none)`;
    // Two requests in parallel (influxd runs one request's statements one after another). Only max and
    // mean of temp_c: each further aggregate (min, count) added ~60 ms to a 24 h × 1 Hz × 4 zone firing.
    const reads = [
      queryV1(this.target, `SELECT max("temp_c") AS max_c, mean("temp_c") AS mean_c FROM "temperature" WHERE ${where} ${by}`),
      queryV1(this.target, [
        `SELECT mean("flow_kg_h") AS mean_kg_h, count("flow_kg_h") AS n FROM "gas_flow" WHERE ${where} ${by}`,
        `SELECT "data_json" FROM "event" WHERE ${whole} AND "type"='firing_start'`,
      ].join(';')),
    ];
    if (split > q.from_ms) {
      // Before the cut, the minutes' aggregates: max of maxima, mean of minute means, readings counted.
      const old = `${kiln} AND time >= ${Math.floor(q.from_ms)}ms AND time < ${Math.floor(split)}ms`;
      reads.push(queryV1(this.target, [
        `SELECT max("max") AS max_c, mean("mean") AS mean_c FROM "${AGG_RP}"."temperature_1m" WHERE ${old} AND "field"='temp_c' ${by}`,
        `SELECT mean("mean") AS mean_kg_h, sum("n") AS n FROM "${AGG_RP}"."gas_flow_1m" WHERE ${old} AND "field"='flow_kg_h' ${by}`,
      ].join(';')));
    }
    const series = (await Promise.all(reads)).flat().map((s) => ({ ...s, name: s.name.replace(/_1m$/, '') }));
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
    return { temps: mergeBuckets(temps, mergeTemp), flows: mergeBuckets(flows, mergeFlow), start_events };
  }
}

// A bucket across the cut comes from both tiers: one bucket of the two.
const mergeTemp = (a: TempBucket, b: TempBucket): TempBucket => ({ t_ms: a.t_ms, max_c: Math.max(a.max_c, b.max_c), mean_c: (a.mean_c + b.mean_c) / 2 });
const mergeFlow = (a: FlowBucket, b: FlowBucket): FlowBucket => ({ t_ms: a.t_ms, n: a.n + b.n, mean_kg_h: (a.mean_kg_h * a.n + b.mean_kg_h * b.n) / (a.n + b.n) });

function mergeBuckets<B extends { t_ms: number }>(by: Record<string, B[]>, merge: (a: B, b: B) => B): Record<string, B[]> {
  const out: Record<string, B[]> = {};
  for (const [ch, list] of Object.entries(by)) {
    const m = new Map<number, B>();
    for (const b of list) { const had = m.get(b.t_ms); m.set(b.t_ms, had ? merge(had, b) : b); }
    out[ch] = [...m.values()].sort((x, y) => x.t_ms - y.t_ms);
  }
  return out;
}

function columnsOf(s: Series): (name: string) => number {
  const m = new Map(s.columns.map((c, i) => [c, i] as const));
  return (name) => m.get(name) ?? -1;
}
