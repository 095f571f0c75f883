// What users enter (load, grading, coal baselines, the LPG price list) kept in InfluxDB, beside
// the readings, so that two service instances on one database never disagree and records
// survive restarts. One measurement, `record`:
//   tags   kind (load|grading|baseline|prices), workshop, key (firing id | baseline id | 'lpg'),
//          kiln (load and grading only: two kilns' controllers may reuse a firing id)
//   fields json (the validated record as JSON), by (who saved it)
//   time   the save time in ms
// Every save is a new point, so a record keeps its history; the current record is the newest
// point of its (kind, workshop, kiln, key). Records go to the retention policy `records`
// (DURATION INF) so that an INFLUX_RETENTION on readings never expires them.
// Writes are synchronous (not through the spool): a save returns only once InfluxDB took it,
// and throws InfluxUnavailable otherwise. One point per save: never half stored.
import { escape } from 'influx';
import type { InfluxStore } from '../adapters/influx/store.ts';
import { InfluxUnavailable, rowsOf } from '../adapters/influx/query.ts';
import { lineOf } from '../adapters/influx/line.ts';

export const RECORDS_RP = 'records';
export const RECORD_MEASUREMENT = 'record';
export const PRICES_WORKSHOP = '*'; // not a workshop id (ID_PATTERN has no '*'): the price list is for all

export type RecordKind = 'load' | 'grading' | 'baseline' | 'prices';

export interface RecordRef {
  readonly kind: RecordKind;
  readonly workshop: string;
  readonly key: string;
  readonly kiln?: string | undefined;
}

export interface StoredRecord<T = unknown> extends RecordRef {
  readonly saved_at_ms: number;
  readonly by: string;
  readonly record: T;
}


export class RecordStore {
  private ensured: Promise<void> | null = null;
  private last_ms = 0;

  constructor(private readonly influx: InfluxStore, private readonly now: () => number = Date.now) {}

  /** The database and the `records` retention policy (DURATION INF), created once if missing. */
  ensure(): Promise<void> {
    this.ensured ??= this.create().catch((err: unknown) => {
      this.ensured = null;
      throw err instanceof InfluxUnavailable ? err : new InfluxUnavailable(`InfluxDB: ${(err as Error).message}`);
    });
    return this.ensured;
  }

  private async create(): Promise<void> {
    const db = this.influx.opts.database;
    await this.influx.exec(`CREATE DATABASE ${escape.quoted(db)}`);
    await this.influx.exec(`CREATE RETENTION POLICY "${RECORDS_RP}" ON ${escape.quoted(db)} DURATION INF REPLICATION 1`)
      .catch(() => this.influx.exec(`ALTER RETENTION POLICY "${RECORDS_RP}" ON ${escape.quoted(db)} DURATION INF`));
  }

  /** Store a new version; resolves once InfluxDB has it. */
  async save<T>(ref: RecordRef, by: string, record: T): Promise<StoredRecord<T>> {
    await this.ensure();
    // Two saves in one millisecond would be one point (same series and time): keep each.
    const saved_at_ms = Math.max(this.now(), this.last_ms + 1);
    this.last_ms = saved_at_ms;
    const tags = { key: ref.key, kind: ref.kind, kiln: ref.kiln, workshop: ref.workshop };
    await this.influx.writeLines([lineOf(RECORD_MEASUREMENT, tags, { by, json: JSON.stringify(record) }, saved_at_ms)], RECORDS_RP);
    return { ...ref, saved_at_ms, by, record };
  }

  /** The newest version, or null if none was saved. */
  async current(ref: RecordRef): Promise<StoredRecord | null> {
    const rows = await this.select(`${where(ref)} ORDER BY time DESC LIMIT 1`);
    return rows[0] ?? null;
  }

  /** Every version, newest first. */
  history(ref: RecordRef): Promise<StoredRecord[]> {
    return this.select(`${where(ref)} ORDER BY time DESC`);
  }

  /** The newest version of each key of a kind in a workshop, newest first. */
  async list(kind: RecordKind, workshop: string): Promise<StoredRecord[]> {
    const rows = await this.select(`WHERE "kind"=${escape.stringLit(kind)} AND "workshop"=${escape.stringLit(workshop)} GROUP BY "key", "kiln" ORDER BY time DESC LIMIT 1`);
    return rows.sort((a, b) => b.saved_at_ms - a.saved_at_ms);
  }

  /** The newest version of each key of a kind, in every workshop (or one): the roll-up's bulk read. */
  async listAll(kind: RecordKind, workshop?: string): Promise<StoredRecord[]> {
    const ws = workshop === undefined ? '' : ` AND "workshop"=${escape.stringLit(workshop)}`;
    // Every version in one series, newest picked here: GROUP BY key … LIMIT 1 over 36,000 keys
    // made InfluxDB 1.6 open one cursor per series (measured: ~4× slower for a year of firings).
    const newest = new Map<string, StoredRecord>();
    for (const r of await this.select(`WHERE "kind"=${escape.stringLit(kind)}${ws}`)) {
      const id = `${r.workshop}\u0000${r.kiln ?? ''}\u0000${r.key}`;
      const seen = newest.get(id);
      if (!seen || seen.saved_at_ms < r.saved_at_ms) newest.set(id, r);
    }
    return [...newest.values()];
  }

  private async select(rest: string): Promise<StoredRecord[]> {
    await this.ensure();
    const q = `SELECT "json", "by", "kind", "workshop", "key", "kiln" FROM "${RECORDS_RP}"."${RECORD_MEASUREMENT}" ${rest}`;
    // Raw GET /query (queryV1), not the `influx` package: its result handling tripled the time of
    // the roll-up's bulk read of a year of records (measured 527 ms against ~160 ms).
    const out: StoredRecord[] = [];
    for (const r of rowsOf(await this.influx.query(q))) {
      const str = (name: string) => { const v = r.col(name); return typeof v === 'string' && v !== '' ? v : undefined; };
      const json = r.col('json');
      if (typeof json !== 'string') continue;
      const kiln = str('kiln');
      out.push({
        kind: str('kind') as RecordKind, workshop: str('workshop') ?? '', key: str('key') ?? '', ...(kiln === undefined ? {} : { kiln }),
        saved_at_ms: Number(r.col('time')), by: str('by') ?? '', record: JSON.parse(json) as unknown,
      });
    }
    return out;
  }
}

function where(ref: RecordRef): string {
  const parts = [`"kind"=${escape.stringLit(ref.kind)}`, `"workshop"=${escape.stringLit(ref.workshop)}`, `"key"=${escape.stringLit(ref.key)}`];
  if (ref.kiln !== undefined) parts.push(`"kiln"=${escape.stringLit(ref.kiln)}`);
  return `WHERE ${parts.join(' AND ')}`;
}
