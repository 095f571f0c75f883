// InfluxDB line protocol for one point, with the `influx` package's escaping. The spool stores
// these lines, so the drainer sends bytes straight from disk without parsing or re-encoding
// them (the package's writePoints capped the whole path at ~85k points/s here: see
// docs/architecture.md).
import { escape } from 'influx';
import type { Point } from '../../domain/point.ts';
import { ID_PATTERN } from '../../wire/topics.ts';

// Ids and channel names are validated against ID_PATTERN, which needs no escaping; keys that
// came from elsewhere are escaped all the same.
const tag = (s: string) => (ID_PATTERN.test(s) ? s : escape.tag(s));

export function toLineProtocol(p: Point): string {
  let line = p.measurement as string;
  const tags = p.tags as Record<string, string | undefined>;
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k];
    if (v !== undefined && v !== '') line += `,${k}=${tag(v)}`;
  }
  let sep = ' ';
  for (const [k, v] of Object.entries(p.fields)) {
    // Numbers without an `i` suffix are floats: every numeric field is written as a float, so its type never flips.
    line += `${sep}${tag(k)}=${typeof v === 'string' ? escape.quoted(v) : String(v)}`;
    sep = ',';
  }
  return `${line} ${p.ts_ms}`;
}
