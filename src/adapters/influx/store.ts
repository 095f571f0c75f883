// InfluxDB 1.x through its v1 HTTP API (InfluxDB 2.x/3.x accept the same /write and /query
// with a token as password). Queries, database set-up and ping go through the `influx`
// package; writes POST the spool's line protocol as it is (see line-protocol.ts for why).
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { InfluxDB } from 'influx';
import type { Point } from '../../domain/point.ts';
import { WriteError, type PointWriter } from '../../ports.ts';
import { toLineProtocol } from './line-protocol.ts';

export interface InfluxOptions {
  readonly url: string;
  readonly database: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly retention: string; // 'INF' or a duration such as 52w
  readonly timeout_ms: number;
}

// Retry is ours (the drainer's backoff); the pool should not sit out a host for long.
const FIXED_BACKOFF = { getDelay: () => 200, next() { return this; }, reset() { return this; } };

export class InfluxStore implements PointWriter {
  readonly client: InfluxDB;
  private readonly httpAgent = new Agent({ keepAlive: true, maxSockets: 2 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 2 });

  constructor(readonly opts: InfluxOptions) {
    const u = new URL(opts.url);
    this.client = new InfluxDB({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'https:' ? 443 : 8086)),
      protocol: u.protocol === 'https:' ? 'https' : 'http',
      database: opts.database,
      username: opts.username,
      password: opts.password,
      pool: { maxRetries: 0, requestTimeout: opts.timeout_ms, backoff: FIXED_BACKOFF },
    });
  }

  /** Create the database and its retention policy if they are missing (idempotent). */
  async ensureDatabase(): Promise<void> {
    const db = this.opts.database;
    await this.client.query(`CREATE DATABASE "${db}"`);
    if (this.opts.retention !== 'INF') {
      await this.client.query(`CREATE RETENTION POLICY "readings" ON "${db}" DURATION ${this.opts.retention} REPLICATION 1 DEFAULT`)
        .catch(() => this.client.query(`ALTER RETENTION POLICY "readings" ON "${db}" DURATION ${this.opts.retention} DEFAULT`));
    }
  }

  async ping(): Promise<boolean> {
    const hosts = await this.client.ping(2000);
    return hosts.some((h) => h.online);
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
    const https = u.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : request)(u, {
        method: 'POST',
        agent: https ? this.httpsAgent : this.httpAgent,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length },
        timeout: this.opts.timeout_ms,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          reject(toWriteError(status, Buffer.concat(chunks).toString('utf8').slice(0, 500), _lines));
        });
        res.on('error', (err) => reject(new WriteError(err.message, true)));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.opts.timeout_ms} ms`)));
      req.on('error', (err) => reject(new WriteError(`InfluxDB ${u.host}: ${err.message}`, true)));
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
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
