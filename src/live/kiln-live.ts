// The live state of ONE kiln, folded one reading at a time as they arrive: the firing tracker's
// step() (the same reducer the report path folds over stored readings, so live and report agree),
// plus what the dashboard shows now: each zone's latest temperature, the rate of rise over the
// last 10 min (the tracker's own, the one its stage is judged from), gas flow now, fuel / energy /
// cost / CO2 so far in the running firing, and the time to peak and to the end of the schedule.
// O(1) amortised work per reading. Every kiln's: live-state.ts.
import { co2Kg, energyMj, priceAt, type PriceEntry } from '../domain/analytics/energy.ts';
import { DEFAULT_LPG_PRICES } from '../domain/analytics/energy-prices.ts';
import { m3ToKg } from '../domain/analytics/fuel-gas.ts';
import { FUELS } from '../domain/analytics/fuels.ts';
import { DEFAULT_TRACKER_CONFIG, flush, initialState, stepAll, trackerRateCH, withKilnEndRule, type EndRule, type FiringEvent, type StartedBy, type TrackerChange, type TrackerConfig, type TrackerState } from '../domain/firing/index.ts';
import { DEFAULT_REPORT_OPTIONS } from '../domain/report/summary.ts';
import { estimateEta, type Eta } from '../domain/live/eta.ts';
import {
  addKg, flowStepKg, newTotals, scaleStep, totalAt, totalStep,
  type FlowChannel, type LiveMeterKind, type LiveMeterOptions, type MeterTotals, type ScaleChannel, type TotalChannel,
} from '../domain/live/meters.ts';
import { appended } from '../domain/appended.ts';
import { jsonNumber, RawChannels, type RawValue } from './raw-channels.ts';
import { SparkRing } from '../domain/live/spark.ts';
import type { Point } from '../domain/point.ts';
import { startDataOf, type Schedule } from '../wire/events.ts';

/** The overview card's sparkline: the last 6 h in 5 min buckets (72 floats a kiln). */
const SPARK_BUCKET_MS = 5 * 60_000;
const SPARK_BUCKETS = 72;

const METER_ORDER: readonly LiveMeterKind[] = ['totalizer', 'flow', 'scale']; // the report's preference (fuel-choice.ts)
const MS_PER_H = 3_600_000;
const num = (v: number | string | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** A number as JSON.stringify writes it; null or undefined as null (view() writes `?? null` there). */
const orNull = (x: number | null | undefined): string => (x == null ? 'null' : jsonNumber(x));
/** Schedules of firing_start events kept a kiln: a start is matched with its event within the
 *  reorder window, so only the last few are ever looked up. */
export const SCHEDULES_KEPT = 8;

/** Keys and schedules in turn (KilnLive.schedules), oldest first. */
export type KeptSchedules = (string | Schedule | null)[];

/** The list with this key's schedule: set in its place when the key is there (as Map.set keeps
 *  it), else added as the newest, the oldest going past SCHEDULES_KEPT. */
export function keepSchedule(list: KeptSchedules | null, key: string, schedule: Schedule | null): KeptSchedules {
  const i = list ? list.indexOf(key) : -1; // a schedule is never a string: only a key matches
  if (i >= 0) { list![i + 1] = schedule; return list!; }
  const more: KeptSchedules = list ? [...list, key, schedule] : [key, schedule];
  return more.length > 2 * SCHEDULES_KEPT ? more.slice(2) : more;
}

/** The schedule kept under this key (null: its event had none), or undefined when none is kept. */
export function scheduleOf(list: KeptSchedules | null, key: string): Schedule | null | undefined {
  const i = list ? list.indexOf(key) : -1;
  return i >= 0 ? (list![i + 1] as Schedule | null) : undefined;
}

/** A meter channel's last reading (meters.ts) under its channel name. */
type Named<T> = T & { readonly ch: string };

/** A meter channel's last reading among a kind's channels, by a walk (one or two of them). */
function channel<T extends { readonly ch: string }>(list: readonly T[] | null, ch: string): T | undefined {
  if (list) for (const c of list) if (c.ch === ch) return c;
  return undefined;
}

/** A key an object keeps apart, before the others (an array index). */
const INDEX_LIKE = /^(0|[1-9]\d{0,9})$/;

export interface LiveOptions {
  readonly tracker: TrackerConfig;
  readonly prices: readonly PriceEntry[];
  readonly meters: LiveMeterOptions;
  readonly propane_mol_frac: number;
  /** Each kiln's end rule as set now (its settings); the tracker's default without it. */
  readonly endRule?: (workshop: string, kiln: string) => EndRule | null;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = {
  tracker: DEFAULT_TRACKER_CONFIG,
  prices: DEFAULT_LPG_PRICES,
  meters: {
    max_gap_s: DEFAULT_REPORT_OPTIONS.max_gap_s,
    swap_min_rise_kg: DEFAULT_REPORT_OPTIONS.scale.swap_min_rise_kg,
    noise_kg: DEFAULT_REPORT_OPTIONS.scale.noise_kg,
    // 30 s checkpoints over 3 h of burning (none while the total stands still: meters.ts addKg):
    // a detected start is dated back at most low_memory_s (2 h), the running firing's start is
    // pinned however old, and a start's gas so far counts at most 30 s burnt before it (~0.04 kg
    // at 5 kg/h). 360 pairs, 2.9 KB a kiln at most (packed: ring.ts), for the one meter kind its
    // fuel is read from (KilnLive.checkpointed; 5 h of 30 s ones as doubles were 9.6 KB: ~38 MB
    // more at 10,000 kilns).
    checkpoint_s: 30,
    keep: 360,
    // 10 min of burning for a kiln whose controller sends its starts: a start is decided within
    // the 30 s reorder window, and then pinned. 20 pairs, 160 bytes, against 2.9 KB after 3 h.
    keep_controlled: 20,
  },
  propane_mol_frac: DEFAULT_REPORT_OPTIONS.propane_mol_frac,
};

/** What GET /api/live and the SSE stream send per kiln. Units in the names; null = not known (reason given). */
export interface KilnLiveView {
  readonly workshop: string;
  readonly kiln: string;
  /** Device time of the newest reading; the tracker decides the stage reorder_window_s behind it. */
  readonly newest_reading_ms: number | null;
  readonly stage: string;
  readonly stage_since_ms: number | null;
  readonly firing: {
    readonly id: string; readonly by: StartedBy; readonly start_ms: number; readonly elapsed_h: number;
    readonly target_c: number | null; readonly schedule_name: string | null; readonly atmosphere: string | null;
    readonly peak_c: number | null; readonly data_gaps: number;
    /** firing: burners on; cooling: after gas-off (fuel final, the report exists), not yet unloadable. */
    readonly status: 'firing' | 'cooling'; readonly gas_off_ms: number | null;
  } | null;
  readonly kiln_temp_c: number | null;
  readonly zones: Readonly<Record<string, { readonly temp_c: number; readonly ts_ms: number; readonly stale: boolean }>>;
  readonly rate_c_h: number | null;
  readonly gas_flow_kg_h: number | null;
  readonly fuel: {
    readonly fuel_kg: number | null; readonly meter: LiveMeterKind | null; readonly energy_mj: number | null; readonly co2_kg: number | null;
    readonly cost_vnd: number | null; readonly price_vnd_per_kg: number | null; readonly price_valid_from: string | null; readonly reason: string;
  };
  readonly eta: Eta;
  readonly last_firing: { readonly id: string; readonly start_ms: number; readonly end_ms: number; readonly reason: string; readonly fuel_kg: number | null } | null;
  readonly points_seen: number;
  readonly late_points: number;
  /** Service clock when this kiln's last message arrived; silent: nothing for the silence time (offline). */
  readonly received_at_ms: number | null;
  readonly silent: boolean;
  /** false while readings the live view skipped (a burst over its budget) are re-read from InfluxDB. */
  readonly complete: boolean;
  /** measurement/channel → its newest raw value and device time, as it arrives. */
  readonly channels: Readonly<Record<string, RawValue>>;
  /** The last fault command a test rig (the simulator) acknowledged on its status topic. */
  readonly fault_ack: FaultAck | null;
}

export interface FaultAck {
  readonly type: string; readonly of: string | null; readonly zone: string | null;
  /** Device time the fault was taken; received_at_ms: service clock when its status arrived. */
  readonly ts_ms: number; readonly received_at_ms: number;
}

interface FiringLive {
  id: string; by: StartedBy; start_ms: number; target_c: number | null; schedule: Schedule | null;
  start_c: number | null; peak_reached_ms: number | null; gaps: number;
}

const NEWS: ReadonlySet<FiringEvent['type']> = new Set(['firing_started', 'gas_off', 'gas_resumed', 'firing_ended']);

export class KilnLive {
  tracker: TrackerState;
  // Each meter kind's channels, in a short array found by a walk (a kiln has one or two of a
  // kind), null while it has none (most kilns have no scale): a Map of one channel was 256 bytes
  // and five objects a kiln, the array and its entry ~130 and two (heap snapshot at 10,000 kilns,
  // docs/benchmarks.md), and the collector marks every object of every kiln.
  flowCh: readonly Named<FlowChannel>[] | null = null;
  totalCh: readonly Named<TotalChannel>[] | null = null;
  scaleCh: readonly Named<ScaleChannel>[] | null = null;
  readonly totals: Record<LiveMeterKind, MeterTotals> = { totalizer: newTotals(), flow: newTotals(), scale: newTotals() };
  /** Schedules of recent firing_start events, the newest last (at most SCHEDULES_KEPT), each
   *  under its firing id (or '@ts_ms' when the event named none): key and schedule in turn, in
   *  one array (a Map of one was 184 bytes a kiln). */
  schedules: KeptSchedules | null = null;
  firing: FiringLive | null = null;
  last_firing: KilnLiveView['last_firing'] = null;
  newest_ms: number | null = null;
  newest_temp_ms: number | null = null;
  received_at_ms: number | null = null;
  private temp_at_ms: number | null = null;
  silent = false;
  complete = true;
  readonly raw = new RawChannels();
  readonly spark = new SparkRing(SPARK_BUCKET_MS, SPARK_BUCKETS);
  fault_ack: FaultAck | null = null;
  /** How many firing starts, gas-offs (and withdrawals) and ends this kiln has seen: the firing index's news. */
  news = 0;

  constructor(readonly workshop: string, readonly kiln: string, private readonly o: LiveOptions) {
    this.tracker = initialState(o.tracker);
  }

  /** One message's points (or any run of this kiln's points, oldest first). */
  apply(points: readonly Point[]): void {
    this.temp_at_ms = null;
    for (const p of points) {
      this.newest_ms = Math.max(this.newest_ms ?? p.ts_ms, p.ts_ms);
      this.measure(p);
    }
    if (this.temp_at_ms !== null) {
      const k = this.kilnTemp(this.temp_at_ms);
      if (k !== null) this.spark.push(this.temp_at_ms, k);
    }
    const r = stepAll(withKilnEndRule(this.tracker, this.o.endRule?.(this.workshop, this.kiln)), points);
    this.tracker = r.state;
    for (const e of r.events) this.onEvent(e);
    this.checkPeak();
  }

  /** The kiln went silent: decide what the tracker held back in its reorder window. */
  flushTracker(): TrackerChange {
    const from = withKilnEndRule(this.tracker, this.o.endRule?.(this.workshop, this.kiln));
    const r = flush(from);
    this.tracker = r.state;
    for (const e of r.events) this.onEvent(e);
    this.checkPeak();
    return { kind: 'flushed', from, result: r };
  }

  private measure(p: Point): void {
    const ch = p.tags.channel;
    const m = this.o.meters;
    const newest = this.raw.note(p); // the zones' temperatures are the raw channels' (raw-channels.ts)
    if (p.measurement === 'temperature') {
      if (!newest) return; // no temperature, or older than the one shown
      this.newest_temp_ms = Math.max(this.newest_temp_ms ?? p.ts_ms, p.ts_ms);
      this.temp_at_ms = p.ts_ms; // the kiln temperature is read once per message, after its zones (apply)
    } else if (p.measurement === 'gas_flow') {
      const f = this.flowKgH(p);
      if (f === undefined) return;
      const prev = channel(this.flowCh, ch);
      const t = this.totals.flow;
      if (prev && p.ts_ms <= prev.last_ms) { t.late++; return; }
      if (prev) {
        const kg = flowStepKg(prev, p.ts_ms, f, m.max_gap_s);
        if (kg === null) t.gaps++;
        addKg(t, p.ts_ms, kg ?? 0, m, this.checkpointed('flow'), this.keep());
        prev.last_ms = p.ts_ms; // in place: no object a reading for the collector
        prev.last_kg_h = f;
      } else {
        addKg(t, p.ts_ms, 0, m, this.checkpointed('flow'), this.keep());
        this.flowCh = appended(this.flowCh ?? [], { ch, last_ms: p.ts_ms, last_kg_h: f });
      }
    } else if (p.measurement === 'gas_total') {
      const reg = this.register(p);
      if (!reg) return;
      const prev = channel(this.totalCh, ch);
      const t = this.totals.totalizer;
      if (prev && p.ts_ms <= prev.last_ms) { t.late++; return; }
      if (prev) {
        const s = totalStep(prev, reg.total, reg.rollover_at);
        if (s.reset) t.resets++;
        addKg(t, p.ts_ms, s.used * reg.kg_per_unit, m, this.checkpointed('totalizer'), this.keep());
        prev.last_ms = p.ts_ms;
        prev.high = s.high;
      } else {
        addKg(t, p.ts_ms, 0, m, this.checkpointed('totalizer'), this.keep());
        this.totalCh = appended(this.totalCh ?? [], { ch, last_ms: p.ts_ms, high: reg.total });
      }
    } else if (p.measurement === 'gas_scale') {
      const mass = num(p.fields.mass_kg);
      if (mass === undefined) return;
      const prev = channel(this.scaleCh, ch);
      const t = this.totals.scale;
      if (prev && p.ts_ms <= prev.last_ms) { t.late++; return; }
      if (prev) {
        const s = scaleStep(prev, mass, m);
        addKg(t, p.ts_ms, s.used_kg, m, this.checkpointed('scale'), this.keep());
        prev.last_ms = p.ts_ms;
        prev.level_kg = s.level_kg;
        prev.last_kg = mass;
      } else {
        addKg(t, p.ts_ms, 0, m, this.checkpointed('scale'), this.keep());
        this.scaleCh = appended(this.scaleCh ?? [], { ch, last_ms: p.ts_ms, level_kg: mass, last_kg: mass });
      }
    } else if (p.measurement === 'event' && p.tags.type === 'firing_start') {
      this.rememberSchedule(p);
    }
  }

  /** How many fuel checkpoints a kind keeps now: a few once the kiln's controller starts its firings. */
  private keep(): number {
    return this.tracker.controller_seen ? this.o.meters.keep_controlled : this.o.meters.keep;
  }

  /** Whether a kind's fuel checkpoints are kept: fuelSince reads only the first kind in
   *  METER_ORDER that has any, so once a kind before this one has them, this one's are never read
   *  again (a kiln with a totaliser, a flow meter and a scale: 8.2 KB less after 4 h of 10 s
   *  readings, npm run bench:kiln-memory). */
  private checkpointed(kind: LiveMeterKind): boolean {
    for (const k of METER_ORDER) {
      if (k === kind) return true;
      if (this.totals[k].checkpoints?.length) return false;
    }
    return true;
  }

  private flowKgH(p: Point): number | undefined {
    const kg = num(p.fields.flow_kg_h);
    if (kg !== undefined) return kg;
    const m3 = num(p.fields.flow_m3_h), t = num(p.fields.ref_temp_c), kpa = num(p.fields.ref_pressure_kpa);
    return m3 === undefined || t === undefined || kpa === undefined ? undefined : m3ToKg(m3, t, kpa, this.o.propane_mol_frac);
  }

  private register(p: Point): { total: number; kg_per_unit: number; rollover_at: number | undefined } | null {
    const rollover_at = num(p.fields.rollover_at);
    const kg = num(p.fields.total_kg);
    if (kg !== undefined) return { total: kg, kg_per_unit: 1, rollover_at };
    const m3 = num(p.fields.total_m3), t = num(p.fields.ref_temp_c), kpa = num(p.fields.ref_pressure_kpa);
    if (m3 === undefined || t === undefined || kpa === undefined) return null;
    return { total: m3, kg_per_unit: m3ToKg(1, t, kpa, this.o.propane_mol_frac), rollover_at };
  }

  private rememberSchedule(p: Point): void {
    // An event whose data does not parse still marks the start (the tracker); only the schedule is lost.
    const data = startDataOf(p.fields.data_json);
    const key = data.firing_id ?? `@${p.ts_ms}`;
    this.schedules = keepSchedule(this.schedules, key, data.schedule);
  }

  private scheduleFor(id: string, at_ms: number, by: StartedBy): Schedule | null {
    if (by !== 'controller') return null;
    return scheduleOf(this.schedules, id) ?? scheduleOf(this.schedules, `@${at_ms}`) ?? null;
  }

  private onEvent(e: FiringEvent): void {
    if (NEWS.has(e.type)) this.news++;
    if (e.type === 'firing_started') {
      const f = this.tracker.firing;
      if (e.replaces !== undefined && this.firing?.id === e.replaces) {
        Object.assign(this.firing, { id: e.firing_id, by: e.by, target_c: e.target_c, schedule: this.scheduleFor(e.firing_id, e.at_ms, e.by) });
        return;
      }
      this.firing = {
        id: e.firing_id, by: e.by, start_ms: e.at_ms, target_c: e.target_c, schedule: this.scheduleFor(e.firing_id, e.at_ms, e.by),
        start_c: f && f.id === e.firing_id ? f.peak_c : null, peak_reached_ms: null, gaps: 0,
      };
      this.pinFuelAt(e.at_ms);
    } else if (e.type === 'firing_ended') {
      const f = this.firing;
      if (f && f.id === e.firing_id) {
        this.last_firing = { id: f.id, start_ms: f.start_ms, end_ms: e.at_ms, reason: e.reason, fuel_kg: this.fuelSince(f.start_ms, e.at_ms).fuel_kg };
        this.firing = null;
        this.pinFuelAt(null);
      }
    } else if (e.type === 'data_gap') {
      if (this.firing?.id === e.firing_id) this.firing.gaps++;
    }
  }

  /** Keep the fuel checkpoint at the running firing's start (meters.ts pin_ms): 1,800 checkpoints
   *  reach back 5 h, a firing lasts longer, and its gas so far is counted from its start. Set by
   *  the firing's own events, so a kiln rebuilt from InfluxDB pins it too. */
  private pinFuelAt(start_ms: number | null): void {
    for (const kind of METER_ORDER) this.totals[kind].pin_ms = start_ms;
  }

  /** The schedule's peak counts as reached once the kiln is within the soak band of the target. */
  private checkPeak(): void {
    const f = this.firing;
    if (!f || f.peak_reached_ms !== null || f.target_c === null) return;
    const tf = this.tracker.firing;
    if (tf && tf.id === f.id && tf.peak_c >= f.target_c - this.o.tracker.soak_band_c) f.peak_reached_ms = tf.peak_ms;
  }

  kilnTemp(at_ms: number): number | null {
    let max: number | null = null;
    const stale_ms = this.o.tracker.zone_stale_s * 1000;
    this.raw.forEachTemp((_ch, temp_c, ts_ms) => {
      if (at_ms - ts_ms <= stale_ms && (max === null || temp_c > max)) max = temp_c;
    });
    return max;
  }

  /** Fuel burnt from start_ms to the newest reading, by the preferred meter kind that has readings. */
  fuelSince(start_ms: number, until_ms: number | null = null): { fuel_kg: number | null; meter: LiveMeterKind | null; reason: string } {
    for (const kind of METER_ORDER) {
      const t = this.totals[kind];
      if (!t.checkpoints?.length) continue;
      const base = totalAt(t, start_ms);
      const end = until_ms === null ? t.total_kg : (totalAt(t, until_ms) ?? t.total_kg);
      const notes = [
        base === null ? 'counted from the first reading this service saw (after the firing start)' : 'since the firing start',
        kind === 'flow' && t.gaps ? `${t.gaps} flow gap(s) not bridged` : '',
        t.resets ? `${t.resets} register reset(s), nothing counted across them` : '',
        kind === 'scale' ? 'scale: no spike filter live; the report may differ by a spike' : '',
      ].filter(Boolean);
      return { fuel_kg: Math.max(0, end - (base ?? 0)), meter: kind, reason: `${kind} meter, ${notes.join('; ')}` };
    }
    return { fuel_kg: null, meter: null, reason: 'no gas meter readings' };
  }

  view(): KilnLiveView {
    const now = this.newest_ms;
    const kiln_temp_c = now === null ? null : this.kilnTemp(now);
    const tf = this.tracker.firing;
    const f = this.firing;
    return {
      workshop: this.workshop, kiln: this.kiln, newest_reading_ms: now,
      stage: tf?.stage ?? 'idle', stage_since_ms: tf?.stage_since_ms ?? null,
      firing: f && now !== null ? {
        id: f.id, by: f.by, start_ms: f.start_ms, elapsed_h: Math.max(0, now - f.start_ms) / MS_PER_H, target_c: f.target_c,
        schedule_name: f.schedule?.name ?? null, atmosphere: tf?.atmosphere ?? null, peak_c: tf?.peak_c ?? null, data_gaps: f.gaps,
        status: tf?.gas_off_ms != null ? 'cooling' : 'firing', gas_off_ms: tf?.gas_off_ms ?? null,
      } : null,
      kiln_temp_c, zones: this.zones(now), rate_c_h: trackerRateCH(this.tracker), gas_flow_kg_h: this.gasFlow(now),
      fuel: this.fuelView(f, now),
      eta: this.eta(now, kiln_temp_c),
      last_firing: this.last_firing,
      points_seen: this.tracker.points_seen, late_points: this.tracker.late_points,
      received_at_ms: this.received_at_ms, silent: this.silent, complete: this.complete,
      channels: this.raw.view(), fault_ack: this.fault_ack,
    };
  }

  /** view() as JSON: the same text as JSON.stringify(view()) (tests/unit/live-view-json.test.ts),
   *  written without most of its objects. It is made for every kiln event of the live stream, at
   *  every message of every kiln: 8 µs against 13.4 for JSON.stringify(view()), a k18 kiln mid-firing
   *  (npx tsx bench/view-json.bench.ts). The snapshots put the same text in (hub.ts, JsonText). */
  viewJson(): string {
    const now = this.newest_ms;
    const stale_ms = this.o.tracker.zone_stale_s * 1000;
    let zones = '';
    let indexLike = false;
    this.raw.forEachTemp((ch, temp_c, ts_ms) => {
      zones += `${zones ? ',' : ''}${JSON.stringify(ch)}:{"temp_c":${jsonNumber(temp_c)},"ts_ms":${jsonNumber(ts_ms)},"stale":${now !== null && now - ts_ms > stale_ms}}`;
      indexLike ||= INDEX_LIKE.test(ch);
    });
    // An object lists keys such as "2" first, in numeric order, whatever the order they were set in.
    if (indexLike) zones = JSON.stringify(this.zones(now)).slice(1, -1);
    const kiln_temp_c = now === null ? null : this.kilnTemp(now);
    const tf = this.tracker.firing;
    const f = this.firing;
    const firing = f && now !== null
      ? `{"id":${JSON.stringify(f.id)},"by":${JSON.stringify(f.by)},"start_ms":${jsonNumber(f.start_ms)},"elapsed_h":${jsonNumber(Math.max(0, now - f.start_ms) / MS_PER_H)},`
        + `"target_c":${orNull(f.target_c)},"schedule_name":${JSON.stringify(f.schedule?.name ?? null)},"atmosphere":${JSON.stringify(tf?.atmosphere ?? null)},`
        + `"peak_c":${orNull(tf?.peak_c)},"data_gaps":${jsonNumber(f.gaps)},"status":"${tf?.gas_off_ms != null ? 'cooling' : 'firing'}","gas_off_ms":${orNull(tf?.gas_off_ms)}}`
      : 'null';
    return `{"workshop":${JSON.stringify(this.workshop)},"kiln":${JSON.stringify(this.kiln)},"newest_reading_ms":${orNull(now)},`
      + `"stage":${JSON.stringify(tf?.stage ?? 'idle')},"stage_since_ms":${orNull(tf?.stage_since_ms)},"firing":${firing},`
      + `"kiln_temp_c":${orNull(kiln_temp_c)},"zones":{${zones}},"rate_c_h":${orNull(trackerRateCH(this.tracker))},"gas_flow_kg_h":${orNull(this.gasFlow(now))},`
      + `"fuel":${JSON.stringify(this.fuelView(f, now))},"eta":${JSON.stringify(this.eta(now, kiln_temp_c))},"last_firing":${JSON.stringify(this.last_firing)},`
      + `"points_seen":${jsonNumber(this.tracker.points_seen)},"late_points":${jsonNumber(this.tracker.late_points)},"received_at_ms":${orNull(this.received_at_ms)},`
      + `"silent":${this.silent},"complete":${this.complete},"channels":${this.raw.json()},"fault_ack":${JSON.stringify(this.fault_ack)}}`;
  }

  private zones(now: number | null): KilnLiveView['zones'] {
    const stale_ms = this.o.tracker.zone_stale_s * 1000;
    const zones: Record<string, { temp_c: number; ts_ms: number; stale: boolean }> = {};
    this.raw.forEachTemp((ch, temp_c, ts_ms) => { zones[ch] = { temp_c, ts_ms, stale: now !== null && now - ts_ms > stale_ms }; });
    return zones;
  }

  /** The fresh flow meters' kg/h together, or null without one. */
  private gasFlow(now: number | null): number | null {
    const stale_ms = this.o.tracker.zone_stale_s * 1000;
    let gas: number | null = null;
    for (const f of this.flowCh ?? []) if (now !== null && now - f.last_ms <= stale_ms) gas = (gas ?? 0) + Math.max(0, f.last_kg_h);
    return gas;
  }

  private eta(now: number | null, kiln_temp_c: number | null): Eta {
    const f = this.firing;
    return f && now !== null
      ? estimateEta({ schedule: f.schedule, start_ms: f.start_ms, start_c: f.start_c, now_ms: now, temp_c: kiln_temp_c, peak_reached_ms: f.peak_reached_ms })
      : { time_to_peak_h: null, time_to_end_h: null, reason: 'no firing running' };
  }

  private fuelView(f: FiringLive | null, now: number | null): KilnLiveView['fuel'] {
    const none = { fuel_kg: null, meter: null, energy_mj: null, co2_kg: null, cost_vnd: null, price_vnd_per_kg: null, price_valid_from: null };
    if (!f || now === null) return { ...none, reason: 'no firing running' };
    const r = this.fuelSince(f.start_ms);
    if (r.fuel_kg === null) return { ...none, reason: r.reason };
    const price = priceAt(this.o.prices, now);
    return {
      fuel_kg: r.fuel_kg, meter: r.meter, energy_mj: energyMj(r.fuel_kg, FUELS.lpg), co2_kg: co2Kg(r.fuel_kg, FUELS.lpg),
      cost_vnd: price ? r.fuel_kg * price.vnd_per_kg : null, price_vnd_per_kg: price?.vnd_per_kg ?? null, price_valid_from: price?.valid_from ?? null,
      reason: price ? `${r.reason}; priced at the LPG price in force now` : `${r.reason}; no LPG price in force at this date`,
    };
  }
}
