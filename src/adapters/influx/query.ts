// The one way the service asks InfluxDB something: an InfluxQL request over the v1 HTTP API
// (GET /query, or POST for statements that change data), epoch=ms, its JSON parsed here (the
// `influx` package builds a Date per row, which dominates for a 24 h firing at 1 Hz), and one
// row decoder for every store. InfluxDB 2.x and 3.x answer the same v1 API.
export interface Series { name: string; tags?: Record<string, string>; columns: string[]; values?: unknown[][] }

export interface InfluxTarget {
  readonly url: string;
  readonly database: string;
  readonly auth?: { readonly username: string; readonly password: string } | undefined;
  /** Give up on an answer after this long (default QUERY_TIMEOUT_MS). */
  readonly timeout_ms?: number | undefined;
}

/** InfluxDB cannot be asked now (down, stopped, too slow, 5xx, refusing our credentials): the
 *  caller may try again later; HTTP routes answer 503. */
export class InfluxUnavailable extends Error {
  readonly can_retry = true;
}

/** InfluxDB looked at the statement and refused it: retrying cannot help (a bug, so a 500). */
export class InfluxQueryError extends Error {
  readonly can_retry = false;
}

// A year's roll-up reads ~36,000 records in well under a second here; a minute means InfluxDB is stuck.
const QUERY_TIMEOUT_MS = 60_000;

/** Run `q` (one or more statements, `;`-separated) and return every series of every result. */
export async function queryV1(t: InfluxTarget, q: string, method: 'GET' | 'POST' = 'GET'): Promise<Series[]> {
  const u = new URL('/query', t.url);
  u.searchParams.set('db', t.database);
  u.searchParams.set('epoch', 'ms');
  u.searchParams.set('q', q);
  if (t.auth) { u.searchParams.set('u', t.auth.username); u.searchParams.set('p', t.auth.password); }
  let res: Response;
  let body: { error?: string; results?: { error?: string; series?: Series[] }[] };
  // A timer cleared once answered, not AbortSignal.timeout(): that one's timer runs its whole minute
  // after the answer, and then makes an exception for a request long done (a CPU profile of
  // `npm run bench:fleet`, where the firing index asks InfluxDB ~130 times a second).
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new DOMException('no answer in time', 'TimeoutError')), t.timeout_ms ?? QUERY_TIMEOUT_MS);
  try {
    res = await fetch(u, { method, signal: ctl.signal });
    body = await res.json() as typeof body;
  } catch (err) {
    throw new InfluxUnavailable(`InfluxDB ${u.host}: ${causeOf(err)}`);
  } finally {
    clearTimeout(timer);
  }
  if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 404) {
    throw new InfluxUnavailable(`InfluxDB answered ${res.status}: ${body.error ?? ''}`);
  }
  if (!res.ok || body.error) throw new InfluxQueryError(`InfluxDB refused the query (${res.status}): ${body.error ?? ''}`);
  const out: Series[] = [];
  for (const r of body.results ?? []) {
    // "database not found" is a database not created yet (InfluxDB was down at start): not a bug.
    if (r.error) throw /database not found/.test(r.error) ? new InfluxUnavailable(`InfluxDB: ${r.error}`) : new InfluxQueryError(`InfluxDB refused the query: ${r.error}`);
    out.push(...(r.series ?? []));
  }
  return out;
}

export interface Row {
  /** The series' tags (GROUP BY), else empty. */
  readonly tags: Readonly<Record<string, string>>;
  /** A column's value in this row (time in ms), or a tag of the series; undefined if neither. */
  col(name: string): unknown;
}

/** Every row of every series, each able to read its columns by name. */
export function rowsOf(series: readonly Series[]): Row[] {
  const out: Row[] = [];
  for (const s of series) {
    const index = new Map(s.columns.map((c, i) => [c, i] as const));
    const tags = s.tags ?? {};
    for (const row of s.values ?? []) {
      out.push({ tags, col: (name) => { const i = index.get(name); return i === undefined ? tags[name] : row[i]; } });
    }
  }
  return out;
}

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
