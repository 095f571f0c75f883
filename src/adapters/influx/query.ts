// The one way the service asks InfluxDB something: an InfluxQL request over the v1 HTTP API
// (GET /query, or POST for statements that change data), epoch=ms, its JSON parsed here (the
// `influx` package builds a Date per row, which dominates for a 24 h firing at 1 Hz), and one
// row decoder for every store. InfluxDB 2.x and 3.x answer the same v1 API.
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

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
  let res: { status: number; text: string };
  let body: { error?: string; results?: { error?: string; series?: Series[] }[] };
  try {
    res = await httpText(u, { method, timeout_ms: t.timeout_ms ?? QUERY_TIMEOUT_MS });
    body = JSON.parse(res.text) as typeof body;
  } catch (err) {
    throw new InfluxUnavailable(`InfluxDB ${u.host}: ${causeOf(err)}`);
  }
  if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 404) {
    throw new InfluxUnavailable(`InfluxDB answered ${res.status}: ${body.error ?? ''}`);
  }
  if (res.status < 200 || res.status >= 300 || body.error) throw new InfluxQueryError(`InfluxDB refused the query (${res.status}): ${body.error ?? ''}`);
  const out: Series[] = [];
  for (const r of body.results ?? []) {
    // "database not found" is a database not created yet (InfluxDB was down at start): not a bug.
    if (r.error) throw /database not found/.test(r.error) ? new InfluxUnavailable(`InfluxDB: ${r.error}`) : new InfluxQueryError(`InfluxDB refused the query: ${r.error}`);
    out.push(...(r.series ?? []));
  }
  return out;
}

// Node's own HTTP client on keep-alive connections, for the queries as for the writes (store.ts),
// not fetch(): each fetch made a Request, a Response, Headers, an AbortController and web streams,
// and left an abort listener that a finalizer removes after the collection that frees it; at
// 10,000 kilns (the firing index asks ~130 times a second) those finalizers ran in batches that
// held the event loop ~50 ms, and fetch's objects were a quarter of what outlived the young
// generation (CPU and sampling heap profiles of `npm run bench:fleet`). Idle kept-alive sockets do
// not hold the process open (the agent unrefs them).
export interface InfluxAgents { readonly http: Agent; readonly https: HttpsAgent }
const QUERY_AGENTS: InfluxAgents = { http: new Agent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export interface InfluxRequest {
  readonly method: 'GET' | 'POST';
  /** Give up after this long without a byte. */
  readonly timeout_ms: number;
  readonly agents?: InfluxAgents;
  readonly body?: Buffer;
  readonly headers?: Readonly<Record<string, string | number>>;
}

/** One request's status and body text; an error (refused, reset, `timeout_ms` without a byte) rejects. */
export function httpText(u: URL, o: InfluxRequest): Promise<{ status: number; text: string }> {
  const https = u.protocol === 'https:';
  const agents = o.agents ?? QUERY_AGENTS;
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : request)(u, { method: o.method, agent: https ? agents.https : agents.http, headers: o.headers, timeout: o.timeout_ms }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${o.timeout_ms} ms`), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(o.body);
  });
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
  const e = err as Error & { code?: string };
  if (e.name === 'TimeoutError') return 'no answer in time';
  if (err instanceof SyntaxError) return `an answer that is not JSON (${e.message})`;
  return e.code ?? e.message;
}
