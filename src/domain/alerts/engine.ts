// The alert engine for ONE kiln, a pure reducer: stepAlertsAll(state, points, settings) →
// { state, transitions } (stepAlerts: one point). It keeps what the rules need (each zone's
// latest reading, gas flows, flue O2, the scale, the kiln temperature's rate over rate_window_s, the controller's schedule
// plan, the running firing's fuel), folds the firing tracker's step() for the firing and its stage,
// and evaluates the rules (rules.ts) once per device instant: when a point of a newer instant
// arrives, the previous instant is complete and is judged. Silence cannot show in device time
// (the device is what stopped), so the shell calls tickAlerts() with how long it has heard
// nothing, by its own clock. Deterministic: the same points and ticks give the same alerts.
// One exception, by design: followTracker() takes the live view's step of a message the service
// thinned out, when there is one, so the firing (its start, its cooling) is then dated from
// every reading instead of the ones kept; what the rules judge is otherwise the same. And
// followFlush() and adoptTracker() follow the live view's tracker when it flushes a silent kiln or
// is rebuilt from stored readings (a restart, a burst it skipped), so the two keep one state.
import type { Point } from '../point.ts';
import {
  DEFAULT_TRACKER_CONFIG, initialState as trackerInitial, withKilnEndRule, step as trackerStep, stepAll as trackerStepAll, steppedAlready, type FiringEvent, type StepResult, type TrackerState,
} from '../firing/index.ts';
import { startDataOf } from '../../wire/events.ts';
import { IDLE_KEY, debounce, type KeyState } from './debounce.ts';
import { messages } from './messages.ts';
import { advancePlan, newPlan, type Plan } from './plan.ts';
import { CLOCK_KEY, clockLevelAt, clockVerdictFor, type ClockWatch } from './clock.ts';
import { evaluate, silentBreach, silentVerdict, type Features } from './rules.ts';
import { endRuleOf, type AlertSettings } from './settings.ts';
import { SEVERITY, type Alert, type AlertTransition, type Verdict } from './types.ts';
import { NO_HISTORY, pushHistory, rateCH, type ZoneHistory } from './zone-history.ts';
import { channelIndex, NO_LATEST, tsAt, valueAt, withLatest, type Latest } from '../latest.ts';

export interface Timed { readonly value: number; readonly ts_ms: number }

export interface FiringRun {
  readonly id: string;
  readonly start_ms: number;
  readonly fuel_kg: number;
  readonly max_flow_kg_h: number;
  /** When the tracker first called it cooling: the end of the heating time. */
  readonly cooling_ms: number | null;
  /** Joined after it started (adoptTracker: a restart): fuel_kg counts only the gas since, so it
   *  is neither judged against the usual fuel nor learnt as a usual firing. */
  readonly partial?: true;
}

export interface UsualFiring { readonly fuel_kg: number; readonly duration_h: number }

export interface KilnAlertState {
  readonly workshop: string;
  readonly kiln: string;
  readonly tracker: TrackerState;
  /** The device instant being collected; judged once a newer one starts. */
  readonly instant_ms: number | null;
  /** Each zone's newest °C and each gas meter's newest kg/h, with their times, flat (latest.ts). */
  readonly zones: Latest;
  /** Largest jump of a zone between two readings at the instant being collected. */
  readonly jumps: Readonly<Record<string, number>>;
  readonly flows: Latest;
  readonly o2: Timed | null;
  readonly scales: Readonly<Record<string, Timed>>;
  /** Each fresh zone's temperature about every rate_window_s / 10, oldest first (the anchor of the rate). */
  readonly history: ZoneHistory;
  readonly plan: Plan | null;
  readonly firing: FiringRun | null;
  /** Completed firings seen, newest last (at most 10). */
  readonly usual: readonly UsualFiring[];
  readonly last_reading_ms: number | null;
  readonly keys: Readonly<Record<string, KeyState>>;
  readonly active: Readonly<Record<string, Alert>>;
}

export interface AlertStep {
  readonly state: KilnAlertState;
  readonly transitions: readonly AlertTransition[];
}

/** The empty record every kiln starts with, and its jumps return to once judged: one object, not
 *  one a record a kiln (56 bytes each, and one more object for the collector to mark, at 10,000
 *  kilns). Safe to share: a step writes only to the records it copied first (own()); frozen, so a
 *  write that skipped the copy throws instead of changing every kiln at once. */
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});
const NO_USUAL: readonly UsualFiring[] = Object.freeze([]);

export function initialKilnAlerts(workshop: string, kiln: string): KilnAlertState {
  return {
    workshop, kiln, tracker: trackerInitial(DEFAULT_TRACKER_CONFIG), instant_ms: null, zones: NO_LATEST, jumps: EMPTY, flows: NO_LATEST, o2: null,
    scales: EMPTY, history: NO_HISTORY, plan: null, firing: null, usual: NO_USUAL, last_reading_ms: null, keys: EMPTY, active: EMPTY,
  };
}

const num = (v: number | string | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The state being built inside one call: a shallow copy of the caller's state, with each record
 *  copied (Object.assign, see own()) the first time this call writes to it. Nothing the caller
 *  holds is ever mutated, so the engine stays a pure function of its arguments. */
type Draft = { -readonly [K in keyof KilnAlertState]: KilnAlertState[K] };
type OwnedKey = 'zones' | 'jumps' | 'flows' | 'scales' | 'keys' | 'active';
type RecordKey = Exclude<OwnedKey, 'zones' | 'flows'>;
const OWNED_BIT: Readonly<Record<OwnedKey, number>> = { zones: 1, jumps: 2, flows: 4, scales: 8, keys: 16, active: 32 };
/** owned: a bit per record or table (OWNED_BIT) already copied by this call. */
interface Work { readonly d: Draft; owned: number; readonly out: AlertTransition[] }

/** The draft is one literal with every field, always in this order, not a spread of the state: a
 *  spread of these 16 fields put some of them in a second object of their own (112 bytes a kiln
 *  in a heap snapshot at 10,000 kilns; docs/benchmarks.md), and the state a step returns is
 *  the one the kiln keeps. */
function draft(s: KilnAlertState): Work {
  // Every key is required here, so a field added to KilnAlertState must be added here too.
  const d: { -readonly [K in keyof Required<KilnAlertState>]: KilnAlertState[K] } = {
    workshop: s.workshop, kiln: s.kiln, tracker: s.tracker, instant_ms: s.instant_ms, zones: s.zones, jumps: s.jumps, flows: s.flows,
    o2: s.o2, scales: s.scales, history: s.history, plan: s.plan, firing: s.firing, usual: s.usual,
    last_reading_ms: s.last_reading_ms, keys: s.keys, active: s.active,
  };
  return { d, owned: 0, out: [] };
}

/** A record of the draft this call may write to. Object.assign, not a spread: on Node 20 a key
 *  added to an object cloned by spread is ~10x slower (npm run bench:alerts prints both). */
function own<K extends RecordKey>(w: Work, k: K): Record<string, NonNullable<KilnAlertState[K][string]>> {
  if (!(w.owned & OWNED_BIT[k])) {
    w.d[k] = Object.assign({}, w.d[k]) as Draft[K];
    w.owned |= OWNED_BIT[k];
  }
  return w.d[k] as Record<string, NonNullable<KilnAlertState[K][string]>>;
}

/** A zone's or meter's reading written into the draft's table at i (its channelIndex, -1 for a
 *  channel not in it yet), its numbers copied the first time this call writes to it (a new
 *  channel makes a new table: latest.ts). */
function putLatest(w: Work, k: 'zones' | 'flows', i: number, ch: string, value: number, ts_ms: number): Latest {
  const t = w.d[k];
  if (i < 0) {
    w.owned |= OWNED_BIT[k];
    return (w.d[k] = withLatest(t, ch, value, ts_ms));
  }
  if (!(w.owned & OWNED_BIT[k])) {
    w.d[k] = { names: t.names, vals: t.vals.slice() };
    w.owned |= OWNED_BIT[k];
  }
  const vals = w.d[k].vals as number[];
  vals[2 * i] = ts_ms;
  vals[2 * i + 1] = value;
  return w.d[k];
}

/** One point: the same as stepAlertsAll(s, [p], cfg). */
export function stepAlerts(s: KilnAlertState, p: Point, cfg: AlertSettings): AlertStep {
  return stepAlertsAll(s, [p], cfg);
}

/** A run of one kiln's points (a message, or several) folded at once: exactly what stepAlerts
 *  point by point gives (tests/unit/alerts/fold-all.test.ts), with one copy of the state per call
 *  instead of several per point, and the tracker stepped once per device instant (stepAll). */
export function stepAlertsAll(s: KilnAlertState, points: readonly Point[], cfg: AlertSettings): AlertStep {
  const w = draft(s);
  const d = w.d;
  d.tracker = withKilnEndRule(d.tracker, endRuleOf(cfg)); // the kiln's end rule, as saved now
  for (let i = 0; i < points.length;) {
    const ts = points[i]!.ts_ms;
    let j = i + 1;
    while (j < points.length && points[j]!.ts_ms === ts) j++;
    // A point of a newer instant completes the one being collected: judge it first.
    if (d.instant_ms !== null && ts > d.instant_ms) judge(w, d.instant_ms, cfg);
    if (d.instant_ms === null || ts > d.instant_ms) d.instant_ms = ts;
    const run = i === 0 && j === points.length ? points : points.slice(i, j);
    const r = trackerStepAll(d.tracker, run);
    if (r.events.length === 0) {
      // No firing started or ended: the order of measuring and tracking within the instant cannot matter.
      for (const p of run) measure(w, p, cfg);
      d.tracker = r.state;
    } else {
      // A tracker event changes the firing that gas readings count towards, from the point that
      // caused it: step this instant point by point, as stepAlerts always has (a few per firing).
      for (const p of run) {
        measure(w, p, cfg);
        const q = trackerStep(d.tracker, p);
        d.tracker = q.state;
        onTrackerEvents(d, q.events);
      }
      // The same state as stepAll's, but stepAll's object: the live view holds that one (tracker.ts).
      d.tracker = r.state;
    }
    i = j;
  }
  return { state: d, transitions: w.out };
}

/** A message the alert service thinned out (min_sample_s) that the live view has just stepped
 *  from this kiln's tracker state: its step is taken as it is, for nothing, so that at 1 Hz too
 *  the two hold one tracker state (src/domain/firing/tracker.ts), and this kiln's firing is
 *  followed at every reading. No rule judges anything new (the instant being collected is judged
 *  when the next one kept comes, as before); a firing event in it is noted as stepAlertsAll notes
 *  it. Null when the live view did not step this state with this message: then it is left out. */
export function followTracker(s: KilnAlertState, points: readonly Point[], cfg: AlertSettings): KilnAlertState | null {
  const r = steppedAlready(withKilnEndRule(s.tracker, endRuleOf(cfg)), points);
  return r === null ? null : takeStep(s, r);
}

/** The live view flushed this kiln's tracker (the kiln went silent: what its reorder window held
 *  back is decided). When the engine holds the state it flushed, it takes the flushed state and
 *  notes its events, as if it had flushed it itself: the two go on holding one state. Null when
 *  the engine's tracker is another one (it then waits for the kiln's next readings, as before). */
export function followFlush(s: KilnAlertState, from: TrackerState, r: StepResult, cfg: AlertSettings): KilnAlertState | null {
  return withKilnEndRule(s.tracker, endRuleOf(cfg)) === from ? takeStep(s, r) : null;
}

/** The tracker step the live view made, taken as this engine's: its state, and its events noted. */
function takeStep(s: KilnAlertState, r: StepResult): KilnAlertState {
  const d: Draft = { ...s, tracker: r.state };
  onTrackerEvents(d, r.events);
  return d;
}

/** A tracker state folded from the kiln's stored readings (the live view's rebuild after a restart,
 *  or after a burst whose readings it skipped) replaces the engine's: it has seen every stored
 *  reading, so it knows a firing that ran across a restart. The engine's own record of the firing
 *  follows: kept when it is the same firing, dropped when the firing has ended, and joined when it
 *  is new to the engine, as partial (its gas so far was not counted here). */
export function adoptTracker(s: KilnAlertState, tracker: TrackerState): KilnAlertState {
  const f = tracker.firing;
  let firing = s.firing;
  if (f === null) firing = null;
  else if (firing?.id !== f.id) {
    firing = { id: f.id, start_ms: f.start_ms, fuel_kg: 0, max_flow_kg_h: 0, cooling_ms: f.stage === 'cooling' ? f.stage_since_ms : null, partial: true };
  }
  return { ...s, tracker, firing };
}

/** Judge the instant still being collected (the end of a replay, or a test). */
export function flushAlerts(s: KilnAlertState, cfg: AlertSettings): AlertStep {
  if (s.instant_ms === null) return { state: s, transitions: [] };
  const w = draft(s);
  judge(w, s.instant_ms, cfg);
  return { state: w.d, transitions: w.out };
}

/** Nothing changed (shared: the clock and silence checks run every second for every kiln). */
const NO_TRANSITIONS: readonly AlertTransition[] = Object.freeze([]);

/** The shell's clock: no telemetry for quiet_s, and the device's Last Will offline_s ago (null: online). */
export function tickAlerts(s: KilnAlertState, tick: { readonly quiet_s: number; readonly offline_s: number | null }, cfg: AlertSettings): AlertStep {
  const at_ms = s.last_reading_ms;
  // Only a breach can change the silence key here: anything else returns before a verdict is built.
  if (at_ms === null || s.tracker.firing === null || !silentBreach(tick.quiet_s, tick.offline_s, cfg)) return { state: s, transitions: NO_TRANSITIONS };
  const v = silentVerdict(tick.quiet_s, tick.offline_s, true, cfg)!;
  const w = draft(s);
  apply(w, [v], at_ms);
  return w.out.length || w.owned ? { state: w.d, transitions: w.out } : { state: s, transitions: NO_TRANSITIONS };
}

/** The kiln's device clock judged now, on the service clock (wall_ms): the device's is what is
 *  wrong. Judged every second for every kiln, nearly always with nothing to change: with its key
 *  at rest (no alert, no breach being timed) only a breach changes anything (debounce.ts), so
 *  then neither a verdict nor a copy of the state is made. The same as judgeClock(s,
 *  clockVerdict(w, wall_ms, cfg), wall_ms) (tests/unit/alerts/clock.test.ts). */
export function judgeClockNow(s: KilnAlertState, w: ClockWatch, wall_ms: number, cfg: AlertSettings): AlertStep {
  const level = clockLevelAt(w, wall_ms, cfg);
  const k0 = s.keys[CLOCK_KEY];
  if (level === null || (level !== 'breach' && (k0 === undefined || (!k0.active && k0.breach_since_ms === null)))) return { state: s, transitions: NO_TRANSITIONS };
  return judgeClock(s, clockVerdictFor(w, level, cfg), wall_ms);
}

/** The clock check's verdict (clock.ts), judged on the service clock (wall_ms). */
export function judgeClock(s: KilnAlertState, v: Verdict | null, wall_ms: number): AlertStep {
  if (!v) return { state: s, transitions: NO_TRANSITIONS };
  const k0 = s.keys[`${v.kind}:${v.channel}`] ?? IDLE_KEY;
  const r = debounce(k0, v.level, wall_ms, v.raise_after_s, v.clear_after_s);
  if (r.key === k0 && r.change === null) return { state: s, transitions: NO_TRANSITIONS };
  const w = draft(s);
  apply(w, [v], wall_ms);
  return w.out.length || w.owned ? { state: w.d, transitions: w.out } : { state: s, transitions: NO_TRANSITIONS };
}

/** A user acknowledged an alert (at_ms: the service clock). Null if it is not active. */
export function ackAlert(s: KilnAlertState, alert_id: string, by: string, note: string | null, at_ms: number): AlertStep | null {
  const key = Object.keys(s.active).find((k) => s.active[k]?.alert_id === alert_id);
  const a = key === undefined ? undefined : s.active[key];
  if (key === undefined || !a) return null;
  const acked: Alert = { ...a, acked_by: by, acked_at_ms: at_ms, ack_note: note };
  return { state: { ...s, active: { ...s.active, [key]: acked } }, transitions: [{ type: 'acked', at_ms, alert: acked }] };
}

/** Put back alerts that were active before a restart, so they are neither lost nor raised twice. */
export function restoreActive(s: KilnAlertState, alerts: readonly Alert[]): KilnAlertState {
  const active = { ...s.active };
  const keys = { ...s.keys };
  for (const a of alerts) {
    const key = `${a.kind}:${a.channel}`;
    active[key] = a;
    keys[key] = { active: true, breach_since_ms: null, ok_since_ms: null };
  }
  return { ...s, active, keys };
}

/** Seed the kiln's usual firings (usual.ts) after a restart; what the engine has learnt since wins. */
export function restoreUsual(s: KilnAlertState, usual: readonly UsualFiring[]): KilnAlertState {
  return s.usual.length > 0 || usual.length === 0 ? s : { ...s, usual };
}

export function activeAlerts(s: KilnAlertState): Alert[] {
  return Object.values(s.active).sort((a, b) => a.raised_at_ms - b.raised_at_ms || a.alert_id.localeCompare(b.alert_id));
}

// --- what the rules need, from each point ---

function measure(w: Work, p: Point, cfg: AlertSettings): void {
  const d = w.d;
  const ch = p.tags.channel;
  if (p.measurement === 'temperature') {
    const t = num(p.fields.temp_c);
    const i = channelIndex(d.zones, ch);
    const prev_ms = i < 0 ? null : tsAt(d.zones, i);
    if (t === undefined || (prev_ms !== null && prev_ms >= p.ts_ms)) return;
    if (prev_ms !== null && p.ts_ms - prev_ms <= cfg.jump_window_s * 1000) {
      const j = Math.abs(t - valueAt(d.zones, i));
      if (j > (d.jumps[ch] ?? 0)) own(w, 'jumps')[ch] = j;
    }
    putLatest(w, 'zones', i, ch, t, p.ts_ms);
    d.last_reading_ms = newest(d.last_reading_ms, p.ts_ms);
    return;
  }
  if (p.measurement === 'gas_flow') {
    const f = flowKgH(p);
    const i = channelIndex(d.flows, ch);
    const prev_ms = i < 0 ? null : tsAt(d.flows, i);
    if (f === undefined || (prev_ms !== null && prev_ms >= p.ts_ms)) return;
    const firing = d.firing;
    // Trapezoid, never across a gap longer than the tracker's max_gap_s (analytics.md: gaps are not bridged).
    const kg = firing && prev_ms !== null && p.ts_ms - prev_ms <= DEFAULT_TRACKER_CONFIG.max_gap_s * 1000 && prev_ms >= firing.start_ms
      ? ((Math.max(0, valueAt(d.flows, i)) + Math.max(0, f)) / 2) * ((p.ts_ms - prev_ms) / 3_600_000) : 0;
    const flows = putLatest(w, 'flows', i, ch, f, p.ts_ms);
    // One copy of the running firing a reading, not one for its fuel and another for its peak flow.
    if (firing) d.firing = { ...firing, fuel_kg: firing.fuel_kg + kg, max_flow_kg_h: Math.max(firing.max_flow_kg_h, totalFlow(flows, p.ts_ms, cfg)) };
    d.last_reading_ms = newest(d.last_reading_ms, p.ts_ms);
    return;
  }
  if (p.measurement === 'oxygen') {
    const o = num(p.fields.o2_pct);
    if (o === undefined || (d.o2 && d.o2.ts_ms >= p.ts_ms)) return;
    d.o2 = { value: o, ts_ms: p.ts_ms };
    d.last_reading_ms = newest(d.last_reading_ms, p.ts_ms);
    return;
  }
  if (p.measurement === 'gas_scale') {
    const m = num(p.fields.mass_kg);
    const prev = d.scales[ch];
    if (m === undefined || (prev && prev.ts_ms >= p.ts_ms)) return;
    own(w, 'scales')[ch] = { value: m, ts_ms: p.ts_ms };
    d.last_reading_ms = newest(d.last_reading_ms, p.ts_ms);
    return;
  }
  if (p.measurement === 'event') {
    if (p.tags.type === 'firing_start') {
      const data = startDataOf(p.fields.data_json);
      d.plan = data.schedule ? newPlan(data.schedule, data.firing_id, p.ts_ms) : null;
    } else if (p.tags.type === 'firing_stop') d.plan = null;
    return;
  }
  if (p.measurement === 'gas_total' || p.measurement === 'kiln_pressure' || p.measurement === 'damper') {
    d.last_reading_ms = newest(d.last_reading_ms, p.ts_ms);
  }
}

function onTrackerEvents(d: Draft, events: readonly FiringEvent[]): void {
  for (const e of events) {
    const firing = d.firing;
    if (e.type === 'firing_started') {
      d.firing = e.replaces !== undefined && firing && firing.id === e.replaces
        ? { ...firing, id: e.firing_id }
        : { id: e.firing_id, start_ms: e.at_ms, fuel_kg: 0, max_flow_kg_h: 0, cooling_ms: null };
    } else if (e.type === 'stage_changed' && e.stage === 'cooling' && firing && firing.id === e.firing_id && firing.cooling_ms === null) {
      d.firing = { ...firing, cooling_ms: e.at_ms };
    } else if (e.type === 'firing_ended' && firing && firing.id === e.firing_id) {
      if (e.reason === 'complete' && !firing.partial) {
        const heat_end = firing.cooling_ms ?? e.at_ms;
        d.usual = [...d.usual, { fuel_kg: firing.fuel_kg, duration_h: (heat_end - firing.start_ms) / 3_600_000 }].slice(-10);
      }
      d.firing = null;
    }
  }
}

// --- judging one instant ---

function judge(w: Work, at_ms: number, cfg: AlertSettings): void {
  const d = w.d;
  const temp = kilnTemp(d.zones, at_ms, cfg);
  const fresh = freshZones(d.zones, at_ms, cfg);
  if (temp !== null) {
    d.history = pushHistory(d.history, fresh, at_ms, cfg.rate_window_s);
    if (d.plan) d.plan = advancePlan(d.plan, temp, at_ms, cfg.holdback_c);
  }
  const f: Features = {
    at_ms, temp_c: temp, rate_c_h: temp === null ? null : rateCH(d.history, fresh, at_ms, cfg.rate_window_s),
    zones: d.zones, jumps: d.jumps, flow_kg_h: totalFlow(d.flows, at_ms, cfg), flows_fresh: anyFresh(d.flows, at_ms, cfg),
    o2_pct: d.o2 && at_ms - d.o2.ts_ms <= cfg.zone_silent_s * 1000 ? d.o2.value : null,
    scales: d.scales, plan: d.plan, firing: d.firing, firing_running: d.tracker.firing !== null,
    tracker_target_c: d.tracker.firing?.target_c ?? null, usual: d.usual,
  };
  const verdicts = evaluate(f, cfg);
  // Readings are arriving (this instant is being judged): a kiln that was silent is heard again.
  const silent = d.active['sensor_silent:kiln'];
  if (silent && at_ms > silent.raised_at_ms) verdicts.push({ ...silentVerdict(0, null, true, cfg)!, level: 'ok' });
  apply(w, verdicts, at_ms);
  if (d.jumps !== EMPTY) {
    d.jumps = EMPTY;
    w.owned &= ~OWNED_BIT.jumps; // a jump at the next instant copies it first, as any record
  }
}

function apply(w: Work, verdicts: readonly Verdict[], at_ms: number): void {
  const d = w.d;
  for (const v of verdicts) {
    const key = `${v.kind}:${v.channel}`;
    const k0 = d.keys[key] ?? IDLE_KEY;
    const r = debounce(k0, v.level, at_ms, v.raise_after_s, v.clear_after_s);
    if (r.key !== k0) own(w, 'keys')[key] = r.key;
    if (r.change === 'raise') {
      const a: Alert = {
        alert_id: `${v.kind}.${v.channel}.${at_ms}`, workshop: d.workshop, kiln: d.kiln, kind: v.kind, channel: v.channel,
        severity: SEVERITY[v.kind], firing_id: d.tracker.firing?.id ?? d.plan?.firing_id ?? null, raised_at_ms: at_ms,
        value: v.value, threshold: v.threshold, unit: v.unit, ...messages(v),
        cleared_at_ms: null, clear_value: null, acked_by: null, acked_at_ms: null, ack_note: null,
      };
      own(w, 'active')[key] = a;
      w.out.push({ type: 'raised', at_ms, alert: a });
    } else if (r.change === 'clear') {
      const a = d.active[key];
      // A new record (owned), not a delete: V8 may turn a record deleted from into a slower, larger
      // dictionary, kept until the kiln's next raise or clear.
      d.active = without(d.active, key);
      w.owned |= OWNED_BIT.active;
      if (a) w.out.push({ type: 'cleared', at_ms, alert: { ...a, cleared_at_ms: at_ms, clear_value: v.value } });
    }
  }
}

// --- small helpers ---

function without<T>(r: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k in r) if (k !== key) out[k] = r[k]!;
  return out;
}

function newest(a: number | null, b: number): number {
  return a === null || b > a ? b : a;
}

function flowKgH(p: Point): number | undefined {
  const kg = num(p.fields.flow_kg_h);
  if (kg !== undefined) return kg;
  // m³/h → kg/h only to tell burners on from off, as the tracker does (lpg_density_kg_m3).
  const m3 = num(p.fields.flow_m3_h);
  return m3 === undefined ? undefined : m3 * DEFAULT_TRACKER_CONFIG.lpg_density_kg_m3;
}

export function kilnTemp(zones: Latest, at_ms: number, cfg: AlertSettings): number | null {
  let max: number | null = null;
  for (let i = 0; i < zones.names.length; i++) {
    const v = valueAt(zones, i);
    if (at_ms - tsAt(zones, i) <= cfg.zone_silent_s * 1000 && (max === null || v > max)) max = v;
  }
  return max;
}

function totalFlow(flows: Latest, at_ms: number, cfg: AlertSettings): number {
  let sum = 0;
  for (let i = 0; i < flows.names.length; i++) if (at_ms - tsAt(flows, i) <= cfg.zone_silent_s * 1000) sum += Math.max(0, valueAt(flows, i));
  return sum;
}

function anyFresh(m: Latest, at_ms: number, cfg: AlertSettings): boolean {
  for (let i = 0; i < m.names.length; i++) if (at_ms - tsAt(m, i) <= cfg.zone_silent_s * 1000) return true;
  return false;
}

function freshZones(zones: Latest, at_ms: number, cfg: AlertSettings): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < zones.names.length; i++) if (at_ms - tsAt(zones, i) <= cfg.zone_silent_s * 1000) out[zones.names[i]!] = valueAt(zones, i);
  return out;
}
