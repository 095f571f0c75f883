// "Publish until queryable": every ~50 ms ask InfluxDB for the highest seq stored. The drainer
// writes the spool in FIFO order and the publisher's seqs are in publish order, so once
// max(seq) >= s, message s (and every one before it) can be queried. The poll's time is taken
// when the answer arrives, so a latency is never under-estimated (it includes up to one poll
// interval plus the query's own time).
import { tsOf } from './payload.ts';
import { nowMs } from './publisher.ts';

export interface Poll { readonly at_ms: number; readonly max_seq: number }

export async function influxQuery(url: string, db: string, q: string): Promise<unknown[][]> {
  const r = await fetch(`${url}/query?db=${encodeURIComponent(db)}&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = await r.json() as { results?: { series?: { values?: unknown[][] }[]; error?: string }[]; error?: string };
  const res = body.results?.[0];
  if (!r.ok || body.error || res?.error) throw new Error(`InfluxDB query failed (${r.status}): ${body.error ?? res?.error ?? ''} for ${q}`);
  return res?.series?.[0]?.values ?? [];
}

export class SeqPoller {
  readonly polls: Poll[] = [];
  max_seq = -1;
  query_ms_max = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly url: string, private readonly db: string, private readonly t0_ms: number, first_seq = 0, private readonly interval_ms = 50) {
    this.max_seq = first_seq - 1;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Resolves when max(seq) >= seq, or rejects after stall_ms without progress. */
  async waitFor(seq: number, stall_ms: number, progress?: () => void): Promise<void> {
    let last = this.max_seq;
    let since = Date.now();
    let lastSay = Date.now();
    while (this.max_seq < seq) {
      await new Promise((r) => setTimeout(r, 50));
      if (this.max_seq !== last) { last = this.max_seq; since = Date.now(); }
      if (Date.now() - since > stall_ms) throw new Error(`no progress for ${stall_ms / 1000} s: max(seq) stuck at ${this.max_seq}, want ${seq}`);
      if (progress && Date.now() - lastSay >= 5000) { lastSay = Date.now(); progress(); }
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const t = nowMs();
      // Only the recent part of the series: seq s has device time tsOf(s), so older shards are skipped.
      const from_ns = BigInt(tsOf(this.t0_ms, Math.max(0, this.max_seq))) * 1_000_000n;
      try {
        const rows = await influxQuery(this.url, this.db, `SELECT max("seq") FROM "gas_flow" WHERE time >= ${from_ns}`);
        const at_ms = nowMs();
        this.query_ms_max = Math.max(this.query_ms_max, at_ms - t);
        const v = rows[0]?.[1];
        if (typeof v === 'number' && v > this.max_seq) {
          this.max_seq = v;
          this.polls.push({ at_ms, max_seq: v });
        }
      } catch {
        // InfluxDB busy or the database not created yet: try again at the next poll
      }
      const wait = this.interval_ms - (nowMs() - t);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Latency (ms) of each seq first_seq + i: the first poll with max_seq >= seq, minus its publish time. */
export function latencies(polls: readonly Poll[], sent_at_ms: Float64Array, first_seq: number): Float64Array {
  const out = new Float64Array(sent_at_ms.length).fill(NaN);
  let p = 0;
  for (let i = 0; i < sent_at_ms.length; i++) {
    while (p < polls.length && polls[p]!.max_seq < first_seq + i) p++;
    if (p >= polls.length) break;
    out[i] = polls[p]!.at_ms - sent_at_ms[i]!;
  }
  return out;
}
