// InfluxDB 1.x through its v1 HTTP API with the `influx` package (InfluxDB 2.x/3.x accept the
// same /write and /query with a token as password). The only file that knows the package's types.
import { InfluxDB, type IPoint } from 'influx';
import type { Point } from '../../domain/point.ts';
import { WriteError, type PointWriter } from '../../ports.ts';

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

  async write(points: readonly Point[]): Promise<void> {
    const ipoints: IPoint[] = points.map((p) => ({ measurement: p.measurement, tags: p.tags as Record<string, string>, fields: p.fields, timestamp: p.ts_ms }));
    try {
      await this.client.writePoints(ipoints, { precision: 'ms' });
    } catch (err) {
      throw toWriteError(err, points.length);
    }
  }
}

/** 400 means InfluxDB looked at the lines and refused some (a partial write keeps the good
 *  ones): retrying cannot help. Anything else (down, timeout, 5xx, auth, missing db) can. */
function toWriteError(err: unknown, n: number): WriteError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/^A 400 /.test(msg)) { // the package's RequestError is not exported; its message starts "A 400 ..."
    const dropped = /dropped=(\d+)/.exec(msg);
    return new WriteError(msg, false, dropped ? Number(dropped[1]) : n);
  }
  return new WriteError(msg, true);
}
