// The audit log: every write through the API (method, route, workshop, user, status) and every
// login attempt (username tried, outcome, client address), in InfluxDB beside the records, so
// every instance sharing the database sees one log. Measurement `audit` in the `records`
// retention policy (kept forever):
//   tags   kind (write|login), instance (random per process: two instances' entries in the same
//          millisecond stay two points)
//   fields user, ip, method, route, workshop, outcome, status
//   time   when the answer went out, ms
// Recording never waits on InfluxDB and never fails a request: a failed write is logged and counted.
import { randomBytes } from 'node:crypto';
import type { InfluxStore } from '../adapters/influx/store.ts';
import { rowsOf } from '../adapters/influx/query.ts';
import { lineOf } from '../adapters/influx/line.ts';
import { RECORDS_RP, type RecordStore } from '../records/store.ts';
import type { Logger } from '../ports.ts';

export const AUDIT_MEASUREMENT = 'audit';

export type AuditKind = 'write' | 'login';
/** ok: done; failed: refused or wrong (a 4xx/5xx, a wrong password); limited: over a rate limit (429). */
export type AuditOutcome = 'ok' | 'failed' | 'limited';

export interface AuditEntry {
  readonly at_ms: number;
  readonly kind: AuditKind;
  /** Who: the logged-in user (write) or the username tried (login); null when nobody was. */
  readonly user: string | null;
  readonly ip: string;
  readonly method: string;
  /** The route's pattern (/api/workshops/:workshop/…), not the URL with its values. */
  readonly route: string;
  readonly workshop: string | null;
  readonly status: number;
  readonly outcome: AuditOutcome;
}

const FAILURE_LOG_EVERY_MS = 60_000;

export class AuditLog {
  private readonly instance = randomBytes(4).toString('hex');
  private last_ms = 0;
  private failures = 0;
  private last_failure_log_ms = 0;

  constructor(private readonly influx: InfluxStore, private readonly records: RecordStore, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** Store an entry in the background; never throws, never waits. */
  record(e: Omit<AuditEntry, 'at_ms'>): void {
    const at_ms = Math.max(this.now(), this.last_ms + 1); // one point per entry, even in the same ms
    this.last_ms = at_ms;
    void this.write({ ...e, at_ms }).catch((err: unknown) => {
      this.failures++;
      const t = this.now();
      if (t - this.last_failure_log_ms >= FAILURE_LOG_EVERY_MS) {
        this.last_failure_log_ms = t;
        this.log.warn(`audit log: cannot write to InfluxDB (${(err as Error).message}); ${this.failures} entries lost so far`);
      }
    });
  }

  /** Entries lost because InfluxDB did not take them. */
  lost(): number { return this.failures; }

  private async write(e: AuditEntry): Promise<void> {
    await this.records.ensure();
    const fields = { user: e.user ?? '', ip: e.ip, method: e.method, route: e.route, workshop: e.workshop ?? '', outcome: e.outcome, status: e.status };
    await this.influx.writeLines([lineOf(AUDIT_MEASUREMENT, { instance: this.instance, kind: e.kind }, fields, e.at_ms)], RECORDS_RP);
  }

  /** Entries from from_ms to to_ms (inclusive), newest first, at most `limit`. */
  async list(from_ms: number, to_ms: number, limit: number): Promise<AuditEntry[]> {
    await this.records.ensure();
    const q = `SELECT "user", "ip", "method", "route", "workshop", "outcome", "status", "kind" FROM "${RECORDS_RP}"."${AUDIT_MEASUREMENT}" `
      + `WHERE time >= ${Math.floor(from_ms)}ms AND time <= ${Math.ceil(to_ms)}ms ORDER BY time DESC LIMIT ${Math.floor(limit)}`;
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    return rowsOf(await this.influx.query(q)).flatMap((r) => {
      const kind = r.col('kind');
      const outcome = r.col('outcome');
      if ((kind !== 'write' && kind !== 'login') || (outcome !== 'ok' && outcome !== 'failed' && outcome !== 'limited')) return [];
      return [{
        at_ms: Number(r.col('time')), kind, user: str(r.col('user')), ip: String(r.col('ip') ?? ''), method: String(r.col('method') ?? ''),
        route: String(r.col('route') ?? ''), workshop: str(r.col('workshop')), status: Number(r.col('status')), outcome,
      }];
    });
  }
}
