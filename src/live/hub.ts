// The live hub: takes every message's points from the ingest pipeline (offer(): a push onto a
// queue, nothing more, so the ingest path is not slowed), folds them into LiveState on the next
// event-loop turn, and sends each changed kiln to the SSE clients, coalesced to at most one
// event per kiln per coalesce_ms, every event with the next id and kept in a bounded ring so a
// client reconnecting with Last-Event-ID gets what it missed.
import { HEARTBEAT, formatEvent, missedSince, pushBounded, type RingEvent } from '../domain/live/sse.ts';
import type { Point } from '../domain/point.ts';
import { LiveState, type KilnLiveView } from './live-state.ts';

export interface HubOptions {
  readonly coalesce_ms: number;
  readonly ring_size: number;
  readonly heartbeat_ms: number;
  /** Points waiting to be folded; past this the newest are dropped and counted (live state only: storage is unaffected). */
  readonly max_queued_points: number;
  /** A client whose socket holds this much unsent is too slow and is closed (it reconnects and resumes). */
  readonly max_client_buffer_bytes: number;
  /** Most points folded per second. Folding costs ~5 µs a point here, so 2,000/s is at most
   *  1 % of a core, yet 330 kilns at 1 Hz (3,300 at 10 s) with 6 channels fit; a burst never
   *  takes the CPU that storing readings needs. Beyond it points are skipped for the live view
   *  only (counted, and the view says so); storage and the report path are unaffected. */
  readonly max_points_per_s: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  coalesce_ms: 1000, ring_size: 4096, heartbeat_ms: 15_000, max_queued_points: 50_000, max_client_buffer_bytes: 4 * 1024 * 1024,
  max_points_per_s: 2_000,
};

/** The socket side of a client, as the route gives it. */
export interface SseSink {
  write(chunk: string): void;
  /** Bytes written but not yet sent. */
  buffered(): number;
  end(): void;
}

export interface LiveSnapshot {
  readonly last_event_id: number;
  /** Readings left out of the live view since start (over max_points_per_s): 0 means it is complete. */
  readonly skipped_readings: number;
  readonly kilns: readonly KilnLiveView[];
}

export class LiveHub {
  readonly state: LiveState;
  private readonly o: HubOptions;
  private queue: (readonly Point[])[] = [];
  private queued = 0;
  private scheduled = false;
  private seq = 0;
  private readonly ring: RingEvent[] = [];
  private readonly lastSent = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly clients = new Set<SseSink>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  dropped_points = 0;
  private tokens = 0;
  private tokens_at_ms = -Infinity;

  constructor(opts: Partial<HubOptions> = {}, state = new LiveState(), private readonly now = () => Date.now()) {
    this.o = { ...DEFAULT_HUB_OPTIONS, ...opts };
    this.state = state;
  }

  /** The pipeline's listener: O(1), never throws. */
  offer(points: readonly Point[]): void {
    if (this.closed) return;
    // Token bucket: refilled at max_points_per_s, holding at most one second's worth.
    const now_ms = this.now();
    this.tokens = Math.min(this.o.max_points_per_s, this.tokens + ((now_ms - this.tokens_at_ms) / 1000) * this.o.max_points_per_s);
    this.tokens_at_ms = now_ms;
    if (this.tokens < points.length || this.queued + points.length > this.o.max_queued_points) {
      this.dropped_points += points.length;
      return;
    }
    this.tokens -= points.length;
    this.queue.push(points);
    this.queued += points.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    const batches = this.queue;
    this.queue = [];
    this.queued = 0;
    const changed = new Set<string>();
    for (const b of batches) this.state.apply(b, changed);
    for (const key of changed) this.markDirty(key);
  }

  private markDirty(key: string): void {
    if (this.closed || this.timers.has(key)) return;
    const delay = Math.max(0, (this.lastSent.get(key) ?? -Infinity) + this.o.coalesce_ms - this.now());
    const t = setTimeout(() => this.emit(key), delay);
    t.unref();
    this.timers.set(key, t);
  }

  private emit(key: string): void {
    this.timers.delete(key);
    const view = this.state.view(key);
    if (!view || this.closed) return;
    this.lastSent.set(key, this.now());
    const e: RingEvent = { id: ++this.seq, event: 'kiln', data: JSON.stringify(view) };
    pushBounded(this.ring, e, this.o.ring_size);
    const text = formatEvent(e);
    for (const c of this.clients) this.send(c, text);
  }

  private send(c: SseSink, text: string): void {
    if (c.buffered() > this.o.max_client_buffer_bytes) {
      this.clients.delete(c);
      c.end();
      return;
    }
    c.write(text);
  }

  snapshot(): LiveSnapshot {
    return { last_event_id: this.seq, skipped_readings: this.dropped_points, kilns: this.state.views() };
  }

  /** Start a client: what it missed since last_id if the ring still has it, else a snapshot. Returns the unsubscribe. */
  subscribe(c: SseSink, last_id: number | null): () => void {
    if (this.closed) {
      c.end();
      return () => undefined;
    }
    const missed = last_id === null ? null : missedSince(this.ring, last_id, this.seq);
    if (missed) {
      for (const e of missed) c.write(formatEvent(e));
    } else {
      const s = this.snapshot();
      c.write(formatEvent({ id: s.last_event_id, event: 'snapshot', data: JSON.stringify(s) }));
    }
    this.clients.add(c);
    this.startHeartbeat();
    return () => {
      this.clients.delete(c);
      if (this.clients.size === 0) this.stopHeartbeat();
    };
  }

  clientCount(): number {
    return this.clients.size;
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => { for (const c of this.clients) this.send(c, HEARTBEAT); }, this.o.heartbeat_ms);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** End every stream and timer (service stop). */
  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.stopHeartbeat();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
