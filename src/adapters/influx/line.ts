// One line of InfluxDB line protocol for the stores' own points (records, the firing index,
// alerts), with the `influx` package's escaping. Readings have their own faster encoder
// (line-protocol.ts), since it runs for every reading on the ingest path.
import { escape } from 'influx';

export type FieldValue = number | string | boolean;

/** `measurement,tag=v,… field=v,… ts_ms`: tags sorted by key (InfluxDB's own order), strings
 *  quoted, numbers as floats (so a field's type never flips), undefined tags left out. */
export function lineOf(measurement: string, tags: Readonly<Record<string, string | undefined>>, fields: Readonly<Record<string, FieldValue>>, ts_ms: number): string {
  const t = Object.keys(tags).sort().flatMap((k) => (tags[k] === undefined ? [] : [`,${escape.tag(k)}=${escape.tag(tags[k])}`])).join('');
  const f = Object.entries(fields).map(([k, v]) => `${escape.tag(k)}=${typeof v === 'string' ? escape.quoted(v) : String(v)}`).join(',');
  return `${escape.measurement(measurement)}${t} ${f} ${Math.round(ts_ms)}`;
}
