// How much the embedded broker parses in one turn of the event loop, over all its connections.
// aedes reads everything a connection has buffered at once (`read()`, up to 64 KB: ~340 messages
// of six readings) and parses and authorises every message of it before the loop turns; when
// hundreds of devices send at once (a restart, every gateway replaying its outbox) the poll phase
// takes one such read after another, and the loop stalled 180-250 ms at the start of a
// 10,000-kiln run (docs/benchmarks.md). Here a connection's read takes at most what is left of
// this turn's budget; a connection that finds it spent waits, in the order they came, for the
// next turn, which starts a fresh budget. The bytes it leaves stay in its socket, and TCP holds
// the rest at the device: nothing is dropped or reordered.
import type { Socket } from 'node:net';

export const BYTES_PER_TURN = 32 * 1024;

export class ReadBudget {
  private left_bytes: number;
  private turnScheduled = false;
  private readonly waiting: (() => void)[] = [];
  /** Reads cut short or put off for a later turn (for tests and the curious). */
  deferred = 0;

  constructor(readonly bytes_per_turn = BYTES_PER_TURN) {
    this.left_bytes = bytes_per_turn;
  }

  /** Make socket.read() (as aedes calls it: no size, "all you have") take at most the budget left.
   *  `resume` asks the reader to read again (aedes: its client's next batch); it is called on a
   *  later turn when this read was put off or cut short. */
  wrap(socket: Socket, resume: () => void): void {
    const read = socket.read.bind(socket);
    socket.read = (size?: number): unknown => {
      if (size !== undefined && size !== null) return read(size); // a sized read is the caller's own limit
      const have = socket.readableLength;
      if (have === 0) return read();
      if (this.left_bytes <= 0) {
        this.later(resume);
        return null;
      }
      const take = Math.min(have, this.left_bytes);
      this.spend(take);
      if (take < have) this.later(resume); // the rest on a later turn: no new 'readable' may come for it
      return read(take);
    };
  }

  private spend(bytes: number): void {
    this.left_bytes -= bytes;
    this.scheduleTurn();
  }

  private later(resume: () => void): void {
    this.deferred++;
    this.waiting.push(resume);
    this.scheduleTurn();
  }

  /** The next turn: a fresh budget, then the connections that waited, first come first. */
  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.left_bytes = this.bytes_per_turn;
      const due = this.waiting.splice(0);
      for (const resume of due) resume();
    });
  }
}
