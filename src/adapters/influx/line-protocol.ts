// InfluxDB line protocol for one point, with the `influx` package's escaping. The spool stores
// these lines, so the drainer sends bytes straight from disk without parsing or re-encoding
// them (the package's writePoints capped the whole path at ~85k points/s here: see
// docs/architecture.md). Hot: runs for every reading.
import { escape } from 'influx';
import type { Point } from '../../domain/point.ts';
import { isValidId } from '../../wire/topics.ts';

// Ids, channel names and measurements are validated ids (isValidId), which need no escaping;
// anything else is escaped all the same.
const tag = (s: string) => (isValidId(s) ? s : escape.tag(s));
const measurement = (s: string) => (isValidId(s) ? s : escape.measurement(s));

// The series ("measurement,tag=v,...") is made anew for every reading, not kept: a cache of them
// held ~1.5 KB and 20 objects a kiln (15 MB and 200,000 objects at 10,000 kilns, a heap snapshot
// of `npm run bench:fleet`) for the collector to mark again and again, and it saved nothing:
// `npx tsx bench/series-cache.bench.ts` measured 1.18-1.84 µs a reading with it and 0.90-1.66
// without, at 8,000 to 12,000 kilns (docs/benchmarks.md). Tags in the order InfluxDB sorts them:
// channel, kiln, type, workshop.
function seriesKey(p: Point): string {
  const t = p.tags;
  const head = `${measurement(p.measurement)},channel=${tag(t.channel)},kiln=${tag(t.kiln)}`;
  return !t.type ? `${head},workshop=${tag(t.workshop)}` : `${head},type=${tag(t.type)},workshop=${tag(t.workshop)}`;
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
