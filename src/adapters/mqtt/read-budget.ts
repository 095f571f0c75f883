// How long the embedded broker reads and parses in one turn of the event loop, over all its
// connections. aedes reads everything a connection has buffered at once (`read()`, up to 64 KB:
// ~340 messages of six readings) and parses and authorises every message of it before the loop
// turns; when hundreds of devices send at once (a restart, every gateway replaying its outbox)
// the poll phase took one such read after another, and the loop stalled 180-300 ms at the start
// of a 10,000-kiln run (docs/benchmarks.md). Here, once the reads of this turn have taken
// `budget_ms` (timed from the turn's first read, so the parsing of each read counts), a
// connection's next read waits for the next turn, in the order they came. Its bytes stay in its
// socket and TCP holds the rest at the device: nothing is dropped or reordered. A time, not a
// byte count: a budget of 32 KB a turn slowed the start of that run's intake (its publish -> SSE
// p99 over the first 30 s went from 2.7 s to 3.9-5.8 s), where a turn could have taken more.
import type { Socket } from 'node:net';

export const READ_BUDGET_MS = 8;

export class ReadBudget {
  /** When this turn's first read came (performance.now()), or null before it. */
  private turn_started_ms: number | null = null;
  private readonly waiting: (() => void)[] = [];
  /** Reads put off to a later turn (for tests and the curious). */
  deferred = 0;

  constructor(readonly budget_ms = READ_BUDGET_MS) {}

  /** Make socket.read() (as aedes calls it: no size, "all you have") wait for a later turn once
   *  this one's budget is spent. `resume` asks the reader to read again (aedes: its client's next
   *  batch); it is called on the next turn for a read that was put off. */
  wrap(socket: Socket, resume: () => void): void {
    const read = socket.read.bind(socket);
    socket.read = (size?: number): unknown => {
      if ((size !== undefined && size !== null) || socket.readableLength === 0) return read(size);
      const now = performance.now();
      if (this.turn_started_ms === null) this.startTurn(now);
      else if (now - this.turn_started_ms >= this.budget_ms) {
        // No new 'readable' may come for bytes already buffered: ask again on the next turn.
        this.deferred++;
        this.waiting.push(resume);
        return null;
      }
      return read();
    };
  }

  /** A turn's first read: the next turn (a check-phase callback) starts a fresh budget and lets
   *  the connections that waited read, first come first. */
  private startTurn(now: number): void {
    this.turn_started_ms = now;
    setImmediate(() => {
      this.turn_started_ms = null;
      const due = this.waiting.splice(0);
      for (const resume of due) resume();
    });
  }
}
