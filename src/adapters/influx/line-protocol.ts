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

// "measurement,tag=v,..." depends only on the series: build it once per series. Tags in the order
// InfluxDB sorts them (channel, kiln, type, workshop). Looked up by workshop, kiln and channel, one
// map each, rather than by a key joined from all the tags: joining and hashing that key took 1.6 µs
// a reading (a CPU profile of `npm run bench` phase F), where each of these strings is hashed once
// and keeps its hash. A channel's series (nearly always one: a zone is only a temperature) are a
// short list, not a map: a map per channel and per measurement held 42 MB at 10,000 kilns (a heap
// snapshot of `npm run bench:fleet`), the list a few bytes a series.
const SERIES_CACHE_MAX = 100_000;
/** Past the bound (ids from a misbehaving fleet, or more live series than it: 10,000 kilns have
 *  about 100,000) the cache starts again at most this often; in between, new series are not
 *  kept. Starting again at every miss made every lookup of such a fleet a miss:
 *  `npx tsx bench/series-cache.bench.ts` measured 4.4 µs a reading at 12,000 kilns that way,
 *  2.5 µs this way (2.2 µs at 8,000 kilns, all cached). */
const SERIES_CACHE_RESET_MS = 10 * 60_000;
interface Series { readonly measurement: string; readonly type: string; readonly key: string; readonly next: Series | undefined }
type ByKiln = Map<string, Map<string, Series>>;
let seriesCache = new Map<string, ByKiln>();
let cached = 0;
let resets = 0;
let reset_at_ms = -Infinity;

/** The series cache's size and how often it started again (for tests). */
export function seriesCacheStats(): { series: number; resets: number } {
  return { series: cached, resets };
}

function seriesKey(p: Point): string {
  const t = p.tags;
  let byKiln = seriesCache.get(t.workshop);
  if (byKiln === undefined) seriesCache.set(t.workshop, (byKiln = new Map()));
  let byChannel = byKiln.get(t.kiln);
  if (byChannel === undefined) byKiln.set(t.kiln, (byChannel = new Map()));
  const type = t.type ?? '';
  const first = byChannel.get(t.channel);
  for (let s = first; s !== undefined; s = s.next) if (s.measurement === p.measurement && s.type === type) return s.key;
  // Joined, not a template: a template leaves a tree of concatenated pieces (~190 bytes and ~8
  // objects a series for the collector to mark, 80,000 series at 10,000 kilns: a heap snapshot of
  // `npm run bench:fleet`); join() makes one flat string.
  const key = [escape.measurement(p.measurement), ',channel=', tag(t.channel), ',kiln=', tag(t.kiln), t.type ? `,type=${tag(t.type)}` : '', ',workshop=', tag(t.workshop)].join('');
  if (cached >= SERIES_CACHE_MAX) {
    // Bounded: start again rather than grow, or, if it did so lately, leave this series out.
    const now = Date.now();
    if (now - reset_at_ms >= SERIES_CACHE_RESET_MS) { seriesCache = new Map(); cached = 0; resets++; reset_at_ms = now; }
    return key;
  }
  cached++;
  byChannel.set(t.channel, { measurement: p.measurement, type, key, next: first });
  return key;
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
