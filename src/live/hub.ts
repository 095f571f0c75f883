// The live hub: takes every message's points from the ingest pipeline (offer(): folded into
// LiveState at once, within a budget of points per second), and sends each changed kiln to the
// SSE clients, coalesced to one event per kiln per coalesce_ms on average (a kiln may run up to
// one event ahead, so a 1 Hz kiln whose reading comes a little early is not held back: with a
// plain minimum gap equal to its period, each early reading added its earliness to the wait,
// measured 0.46 s median and 0.73 s p99 at 100 kilns × 1 Hz), every event with the next id. Each
// kiln's newest event id is kept, so a client reconnecting with Last-Event-ID gets the newest view
// of every kiln changed since, however long it was away (within this run of the service). A
// client is caught up here (snapshot or resume), then joins the live clients (sse-clients.ts).
// Kilns whose readings were skipped over the budget are read again from InfluxDB (rebuilds.ts).
import { ID_PER_MS, changedSince, formatEvent } from '../domain/live/sse.ts';
import type { Point } from '../domain/point.ts';
import { LiveState, type KilnLiveView } from './live-state.ts';
import { JsonText, Stopped, jsonArrayStream, jsonArraySliced, nextTurn } from '../slices.ts';
import type { Readable } from 'node:stream';
import { SseClients, type SseClientOptions, type SseCounts, type SseSink } from './sse-clients.ts';
import { LiveRebuilds, type LiveRebuild, type RebuildOptions } from './rebuilds.ts';

export type { LiveRebuild, SseCounts, SseSink };

/** The hub's own settings, and those of the clients (sse-clients.ts) and the re-reads (rebuilds.ts). */
export interface HubOptions extends SseClientOptions, RebuildOptions {
  readonly coalesce_ms: number;
  /** A client catching up (its snapshot, or what changed while it was away) is written a slice of
   *  kilns at a time, the next once its socket holds less than this; one that reads nothing for
   *  catch_up_timeout_ms is closed. So catching up 10,000 kilns (~15 MB) neither holds the event
   *  loop nor trips max_client_buffer_bytes, which at that size made a page reconnect for ever. */
  readonly catch_up_low_bytes: number;
  readonly catch_up_timeout_ms: number;
  /** Most points folded per second. Folding costs ~2.4 µs a point here, so 20,000/s (the ingest
   *  target load: 3,300 kilns at 1 Hz with 6 channels) is ~5 % of a core; a burst beyond it never
   *  takes the CPU that storing readings needs. Beyond it points are skipped for the live view
   *  only (counted; the kiln shows complete: false until it is re-read from InfluxDB once the
   *  burst is over); storage, the firing index and reports are unaffected. */
  readonly max_points_per_s: number;
  /** A kiln that sent nothing this long is shown silent and its tracker flushed (its last readings decided). */
  readonly silent_ms: number;
  /** How often silence and kilns to rebuild are looked at. */
  readonly maintenance_ms: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  coalesce_ms: 1000, flush_ms: 25, heartbeat_ms: 15_000, max_queued_points: 10_000, max_client_buffer_bytes: 4 * 1024 * 1024,
  catch_up_low_bytes: 256 * 1024, catch_up_timeout_ms: 30_000,
  max_points_per_s: 20_000, silent_ms: 120_000, maintenance_ms: 5_000, rebuild_quiet_ms: 10_000,
};

/** Kilns per slice of a snapshot or a catch-up (~130 KB of JSON, a few ms). */
const SLICE_KILNS = 100;

export interface LiveSnapshot {
  readonly last_event_id: number;
  /** Readings left out of the live view since start (over max_points_per_s): 0 means it is complete. */
  readonly skipped_readings: number;
  /** Kilns re-read from InfluxDB (after a restart, or after readings were skipped). */
  readonly rebuilt_kilns: number;
  readonly kilns: readonly KilnLiveView[];
}

export class LiveHub {
  readonly state: LiveState;
  private readonly o: HubOptions;
  /** This run's first event id minus one (sse.ts ID_PER_MS): ids of an earlier run are below it. */
  private readonly first_seq: number;
  private seq: number;
  /** Per kiln, the id of its newest event. */
  private readonly newest_id = new Map<string, number>();
  /** Per kiln, when its next event is due on the average pace (a GCRA's theoretical arrival time). */
  private readonly due = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly clients: SseClients;
  private closed = false;
  dropped_points = 0;
  private tokens = 0;
  private tokens_at_ms = -Infinity;
  private maintenance: NodeJS.Timeout | null = null;
  private readonly rebuilds: LiveRebuilds;

  constructor(opts: Partial<HubOptions> = {}, state = new LiveState(), private readonly now = () => Date.now(), private readonly warn: (msg: string) => void = () => undefined) {
    this.o = { ...DEFAULT_HUB_OPTIONS, ...opts };
    this.state = state;
    this.first_seq = this.seq = Math.floor(this.now()) * ID_PER_MS;
    this.clients = new SseClients(this.o, warn);
    this.rebuilds = new LiveRebuilds(state, this.o, now, (key) => this.markDirty(key), () => this.closed);
  }

  /** Kilns whose live state was read again from InfluxDB (after skipped readings or a restart). */
  get rebuilt_kilns(): number {
    return this.rebuilds.rebuilt_kilns;
  }

  get sse(): SseCounts {
    return this.clients.counts;
  }

  /** The pipeline's listener: O(1), never throws. */
  offer(points: readonly Point[]): void {
    if (this.closed) return;
    // Token bucket: refilled at max_points_per_s, holding at most one second's worth.
    const now_ms = this.now();
    this.tokens = Math.min(this.o.max_points_per_s, this.tokens + ((now_ms - this.tokens_at_ms) / 1000) * this.o.max_points_per_s);
    this.tokens_at_ms = now_ms;
    const first = points[0];
    if (!first) return;
    const key = `${first.tags.workshop}/${first.tags.kiln}`;
    if (this.tokens < points.length) {
      this.dropped_points += points.length;
      this.rebuilds.skipped(key, now_ms);
      return;
    }
    this.tokens -= points.length;
    // Folded at once, not queued for a later turn: points that wait outlive V8's young
    // generation and, in a burst, inflated the heap (measured: RSS +60 MB).
    const changed = this.state.apply(points, new Set<string>(), now_ms);
    this.rebuilds.folded(key, points);
    for (const k of changed) {
      if (this.rebuilds.waits(k)) this.state.markIncomplete(k); // skipped before its first fold
      this.markDirty(k);
    }
  }

  /** A test rig acknowledged a fault command on its status topic: the kiln's page says so at once. */
  offerFault(k: { workshop: string; kiln: string }, f: { type: string; of?: string; zone?: string; ts_ms: number }, received_at_ms: number): void {
    if (this.closed) return;
    this.markDirty(this.state.noteFault(k.workshop, k.kiln, { type: f.type, of: f.of ?? null, zone: f.zone ?? null, ts_ms: f.ts_ms, received_at_ms }));
  }

  /** Turn on rebuilding from InfluxDB (kilns whose readings were skipped) and the silence check. */
  startMaintenance(rebuilder: LiveRebuild | null): void {
    this.rebuilds.use(rebuilder);
    this.maintenance = setInterval(() => this.maintain(), this.o.maintenance_ms);
    this.maintenance.unref();
  }

  private maintain(): void {
    if (this.closed) return;
    for (const key of this.state.flushSilent(this.now() - this.o.silent_ms)) this.markDirty(key);
    this.rebuilds.next();
  }

  /** Fold a kiln's live state again from its stored readings (rebuilds.ts). */
  rebuild(k: { workshop: string; kiln: string }): Promise<void> {
    return this.rebuilds.rebuild(k);
  }

  /** Restore kilns after a restart, one at a time; resolves when all are done. */
  restore(kilns: readonly { workshop: string; kiln: string }[], progress: (done: number, total: number) => void): Promise<void> {
    return this.rebuilds.restore(kilns, progress);
  }

  private markDirty(key: string): void {
    if (this.closed || this.timers.has(key)) return;
    // Sent now unless the kiln is more than one event ahead of its pace.
    const delay = Math.max(0, (this.due.get(key) ?? -Infinity) - this.o.coalesce_ms - this.now());
    const t = setTimeout(() => this.emit(key), delay);
    t.unref();
    this.timers.set(key, t);
  }

  private emit(key: string): void {
    this.timers.delete(key);
    const view = this.state.viewJson(key);
    if (!view || this.closed) return;
    const now = this.now();
    this.due.set(key, Math.max(this.due.get(key) ?? now, now) + this.o.coalesce_ms);
    this.newest_id.set(key, ++this.seq);
    // Encoded at once, so the text (a tree of joined pieces) dies young. Held as text until the
    // flush and the socket took it, tens of ms, it outlived V8's young collections: in a
    // 10,000-kiln run it was over half of all that reached the old generation, ~8 KB a message
    // (bench/alloc-sites.mjs). The bytes are outside the heap, and one copy serves every client.
    this.clients.broadcast(Buffer.from(formatEvent({ id: this.seq, event: 'kiln', data: view.json })), view.workshop);
  }

  /** Every kiln now, or those of the workshops `sees` accepts. */
  snapshot(sees?: (workshop: string) => boolean): LiveSnapshot {
    const views = this.state.views();
    return { ...this.snapshotHead(this.seq), kilns: sees ? views.filter((v) => sees(v.workshop)) : views };
  }

  /** A snapshot's fields but its kilns, in both of its forms. */
  private snapshotHead(last_event_id: number): Omit<LiveSnapshot, 'kilns'> {
    return { last_event_id, skipped_readings: this.dropped_points, rebuilt_kilns: this.rebuilt_kilns };
  }

  /** snapshot() as JSON (a stream's snapshot event), built a slice of kilns per turn of the event
   *  loop (slices.ts): at 1,000 kilns, built whole, it held the loop in blocks of ~100 ms (under a
   *  profiler). last_event_id is taken first, so a client resuming after it may get a kiln's event
   *  again, never miss one; so in snapshotStream. */
  async snapshotJson(sees?: (workshop: string) => boolean, stop?: () => boolean): Promise<string> {
    const last_event_id = this.seq;
    const kilns = await jsonArraySliced(this.state.keys(), (key) => this.visibleView(key, sees), SLICE_KILNS, stop);
    return `${this.snapshotPrefix(last_event_id)}${kilns}}`;
  }

  /** snapshotJson() as a stream of text (GET /api/live): a slice of kilns at a time, as the
   *  client takes them (slices.ts jsonArrayStream), so the whole fleet's body is never one string. */
  snapshotStream(sees?: (workshop: string) => boolean): Readable {
    return jsonArrayStream(this.snapshotPrefix(this.seq), this.state.keys(), (key) => this.visibleView(key, sees), '}', SLICE_KILNS);
  }

  /** The snapshot's JSON up to its kilns' array: `{"last_event_id":…,…,"kilns":`. */
  private snapshotPrefix(last_event_id: number): string {
    return `${JSON.stringify(this.snapshotHead(last_event_id)).slice(0, -1)},"kilns":`;
  }

  /** Every kiln's sparkline the caller sees, as a stream of JSON ({ kilns }), made the same way. */
  sparksStream(sees?: (workshop: string) => boolean): Readable {
    return jsonArrayStream('{"kilns":', this.state.keys(), (key) => this.state.spark(key, sees), '}', SLICE_KILNS);
  }

  /** A kiln's view as JSON text, if the caller sees its workshop (KilnLive.viewJson). */
  private visibleView(key: string, sees?: (workshop: string) => boolean): JsonText | null {
    const v = this.state.viewJson(key);
    return v && (!sees || sees(v.workshop)) ? new JsonText(v.json) : null;
  }

  /** Start a client: what changed since last_id if that is an id of this run, else a snapshot;
   *  then every kiln event. Returns the unsubscribe. A small fleet is caught up before this
   *  returns; a larger one over turns of the event loop (catchUp). */
  subscribe(c: SseSink, last_id: number | null): () => void {
    if (this.closed) {
      c.end();
      return () => undefined;
    }
    let gone = false;
    this.catchUp(c, last_id, () => gone || this.closed).catch((err: unknown) => {
      if (err instanceof Stopped) return; // it went away, or the service is stopping
      this.warn(`live stream: a client could not be caught up (${(err as Error).message}); closed, it reconnects`);
      c.end();
    });
    return () => {
      gone = true;
      this.clients.leave(c);
    };
  }

  /** Write a client its snapshot (if it has no usable id) and the newest view of each kiln changed
   *  since, a slice at a time as its socket takes them, in passes (each pass sends what changed
   *  during the one before), until what is left fits one slice: that is written and the client
   *  joins the live clients in the same turn, so no event falls between. Ids on the stream keep
   *  increasing: a pass sends each kiln with the id its newest event had when the pass began,
   *  oldest first, and the next pass only ids after those. */
  private async catchUp(c: SseSink, last_id: number | null, gone: () => boolean): Promise<void> {
    const sees = c.sees?.bind(c);
    /** The id the client has everything up to (keys: the kilns changed since). */
    let after = last_id ?? 0;
    let keys = last_id === null ? null : changedSince(this.newest_id, after, this.first_seq, this.seq);
    if (keys === null) {
      after = this.seq;
      this.clients.counts.snapshots++;
      // A small fleet's in this turn, as before; a larger one's a slice of kilns per turn.
      const data = this.state.count() <= SLICE_KILNS ? JSON.stringify(this.snapshot(sees)) : await this.snapshotJson(sees, gone);
      if (gone()) return;
      c.write(formatEvent({ id: after, event: 'snapshot', data }));
      keys = changedSince(this.newest_id, after, this.first_seq, this.seq)!;
    } else {
      this.clients.counts.resumes++;
    }
    for (let pass = 0; keys.length > SLICE_KILNS && pass < 8; pass++) {
      const upto = this.seq;
      for (let i = 0; i < keys.length; i += SLICE_KILNS) {
        if (!(await this.writable(c, gone))) return;
        this.writeViews(c, keys.slice(i, i + SLICE_KILNS), sees);
      }
      after = upto;
      keys = changedSince(this.newest_id, after, this.first_seq, this.seq)!;
    }
    if (keys.length > SLICE_KILNS) {
      // Still busy after 8 passes: what is left goes in one write, once the socket has room.
      if (!(await this.writable(c, gone))) return;
      keys = changedSince(this.newest_id, after, this.first_seq, this.seq)!; // with what changed meanwhile
    }
    this.writeViews(c, keys, sees);
    this.clients.join(c);
  }

  /** Each kiln's newest view as a kiln event, in one write. Its id is the one its newest event had
   *  when the pass chose it, even if the view is newer now: ids on the stream keep increasing, and
   *  a kiln changed since is in the next pass. */
  private writeViews(c: SseSink, kilns: readonly (readonly [key: string, id: number])[], sees?: (workshop: string) => boolean): void {
    let text = '';
    for (const [key, id] of kilns) {
      const view = this.visibleView(key, sees);
      if (view) text += formatEvent({ id, event: 'kiln', data: view.text });
    }
    if (text) c.write(text);
  }

  /** After a turn of the event loop (a slice per turn), resolves true once the client's socket
   *  holds under catch_up_low_bytes; false (the client closed if it is still there) when it went
   *  away, or read nothing for catch_up_timeout_ms. */
  private async writable(c: SseSink, gone: () => boolean): Promise<boolean> {
    await nextTurn();
    let last = c.buffered();
    let moved_at = this.now();
    for (;;) {
      if (gone()) return false;
      const b = c.buffered();
      if (b <= this.o.catch_up_low_bytes) return true;
      if (b < last) moved_at = this.now();
      last = b;
      if (this.now() - moved_at > this.o.catch_up_timeout_ms) {
        this.clients.drop(c, `it read nothing for ${this.o.catch_up_timeout_ms / 1000} s while catching up`);
        return false;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Kilns whose skipped readings are still to be read again from InfluxDB. */
  rebuildsWaiting(): number {
    return this.rebuilds.waiting;
  }

  clientCount(): number {
    return this.clients.size;
  }

  /** End every stream and timer (service stop). */
  close(): void {
    this.closed = true;
    if (this.maintenance) clearInterval(this.maintenance);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.clients.close();
  }
}
