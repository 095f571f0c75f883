// The live stream's clients once caught up (hub.ts catches each one up first): every kiln event
// goes to each client that may see its workshop, the events of flush_ms together in one socket
// write; a client that does not read is closed (it reconnects and resumes); a heartbeat keeps idle
// streams open through proxies.
import { HEARTBEAT } from '../domain/live/sse.ts';

/** The socket side of a client, as the route gives it. */
export interface SseSink {
  /** Text, or a kiln event already encoded as UTF-8 (LiveHub.emit). */
  write(chunk: string | Buffer): void;
  /** Bytes written but not yet sent. */
  buffered(): number;
  /** Ends the stream (idempotent); the route then calls the unsubscribe subscribe() returned. */
  end(): void;
  /** The workshops this client may see (docs/access.md); without it, every one. */
  sees?(workshop: string): boolean;
}

/** How the SSE clients fared, for /metrics and the benches. */
export interface SseCounts {
  snapshots: number;
  /** Clients that resumed (Last-Event-ID or ?after=) instead of taking a snapshot. */
  resumes: number;
  /** Clients closed as too slow (max_client_buffer_bytes, or nothing read for catch_up_timeout_ms). */
  dropped: number;
}

export interface SseClientOptions {
  /** Events are written to the clients together, every this often (send). */
  readonly flush_ms: number;
  readonly heartbeat_ms: number;
  /** A client whose socket holds this much unsent is too slow and is closed (it reconnects and resumes). */
  readonly max_client_buffer_bytes: number;
}

const HEARTBEAT_BYTES = Buffer.from(HEARTBEAT);

export class SseClients {
  readonly counts: SseCounts = { snapshots: 0, resumes: 0, dropped: 0 };
  private readonly clients = new Set<SseSink>();
  /** Events for each client not yet written: written together every flush_ms (flush). */
  private readonly unsent = new Map<SseSink, Buffer[]>();
  private flushing = false;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly o: SseClientOptions, private readonly warn: (msg: string) => void) {}

  get size(): number {
    return this.clients.size;
  }

  /** A caught-up client joins: from now on it gets every event it may see. */
  join(c: SseSink): void {
    this.clients.add(c);
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => { for (const x of this.clients) this.send(x, HEARTBEAT_BYTES); }, this.o.heartbeat_ms);
    this.heartbeat.unref();
  }

  /** A client went away (its unsubscribe). */
  leave(c: SseSink): void {
    this.clients.delete(c);
    this.unsent.delete(c);
    if (this.clients.size === 0) this.stopHeartbeat();
  }

  /** A kiln event, encoded once, to every client that sees its workshop. */
  broadcast(bytes: Buffer, workshop: string): void {
    for (const c of this.clients) if (!c.sees || c.sees(workshop)) this.send(c, bytes);
  }

  /** Each kiln's event has its own timer: the events of flush_ms go to each client in one write,
   *  not a socket write each (at 1,000 kilns that was 1,000 writes a second per open dashboard, a
   *  fifth of a core). Once per event-loop turn was not enough at 10,000 kilns, whose timers fall
   *  on different milliseconds: socket writes were ~9 % of the service's CPU in a profile. */
  private send(c: SseSink, bytes: Buffer): void {
    let q = this.unsent.get(c);
    if (!q) this.unsent.set(c, (q = []));
    q.push(bytes);
    if (this.flushing) return;
    this.flushing = true;
    setTimeout(() => this.flush(), this.o.flush_ms).unref();
  }

  private flush(): void {
    this.flushing = false;
    for (const [c, q] of this.unsent) {
      if (!this.clients.has(c)) continue;
      if (c.buffered() > this.o.max_client_buffer_bytes) {
        // A client that does not read is dropped, not buffered without end; it reconnects.
        this.drop(c, `it holds over ${this.o.max_client_buffer_bytes} bytes unsent`);
        continue;
      }
      c.write(q.length === 1 ? q[0]! : Buffer.concat(q));
    }
    this.unsent.clear();
  }

  /** Close a client that is too slow, and say so: it reconnects and resumes. */
  drop(c: SseSink, why: string): void {
    this.clients.delete(c);
    this.unsent.delete(c);
    this.counts.dropped++;
    this.warn(`live stream: a client was closed because ${why}; it reconnects and resumes`);
    c.end();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** End every stream (service stop). */
  close(): void {
    this.stopHeartbeat();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
