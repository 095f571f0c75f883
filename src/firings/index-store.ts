// The firing index in InfluxDB (retention policy `records`, DURATION INF), so that firing lists and
// reports do not re-read a day of 1 Hz readings per request, and survive restarts:
//   firing        tags workshop, kiln; time = the firing's start (one point per firing: a
//                 recompute overwrites it); fields id, closed, record_json (FiringRecord),
//                 summary_json (FiringSummary, closed firings only), schedule_name, prices_key,
//                 computed_at_ms
//   firing_index  tags workshop, kiln; time 0 (one point per kiln, overwritten): the indexer's
//                 checkpoint: until_ms, since_ms, state_json (the tracker state, JSON by design;
//                 read back through savedTrackerState, which converts earlier versions' shapes),
//                 open_events_json (the running firing's events so far)
// Every value here is a deterministic function of the stored readings (and the price list, named
// by prices_key), so two service instances writing the same point write the same thing.
import { escape } from 'influx';
import type { InfluxStore } from '../adapters/influx/store.ts';
import { recordOf, savedTrackerState, type FiringEvent, type FiringRecord, type SavedTrackerState, type TrackerState } from '../domain/firing/index.ts';
import { SUMMARY_FORMAT, toFiringFigures, type FiringSummary } from '../domain/report/index.ts';
import type { FiringFigures } from '../domain/savings/firing-figures.ts';
import type { GradingRecord, LoadRecord } from '../domain/savings/records.ts';
import { RECORDS_RP, type RecordStore } from '../records/store.ts';
import { rowsOf, type Series } from '../adapters/influx/query.ts';
import { lineOf, type FieldValue } from '../adapters/influx/line.ts';
import { ID_PATTERN } from '../wire/topics.ts';
import type { KilnRef } from './service.ts';

export interface IndexedFiring {
  readonly record: FiringRecord;
  /** null while the firing is open: an open firing's report is computed on request. */
  readonly summary: FiringSummary | null;
  readonly schedule_name: string | null;
  /** Which price list priced the summary (pricesKey): another list means recompute. */
  readonly prices_key: string;
  readonly computed_at_ms: number;
}

/** The load and grading users entered for a firing (src/records). */
export interface Entered { readonly load: LoadRecord | null; readonly grading: GradingRecord | null }
const NONE: Entered = { load: null, grading: null };

export interface Checkpoint {
  /** Stored readings before this are folded into state. */
  readonly until_ms: number;
  /** Firings starting at or after this are all in the index (the first fold's start + warm-up). */
  readonly since_ms: number;
  readonly state: TrackerState;
  readonly open_events: readonly FiringEvent[];
}


const kilnWhere = (k: KilnRef) => {
  if (!ID_PATTERN.test(k.workshop) || !ID_PATTERN.test(k.kiln)) throw new Error('workshop and kiln ids must match [A-Za-z0-9_-]{1,40}');
  return `"workshop"=${escape.stringLit(k.workshop)} AND "kiln"=${escape.stringLit(k.kiln)}`;
};

const kilnTags = (k: KilnRef) => ({ kiln: k.kiln, workshop: k.workshop });

export class FiringIndexStore {
  constructor(private readonly influx: InfluxStore, private readonly records: RecordStore) {}

  /** Store a firing; its roll-up figures carry the load and grading entered so far (a later save
   *  of either rewrites them: refreshFigures). */
  async put(k: KilnRef, f: IndexedFiring, entered: Entered = NONE): Promise<void> {
    await this.records.ensure();
    const fields: Record<string, FieldValue> = {
      id: f.record.id, closed: f.record.end_ms !== null,
      record_json: JSON.stringify(f.record),
      summary_json: f.summary ? JSON.stringify(f.summary) : '',
      // The roll-up's few numbers, with ware and good kg: it reads these, not the summaries or the records.
      figures_json: f.summary ? JSON.stringify(toFiringFigures(f.summary, k, entered.load ?? undefined, entered.grading ?? undefined)) : '',
      schedule_name: f.schedule_name ?? '', prices_key: f.prices_key,
      computed_at_ms: Math.round(f.computed_at_ms),
    };
    await this.write(lineOf('firing', kilnTags(k), fields, f.record.start_ms));
  }

  /** A load or grading was saved: rewrite that firing's roll-up figures (only that field of its
   *  point: InfluxDB merges fields written at the same series and time). No-op if not indexed. */
  async refreshFigures(k: KilnRef & { firing_id: string }, entered: Entered): Promise<void> {
    const f = await this.get(k, k.firing_id);
    if (!f?.summary) return;
    const figures = toFiringFigures(f.summary, k, entered.load ?? undefined, entered.grading ?? undefined);
    await this.write(lineOf('firing', kilnTags(k), { figures_json: JSON.stringify(figures) }, f.record.start_ms));
  }

  /** Firings starting in [from_ms, to_ms), oldest first. */
  async list(k: KilnRef, from_ms: number, to_ms: number): Promise<IndexedFiring[]> {
    return this.select(`SELECT * FROM "${RECORDS_RP}"."firing" WHERE ${kilnWhere(k)} AND time >= ${Math.floor(from_ms)}ms AND time < ${Math.ceil(to_ms)}ms`);
  }

  /** Firings starting in [from_ms, to_ms) of each of several kilns, from one query; keyed
   *  `workshop/kiln`, oldest first (a kiln with none is missing). */
  async listMany(ks: readonly KilnRef[], from_ms: number, to_ms: number): Promise<Map<string, IndexedFiring[]>> {
    const out = new Map<string, IndexedFiring[]>();
    if (ks.length === 0) return out;
    const which = ks.map((k) => `(${kilnWhere(k)})`).join(' OR ');
    for (const f of await this.select(`SELECT * FROM "${RECORDS_RP}"."firing" WHERE (${which}) AND time >= ${Math.floor(from_ms)}ms AND time < ${Math.ceil(to_ms)}ms`)) {
      const key = `${f.workshop}/${f.kiln}`;
      const list = out.get(key);
      if (list) list.push(f);
      else out.set(key, [f]);
    }
    return out;
  }

  async get(k: KilnRef, id: string): Promise<IndexedFiring | null> {
    const rows = await this.select(`SELECT * FROM "${RECORDS_RP}"."firing" WHERE ${kilnWhere(k)} AND "id"=${escape.stringLit(id)} ORDER BY time DESC LIMIT 1`);
    return rows[0] ?? null;
  }

  /** The roll-up figures (with ware and good kg) of every closed firing starting in [from_ms, to_ms), of one workshop or all. */
  async figures(from_ms: number, to_ms: number, workshop?: string): Promise<FiringFigures[]> {
    if (workshop !== undefined && !ID_PATTERN.test(workshop)) throw new Error('workshop id must match [A-Za-z0-9_-]{1,40}');
    const ws = workshop === undefined ? '' : ` AND "workshop"=${escape.stringLit(workshop)}`;
    const series = await this.query(`SELECT "figures_json" FROM "${RECORDS_RP}"."firing" WHERE "closed"=true${ws} AND time >= ${Math.floor(from_ms)}ms AND time < ${Math.ceil(to_ms)}ms`);
    const out: FiringFigures[] = [];
    // Column 1 read directly, not through rowsOf: the roll-up of a year reads ~36,000 rows here.
    for (const s of series) for (const row of s.values ?? []) if (typeof row[1] === 'string' && row[1] !== '') out.push(JSON.parse(row[1]) as FiringFigures);
    return out;
  }

  /** Remove indexed firings starting in [from_ms, to_ms) (a recompute found other boundaries). */
  async remove(k: KilnRef, from_ms: number, to_ms: number): Promise<void> {
    await this.query(`DELETE FROM "firing" WHERE ${kilnWhere(k)} AND time >= ${Math.floor(from_ms)}ms AND time < ${Math.ceil(to_ms)}ms`);
  }

  async checkpoint(k: KilnRef): Promise<Checkpoint | null> {
    for (const r of rowsOf(await this.query(`SELECT * FROM "${RECORDS_RP}"."firing_index" WHERE ${kilnWhere(k)}`))) {
      const state = r.col('state_json'), events = r.col('open_events_json');
      if (typeof state !== 'string' || typeof events !== 'string') continue;
      return { until_ms: Number(r.col('until_ms')), since_ms: Number(r.col('since_ms')), state: savedTrackerState(JSON.parse(state) as SavedTrackerState), open_events: JSON.parse(events) as FiringEvent[] };
    }
    return null;
  }

  async saveCheckpoint(k: KilnRef, c: Checkpoint): Promise<void> {
    const fields = { until_ms: Math.floor(c.until_ms), since_ms: Math.floor(c.since_ms), state_json: JSON.stringify(c.state), open_events_json: JSON.stringify(c.open_events) };
    await this.write(lineOf('firing_index', kilnTags(k), fields, 0));
  }

  /** Kilns whose checkpoint reached past since_ms (the live view restores them after a restart). */
  async activeKilns(since_ms: number): Promise<KilnRef[]> {
    const series = await this.query(`SELECT "until_ms" FROM "${RECORDS_RP}"."firing_index" WHERE "until_ms" > ${Math.floor(since_ms)} GROUP BY "workshop", "kiln"`);
    return series.map((s) => ({ workshop: s.tags?.workshop ?? '', kiln: s.tags?.kiln ?? '' })).filter((k) => ID_PATTERN.test(k.workshop) && ID_PATTERN.test(k.kiln));
  }

  private async write(line: string): Promise<void> {
    await this.records.ensure();
    await this.influx.writeLines([line], RECORDS_RP);
  }

  private async select(q: string): Promise<(IndexedFiring & KilnRef)[]> {
    const out: (IndexedFiring & KilnRef)[] = [];
    for (const r of rowsOf(await this.query(q))) {
      const record = r.col('record_json'), summary = r.col('summary_json'), sched = r.col('schedule_name'), pk = r.col('prices_key');
      if (typeof record !== 'string') continue;
      out.push({
        workshop: String(r.col('workshop') ?? ''), kiln: String(r.col('kiln') ?? ''),
        record: recordOf(JSON.parse(record) as FiringRecord), // stored before gas-on, gas-off and status: today's shape
        summary: typeof summary === 'string' && summary !== '' ? JSON.parse(summary) as FiringSummary : null,
        schedule_name: typeof sched === 'string' && sched !== '' ? sched : null,
        prices_key: typeof pk === 'string' ? pk : '', computed_at_ms: Number(r.col('computed_at_ms')),
      });
    }
    return out.sort((a, b) => a.record.start_ms - b.record.start_ms);
  }

  private async query(q: string): Promise<Series[]> {
    await this.records.ensure();
    // DELETE needs POST; everything else is a GET.
    if (q.startsWith('DELETE')) {
      await this.influx.exec(q);
      return [];
    }
    return this.influx.query(q);
  }
}

/** A short stable name for a price list and the summary's format, so a summary priced with another
 *  list, or stored in an older shape, is recomputed. */
export function pricesKey(prices: readonly { valid_from: string; vnd_per_kg: number }[]): string {
  let h = 2166136261 ^ SUMMARY_FORMAT;
  for (const ch of JSON.stringify(prices.map((p) => [p.valid_from, p.vnd_per_kg]))) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16);
}
