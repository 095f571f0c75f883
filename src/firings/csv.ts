// A firing's stored readings as CSV (RFC 4180), for spreadsheets: UTF-8 with a byte-order mark
// (so a spreadsheet does not read the Vietnamese as Latin-1), comma-separated, CRLF, a local-time
// column (Asia/Ho_Chi_Minh, ISO 8601 with +07:00) beside the UTC time and epoch ms. Two shapes:
//   long (default): one row per stored value, oldest first; columns ts (ISO 8601 UTC), ts_local,
//     ts_ms, measurement, channel, field, value, type (the event type tag: events carry it outside
//     data_json; empty for other measurements)
//   wide: one row per instant, one column per channel and field ("temperature.top.temp_c"),
//     empty where that channel said nothing then; events are only in the long form.
// Values are as the device sent them (its own resolution), trimmed of binary float noise.
import type { Point } from '../domain/point.ts';
import { localIso } from '../domain/savings/local-time.ts';

export const CSV_BOM = '\uFEFF';
export const CSV_HEADER = 'ts,ts_local,ts_ms,measurement,channel,field,value,type';

/** Quote a cell when it holds a comma, a quote or a line break (data_json does). */
export function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** 10 significant digits: more than any sensor gives, fewer than float noise (0.1 + 0.2). */
const reading = (v: number | string) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v);

/** Yields the long CSV in chunks of up to `rows_per_chunk` rows, BOM and header first; each chunk ends with CRLF. */
export function* readingsCsv(points: Iterable<Point>, rows_per_chunk = 5000): Generator<string> {
  yield `${CSV_BOM}${CSV_HEADER}\r\n`;
  let buf: string[] = [];
  for (const p of points) {
    const ts = new Date(p.ts_ms).toISOString();
    const local = localIso(p.ts_ms);
    for (const [field, value] of Object.entries(p.fields)) {
      buf.push([ts, local, p.ts_ms, p.measurement, p.tags.channel, field, reading(value), p.tags.type ?? ''].map(csvCell).join(','));
      if (buf.length >= rows_per_chunk) {
        yield `${buf.join('\r\n')}\r\n`;
        buf = [];
      }
    }
  }
  if (buf.length) yield `${buf.join('\r\n')}\r\n`;
}

/** The wide CSV: one row per instant (oldest first), one column per measurement.channel.field (sorted). */
export function* readingsCsvWide(points: readonly Point[], rows_per_chunk = 5000): Generator<string> {
  const rows = new Map<number, Map<string, number>>();
  const columns = new Set<string>();
  for (const p of points) {
    if (p.measurement === 'event') continue;
    let row = rows.get(p.ts_ms);
    if (!row) rows.set(p.ts_ms, (row = new Map()));
    for (const [field, value] of Object.entries(p.fields)) {
      if (typeof value !== 'number') continue;
      const col = `${p.measurement}.${p.tags.channel}.${field}`;
      columns.add(col);
      row.set(col, value);
    }
  }
  const cols = [...columns].sort();
  yield `${CSV_BOM}${['ts', 'ts_local', 'ts_ms', ...cols].map(csvCell).join(',')}\r\n`;
  let buf: string[] = [];
  for (const ts_ms of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(ts_ms)!;
    buf.push([new Date(ts_ms).toISOString(), localIso(ts_ms), String(ts_ms), ...cols.map((c) => { const v = row.get(c); return v === undefined ? '' : csvCell(reading(v)); })].join(','));
    if (buf.length >= rows_per_chunk) { yield `${buf.join('\r\n')}\r\n`; buf = []; }
  }
  if (buf.length) yield `${buf.join('\r\n')}\r\n`;
}
