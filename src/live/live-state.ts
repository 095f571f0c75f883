// The live state of every kiln (one KilnLive each, kiln-live.ts), as the ingest pipeline hands
// over each message's points: what GET /api/live, the SSE stream and the overview read.
import type { TrackerChange } from '../domain/firing/index.ts';
import type { SparkView } from '../domain/live/spark.ts';
import type { Point } from '../domain/point.ts';
import { SLICE_POINTS, eachSlice } from '../slices.ts';
import { DEFAULT_LIVE_OPTIONS, KilnLive, type FaultAck, type KilnLiveView, type LiveOptions } from './kiln-live.ts';

export { DEFAULT_LIVE_OPTIONS, type FaultAck, type KilnLiveView, type LiveOptions };

/** A kiln's running firing, as few fields as the usual gas needs. */
export interface RunningFiring { readonly workshop: string; readonly kiln: string; readonly firing_id: string; readonly schedule_name: string | null }

export type KilnSpark = SparkView & { workshop: string; kiln: string };

/** Every kiln's live state. apply() is synchronous and returns the kilns it changed. */
export class LiveState {
  private readonly kilns = new Map<string, KilnLive>();
  /** keys(), sorted once until a kiln is added: each stream of every kiln and each overview
   *  opening asked for it, and sorting 10,000 keys took ~37 ms (a CPU profile of `npm run bench:fleet`). */
  private sorted: readonly string[] | null = null;
  /** Told of each TrackerChange: the alert engine follows it, so the two keep one tracker state a
   *  kiln (they share each message's step; a flush or a rebuild is the live view's alone). */
  onTrackerChange: ((workshop: string, kiln: string, change: TrackerChange) => void) | null = null;

  constructor(private readonly o: LiveOptions = DEFAULT_LIVE_OPTIONS) {}

  apply(points: readonly Point[], changed: Set<string> = new Set(), received_at_ms: number | null = null): Set<string> {
    // A message's points all belong to one kiln; runs of one kiln are folded together.
    for (let i = 0; i < points.length;) {
      const p = points[i]!;
      let j = i + 1;
      while (j < points.length && points[j]!.tags.kiln === p.tags.kiln && points[j]!.tags.workshop === p.tags.workshop) j++;
      const key = `${p.tags.workshop}/${p.tags.kiln}`;
      let k = this.kilns.get(key);
      if (!k) {
        k = new KilnLive(p.tags.workshop, p.tags.kiln, this.o);
        this.kilns.set(key, k);
        this.sorted = null;
      }
      k.apply(i === 0 && j === points.length ? points : points.slice(i, j));
      if (received_at_ms !== null) { k.received_at_ms = received_at_ms; k.silent = false; }
      changed.add(key);
      i = j;
    }
    return changed;
  }

  /** A fault acknowledgement from the kiln's status topic; returns the kiln's key. */
  noteFault(workshop: string, kiln: string, ack: FaultAck): string {
    const key = `${workshop}/${kiln}`;
    let k = this.kilns.get(key);
    if (!k) {
      k = new KilnLive(workshop, kiln, this.o);
      this.kilns.set(key, k);
      this.sorted = null;
    }
    k.fault_ack = ack;
    return key;
  }

  /** Kilns that sent nothing since silent_before_ms: flush their trackers once and mark them silent. */
  flushSilent(silent_before_ms: number): string[] {
    const out: string[] = [];
    for (const [key, k] of this.kilns) {
      if (k.silent || k.received_at_ms === null || k.received_at_ms >= silent_before_ms) continue;
      k.silent = true;
      const change = k.flushTracker();
      this.onTrackerChange?.(k.workshop, k.kiln, change);
      out.push(key);
    }
    return out;
  }

  /** Mark a kiln incomplete (the hub skipped some of its readings) until it is rebuilt. */
  markIncomplete(key: string): void {
    const k = this.kilns.get(key);
    if (k) k.complete = false;
  }

  /** Replace a kiln's state by one folded from stored points, chunk by chunk (oldest first, so
   *  memory holds one chunk at a time), then `after()` (what arrived meanwhile), in slices with a
   *  turn of the event loop between them (src/slices.ts). Throws Stopped, replacing nothing, once
   *  stop() says so. The swap itself is synchronous: nothing arrives between the last slice and it. */
  async rebuild(workshop: string, kiln: string, chunks: AsyncIterable<readonly Point[]>, after: () => readonly Point[] = () => [], stop: () => boolean = () => false): Promise<void> {
    const key = `${workshop}/${kiln}`;
    const k = new KilnLive(workshop, kiln, this.o);
    for await (const points of chunks) await eachSlice(points, (slice) => k.apply(slice), stop);
    const newest = k.newest_ms ?? -Infinity;
    // `after()` grows while we fold it: catch up a slice at a time, then the rest (< a slice) at once.
    let done = 0;
    for (let side = after(); side.length - done > SLICE_POINTS; side = after()) {
      await eachSlice(side.slice(done, done + SLICE_POINTS), (slice) => k.apply(slice.filter((p) => p.ts_ms > newest)), stop);
      done += SLICE_POINTS;
    }
    k.apply(after().slice(done).filter((p) => p.ts_ms > newest));
    const old = this.kilns.get(key);
    k.received_at_ms = old?.received_at_ms ?? null;
    k.silent = old?.silent ?? true;
    k.fault_ack = old?.fault_ack ?? null;
    k.news += (old?.news ?? 0) + 1; // rebuilt: news whatever it found
    if (k.silent) k.flushTracker();
    if (!old) this.sorted = null;
    this.kilns.set(key, k);
    this.onTrackerChange?.(workshop, kiln, { kind: 'rebuilt', state: k.tracker });
  }

  /** The firing index's news of a kiln: a count of the firing starts, gas-offs and ends the live
   *  view has seen (a count, not the state now: a firing that starts and ends between two passes
   *  is news too); null for a kiln it does not hold. */
  firingNews(key: string): number | null {
    return this.kilns.get(key)?.news ?? null;
  }

  /** The open firing's start, if this kiln has one now. */
  firingStartMs(key: string): number | null {
    return this.kilns.get(key)?.firing?.start_ms ?? null;
  }

  /** The kilns firing now (those whose view has a firing), of the workshops `sees` accepts, in the
   *  views' order: what the overview's usual gas needs, without building every kiln's view. */
  running(sees?: (workshop: string) => boolean): RunningFiring[] {
    const out: RunningFiring[] = [];
    for (const key of this.keys()) {
      const k = this.kilns.get(key)!;
      const f = k.firing;
      if (f && k.newest_ms !== null && (!sees || sees(k.workshop))) out.push({ workshop: k.workshop, kiln: k.kiln, firing_id: f.id, schedule_name: f.schedule?.name ?? null });
    }
    return out;
  }

  view(key: string): KilnLiveView | null {
    return this.kilns.get(key)?.view() ?? null;
  }

  /** A kiln's view as JSON (KilnLive.viewJson) and its workshop, or null. */
  viewJson(key: string): { readonly workshop: string; readonly json: string } | null {
    const k = this.kilns.get(key);
    return k ? { workshop: k.workshop, json: k.viewJson() } : null;
  }

  /** One kiln's sparkline, if it exists and `sees` accepts its workshop. */
  spark(key: string, sees?: (workshop: string) => boolean): KilnSpark | null {
    const k = this.kilns.get(key);
    return k && (!sees || sees(k.workshop)) ? { workshop: k.workshop, kiln: k.kiln, ...k.spark.view() } : null;
  }

  views(): KilnLiveView[] {
    return this.keys().map((k) => this.kilns.get(k)!.view());
  }

  /** How many kilns are known. */
  count(): number {
    return this.kilns.size;
  }

  /** Every kiln's key, sorted: the order of views() and of the hub's sliced bodies. */
  keys(): readonly string[] {
    return (this.sorted ??= [...this.kilns.keys()].sort());
  }
}
