// The report path's source: a kiln's stored readings over a time range, back as the same
// Points the live path decoded, so one reducer serves both (the live path and the report
// path: docs/architecture.md). Reads InfluxQL over HTTP with epoch=ms (query.ts).
import { ID_PATTERN } from '../../wire/topics.ts';
import type { Measurement, Point } from '../../domain/point.ts';
import { queryV1, type Series } from './query.ts';

export interface ReadingsQuery {
  readonly workshop: string;
  readonly kiln: string;
  readonly from_ms: number;
  readonly to_ms: number; // exclusive
  readonly measurements?: readonly Measurement[];
}

const ALL: readonly Measurement[] = ['temperature', 'gas_flow', 'gas_total', 'gas_scale', 'kiln_pressure', 'oxygen', 'damper', 'event'];

export class ReadingsReader {
  constructor(private readonly url: string, private readonly database: string, private readonly auth?: { username: string; password: string }) {}

  async read(q: ReadingsQuery): Promise<Point[]> {
    const out: Point[] = [];
    for await (const page of this.pages(q)) for (const p of page) out.push(p);
    return out;
  }

  /** The readings of q in pages, oldest first, each page at most `per_series` points of each
   *  series (measurement × channel): a dense hour (1 kHz, an outbox replay) is read in many small
   *  answers, so no one JSON.parse, and no one fold of a page, holds the event loop long. A page
   *  ends at the earliest last time of a series that hit the limit: before it, every series is whole. */
  async *pages(q: ReadingsQuery, per_series = PAGE_PER_SERIES): AsyncGenerator<Point[]> {
    // Ids reach InfluxQL only after passing ID_PATTERN, which has no quote or backslash.
    if (!ID_PATTERN.test(q.workshop) || !ID_PATTERN.test(q.kiln)) throw new Error('workshop and kiln ids must match [A-Za-z0-9_-]{1,40}');
    for (let from_ms = Math.floor(q.from_ms); from_ms < q.to_ms;) {
      const where = `workshop='${q.workshop}' AND kiln='${q.kiln}' AND time >= ${from_ms}ms AND time < ${Math.floor(q.to_ms)}ms`;
      const statements = (q.measurements ?? ALL).map((m) => `SELECT * FROM "${m}" WHERE ${where} GROUP BY "channel"${m === 'event' ? ', "type"' : ''} LIMIT ${per_series}`);
      const series = await this.query(statements.join(';'));
      let cutoff = Infinity;
      for (const s of series) {
        const values = s.values ?? [];
        const last = values[values.length - 1];
        if (values.length >= per_series && last) cutoff = Math.min(cutoff, last[s.columns.indexOf('time')] as number);
      }
      const points = toPoints(q, series, cutoff);
      if (points.length) yield points.sort((a, b) => a.ts_ms - b.ts_ms);
      if (cutoff === Infinity) return;
      from_ms = cutoff + 1;
    }
  }

  private query(q: string): Promise<Series[]> {
    return queryV1({ url: this.url, database: this.database, auth: this.auth }, q);
  }
}

/** Points per series per page: a page of a kiln's 6–10 series is ~10–20k points, ~10 ms to parse. */
const PAGE_PER_SERIES = 2000;

function toPoints(q: ReadingsQuery, series: readonly Series[], until_ms: number): Point[] {
  const points: Point[] = [];
  for (const s of series) {
    const tcol = s.columns.indexOf('time');
    const fieldCols = s.columns.map((c, i) => [c, i] as const).filter(([c]) => c !== 'time' && c !== 'workshop' && c !== 'kiln' && c !== 'channel' && c !== 'type');
    const tags = { workshop: q.workshop, kiln: q.kiln, channel: s.tags?.channel ?? '', ...(s.tags?.type ? { type: s.tags.type } : {}) };
    for (const row of s.values ?? []) {
      const ts_ms = row[tcol] as number;
      if (ts_ms > until_ms) break; // the next page has it
      const fields: Record<string, number | string> = {};
      for (const [c, i] of fieldCols) {
        const v = row[i];
        if (typeof v === 'number' || typeof v === 'string') fields[c] = v;
      }
      points.push({ measurement: s.name as Measurement, tags, fields, ts_ms });
    }
  }
  return points;
}
