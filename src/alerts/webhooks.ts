// Webhooks: every alert transition POSTed as JSON to each ALERT_WEBHOOK_URLS entry, so a workshop
// can wire alerts to its own chat bot. Per URL: one request at a time (in order), retried with
// exponential backoff (1 s, 2 s, 4 s ... capped at 60 s) up to max_attempts, then given up and
// counted; a bounded queue (oldest dropped and counted when full). Never blocks the caller.
// A target that resolves to a loopback, link-local or metadata address (webhook-targets.ts) is
// refused on the address actually connected to, so a name re-pointed later is caught too: that
// alert is dropped at once and counted, never retried.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Logger } from '../ports.ts';
import { forbiddenAddress } from './webhook-targets.ts';

export interface WebhookOptions {
  readonly urls: readonly string[];
  readonly max_attempts: number;
  readonly max_queue: number;
  readonly timeout_ms: number;
  readonly base_delay_ms: number;
  readonly max_delay_ms: number;
  /** true: loopback and link-local targets are allowed (ALERT_WEBHOOK_ALLOW_LOCAL). */
  readonly allow_local?: boolean;
}

export const DEFAULT_WEBHOOK_OPTIONS: Omit<WebhookOptions, 'urls' | 'max_attempts'> = {
  max_queue: 1000, timeout_ms: 5000, base_delay_ms: 1000, max_delay_ms: 60_000,
};

export interface WebhookStats {
  readonly urls: number;
  readonly delivered: number;
  readonly retries: number;
  /** Given up after max_attempts. */
  readonly failed: number;
  /** Dropped because a URL's queue was full. */
  readonly dropped: number;
  /** Dropped because the target resolved to a forbidden address (loopback, link-local, metadata). */
  readonly refused: number;
  readonly queued: number;
  readonly last_error: string | null;
}

interface Target { readonly url: string; readonly queue: string[]; busy: boolean; timer: NodeJS.Timeout | null }

export class WebhookSender {
  private readonly targets: Target[];
  private delivered = 0;
  private retries = 0;
  private failed = 0;
  private dropped = 0;
  private refused = 0;
  private last_error: string | null = null;
  private closed = false;

  constructor(private readonly o: WebhookOptions, private readonly log: Logger) {
    this.targets = o.urls.map((url) => ({ url, queue: [], busy: false, timer: null }));
  }

  send(body: unknown): void {
    if (this.closed) return;
    const text = JSON.stringify(body);
    for (const t of this.targets) {
      if (t.queue.length >= this.o.max_queue) { t.queue.shift(); this.dropped++; }
      t.queue.push(text);
      this.pump(t, 1);
    }
  }

  private pump(t: Target, attempt: number): void {
    if (t.busy || this.closed || t.queue.length === 0) return;
    t.busy = true;
    const text = t.queue[0]!;
    postJson(t.url, text, this.o.timeout_ms, this.o.allow_local === true)
      .then(() => {
        this.delivered++;
        if (t.queue[0] === text) t.queue.shift();
        t.busy = false;
        this.pump(t, 1);
      }, (err: unknown) => {
        t.busy = false;
        this.last_error = `${t.url}: ${(err as Error).message}`;
        if (err instanceof RefusedTarget) {
          if (this.refused++ === 0) this.log.warn(`webhook ${t.url} refused: ${err.message}; dropping that alert (set ALERT_WEBHOOK_ALLOW_LOCAL=true if this target is wanted); further refusals are only counted`);
          if (t.queue[0] === text) t.queue.shift();
          this.pump(t, 1);
          return;
        }
        if (attempt >= this.o.max_attempts) {
          if (this.failed++ === 0) this.log.warn(`webhook ${t.url} failed ${attempt} times (${(err as Error).message}); dropping that alert; further failures are only counted`);
          if (t.queue[0] === text) t.queue.shift();
          this.pump(t, 1);
          return;
        }
        this.retries++;
        const delay = Math.min(this.o.max_delay_ms, this.o.base_delay_ms * 2 ** (attempt - 1));
        t.timer = setTimeout(() => { t.timer = null; this.pump(t, attempt + 1); }, delay);
        t.timer.unref();
      });
  }

  stats(): WebhookStats {
    return {
      urls: this.targets.length, delivered: this.delivered, retries: this.retries, failed: this.failed, dropped: this.dropped, refused: this.refused,
      queued: this.targets.reduce((n, t) => n + t.queue.length, 0), last_error: this.last_error,
    };
  }

  close(): void {
    this.closed = true;
    for (const t of this.targets) if (t.timer) clearTimeout(t.timer);
  }
}

/** A target the service must not POST to (resolved to a forbidden address): never retried. */
export class RefusedTarget extends Error {}

/** dns.lookup, refusing a name any of whose addresses is forbidden (checked where it is used: the connection). */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addrs: LookupAddress[]) => {
      if (err) { callback(err, '', 0); return; }
      const bad = addrs.find((a) => forbiddenAddress(a.address) !== null);
      if (bad) { callback(new RefusedTarget(`${hostname} resolves to ${bad.address}, ${forbiddenAddress(bad.address)}`), '', 0); return; }
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addrs);
      else callback(null, addrs[0]!.address, addrs[0]!.family);
    });
  };
}

/** POST a JSON text; resolves on a 2xx, rejects otherwise (RefusedTarget for a forbidden address). */
function postJson(url: string, text: string, timeout_ms: number, allow_local: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const why = allow_local ? null : forbiddenAddress(host); // an address literal is connected to without a lookup
    if (why) { reject(new RefusedTarget(`${host} is ${why}`)); return; }
    const opts: RequestOptions = {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      ...(allow_local ? {} : { lookup: guardedLookup() }),
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, opts, (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(); else reject(new Error(`HTTP ${status}`));
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer in ${timeout_ms} ms`)), timeout_ms);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(err instanceof RefusedTarget || !(err.cause instanceof RefusedTarget) ? err : err.cause));
    req.end(text);
  });
}
