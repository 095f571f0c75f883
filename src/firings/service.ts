// The report path through the API: firings are folded from a kiln's stored readings on
// request (no persisted records yet) with the same tracker the live path uses, and one firing's
// report is summarizeFiring over its stored points. Shell code: reads InfluxDB, calls the domain.
//
// Reading windows (each a documented bound, not a guess at the data):
// - LOOKBACK_MS before a range: the tracker needs the kiln's history before a start (its low,
//   the 20 min rise hold) and a firing that began before the range must be found whole. An LPG
//   firing plus cooling to 200 °C lasts up to ~2 days (22 h cone 10 on k3_5 + cooling): 72 h.
// - FOLLOW_MS after a range: a firing still running at the range's end is followed this far, so
//   its end is known; after that it is reported open (end null).
// - Readings are folded in CHUNK_MS (6 h) slices (the tracker state carries over, so the result
//   is the one big fold's): memory stays at 6 h of readings whatever the range (at 1 Hz with 4
//   zones + gas, ~110,000 points, ~25 MB while parsed; a day at a time peaked ~100 MB).
// - A controller's firing id does not encode its start: its firing_start event is searched in the
//   CONTROLLER_SEARCH_MS before now (events only, a few dozen rows per firing).
//
// No cache: a late reading (an outbox replayed after a network cut) lands inside history without
// moving the newest point time, so a key on that would serve a stale answer; reads are the cost
// (docs/analytics.md: a 24 h firing at 1 Hz takes 2–3 s to read back).
import { baselineWarnings, type RecordWarning } from '../domain/savings/record-checks.ts';
import type { ReadingsQuery } from '../adapters/influx/readings.ts';
import { DEFAULT_LPG_PRICES } from '../domain/analytics/energy-prices.ts';
import type { PriceEntry } from '../domain/analytics/energy.ts';
import { DEFAULT_TRACKER_CONFIG, detectedStartMs, firingId, firingsFromEvents, flush, recordOf, initialState, withKilnEndRule, type EndRule, type FiringEvent, type FiringRecord, type TrackerConfig, type TrackerState } from '../domain/firing/index.ts';
import type { Measurement, Point } from '../domain/point.ts';
import { summarizeFiring, toFiringFigures, type FiringSummary } from '../domain/report/index.ts';
import { compareWithBaseline, type BaselineComparison } from '../domain/savings/baseline.ts';
import { firingKpis, type FiringKpis } from '../domain/savings/kpis.ts';
import { checkAgainstOwnMedian, type OwnMedianCheck } from '../domain/savings/median.ts';
import type { FiringFigures } from '../domain/savings/firing-figures.ts';
import type { CoalBaseline, GradingRecord, LoadRecord } from '../domain/savings/records.ts';
import { startDataOf, type Schedule } from '../wire/events.ts';
import { pricesKey, type FiringIndexStore, type IndexedFiring } from './index-store.ts';
import { runSliced } from '../slices.ts';
import { pickUsual } from '../domain/firing/usual.ts';

const H = 3_600_000;
const DAY = 24 * H;
export const LOOKBACK_MS = 72 * H;
export const FOLLOW_MS = 72 * H;
export const CHUNK_MS = 6 * H;
export const CONTROLLER_SEARCH_MS = 400 * DAY;
/** A firing is looked for at most this long after its anchor (its start or its firing_start event). */
export const MAX_FIRING_MS = 14 * DAY;
/** Rebuilt from one-minute aggregates, a detected firing's start moves by at most a minute (docs/retention.md). */
const DETECTED_NEAR_MS = 2 * 60_000;
/** A closed firing's summary also reads the minute after its end (summarizeFiring: the cooling's end). */
const AFTER_END_MS = 60_000;
/** The usual firing (src/domain/firing/usual.ts) is looked for among the firings of this many days. */
const USUAL_DAYS = 180;

/** What the tracker reads: temperatures, gas flow (burners on) and controller events. */
const TRACKER_MEASUREMENTS: readonly Measurement[] = ['temperature', 'gas_flow', 'gas_total', 'gas_scale', 'event'];

export interface ReadingsSource {
  read(q: ReadingsQuery): Promise<Point[]>;
  /** The readings and whether any were rebuilt from one-minute aggregates (TieredReadings). */
  readResolved?(q: ReadingsQuery): Promise<{ points: Point[]; resolution: 'raw' | '1m' }>;
  /** The same readings in pages, oldest first (ReadingsReader): a dense range is never one big answer. */
  pages?(q: ReadingsQuery): AsyncIterable<Point[]>;
}

/** A source's readings page by page (one page when it cannot page). */
export async function* pagesOf(src: ReadingsSource, q: ReadingsQuery): AsyncGenerator<Point[]> {
  if (src.pages) yield* src.pages(q);
  else yield await src.read(q);
}

export interface FiringServiceOptions {
  readonly readings: ReadingsSource;
  readonly now?: () => number;
  readonly tracker?: TrackerConfig;
  /** Each kiln's end rule as set now (its settings); the tracker's default without it. */
  readonly endRule?: (k: KilnRef) => EndRule | null;
  /** A fixed price list (tests); without it, the records' stored list, else the seed list. */
  readonly prices?: readonly PriceEntry[];
  /** What users entered (src/records): load, grading, baselines, the stored price list. */
  readonly records?: ReportRecords;
  /** The firing index (indexer.ts keeps it): lists and closed firings' summaries come from it. */
  readonly index?: FiringIndexStore;
  /** This kiln's earlier closed firings' figures (with load and grading), for the own-median check. */
  readonly priorFigures?: (k: KilnRef, from_ms: number, to_ms: number) => Promise<readonly FiringFigures[]>;
}

/** How far back the own-median check looks for a kiln's previous firings (10 firings at a few a week fit). */
export const OWN_MEDIAN_LOOKBACK_MS = 120 * DAY;

/** The records a report adds (src/records/service.ts implements it over InfluxDB). */
export interface ReportRecords {
  prices(): Promise<readonly PriceEntry[]>;
  firingRecords(f: KilnRef & { firing_id: string }): Promise<{ load: LoadRecord | null; grading: GradingRecord | null }>;
  baselineFor(k: KilnRef): Promise<{ id: string; record: CoalBaseline } | null>;
}

export interface KilnRef { readonly workshop: string; readonly kiln: string }

export interface FiringListItem {
  readonly id: string;
  readonly by: FiringRecord['by'];
  readonly start: string;
  readonly start_ms: number;
  /** null while the firing is still open (running or cooling above the unload temperature). */
  readonly end: string | null;
  readonly end_ms: number | null;
  readonly open: boolean;
  readonly status: FiringRecord['status'];
  readonly gas_on_ms: number | null;
  readonly gas_off_ms: number | null;
  /** The controller's schedule (program) name; null for a firing without one (detected from the readings). */
  readonly schedule_name: string | null;
  readonly reason: FiringRecord['reason'];
  readonly peak_c: number | null;
  readonly cone: string | null;
  /** To the end, or to the newest reading while open. */
  readonly duration_h: number;
}

export interface FiringList {
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly firings: readonly FiringListItem[];
}

export interface FiringReport extends FiringSummary {
  readonly workshop: string;
  readonly kiln: string;
  readonly by: FiringRecord['by'];
  readonly reason: FiringRecord['reason'];
  readonly schedule_name: string | null;
  readonly load: LoadRecord | null;
  readonly grading: GradingRecord | null;
  readonly kpis: FiringKpis;
  /** Against the kiln's newest baseline, else the workshop's; null with the reason when there is none. */
  readonly baseline_comparison: (BaselineComparison & { readonly baseline_id: string; readonly warnings: readonly RecordWarning[] }) | null;
  readonly baseline_comparison_reason: string | null;
  /** Each kiln against itself: MJ per kg of good ware (and per kg set) against the median of its
   *  previous firings (src/domain/savings/median.ts); null without the firing index. */
  readonly own_median: { readonly good: OwnMedianCheck; readonly set: OwnMedianCheck } | null;
  /** When the summary was computed from the readings; stored: it is the one kept in the firing index
   *  (a closed firing's), so every instance serves this same summary until a late reading changes it. */
  readonly computed_at: string;
  readonly stored: boolean;
}

interface Located { readonly record: FiringRecord; readonly newest_ms: number | null }

interface Folded {
  readonly records: FiringRecord[];
  readonly newest_ms: number | null;
  /** The schedule names the index keeps, by firing id (an open firing's may not be kept yet). */
  readonly schedules?: ReadonlyMap<string, string | null>;
}

export class FiringService {
  private readonly readings: ReadingsSource;
  private readonly now: () => number;
  private readonly tracker: TrackerConfig;
  private readonly endRule: FiringServiceOptions['endRule'];
  private readonly prices: readonly PriceEntry[] | undefined;
  private readonly records: ReportRecords | undefined;
  private readonly index: FiringIndexStore | undefined;
  private readonly priorFigures: FiringServiceOptions['priorFigures'];

  constructor(o: FiringServiceOptions) {
    this.index = o.index;
    this.priorFigures = o.priorFigures;
    this.readings = o.readings;
    this.now = o.now ?? Date.now;
    this.tracker = o.tracker ?? DEFAULT_TRACKER_CONFIG;
    this.endRule = o.endRule;
    this.prices = o.prices;
    this.records = o.records;
  }

  /** Firings overlapping [from_ms, to_ms), newest first; `limit`/`offset` page through them. */
  async listFirings(q: KilnRef & { from_ms: number; to_ms: number; limit?: number; offset?: number }): Promise<FiringList> {
    const { records, newest_ms, schedules } = await this.firingsIn(q);
    const overlapping = records
      .filter((r) => r.start_ms < q.to_ms && (r.end_ms ?? Infinity) >= q.from_ms)
      .sort((a, b) => b.start_ms - a.start_ms);
    const offset = q.offset ?? 0;
    const page = overlapping.slice(offset, offset + (q.limit ?? overlapping.length));
    const names = await this.scheduleNames(q, page, schedules);
    return {
      from: new Date(q.from_ms).toISOString(),
      to: new Date(q.to_ms).toISOString(),
      total: overlapping.length,
      firings: page.map((r) => listItem(r, newest_ms, names.get(r.id) ?? null)),
    };
  }

  /** Each listed firing's schedule name: the index's, else (a controller's firing not indexed with
   *  one yet: running, or folded from the readings) its firing_start event's, in one read of the
   *  page's events. A firing detected from the readings has none. */
  private async scheduleNames(k: KilnRef, page: readonly FiringRecord[], known: ReadonlyMap<string, string | null> = new Map()): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const missing = page.filter((r) => {
      const name = known.get(r.id);
      if (typeof name === 'string' || r.by !== 'controller') out.set(r.id, name ?? null);
      return !out.has(r.id);
    });
    if (!missing.length) return out;
    const starts = missing.map((r) => r.start_ms);
    const events = await this.readings.read({ ...k, from_ms: Math.min(...starts) - H, to_ms: Math.max(...starts) + H, measurements: ['event'] });
    for (const r of missing) out.set(r.id, scheduleOf(events, k.kiln, r.id)?.name ?? null);
    return out;
  }

  /** The kiln's usual firing of a schedule, to draw under a running one (the rule:
   *  src/domain/firing/usual.ts). From the index only: one read, however many firings. null when there is none. */
  async usualFiring(k: KilnRef, q: { schedule_name: string | null; exclude_id?: string }): Promise<{ firing: IndexedFiring & { summary: FiringSummary }; of_n: number } | null> {
    if (!this.index) return null;
    const now = this.now();
    const done = (await this.index.list(k, now - USUAL_DAYS * DAY, now + H))
      .filter((f): f is IndexedFiring & { summary: FiringSummary } => f.summary !== null && f.summary.fuel.fuel_kg !== null)
      .map((f) => ({ ...f, record: recordOf(f.record) }))
      .map((f) => ({ f, id: f.record.id, start_ms: f.record.start_ms, reason: f.record.reason, status: f.record.status, schedule_name: f.schedule_name ?? null, fuel_kg: f.summary.fuel.fuel_kg }));
    const u = pickUsual(done, q.schedule_name, q.exclude_id ?? null);
    return u ? { firing: u.firing.f, of_n: u.of_n } : null;
  }

  /** The firings around [from_ms, to_ms): from the index where it is complete (since its checkpoint's
   *  since_ms, up to its until_ms, then folded on from the saved tracker state: the newest readings
   *  are never missed), folded from the readings before that. */
  private async firingsIn(q: KilnRef & { from_ms: number; to_ms: number }): Promise<Folded> {
    const cp = this.index ? await this.index.checkpoint(q) : null;
    if (!this.index || !cp) return this.foldRange(q, q.from_ms, q.to_ms);
    const out: FiringRecord[] = [];
    let newest_ms: number | null = null;
    if (q.from_ms < cp.since_ms) {
      const before = await this.foldRange(q, q.from_ms, Math.min(q.to_ms, cp.since_ms));
      out.push(...before.records.filter((r) => r.start_ms < cp.since_ms));
      newest_ms = before.newest_ms;
    }
    const indexed = await this.index.list(q, Math.max(cp.since_ms, q.from_ms - MAX_FIRING_MS), Math.min(q.to_ms, cp.until_ms));
    const tail = q.to_ms > cp.until_ms ? await this.foldFrom(q, cp.state, cp.open_events, cp.until_ms, q.to_ms) : null;
    const tailIds = new Set(tail?.records.map((r) => r.id));
    out.push(...indexed.map((f) => f.record).filter((r) => r.start_ms >= cp.since_ms && !tailIds.has(r.id)));
    if (tail) out.push(...tail.records.filter((r) => r.start_ms >= cp.since_ms));
    const schedules = new Map(indexed.map((f) => [f.record.id, f.schedule_name] as const));
    return { records: out, newest_ms: tail?.newest_ms ?? newest_ms ?? cp.state.newest_ms, schedules };
  }

  private foldRange(q: KilnRef, from_ms: number, to_ms: number): Promise<Folded> {
    const hard_end = Math.min(to_ms + FOLLOW_MS, this.now() + H);
    return this.fold(q, from_ms - LOOKBACK_MS, Math.max(hard_end, to_ms), (state, chunk_end) => chunk_end >= to_ms && state.firing === null);
  }

  /** Fold on from a saved tracker state (the index checkpoint) to to_ms, following an open firing to its end. */
  private foldFrom(k: KilnRef, state: TrackerState, open_events: readonly FiringEvent[], from_ms: number, to_ms: number): Promise<Folded> {
    const hard_end = Math.min(to_ms + FOLLOW_MS, this.now() + H);
    return this.fold(k, from_ms, Math.max(hard_end, to_ms), (s, chunk_end) => chunk_end >= to_ms && s.firing === null, state, open_events);
  }

  /** One firing's summary, or null if this kiln has no such firing. A closed firing's summary
   *  comes from the index when it was priced with today's price list; otherwise it is computed. */
  async firingReport(q: KilnRef & { firing_id: string }): Promise<FiringReport | null> {
    const r = this.records;
    const [prices, entered, baseline, indexed] = await Promise.all([
      this.priceList(),
      r ? r.firingRecords(q) : { load: null, grading: null },
      r ? r.baselineFor(q) : null,
      this.index ? this.index.get(q, q.firing_id) : null,
    ]);
    let record: FiringRecord, summary: FiringSummary, schedule_name: string | null;
    let computed_at_ms = this.now();
    let stored = Boolean(indexed?.summary && indexed.prices_key === pricesKey(prices));
    // A report stored at gas-off ("cooling") is served until the readings show the end (the indexer
    // may not have stored the ended one yet); then it is made again.
    let ended: Located | null = null;
    if (stored && indexed?.summary?.status === 'cooling') {
      const now = await this.locate(q);
      if (now && now.record.end_ms !== null) { stored = false; ended = now; }
    }
    if (indexed?.summary && stored) {
      ({ record, summary, schedule_name, computed_at_ms } = { ...indexed, summary: indexed.summary });
    } else {
      const found = ended ?? (indexed?.record.end_ms != null ? { record: indexed.record, newest_ms: null } : await this.locate(q));
      if (!found) return null;
      ({ summary, schedule_name } = await this.summarize(q, found.record, found.newest_ms, prices));
      record = found.record;
      if (this.index && (record.end_ms !== null || record.gas_off_ms != null)) {
        stored = await this.index.put(q, { record, summary, schedule_name, prices_key: pricesKey(prices), computed_at_ms }, entered).then(() => true, () => false);
      }
    }
    const { load, grading } = entered;
    const kpis = firingKpis({
      energy_mj: summary.energy_mj, fuel_kg: summary.fuel.fuel_kg, cost_vnd: summary.cost?.cost_vnd ?? null,
      co2_kg: summary.co2_kg, duration_h: summary.open ? null : summary.duration_h,
    }, load, grading);
    const figures = toFiringFigures(summary, q, load ?? undefined, grading ?? undefined);
    const prior = this.priorFigures && !summary.open
      ? (await this.priorFigures(q, record.start_ms - OWN_MEDIAN_LOOKBACK_MS, record.start_ms)).filter((f) => f.kiln === q.kiln && f.firing_id !== record.id)
      : null;
    const own = (basis: 'good' | 'set') => checkAgainstOwnMedian([...prior!, figures], { basis }).at(-1)!;
    return {
      workshop: q.workshop, kiln: q.kiln, by: record.by, reason: record.reason, schedule_name, ...summary,
      quality: { ...summary.quality, resolution: summary.quality.resolution ?? 'raw' },
      load, grading, kpis,
      baseline_comparison: baseline ? { baseline_id: baseline.id, ...compareWithBaseline(figures, baseline.record), warnings: baselineWarnings(baseline.record) } : null,
      baseline_comparison_reason: baseline ? null : `no coal baseline recorded for workshop ${q.workshop} (nor for kiln ${q.kiln})`,
      own_median: prior ? { good: own('good'), set: own('set') } : null,
      computed_at: new Date(computed_at_ms).toISOString(), stored,
    };
  }

  /** The load and grading entered for a firing (none without records). */
  enteredFor(f: KilnRef & { firing_id: string }): Promise<{ load: LoadRecord | null; grading: GradingRecord | null }> {
    return this.records ? this.records.firingRecords(f) : Promise.resolve({ load: null, grading: null });
  }

  /** The price list in force: fixed (tests), else the stored one, else the seed list. */
  priceList(): Promise<readonly PriceEntry[]> {
    return Promise.resolve(this.prices ?? this.records?.prices() ?? DEFAULT_LPG_PRICES);
  }

  /** Summarise one firing from all its stored readings (the indexer stores the result). */
  async summarize(k: KilnRef, record: FiringRecord, newest_ms: number | null, prices?: readonly PriceEntry[]): Promise<{ summary: FiringSummary; schedule_name: string | null; prices_key: string; points_read: number }> {
    const list = prices ?? await this.priceList();
    const { points, resolution } = await this.firingPointsResolved(k, { record, newest_ms }, record.end_ms === null ? 0 : AFTER_END_MS);
    const schedule = scheduleOf(points, k.kiln, record.id);
    const summary = summarizeFiring({ firing: record, points, prices: list, resolution, ...(schedule ? { schedule } : {}) });
    return { summary, schedule_name: schedule ? (schedule.name ?? null) : null, prices_key: pricesKey(list), points_read: points.length };
  }

  /** A firing's record without reading its points (the curve): from the firing index when it is there
   *  (an open one runs to now), else found by folding the readings. fuel_kg is the stored report's. */
  async findFiring(q: KilnRef & { firing_id: string }): Promise<{ record: FiringRecord; end_ms: number; fuel_kg: number | null } | null> {
    const indexed = this.index ? await this.index.get(q, q.firing_id) : null;
    if (indexed) {
      const r = indexed.record;
      const end_ms = r.end_ms ?? Math.max(r.start_ms, Math.min(this.now(), r.start_ms + MAX_FIRING_MS));
      return { record: r, end_ms, fuel_kg: r.end_ms === null ? null : (indexed.summary?.fuel.fuel_kg ?? null) };
    }
    const found = await this.locate(q);
    if (!found) return null;
    const end_ms = found.record.end_ms ?? Math.max(found.newest_ms ?? found.record.start_ms, found.record.start_ms);
    return { record: found.record, end_ms, fuel_kg: null };
  }

  /** Every stored reading of one firing (all measurements, start to end inclusive), or null. */
  async firingReadings(q: KilnRef & { firing_id: string }): Promise<{ record: FiringRecord; points: Point[] } | null> {
    const found = await this.locate(q);
    if (!found) return null;
    return { record: found.record, points: await this.firingPoints(q, found) };
  }

  private async firingPoints(k: KilnRef, found: Located): Promise<Point[]> {
    return (await this.firingPointsResolved(k, found)).points;
  }

  private async firingPointsResolved(k: KilnRef, found: Located, after_ms = 0): Promise<{ points: Point[]; resolution: 'raw' | '1m' }> {
    const { record } = found;
    const end_ms = record.end_ms ?? Math.max(found.newest_ms ?? record.start_ms, record.start_ms);
    const q = { workshop: k.workshop, kiln: k.kiln, from_ms: record.start_ms, to_ms: end_ms + 1 + after_ms };
    return this.readings.readResolved ? this.readings.readResolved(q) : { points: await this.readings.read(q), resolution: 'raw' };
  }

  /** Find a firing by id: a detected id names its start minute; a controller's id is looked up by its firing_start event. */
  private async locate(q: KilnRef & { firing_id: string }): Promise<Located | null> {
    const start = detectedStartMs(q.kiln, q.firing_id);
    if (start !== null) {
      // The fold names the firing in today's shape; an id in the older, uncapped shape is the same firing.
      const found = await this.foldAround(q, firingId(q.kiln, start), start);
      if (found) return found;
    }
    const anchor = await this.controllerStartMs(q, q.firing_id);
    return anchor === null ? null : this.foldAround(q, q.firing_id, anchor);
  }

  /** Fold from LOOKBACK_MS before the anchor until the firing ended (or is known not to be there).
   *  A detected firing whose raw readings were dropped is folded from one-minute aggregates
   *  (docs/retention.md), which may date its start up to a minute off: a firing started within
   *  DETECTED_NEAR_MS of the id's minute is that firing, under the id asked for. */
  private async foldAround(k: KilnRef, id: string, anchor_ms: number): Promise<Located | null> {
    const hard_end = Math.min(anchor_ms + MAX_FIRING_MS, this.now() + H);
    let seen = false;
    let found = id;
    const detected = detectedStartMs(k.kiln, id) !== null;
    const { records, newest_ms } = await this.fold(k, anchor_ms - LOOKBACK_MS, hard_end, (_state, chunk_end, events) => {
      if (!seen && detected && !events.some((e) => e.firing_id === id)) {
        const near = events.find((e) => e.type === 'firing_started' && e.by !== 'controller' && Math.abs(e.at_ms - anchor_ms) <= DETECTED_NEAR_MS);
        if (near) found = near.firing_id;
      }
      seen ||= events.some((e) => e.firing_id === found);
      if (events.some((e) => e.type === 'firing_ended' && e.firing_id === found)) return true;
      // The tracker names a firing within its rise hold (20 min) of the anchor: a day past it, it is not there.
      return !seen && chunk_end >= anchor_ms + DAY;
    });
    const record = records.find((r) => r.id === found);
    return record ? { record: found === id ? record : { ...record, id }, newest_ms } : null;
  }

  private async controllerStartMs(k: KilnRef, id: string): Promise<number | null> {
    const to_ms = this.now() + H;
    const events = await this.readings.read({ ...k, from_ms: to_ms - CONTROLLER_SEARCH_MS, to_ms, measurements: ['event'] });
    let found: number | null = null;
    for (const p of events) if (p.tags.type === 'firing_start' && startEventId(p, k.kiln) === id) found = p.ts_ms; // newest wins
    return found;
  }

  /** Fold the tracker over [from_ms, hard_end_ms) one chunk at a time; `done` may stop after a chunk. */
  private async fold(k: KilnRef, from_ms: number, hard_end_ms: number, done: (state: TrackerState, chunk_end_ms: number, events: readonly FiringEvent[]) => boolean,
    start: TrackerState = initialState(this.tracker), open_events: readonly FiringEvent[] = []): Promise<Folded> {
    let state = withKilnEndRule(start, this.endRule?.(k));
    const events: FiringEvent[] = [...open_events];
    for (let t = from_ms; t < hard_end_ms; t += CHUNK_MS) {
      const chunk_end = Math.min(t + CHUNK_MS, hard_end_ms);
      for await (const points of pagesOf(this.readings, { ...k, from_ms: t, to_ms: chunk_end, measurements: TRACKER_MEASUREMENTS })) {
        const r = await runSliced(state, points, () => false); // a request runs to its end
        state = r.state;
        events.push(...r.events);
      }
      if (done(state, chunk_end, events)) break;
    }
    const f = flush(state);
    return { records: firingsFromEvents([...events, ...f.events], f.state.firing), newest_ms: f.state.newest_ms };
  }
}

/** The firing id a stored firing_start event names: its own, else the one the tracker gives it. */
function startEventId(p: Point, kiln: string): string {
  return startDataOf(p.fields.data_json).firing_id ?? firingId(kiln, p.ts_ms);
}

/** The schedule the controller sent with this firing's firing_start, if any. */
function scheduleOf(points: readonly Point[], kiln: string, id: string): Schedule | undefined {
  for (const p of points) {
    if (p.measurement !== 'event' || p.tags.type !== 'firing_start' || startEventId(p, kiln) !== id) continue;
    const s = startDataOf(p.fields.data_json).schedule;
    if (s) return s;
  }
  return undefined;
}

function listItem(rec: FiringRecord, newest_ms: number | null, schedule_name: string | null): FiringListItem {
  const r = recordOf(rec);
  const until = r.end_ms ?? Math.max(newest_ms ?? r.start_ms, r.start_ms);
  return {
    id: r.id, by: r.by,
    start: new Date(r.start_ms).toISOString(), start_ms: r.start_ms,
    end: r.end_ms === null ? null : new Date(r.end_ms).toISOString(), end_ms: r.end_ms,
    schedule_name,
    open: r.end_ms === null, status: r.status, gas_on_ms: r.gas_on_ms, gas_off_ms: r.gas_off_ms, reason: r.reason, peak_c: r.peak_c, cone: r.cone?.label ?? null,
    duration_h: Math.round(((until - r.start_ms) / H) * 1000) / 1000,
  };
}
