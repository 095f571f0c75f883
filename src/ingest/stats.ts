// Counters behind /api/health and /metrics, and the latest rejects for people to inspect.
import type { Reject, RejectReason } from '../domain/point.ts';

export interface RejectRecord {
  readonly at_ms: number; // arrival time at the service
  readonly topic: string;
  readonly reason: RejectReason;
  readonly detail: string;
  readonly readings: number;
  readonly payload_excerpt: string;
}

const RECENT_REJECTS = 200;
// Bucket bounds (s) for the InfluxDB batch write latency histogram.
export const WRITE_LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class IngestStats {
  messages_received = 0;
  readings_accepted = 0; // spooled: safe, acknowledged to the device
  readings_stored = 0; // confirmed by InfluxDB
  readonly messages_rejected = new Map<RejectReason, number>();
  readonly readings_rejected = new Map<RejectReason, number>();
  write_batches = 0;
  write_errors = 0;
  readonly write_latency_counts = new Array<number>(WRITE_LATENCY_BUCKETS_S.length + 1).fill(0);
  write_latency_sum_s = 0;
  private readonly recent: RejectRecord[] = [];

  recordRejects(topic: string, payload: string, rejects: readonly Reject[], at_ms: number): void {
    for (const r of rejects) {
      if (r.readings === 0) this.messages_rejected.set(r.reason, (this.messages_rejected.get(r.reason) ?? 0) + 1);
      else this.readings_rejected.set(r.reason, (this.readings_rejected.get(r.reason) ?? 0) + r.readings);
      this.recent.push({ at_ms, topic: topic.slice(0, 200), reason: r.reason, detail: r.detail, readings: r.readings, payload_excerpt: payload.slice(0, 300) });
    }
    if (this.recent.length > RECENT_REJECTS) this.recent.splice(0, this.recent.length - RECENT_REJECTS);
  }

  recordWrite(duration_s: number, readings: number): void {
    this.write_batches++;
    this.readings_stored += readings;
    this.write_latency_sum_s += duration_s;
    const i = WRITE_LATENCY_BUCKETS_S.findIndex((b) => duration_s <= b);
    const slot = i < 0 ? WRITE_LATENCY_BUCKETS_S.length : i;
    this.write_latency_counts[slot] = (this.write_latency_counts[slot] ?? 0) + 1;
  }

  /** Newest first. */
  recentRejects(limit: number): RejectRecord[] {
    return this.recent.slice(-limit).reverse();
  }

  totalRejected(map: Map<RejectReason, number>): number {
    let n = 0;
    for (const v of map.values()) n += v;
    return n;
  }
}
