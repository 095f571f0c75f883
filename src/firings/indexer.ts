// Keeps the firing index (index-store.ts) up to date: the same tracker reducer the report path
// uses, driven a second way, over the readings once they are stored, from a saved checkpoint.
//
// - note() is the pipeline's listener: per message, O(1) bookkeeping of which kilns got readings
//   and their oldest and newest device time. Nothing is read or computed on the ingest path.
// - Every interval, once the spool has written everything noted (a spool position, not a guess
//   at a delay), each noted kiln that is due is folded from its checkpoint to its newest reading.
//   A firing the fold sees end is summarised from all its stored readings (summarizeFiring) and
//   stored; an open one is stored without a summary. Then the checkpoint moves on.
// - A kiln is due when this process has not folded it yet, when its readings reach before what
//   was folded (a rewind, below), when the live view has news of its firing (started, gas off,
//   ended), and otherwise once every kiln_every_ms. Between, its checkpoint lags: the firing lists
//   and reports fold that tail on request, so they are never behind (firings/service.ts); only
//   the index's reads and writes are saved (at 10,000 kilns, four requests a kiln every pass).
// - A reading older than the checkpoint (an outbox replayed after a network cut) rewinds the kiln:
//   it is folded again from LOOKBACK before that reading, from scratch, and every firing it finds
//   there is recomputed; indexed firings that fold no longer finds are removed.
// - A kiln without a checkpoint (first start, or a new kiln) is folded from backfill_days ago.
import { PeriodicPass } from '../periodic-pass.ts';
import type { Logger } from '../ports.ts';
import { firingsFromEvents, flush, initialState, withKilnEndRule, type EndRule, type FiringEvent, type FiringRecord, type TrackerConfig, type TrackerState } from '../domain/firing/index.ts';
import type { Measurement, Point } from '../domain/point.ts';
import type { SpoolCursor } from '../ingest/spool.ts';
import type { Checkpoint, FiringIndexStore } from './index-store.ts';
import { LOOKBACK_MS, pagesOf, type FiringService, type KilnRef, type ReadingsSource } from './service.ts';
import { Stopped, runSliced } from '../slices.ts';

const TRACKER_MEASUREMENTS: readonly Measurement[] = ['temperature', 'gas_flow', 'gas_total', 'gas_scale', 'event'];
const DAY_MS = 86_400_000;
/** The indexer reads about CHUNK_POINTS points at a time (the time span adapts: an hour of a
 *  1 Hz kiln, a day of empty history) and at most POINTS_PER_S points a second, summaries included: after a burst it
 *  catches up in the background without taking the memory and CPU that storing new readings
 *  needs (measured: folding 6 h chunks flat out after the ingest benchmark's burst took the
 *  service from 240 to 290 MB RSS). */
const CHUNK_POINTS = 20_000;
const MIN_CHUNK_MS = 5 * 60_000;
const POINTS_PER_S = 20_000;
/** After a rewind, firings starting this long after the fold's start are trusted (the tracker has warmed up). */
const TRUST_AFTER_MS = 24 * 3_600_000;

export interface SpoolPosition {
  appendedPosition(): SpoolCursor;
  isStored(pos: SpoolCursor): boolean;
  pendingBytes(): number;
}

/** Above this spool backlog InfluxDB is busy taking a burst: the pass waits for the next interval
 *  rather than add reads to it (the ingest pipeline yields at 2 MiB). */
const BUSY_BACKLOG_BYTES = 1024 * 1024;

export interface IndexerOptions {
  readonly store: FiringIndexStore;
  readonly readings: ReadingsSource;
  readonly firings: FiringService;
  readonly spool: SpoolPosition;
  readonly tracker: TrackerConfig;
  /** Each kiln's end rule as set now (its settings); the tracker's default without it. */
  readonly endRule?: (k: KilnRef) => EndRule | null;
  readonly interval_ms: number;
  /** A kiln without news is folded at most this often; interval_ms without it (every pass). */
  readonly kiln_every_ms?: number;
  /** How much news of the kiln's firing the live view has seen (starts, gas-offs, ends: a count):
   *  when it differs from what it was at the kiln's last fold, the kiln is due at the next pass. */
  readonly news?: (k: KilnRef) => number | null;
  readonly backfill_days: number;
  readonly log: Logger;
  readonly now?: () => number;
}

export interface Noted { workshop: string; kiln: string; min_ms: number; max_ms: number }

/** Several instances (docs/scaling.md): each kiln is folded by its owner only, so that two folds
 *  never race on its checkpoint; what another instance stored is handed to the owner. */
export interface IndexCluster {
  owns(key: string): boolean;
  /** These readings are stored: tell the kiln's owner. */
  forward(n: Noted): void;
}

export class FiringIndexer {
  private noted = new Map<string, Noted>();
  /** Each kiln's last fold by this process: when, up to where, and the news then. */
  private readonly folded = new Map<string, { at_ms: number; until_ms: number; news: number | null }>();
  private readonly passes: PeriodicPass;
  /** Counters for /api/health (kilns_waiting: noted, not due yet). */
  readonly stats = { passes: 0, kilns_folded: 0, kilns_waiting: 0, firings_stored: 0, rewinds: 0, errors: 0, last_error: null as string | null, last_pass_ms: null as number | null };
  private readonly now: () => number;
  cluster: IndexCluster | null = null;

  constructor(private readonly o: IndexerOptions) {
    this.now = o.now ?? Date.now;
    this.passes = new PeriodicPass(() => this.passOnce(), o.interval_ms);
  }

  /** The pipeline's listener: a message's points all belong to one kiln. */
  note(points: readonly Point[]): void {
    const first = points[0];
    if (!first) return;
    let min = first.ts_ms, max = first.ts_ms;
    for (const p of points) { if (p.ts_ms < min) min = p.ts_ms; if (p.ts_ms > max) max = p.ts_ms; }
    const key = `${first.tags.workshop}/${first.tags.kiln}`;
    const n = this.noted.get(key);
    if (n) { n.min_ms = Math.min(n.min_ms, min); n.max_ms = Math.max(n.max_ms, max); }
    else this.noted.set(key, { workshop: first.tags.workshop, kiln: first.tags.kiln, min_ms: min, max_ms: max });
  }

  start(): void {
    this.passes.start();
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  private get stopped(): boolean {
    return this.passes.stopped();
  }

  /** One pass over the kilns noted since the last; passes never overlap (tests and benchmarks may call it too). */
  pass(): Promise<void> {
    return this.passes.run();
  }

  private async passOnce(): Promise<void> {
    if (this.noted.size === 0 || this.o.spool.pendingBytes() > BUSY_BACKLOG_BYTES) return;
    // What was noted so far is in the spool before pos: wait (up to a pass interval) until the
    // drainer has written past it. Appends after pos do not hold the pass back, so a steady load
    // never starves it; InfluxDB down: the next pass tries again, nothing noted is dropped.
    const batch: { key: string; n: Noted; news: number | null }[] = [];
    for (const [key, n] of this.noted) {
      const news = this.o.news?.(n) ?? null;
      if (!this.due(key, n, news)) continue;
      batch.push({ key, n, news });
      this.noted.delete(key);
    }
    this.stats.kilns_waiting = this.noted.size;
    if (batch.length === 0) return;
    const pos = this.o.spool.appendedPosition();
    const wait_until = this.now() + Math.max(1000, this.o.interval_ms);
    while (!this.o.spool.isStored(pos)) {
      if (this.stopped || this.now() > wait_until) { for (const { n } of batch) this.renote(n); return; }
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const { key, n, news } of batch) {
      if (this.stopped) { this.renote(n); continue; }
      if (this.cluster && !this.cluster.owns(key)) { this.cluster.forward(n); continue; }
      try {
        await this.foldKiln(n);
        // A rewind folded up to the old checkpoint at least: a later reading before it rewinds again.
        this.folded.set(key, { at_ms: this.now(), until_ms: Math.max(n.max_ms + 1, this.folded.get(key)?.until_ms ?? -Infinity), news });
        this.stats.kilns_folded++;
      } catch (err) {
        this.renote(n); // tried again next pass
        if (err instanceof Stopped) continue;
        this.stats.errors++;
        this.stats.last_error = `${key}: ${(err as Error).message}`;
        if (this.stats.errors === 1 || this.stats.errors % 100 === 0) this.o.log.warn(`firing index: ${this.stats.last_error} (will retry; errors so far: ${this.stats.errors})`);
      }
    }
    this.stats.passes++;
    this.stats.last_pass_ms = this.now();
  }

  private due(key: string, n: Noted, news: number | null): boolean {
    const last = this.folded.get(key);
    if (!last) return true;
    if (n.min_ms < last.until_ms) return true; // before the checkpoint: a rewind, not left lagging
    if (news !== last.news) return true;
    return this.now() - last.at_ms >= (this.o.kiln_every_ms ?? 0);
  }

  /** Readings another instance stored (or, after a takeover, all since the checkpoint: a range
   *  ending now): folded at the next pass. */
  noteStored(n: Noted): void {
    this.renote(n);
  }

  private renote(n: Noted): void {
    this.note([{ measurement: 'temperature', tags: { workshop: n.workshop, kiln: n.kiln, channel: '' }, fields: {}, ts_ms: n.min_ms }]);
    this.note([{ measurement: 'temperature', tags: { workshop: n.workshop, kiln: n.kiln, channel: '' }, fields: {}, ts_ms: n.max_ms }]);
  }

  private async foldKiln(n: Noted): Promise<void> {
    const k: KilnRef = { workshop: n.workshop, kiln: n.kiln };
    const cp = await this.o.store.checkpoint(k);
    const end_ms = n.max_ms + 1;
    if (cp && n.min_ms >= cp.until_ms) {
      if (end_ms <= cp.until_ms) return;
      await this.advance(k, cp, end_ms, -Infinity);
      return;
    }
    // First fold of this kiln, or readings older than its checkpoint: fold from scratch.
    const from_ms = cp ? n.min_ms - LOOKBACK_MS : Math.min(n.min_ms, this.now() - this.o.backfill_days * DAY_MS) - LOOKBACK_MS;
    if (cp) this.stats.rewinds++;
    else this.o.log.info(`firing index: first fold of ${k.workshop}/${k.kiln}, from ${new Date(from_ms + LOOKBACK_MS).toISOString()}`);
    const fresh: Checkpoint = { until_ms: from_ms, since_ms: cp ? cp.since_ms : from_ms + LOOKBACK_MS, state: initialState(this.o.tracker), open_events: [] };
    const store_from_ms = cp ? from_ms + TRUST_AFTER_MS : fresh.since_ms;
    const seen = await this.advance(k, fresh, Math.max(end_ms, cp?.until_ms ?? end_ms), store_from_ms);
    if (cp) {
      // Indexed firings in the trusted part of the refold that it no longer finds are gone.
      const trusted_from = from_ms + TRUST_AFTER_MS;
      for (const f of await this.o.store.list(k, trusted_from, Math.max(end_ms, cp.until_ms))) {
        if (!seen.has(f.record.id)) await this.o.store.remove(k, f.record.start_ms, f.record.start_ms + 1);
      }
    }
  }

  /** Fold from cp to end_ms a day at a time, storing each firing (starting at or after store_from_ms)
   *  that ends, and the open one. Returns the ids seen. */
  private async advance(k: KilnRef, cp: Checkpoint, end_ms: number, store_from_ms: number): Promise<Set<string>> {
    let state: TrackerState = withKilnEndRule(cp.state, this.o.endRule?.(k));
    let events: FiringEvent[] = [...cp.open_events];
    const seen = new Set<string>();
    let span_ms = 3_600_000;
    for (let t = cp.until_ms; t < end_ms;) {
      if (this.stopped) throw new Stopped(); // the checkpoint holds what was folded; a restart goes on from it
      const chunk_end = Math.min(t + span_ms, end_ms);
      let n = 0;
      for await (const points of pagesOf(this.o.readings, { ...k, from_ms: t, to_ms: chunk_end, measurements: TRACKER_MEASUREMENTS })) {
        n += points.length;
        await this.pace(points.length);
        const r = await runSliced(state, points, () => this.stopped);
        state = r.state;
        events.push(...r.events);
      }
      // An empty chunk grows the next fourfold without the day's cap: a new kiln's first fold
      // crosses backfill_days of nothing in ~6 reads, not ~35 (at 10,000 new kilns that was ~350k
      // reads, each with a checkpoint write, before the index caught up). Readings cap it again.
      span_ms = n === 0 ? span_ms * 4 : Math.min(DAY_MS, Math.max(MIN_CHUNK_MS, Math.round(span_ms * (CHUNK_POINTS / n))));
      t = chunk_end;
      const records = firingsFromEvents(events, state.firing);
      const closed = records.filter((f) => f.end_ms !== null);
      for (const f of closed) {
        if (f.start_ms >= store_from_ms) await this.storeFiring(k, f, state.newest_ms);
        seen.add(f.id);
      }
      events = openEvents(events, state);
      // Nothing read, nothing to keep: a stop here goes on from the last checkpoint, re-reading only empty chunks.
      if (n > 0 || t >= end_ms) await this.o.store.saveCheckpoint(k, { until_ms: chunk_end, since_ms: cp.since_ms, state, open_events: events });
    }
    // The running firing, as the report path would list it (flushed copy: the saved state keeps its reorder window).
    if (state.firing) {
      const f = flush(state);
      const open = firingsFromEvents([...events, ...f.events], f.state.firing).find((r) => r.id === state.firing?.id);
      if (open && open.start_ms >= store_from_ms) {
        // After gas-off the fuel is final: the report is stored once ("cooling") and kept until the end.
        const had = open.gas_off_ms !== null ? await this.o.store.get(k, open.id) : null;
        if (open.gas_off_ms !== null && (!had?.summary || had.record.gas_off_ms !== open.gas_off_ms)) await this.storeFiring(k, open, state.newest_ms);
        else await this.o.store.put(k, had?.summary ? { ...had, record: open } : { record: open, summary: null, schedule_name: null, prices_key: '', computed_at_ms: this.now() });
        seen.add(open.id);
      }
    }
    return seen;
  }

  private budget = { second: 0, points: 0 };

  /** Wait for the next second once POINTS_PER_S points were read in this one. */
  private async pace(points: number): Promise<void> {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.budget.second) this.budget = { second, points: 0 };
    this.budget.points += points;
    if (this.budget.points > POINTS_PER_S) await new Promise((r) => setTimeout(r, 1000 - (this.now() % 1000)));
  }

  private async storeFiring(k: KilnRef, f: FiringRecord, newest_ms: number | null): Promise<void> {
    const s = await this.o.firings.summarize(k, f, newest_ms);
    await this.pace(s.points_read);
    const entered = await this.o.firings.enteredFor({ ...k, firing_id: f.id });
    await this.o.store.put(k, { record: f, summary: s.summary, schedule_name: s.schedule_name, prices_key: s.prices_key, computed_at_ms: this.now() }, entered);
    this.stats.firings_stored++;
  }
}

/** The events of the running firing (and of a detected firing a controller start renamed into it). */
function openEvents(events: readonly FiringEvent[], state: TrackerState): FiringEvent[] {
  const open = state.firing;
  if (!open) return [];
  const ids = new Set([open.id]);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e?.type === 'firing_started' && ids.has(e.firing_id) && e.replaces !== undefined) ids.add(e.replaces);
  }
  return events.filter((e) => ids.has(e.firing_id));
}
