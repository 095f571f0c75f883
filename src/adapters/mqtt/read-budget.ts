// How long the embedded broker parses in one turn of the event loop, over all its connections.
// aedes reads everything a connection has buffered at once (`read()`, up to 64 KB: ~340 messages
// of six readings) and parses and authorises every message of it before the loop turns; when
// hundreds of devices send at once (a restart, every gateway replaying its outbox) the poll phase
// took one such read after another, and the loop stalled 180-300 ms at the start of a
// 10,000-kiln run (docs/benchmarks.md). Here the parsing of each read is timed, and once this
// turn's parsing has taken `budget_ms`, a connection's next read waits for the next turn, in the
// order they came. Its bytes stay in its socket and TCP holds the rest at the device: nothing is
// dropped or reordered. The parsing's own time, not the wall time since the turn's first read
// (which counts everything else the turn ran, and cost a tenth of the embedded path's full-pace
// rate), nor a byte count (32 KB a turn slowed the start of that run's intake).
import type { Socket } from 'node:net';

export const READ_BUDGET_MS = 8;

export class ReadBudget {
  /** Parsing done this turn, and whether a turn has begun (its end is scheduled). */
  private spent_ms = 0;
  private turn_open = false;
  private depth = 0;
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
      if (this.turn_open && this.spent_ms >= this.budget_ms) {
        // No new 'readable' may come for bytes already buffered: ask again on the next turn.
        this.deferred++;
        this.waiting.push(resume);
        return null;
      }
      return read();
    };
  }

  /** Run fn (the parsing of what a read returned) on this turn's budget. A parse started inside
   *  another (aedes may read again from within one) is counted once, in the outer one. */
  timed<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.openTurn();
    this.depth++;
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.depth--;
      this.spent_ms += performance.now() - t0;
    }
  }

  /** The turn's first parse: the next turn (a check-phase callback) starts a fresh budget and
   *  lets the connections that waited read, first come first. */
  private openTurn(): void {
    if (this.turn_open) return;
    this.turn_open = true;
    setImmediate(() => {
      this.turn_open = false;
      this.spent_ms = 0;
      const due = this.waiting.splice(0);
      for (const resume of due) resume();
    });
  }
}
