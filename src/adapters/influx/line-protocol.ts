// InfluxDB line protocol for one point, with the `influx` package's escaping. The spool stores
// these lines, so the drainer sends bytes straight from disk without parsing or re-encoding
// them (the package's writePoints capped the whole path at ~85k points/s here: see
// docs/architecture.md). Hot: runs for every reading.
import { escape } from 'influx';
import type { Point } from '../../domain/point.ts';
import { ID_PATTERN } from '../../wire/topics.ts';

// Ids and channel names are validated against ID_PATTERN, which needs no escaping; anything
// else is escaped all the same.
const tag = (s: string) => (ID_PATTERN.test(s) ? s : escape.tag(s));

// "measurement,tag=v,..." depends only on the series, of which a village has a few thousand:
// build it once per series. Tags in the order InfluxDB sorts them (channel, kiln, type, workshop).
const SERIES_CACHE_MAX = 100_000;
const seriesCache = new Map<string, string>();

function seriesKey(p: Point): string {
  const t = p.tags;
  const key = `${p.measurement}\u0000${t.workshop}\u0000${t.kiln}\u0000${t.channel}\u0000${t.type ?? ''}`;
  let s = seriesCache.get(key);
  if (s === undefined) {
    s = `${escape.measurement(p.measurement)},channel=${tag(t.channel)},kiln=${tag(t.kiln)}${t.type ? `,type=${tag(t.type)}` : ''},workshop=${tag(t.workshop)}`;
    if (seriesCache.size >= SERIES_CACHE_MAX) seriesCache.clear();
    seriesCache.set(key, s);
  }
  return s;
}

export function toLineProtocol(p: Point): string {
  let line = seriesKey(p);
  let sep = ' ';
  for (const k in p.fields) {
    const v = p.fields[k]!;
    // Numbers without an `i` suffix are floats: every numeric field is written as a float, so its type never flips.
    line += `${sep}${k}=${typeof v === 'string' ? escape.quoted(v) : v}`;
    sep = ',';
  }
  return `${line} ${p.ts_ms}`;
}
