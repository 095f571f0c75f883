// A firing's stored readings as CSV (RFC 4180): one row per stored value, oldest first.
// Columns: ts (ISO 8601 UTC), ts_ms, measurement, channel, field, value, type (the event type
// tag: events carry it outside data_json; empty for other measurements).
import type { Point } from '../domain/point.ts';

export const CSV_HEADER = 'ts,ts_ms,measurement,channel,field,value,type';

/** Quote a cell when it holds a comma, a quote or a line break (data_json does). */
export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Yields the CSV in chunks of up to `rows_per_chunk` rows, header first; each chunk ends with CRLF. */
export function* readingsCsv(points: Iterable<Point>, rows_per_chunk = 5000): Generator<string> {
  yield `${CSV_HEADER}\r\n`;
  let buf: string[] = [];
  for (const p of points) {
    const ts = new Date(p.ts_ms).toISOString();
    for (const [field, value] of Object.entries(p.fields)) {
      buf.push([ts, p.ts_ms, p.measurement, p.tags.channel, field, value, p.tags.type ?? ''].map(csvCell).join(','));
      if (buf.length >= rows_per_chunk) {
        yield `${buf.join('\r\n')}\r\n`;
        buf = [];
      }
    }
  }
  if (buf.length) yield `${buf.join('\r\n')}\r\n`;
}
