// Webhooks: every alert transition POSTed as JSON to each ALERT_WEBHOOK_URLS entry, so a workshop
// can wire alerts to its own chat bot. Per URL: one request at a time (in order), retried with
// exponential backoff (1 s, 2 s, 4 s ... capped at 60 s) up to max_attempts, then given up and
// counted; a bounded queue (oldest dropped and counted when full). Never blocks the caller.
import type { Logger } from '../ports.ts';

export interface WebhookOptions {
  readonly urls: readonly string[];
  readonly max_attempts: number;
  readonly max_queue: number;
  readonly timeout_ms: number;
  readonly base_delay_ms: number;
  readonly max_delay_ms: number;
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
    fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text, signal: AbortSignal.timeout(this.o.timeout_ms) })
      .then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      })
      .then(() => {
        this.delivered++;
        if (t.queue[0] === text) t.queue.shift();
        t.busy = false;
        this.pump(t, 1);
      }, (err: unknown) => {
        t.busy = false;
        this.last_error = `${t.url}: ${(err as Error).message}`;
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
      urls: this.targets.length, delivered: this.delivered, retries: this.retries, failed: this.failed, dropped: this.dropped,
      queued: this.targets.reduce((n, t) => n + t.queue.length, 0), last_error: this.last_error,
    };
  }

  close(): void {
    this.closed = true;
    for (const t of this.targets) if (t.timer) clearTimeout(t.timer);
  }
}
