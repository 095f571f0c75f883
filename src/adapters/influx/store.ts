// The one InfluxDB adapter: InfluxDB 1.x through its v1 HTTP API (InfluxDB 2.x/3.x accept the
// same /write and /query with a token as password). Queries and database set-up go through
// queryV1 (query.ts); writes POST line protocol as it is, the spool's bytes straight from disk
// (see line-protocol.ts for why). The stores sit on this class; nothing else talks to InfluxDB.
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Point } from '../../domain/point.ts';
import { WriteError, type PointWriter } from '../../ports.ts';
import { toLineProtocol } from './line-protocol.ts';
import { InfluxUnavailable, httpText, queryV1, type InfluxAgents, type InfluxTarget, type Series } from './query.ts';

export interface InfluxOptions {
  readonly url: string;
  readonly database: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly retention: string; // 'INF' or a duration such as 52w
  readonly timeout_ms: number;
}

export class InfluxStore implements PointWriter {
  readonly target: InfluxTarget;
  /** The writes' own connections (two at most), apart from the queries'. */
  private readonly agents: InfluxAgents = { http: new Agent({ keepAlive: true, maxSockets: 2 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 2 }) };

  constructor(readonly opts: InfluxOptions) {
    this.target = { url: opts.url, database: opts.database, auth: opts.username !== undefined ? { username: opts.username, password: opts.password ?? '' } : undefined };
  }

  /** Read: throws InfluxUnavailable (retry later; 503) or InfluxQueryError (a bug). */
  query(q: string): Promise<Series[]> {
    return queryV1(this.target, q);
  }

  /** A statement that changes something (CREATE, ALTER, DELETE): POST. */
  async exec(q: string): Promise<void> {
    await queryV1(this.target, q, 'POST');
  }

  /** Create the database and its retention policy if they are missing (idempotent). */
  async ensureDatabase(): Promise<void> {
    const db = this.opts.database;
    await this.exec(`CREATE DATABASE "${db}"`);
    if (this.opts.retention !== 'INF') {
      await this.exec(`CREATE RETENTION POLICY "readings" ON "${db}" DURATION ${this.opts.retention} REPLICATION 1 DEFAULT`)
        .catch(() => this.exec(`ALTER RETENTION POLICY "readings" ON "${db}" DURATION ${this.opts.retention} DEFAULT`));
    }
  }

  /** Store the stores' own lines (records, index, alerts) in retention policy `rp`; resolves once
   *  InfluxDB has them. Throws InfluxUnavailable when a retry can help, else the WriteError. */
  async writeLines(lines: readonly string[], rp: string): Promise<void> {
    try {
      await this.write(Buffer.from(lines.join('\n') + '\n', 'utf8'), lines.length, rp);
    } catch (err) {
      if (err instanceof WriteError && !err.can_retry) throw err;
      throw new InfluxUnavailable(`InfluxDB did not store it: ${(err as Error).message}`);
    }
  }

  encode(point: Point): string {
    return toLineProtocol(point);
  }

  /** POST /write?precision=ms with the given lines; `rp` names a retention policy other than the default. */
  write(body: Buffer, _lines: number, rp?: string): Promise<void> {
    const u = new URL('/write', this.opts.url);
    u.searchParams.set('db', this.opts.database);
    u.searchParams.set('precision', 'ms');
    if (rp !== undefined) u.searchParams.set('rp', rp);
    if (this.opts.username !== undefined) {
      u.searchParams.set('u', this.opts.username);
      u.searchParams.set('p', this.opts.password ?? '');
    }
    return httpText(u, { method: 'POST', timeout_ms: this.opts.timeout_ms, agents: this.agents, body, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length } }).then(
      ({ status, text }) => { if (status < 200 || status >= 300) throw toWriteError(status, text.slice(0, 500), _lines); },
      (err: Error) => { throw new WriteError(`InfluxDB ${u.host}: ${err.message}`, true); },
    );
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/** 400 means InfluxDB looked at the lines and refused some (a partial write keeps the good
 *  ones): retrying cannot help. Anything else (down, timeout, 5xx, auth, missing db) can. */
function toWriteError(status: number, body: string, lines: number): WriteError {
  const msg = `InfluxDB answered ${status}: ${body}`;
  if (status === 400) {
    const dropped = /dropped=(\d+)/.exec(body);
    return new WriteError(msg, false, dropped ? Number(dropped[1]) : lines);
  }
  return new WriteError(msg, true);
}
