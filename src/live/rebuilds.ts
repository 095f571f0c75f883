// Kilns the live view reads again from InfluxDB: each kiln whose readings it skipped in a burst
// (over its budget of points a second; hub.ts), once the burst is over and the spool has written
// what was skipped, one kiln at a time; and every kiln after a restart (restore). Points folded for
// a kiln while it is being re-read are kept, and applied again on top of what was read.
import type { Point } from '../domain/point.ts';
import type { SpoolCursor } from '../ingest/spool.ts';
import { Stopped } from '../slices.ts';
import type { LiveState } from './live-state.ts';

/** Rebuilding a kiln's live state from InfluxDB: what to read (runtime.ts knows the window) and when the spool has written it. */
export interface LiveRebuild {
  /** The kiln's stored readings to fold, oldest first, a chunk at a time. */
  read(k: { workshop: string; kiln: string }): AsyncIterable<readonly Point[]>;
  appendedPosition(): SpoolCursor;
  isStored(pos: SpoolCursor): boolean;
  warn(msg: string): void;
}

export interface RebuildOptions {
  /** Points kept for a kiln while it is re-read from InfluxDB (applied on top of what was read). */
  readonly max_queued_points: number;
  /** Kilns are re-read only once nothing was skipped for this long: never during the burst itself. */
  readonly rebuild_quiet_ms: number;
}

export class LiveRebuilds {
  rebuilt_kilns = 0;
  /** Kilns whose readings were skipped, each with the spool position to wait for before re-reading them. */
  private readonly resync = new Map<string, SpoolCursor | null>();
  /** Points folded for a kiln while it is being rebuilt: applied again on top of the rebuilt state. */
  private readonly during = new Map<string, Point[]>();
  private rebuilding: Promise<void> | null = null;
  private rebuilder: LiveRebuild | null = null;
  private last_skip_ms = -Infinity;

  /** rebuilt: a kiln's state was read again (its view is news); closed: the service is stopping. */
  constructor(
    private readonly state: LiveState, private readonly o: RebuildOptions, private readonly now: () => number,
    private readonly rebuilt: (key: string) => void, private readonly closed: () => boolean,
  ) {}

  /** Re-read from InfluxDB from now on (null: never, as in tests without a database). */
  use(rebuilder: LiveRebuild | null): void {
    this.rebuilder = rebuilder;
  }

  /** A kiln's readings were skipped now: it is shown incomplete until it has been read again. */
  skipped(key: string, now_ms: number): void {
    this.last_skip_ms = now_ms;
    this.mark(key);
  }

  /** Points folded for a kiln: kept, if it is being read again, to apply after what is read. */
  folded(key: string, points: readonly Point[]): void {
    const side = this.during.get(key);
    if (side && side.length < this.o.max_queued_points) side.push(...points);
  }

  /** Whether a kiln waits to be read again. */
  waits(key: string): boolean {
    return this.resync.has(key);
  }

  /** Kilns whose skipped readings are still to be read again from InfluxDB. */
  get waiting(): number {
    return this.resync.size;
  }

  private mark(key: string): void {
    if (this.resync.has(key)) return;
    this.resync.set(key, this.rebuilder?.appendedPosition() ?? null);
    this.state.markIncomplete(key);
  }

  /** Re-read the next kiln whose readings were skipped, if the burst is over and they are stored.
   *  One at a time (a rebuild reads up to a firing's worth of readings), the next as soon as one
   *  ends rather than at the next maintenance tick: after a burst over 1,000 kilns, one kiln per
   *  tick kept the service re-reading (and its heap grown) for over an hour. */
  next(): void {
    if (this.closed() || this.rebuilding || !this.rebuilder || this.now() - this.last_skip_ms < this.o.rebuild_quiet_ms) return;
    for (const [key, pos] of this.resync) {
      if (pos && !this.rebuilder.isStored(pos)) continue;
      this.resync.delete(key);
      const [workshop = '', kiln = ''] = key.split('/');
      this.rebuilding = this.rebuild({ workshop, kiln }).finally(() => {
        this.rebuilding = null;
        setImmediate(() => this.next());
      });
      return;
    }
  }

  /** Fold a kiln's live state again from its stored readings (after skipped readings, or a restart). */
  async rebuild(k: { workshop: string; kiln: string }): Promise<void> {
    if (!this.rebuilder || this.closed()) return;
    const key = `${k.workshop}/${k.kiln}`;
    this.during.set(key, []);
    try {
      await this.state.rebuild(k.workshop, k.kiln, this.rebuilder.read(k), () => this.during.get(key) ?? [], this.closed);
      if (this.closed()) return;
      this.rebuilt_kilns++;
      this.rebuilt(key);
    } catch (err) {
      if (err instanceof Stopped) return;
      this.rebuilder.warn(`live view: could not rebuild ${key} from InfluxDB (${(err as Error).message}); will try again`);
      this.mark(key);
    } finally {
      this.during.delete(key);
    }
  }

  /** Restore kilns after a restart, one at a time; resolves when all are done. */
  async restore(kilns: readonly { workshop: string; kiln: string }[], progress: (done: number, total: number) => void): Promise<void> {
    let done = 0;
    for (const k of kilns) {
      if (this.closed()) return;
      await this.rebuild(k);
      progress(++done, kilns.length);
    }
  }
}
