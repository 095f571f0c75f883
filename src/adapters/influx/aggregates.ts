// One-minute aggregates in InfluxDB, and the dropping of raw readings (docs/retention.md):
//   retention policy `readings_1m` (DURATION READINGS_AGG_DAYS, INF for 0), measurements
//   `<measurement>_1m` (temperature_1m, gas_flow_1m, ...), tags workshop, kiln, channel, field (the
//   value field aggregated), time = the minute's start; fields n, first, first_dt_ms, last,
//   last_dt_ms, min, min_dt_ms, max, max_dt_ms, mean, area_s and the carried fields.
//   `records`.`retention_state`, tags workshop, kiln, time 0 (overwritten): dropped_before_ms, the
//   instant before which this kiln's raw readings are (being) dropped: readers take aggregates there.
// Names differ from the raw measurements because InfluxDB 1.x's DELETE acts on a measurement in
// every retention policy at once.
import { escape } from 'influx';
import { READING_MEASUREMENTS, type MinuteAggregate, type ReadingMeasurement } from '../../domain/retention/minutes.ts';
import { ID_PATTERN } from '../../wire/topics.ts';
import { lineOf } from './line.ts';
import { rowsOf } from './query.ts';
import type { InfluxStore } from './store.ts';
import { RECORDS_RP } from '../../records/store.ts';

export const AGG_RP = 'readings_1m';
const STATE = 'retention_state';
const AGG_FIELDS = ['n', 'first', 'first_dt_ms', 'last', 'last_dt_ms', 'min', 'min_dt_ms', 'max', 'max_dt_ms', 'mean', 'area_s'] as const;
const TAG_COLS = new Set(['time', 'workshop', 'kiln', 'channel', 'field']);

export interface KilnRef { readonly workshop: string; readonly kiln: string }

const where = (k: KilnRef) => {
  if (!ID_PATTERN.test(k.workshop) || !ID_PATTERN.test(k.kiln)) throw new Error('workshop and kiln ids must match [A-Za-z0-9_-]{1,40}');
  return `"workshop"=${escape.stringLit(k.workshop)} AND "kiln"=${escape.stringLit(k.kiln)}`;
};
const ms = (t: number) => `${Math.floor(t)}ms`;

export class AggregateStore {
  private ensured: Promise<void> | null = null;
  /** Retention policies seen to exist (never dropped by the service, so a yes is kept). */
  private readonly policies = new Set<string>();
  /** agg_days: how long aggregates are kept, 0 = for ever. */
  constructor(private readonly influx: InfluxStore, private readonly agg_days: number) {}

  /** Create (or set the duration of) the aggregates' retention policy and the records one; idempotent. */
  ensure(): Promise<void> {
    this.ensured ??= this.create().catch((err: unknown) => { this.ensured = null; throw err; });
    return this.ensured;
  }

  private async create(): Promise<void> {
    const db = escape.quoted(this.influx.opts.database);
    const duration = this.agg_days > 0 ? `${this.agg_days}d` : 'INF';
    for (const [rp, d] of [[AGG_RP, duration], [RECORDS_RP, 'INF']] as const) {
      await this.influx.exec(`CREATE RETENTION POLICY "${rp}" ON ${db} DURATION ${d} REPLICATION 1`)
        .catch(() => this.influx.exec(`ALTER RETENTION POLICY "${rp}" ON ${db} DURATION ${d}`));
      this.policies.add(rp);
    }
  }

  /** A database written by a version without aggregates has neither policy until ensure() (and
   *  InfluxDB 1.6 answers a query naming a missing one with a bare "not executed"). */
  private async hasPolicy(rp: string): Promise<boolean> {
    if (this.policies.has(rp)) return true;
    for (const r of rowsOf(await this.influx.query(`SHOW RETENTION POLICIES ON ${escape.quoted(this.influx.opts.database)}`))) {
      const name = r.col('name');
      if (typeof name === 'string') this.policies.add(name);
    }
    return this.policies.has(rp);
  }

  async write(aggs: readonly MinuteAggregate[]): Promise<void> {
    if (aggs.length === 0) return;
    await this.ensure();
    const lines = aggs.map((a) => {
      const fields: Record<string, number> = { ...a.carried };
      for (const f of AGG_FIELDS) fields[f] = a[f];
      return lineOf(`${a.measurement}_1m`, { workshop: a.workshop, kiln: a.kiln, channel: a.channel, field: a.field }, fields, a.minute_ms);
    });
    for (let i = 0; i < lines.length; i += 5000) await this.influx.writeLines(lines.slice(i, i + 5000), AGG_RP);
  }

  /** A kiln's aggregates in [from_ms, to_ms), oldest first. */
  async read(k: KilnRef, from_ms: number, to_ms: number, measurements: readonly ReadingMeasurement[] = READING_MEASUREMENTS): Promise<MinuteAggregate[]> {
    if (measurements.length === 0 || to_ms <= from_ms || !(await this.hasPolicy(AGG_RP))) return [];
    const q = measurements.map((m) => `SELECT * FROM "${AGG_RP}"."${m}_1m" WHERE ${where(k)} AND time >= ${ms(from_ms)} AND time < ${ms(to_ms)} GROUP BY "channel", "field"`).join(';');
    const out: MinuteAggregate[] = [];
    const series = await this.influx.query(q);
    for (const s of series) {
      const measurement = s.name.replace(/_1m$/, '') as ReadingMeasurement;
      for (const r of rowsOf([s])) {
        const num = (c: string) => { const v = r.col(c); return typeof v === 'number' ? v : NaN; };
        const carried: Record<string, number> = {};
        for (const c of s.columns) {
          if (TAG_COLS.has(c) || (AGG_FIELDS as readonly string[]).includes(c)) continue;
          const v = r.col(c);
          if (typeof v === 'number') carried[c] = v;
        }
        const a = { measurement, workshop: k.workshop, kiln: k.kiln, channel: r.tags.channel ?? '', field: r.tags.field ?? '', minute_ms: num('time'), carried } as Record<string, unknown>;
        for (const f of AGG_FIELDS) a[f] = num(f);
        if (AGG_FIELDS.every((f) => Number.isFinite(a[f]))) out.push(a as unknown as MinuteAggregate);
      }
    }
    return out.sort((a, b) => a.minute_ms - b.minute_ms);
  }

  /** Drop a kiln's raw readings (never its events) in [from_ms, to_ms). */
  async dropRaw(k: KilnRef, from_ms: number, to_ms: number): Promise<void> {
    await this.influx.exec(`DELETE FROM /^(${READING_MEASUREMENTS.join('|')})$/ WHERE ${where(k)} AND time >= ${ms(from_ms)} AND time < ${ms(to_ms)}`);
  }

  /** Before this instant the kiln's raw readings are dropped (or being dropped); null: never dropped. */
  async droppedBefore(k: KilnRef): Promise<number | null> {
    if (!(await this.hasPolicy(RECORDS_RP))) return null;
    const rows = rowsOf(await this.influx.query(`SELECT last("dropped_before_ms") AS t FROM "${RECORDS_RP}"."${STATE}" WHERE ${where(k)}`));
    const t = rows[0]?.col('t');
    return typeof t === 'number' ? t : null;
  }

  async setDroppedBefore(k: KilnRef, t_ms: number): Promise<void> {
    await this.ensure();
    await this.influx.writeLines([lineOf(STATE, { workshop: k.workshop, kiln: k.kiln }, { dropped_before_ms: Math.floor(t_ms) }, 0)], RECORDS_RP);
  }

  /** Every kiln that has raw readings stored (from the series index: it ignores time). */
  async kilns(): Promise<KilnRef[]> {
    const rows = rowsOf(await this.influx.query(`SHOW SERIES FROM /^(${READING_MEASUREMENTS.join('|')})$/`));
    const seen = new Map<string, KilnRef>();
    for (const r of rows) {
      const key = String(r.col('key') ?? '');
      const tag = (name: string) => new RegExp(`(?:^|,)${name}=([^,]*)`).exec(key)?.[1];
      const workshop = tag('workshop'), kiln = tag('kiln');
      if (workshop && kiln && ID_PATTERN.test(workshop) && ID_PATTERN.test(kiln)) seen.set(`${workshop}/${kiln}`, { workshop, kiln });
    }
    return [...seen.values()];
  }

  /** The time of a kiln's oldest raw reading, or null. */
  async oldestRaw(k: KilnRef): Promise<number | null> {
    const q = READING_MEASUREMENTS.map((m) => `SELECT * FROM "${m}" WHERE ${where(k)} ORDER BY time ASC LIMIT 1`).join(';');
    let t: number | null = null;
    for (const r of rowsOf(await this.influx.query(q))) {
      const v = r.col('time');
      if (typeof v === 'number' && (t === null || v < t)) t = v;
    }
    return t;
  }
}
