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
// Looked up through one map per tag rather than by a key joined from all five: joining and hashing
// that key took 1.6 µs a reading (a CPU profile of `npm run bench` phase F), where each of these
// strings is hashed once and keeps its hash.
const SERIES_CACHE_MAX = 100_000;
type Level<T> = Map<string, T>;
let seriesCache: Level<Level<Level<Level<Level<string>>>>> = new Map();
let cached = 0;

/** m's map at k, made when absent. */
function sub<T>(m: Level<Level<T>>, k: string): Level<T> {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = new Map()));
  return v;
}

function seriesKey(p: Point): string {
  const t = p.tags;
  const byType = sub(sub(sub(sub(seriesCache, p.measurement), t.workshop), t.kiln), t.channel);
  const type = t.type ?? '';
  let s = byType.get(type);
  if (s === undefined) {
    s = `${escape.measurement(p.measurement)},channel=${tag(t.channel)},kiln=${tag(t.kiln)}${t.type ? `,type=${tag(t.type)}` : ''},workshop=${tag(t.workshop)}`;
    // Bounded: past the limit (ids from a misbehaving fleet), start again rather than grow.
    if (++cached > SERIES_CACHE_MAX) { seriesCache = new Map(); cached = 0; }
    else byType.set(type, s);
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
