// The firing tracker for ONE kiln: step(state, point) → { state, events }. The live path folds it
// over readings as they arrive, the report path (fold.ts) over readings read back from InfluxDB:
// one rule, two drivers (docs/architecture.md).
//
// Out-of-order points: points are merged into per-instant samples and a sample is decided only
// when the newest point is reorder_window_s ahead of it, so any disorder inside the window gives
// the same result as sorted input. A point at or before the last decided sample is late: it is
// counted (late_points) and otherwise ignored, since its sample's decisions are already out.
// Readings are thinned to SAMPLE_RESOLUTION_MS per channel (pending.ts), so the window, and the
// work per point, stay bounded however dense the readings are.
import type { Point } from '../point.ts';
import { DEFAULT_TRACKER_CONFIG, withEndRule, type EndRule, type TrackerConfig } from './config.ts';
import { addPoints, sampleOf } from './pending.ts';
import { firingId } from './ids.ts';
import { gasFlow, kilnTemp, pushHistory, rateCH, zoneFaults, zoneKey } from './samples.ts';
import { mergeLatest, NO_LATEST } from '../latest.ts';
import { last100RateCH, markClimb } from './ramp.ts';
import { gasState } from './gas-state.ts';
import { fitMs } from './meters.ts';
import { advanceStage, classify } from './stages.ts';
import type { ActiveFiring, ControllerCommand, EndReason, FiringEvent, Sample, StartedBy, StepResult, TrackerDraft, TrackerState } from './types.ts';

// One kiln's state is stepped by two holders, the live view and the alert engine, one after the
// other with the same message (the same array) from, nearly always, the same state. stepAll()
// remembers its last call, so the second holder gets the first one's state object: a kiln's
// tracker is then held and computed once, not twice (docs/architecture.md). For that the two must
// start from one object (initialState is one per config) and take the same kiln end rule to the
// same object (withKilnEndRule). States are never written to, so sharing them is safe; a holder
// whose state differs (a rebuilt live view, readings thinned for the alerts) steps its own, as before.

/** The initial state of each config: one object, so every holder of a new kiln starts from it. */
const initials = new WeakMap<TrackerConfig, TrackerState>();

export function initialState(config: TrackerConfig = DEFAULT_TRACKER_CONFIG): TrackerState {
  let s = initials.get(config);
  if (s === undefined) {
    s = Object.freeze({
      config, kiln: null, watermark_ms: null, newest_ms: null, pending: Object.freeze([]), zones: NO_LATEST, flows: NO_LATEST,
      last_temp_ms: null, history: Object.freeze([]), low: null, rise_since_ms: null, gas_on_since_ms: null,
      controller_seen: false, firing: null, points_seen: 0, late_points: 0,
    });
    initials.set(config, s);
  }
  return s;
}

/** The state last put under a (new) end rule, by the state it came from. */
const ruled = new WeakMap<TrackerState, TrackerState>();

/** A saved or running state under a kiln's end rule as set now (a state carries its config; the
 *  rule is read at every decided sample, so a changed rule applies from the next one). The same
 *  state under the same rule gives the same object, whoever asks. */
export function withKilnEndRule(state: TrackerState, rule: EndRule | null | undefined): TrackerState {
  const config = withEndRule(state.config, rule);
  if (config === state.config) return state;
  const known = ruled.get(state);
  if (known !== undefined && known.config.unload_c === config.unload_c && known.config.end_after_gas_off_s === config.end_after_gas_off_s) return known;
  const out = { ...state, config };
  ruled.set(state, out);
  return out;
}

/** One point: stepAll() of one. */
export function step(state: TrackerState, point: Point): StepResult {
  return fold(state, [point]); // a new array each time: nothing to remember
}

/** stepAll's last call: one message's worth held until the next call. Only the last: the two holders
 *  step each message one right after the other (the pipeline's listeners), and a WeakMap of every
 *  message stepped made the alert engine a third to a half slower (its entries burden each
 *  young-generation collection; bench:alerts). */
let lastPoints: readonly Point[] | null = null;
let lastFrom: TrackerState | null = null;
let lastResult: StepResult | null = null;

/** step() over points, merging each run of points of one instant (a message's zones and meters)
 *  into its sample before deciding once: the same state and events as stepping them one by one
 *  (after the first point of an instant, the others are neither late nor move the decision
 *  bound), without a state copy per point. The live view and the alert engine fold each message
 *  with this; the same state stepped with the same array again gets the same result (objects
 *  included, events too: read them, never change them). */
export function stepAll(state: TrackerState, points: readonly Point[]): StepResult {
  const known = steppedAlready(state, points);
  if (known !== null) return known;
  const result = fold(state, points);
  lastPoints = points;
  lastFrom = state;
  lastResult = result;
  return result;
}

/** stepAll's result if its last call stepped this state with these points, else null: what a
 *  holder that would otherwise leave the message out may take for nothing. */
export function steppedAlready(state: TrackerState, points: readonly Point[]): StepResult | null {
  return points === lastPoints && state === lastFrom ? lastResult : null;
}

function fold(state: TrackerState, points: readonly Point[]): StepResult {
  const s = draftOf(state);
  const events: FiringEvent[] = [];
  for (let i = 0; i < points.length;) {
    const ts = points[i]!.ts_ms;
    let j = i + 1;
    while (j < points.length && points[j]!.ts_ms === ts) j++;
    if (s.watermark_ms !== null && ts <= s.watermark_ms) {
      s.points_seen += j - i;
      s.late_points += j - i;
    } else {
      const pending = addPoints(s, points, i, j);
      s.points_seen += j - i;
      if (pending) {
        s.kiln ??= points[i]!.tags.kiln;
        s.pending = pending;
        s.newest_ms = Math.max(s.newest_ms ?? ts, ts);
        drain(s, s.newest_ms - s.config.reorder_window_s * 1000, events);
      }
    }
    i = j;
  }
  return { state: s, events };
}

/** The state as the step's own draft, with every field present, always in this order (an absent
 *  optional one stays undefined): one object shape, which V8 reads fast; states built in other
 *  orders (checkpoints, older versions) were several times slower to copy. A step makes this one
 *  copy and writes to it, where it made 6-8 copies a message before (one per decision); the state
 *  it came from is never written to (states are shared: stepAll, checkpoints, flushed changes). */
function draftOf(state: TrackerState): TrackerDraft {
  // A checkpoint saved before a setting existed carries its config without it.
  const s = state.config.end_after_gas_off_s === undefined ? { ...state, config: { ...DEFAULT_TRACKER_CONFIG, ...state.config } } : state;
  // Every key is required here, so a field added to TrackerState must be added here too.
  const out: { -readonly [K in keyof Required<TrackerState>]: TrackerState[K] } = {
    config: s.config, kiln: s.kiln, watermark_ms: s.watermark_ms, newest_ms: s.newest_ms, pending: s.pending, zones: s.zones, flows: s.flows,
    last_temp_ms: s.last_temp_ms, history: s.history, faulted: s.faulted, zone_key: s.zone_key, low: s.low, rise_since_ms: s.rise_since_ms,
    gas_on_since_ms: s.gas_on_since_ms, meters: s.meters, flow_on_since_ms: s.flow_on_since_ms, flow_off_ms: s.flow_off_ms,
    gas_off_since_ms: s.gas_off_since_ms, gas_seen_ms: s.gas_seen_ms, controller_seen: s.controller_seen, firing: s.firing,
    points_seen: s.points_seen, late_points: s.late_points,
  };
  return out;
}

/** Decide every pending sample now: the end of a report, or a live kiln that went silent. */
export function flush(state: TrackerState): StepResult {
  const s = draftOf(state);
  const events: FiringEvent[] = [];
  drain(s, Infinity, events);
  return { state: s, events };
}

function drain(s: TrackerDraft, up_to_ms: number, events: FiringEvent[]): void {
  for (let head = s.pending[0]; head && head.ts_ms <= up_to_ms; head = s.pending[0]) {
    s.pending = s.pending.slice(1);
    s.watermark_ms = head.ts_ms;
    decide(s, sampleOf(head), events);
  }
}

function decide(s: TrackerDraft, sample: Sample, events: FiringEvent[]): void {
  const cfg = s.config;
  const ts = sample.ts_ms;
  const fresh = Object.keys(sample.temps_c).length > 0;
  s.faulted = fresh ? zoneFaults(s, sample.temps_c, ts) : s.faulted; // read against the zones before this sample
  s.zones = mergeLatest(s.zones, sample.temps_c, ts);
  s.flows = mergeLatest(s.flows, sample.flows_kg_h, ts);
  if (fresh) {
    if (s.firing && s.last_temp_ms !== null && ts - s.last_temp_ms > cfg.max_gap_s * 1000) {
      events.push({ type: 'data_gap', firing_id: s.firing.id, from_ms: s.last_temp_ms, to_ms: ts });
    }
    s.last_temp_ms = ts;
  }
  const temp = kilnTemp(s, ts);
  gasState(s, sample, ts, gasFlow(s, ts) > cfg.gas_on_kg_h);
  const gasOn = s.gas_on_since_ms !== null;
  if (fresh && temp !== null) followZones(s, temp, ts);
  for (const cmd of sample.commands) command(s, cmd, ts, temp, events);
  readings(s, ts, temp, fresh, gasOn, events);
}

/** The rate history, and the firing's reference peak, follow one set of zones: when a zone leaves
 *  (silent, in fault) or rejoins, the kiln temperature steps, and that step is not heating or
 *  cooling, so both restart from here. */
function followZones(s: TrackerDraft, temp: number, ts: number): void {
  const key = zoneKey(s, ts);
  if (s.zone_key === undefined || s.zone_key === '' || key === s.zone_key) {
    s.zone_key = key;
    s.history = pushHistory(s.history, temp, ts, s.config);
    return;
  }
  s.firing = s.firing ? { ...s.firing, ref_peak_c: temp } : null;
  s.zone_key = key;
  s.history = [ts, temp];
}

/** Controller events take precedence over detection. */
function command(s: TrackerDraft, cmd: ControllerCommand, ts: number, temp: number | null, events: FiringEvent[]): void {
  const f = s.firing;
  if (cmd.type === 'atmosphere') {
    if (f) s.firing = { ...f, atmosphere: cmd.atmosphere ?? null };
    return;
  }
  s.controller_seen = true;
  if (cmd.type === 'firing_stop') {
    if (!f) return;
    const reason = cmd.reason ?? 'complete';
    // The burners are off; the firing (and its cooling) ends at the unload temperature.
    if (f.gas_off_ms == null) gasOff(s, ts, 'controller', events);
    if (temp === null || temp < s.config.unload_c) end(s, ts, reason, events);
    else s.firing = { ...s.firing!, stop: { at_ms: ts, reason } };
    return;
  }
  const id = cmd.firing_id ?? firingId(s.kiln, ts);
  if (f && f.id === id) return; // a repeated start for the same firing
  const target_c = cmd.target_c ?? null;
  if (f && f.by === 'detected' && f.cooling_since_ms === null) {
    // The controller names a firing already detected from its readings: keep its start, take the name.
    const named: ActiveFiring = { ...f, id, by: 'controller', target_c: target_c ?? f.target_c };
    events.push({ type: 'firing_started', firing_id: id, at_ms: f.start_ms, by: 'controller', target_c: named.target_c, replaces: f.id });
    s.firing = named;
    return;
  }
  if (f) end(s, ts, 'refired', events);
  start(s, ts, 'controller', id, target_c, temp, ts, events);
}

function readings(s: TrackerDraft, ts: number, temp: number | null, fresh: boolean, burning: boolean, events: FiringEvent[]): void {
  const cfg = s.config;
  if (!s.firing) {
    if (fresh && temp !== null) trackLow(s, temp, ts);
    const at = s.controller_seen ? null : startAt(s, ts, null);
    if (at !== null) start(s, at, 'detected', firingId(s.kiln, at), null, temp, ts, events);
    return;
  }
  noteGas(s, burning, events);
  const gf = s.firing;
  // End a set time after gas-off, whatever the thermocouples say (one stuck hot, or the kiln silent a while).
  if (gf.gas_off_ms != null && ts - gf.gas_off_ms >= cfg.end_after_gas_off_s * 1000) {
    end(s, gf.gas_off_ms + cfg.end_after_gas_off_s * 1000, gf.stop?.reason ?? judged(gf, cfg), events);
    return;
  }
  if (!fresh || temp === null) return; // a gas-only sample decides nothing else for a running firing
  const f = gf;
  const climb = markClimb(f.climb, temp, ts);
  let g: ActiveFiring = temp > f.peak_c ? { ...f, peak_c: temp, peak_ms: ts, climb } : climb === f.climb ? f : { ...f, climb };
  const ref_peak_c = Math.max(g.ref_peak_c ?? g.peak_c, temp);
  if (ref_peak_c !== g.ref_peak_c) g = { ...g, ref_peak_c };
  const rate = rateCH(s.history, temp, ts);
  // Burning and rising is never cooling, whatever a thermocouple did.
  const heating = burning && rate !== null && rate > 0;
  detectGasOff(s, ts, burning, events);
  if (s.firing !== gf) g = { ...g, gas_off_ms: s.firing!.gas_off_ms };
  if (g.cooling_since_ms === null && !heating && temp < ref_peak_c - cfg.cooling_drop_c) {
    g = { ...g, cooling_since_ms: ts };
    s.low = null; // the cooling low starts here
    s.rise_since_ms = null;
  }
  s.firing = g;
  if (g.cooling_since_ms !== null) {
    trackLow(s, temp, ts);
    const at = s.controller_seen ? null : startAt(s, ts, g.cooling_since_ms, rate !== null && rate > 0);
    if (at !== null) {
      end(s, at, 'refired', events);
      start(s, at, 'detected', firingId(s.kiln, at), null, temp, ts, events);
      return;
    }
    if (temp < cfg.unload_c) {
      end(s, ts, g.stop?.reason ?? judged(g, cfg), events);
      return;
    }
    resumeGas(s, ts, burning, events);
    g = s.firing;
  }
  const r = advanceStage(g, classify(temp, rate, g, cfg, heating), ts, cfg);
  events.push(...r.events);
  s.firing = r.firing;
}

/** Without a controller's word: complete if the peak reached the target (or a plausible peak). */
function judged(f: ActiveFiring, cfg: TrackerConfig): EndReason {
  const ok = f.target_c !== null ? f.peak_c >= f.target_c - cfg.complete_tolerance_c : f.peak_c >= cfg.min_complete_peak_c;
  return ok ? 'complete' : 'aborted';
}

/** Follow the low of an idle or cooling kiln, and how long it has been rise_c above it. */
function trackLow(s: TrackerDraft, temp: number, ts: number): void {
  const cfg = s.config;
  const low = s.low;
  const forget = low !== null && ts - low.last_low_ms > cfg.low_memory_s * 1000 && temp - low.min_c < cfg.rise_c / 2;
  if (!low || temp < low.min_c || forget) {
    s.low = { min_c: temp, last_low_ms: ts };
    s.rise_since_ms = null;
    return;
  }
  const near = temp <= low.min_c + cfg.low_slack_c;
  const rising = temp >= low.min_c + cfg.rise_c;
  s.low = near ? { ...low, last_low_ms: ts } : low;
  s.rise_since_ms = rising ? (s.rise_since_ms ?? ts) : null;
}

/** When a firing began, if one has: a sustained rise dates it from the last sample near the low,
 *  sustained gas from when the gas came on (only gas lit after cooling began, so controlled
 *  cooling on a low flame is not a re-fire); the earlier of the two wins. */
function startAt(s: TrackerState, ts: number, after_ms: number | null, rising = true): number | null {
  const cfg = s.config;
  const rose = s.rise_since_ms !== null && s.low !== null && ts - s.rise_since_ms >= cfg.rise_hold_s * 1000;
  const gasFrom = s.gas_on_since_ms !== null && (after_ms === null || s.gas_on_since_ms >= after_ms) ? s.gas_on_since_ms : null;
  // A re-fire also heats: gas on a cooling kiln that goes on falling is a controlled cool.
  const gasHeld = gasFrom !== null && gasSettled(s, ts) && ts - gasFrom >= cfg.gas_on_hold_s * 1000 && (after_ms === null || rising);
  if (!rose && !gasHeld) return null;
  // A rise seen while a totaliser's or scale's gas-on is still being dated waits for it; the wait
  // ends when the dating settles or the meter goes off.
  if (!gasHeld && gasFrom !== null && !gasSettled(s, ts)) return null;
  // Burners seen burning date the start: the kiln cannot heat before its gas is on, and a meter
  // dates it closer than the last temperature near the low (stale when the idle kiln drifted).
  if (gasFrom !== null) return gasFrom;
  return rose && s.low ? s.low.last_low_ms : null;
}

/** A flow meter's gas-on is read, a totaliser's or scale's dated from a fitted line: wait until
 *  that line has settled (seen burning fitMs: 15 min for a totaliser, 30 min for a scale) before a
 *  start is dated from it. This wait is also what keeps a few minutes of gas from starting a firing. */
function gasSettled(s: TrackerState, ts: number): boolean {
  if (s.gas_on_since_ms === null) return false;
  if (s.flow_on_since_ms != null) return true;
  // The meter that dates the gas-on (gas-state.ts: a totaliser before a scale).
  const burning = Object.values(s.meters ?? {}).filter((m) => m.on_ms !== null);
  const kind = burning.some((m) => m.kind === 'total') || !burning.length ? 'total' : 'scale';
  return ts - (s.gas_seen_ms ?? ts) >= fitMs(kind, s.config);
}

function start(s: TrackerDraft, at_ms: number, by: StartedBy, id: string, target_c: number | null, temp: number | null, ts: number, events: FiringEvent[]): void {
  const base: ActiveFiring = {
    id, start_ms: at_ms, by, target_c, peak_c: temp ?? 0, peak_ms: ts, climb: temp === null ? [] : markClimb([], temp, ts), atmosphere: null,
    cooling_since_ms: null, stop: null, stage: 'idle', stage_since_ms: at_ms, candidate: null, gas_on_ms: null, gas_off_ms: null,
  };
  const stage = temp === null ? 'water_smoking' : classify(temp, rateCH(s.history, temp, ts), base, s.config);
  events.push({ type: 'firing_started', firing_id: id, at_ms, by, target_c }, { type: 'stage_changed', firing_id: id, stage, at_ms });
  s.firing = { ...base, stage };
  s.low = null;
  s.rise_since_ms = null;
  noteGas(s, s.gas_on_since_ms !== null, events);
}

/** The firing's gas-on: the first time its burners are seen on (dated, so it may precede a start
 *  decided from the temperature or named by the controller a little late). */
function noteGas(s: TrackerDraft, burning: boolean, events: FiringEvent[]): void {
  const f = s.firing;
  if (!f || !burning || f.gas_on_ms != null || f.gas_off_ms != null || s.gas_on_since_ms === null || !gasSettled(s, s.watermark_ms ?? 0)) return;
  const at_ms = s.gas_on_since_ms;
  events.push({ type: 'gas_on', firing_id: f.id, at_ms });
  s.firing = { ...f, gas_on_ms: at_ms };
}

function gasOff(s: TrackerDraft, at_ms: number, by: StartedBy, events: FiringEvent[]): void {
  const f = s.firing;
  if (!f) return;
  events.push({ type: 'gas_off', firing_id: f.id, at_ms, by });
  s.firing = { ...f, gas_off_ms: at_ms };
}

/** Without a controller: the burners off for good once every meter has been off gas_off_hold_s while
 *  the kiln cools, dated when they went off. A kiln with no gas meter has no detected gas-off; one
 *  with a controller has its firing_stop (a controlled cool may leave the burners off a while). */
function detectGasOff(s: TrackerDraft, ts: number, burning: boolean, events: FiringEvent[]): void {
  const f = s.firing;
  const off = s.gas_off_since_ms;
  if (!f || burning || s.controller_seen || f.cooling_since_ms === null || f.gas_off_ms != null || f.gas_on_ms == null || off == null || off < f.start_ms) return;
  if (ts - off < s.config.gas_off_hold_s * 1000) return;
  gasOff(s, off, 'detected', events);
}

/** A detected gas-off is provisional: burners lit again, and held, while the same firing cools (not a
 *  re-fire: the kiln goes on falling) are a controlled cool that paused them over gas_off_hold_s.
 *  The gas-off is withdrawn (its fuel is not final, the report is made again at the next one); the
 *  next time every meter has been off gas_off_hold_s is the gas-off. A controller's firing_stop stands. */
function resumeGas(s: TrackerDraft, ts: number, burning: boolean, events: FiringEvent[]): void {
  const f = s.firing;
  const on = s.gas_on_since_ms;
  if (!f || !burning || s.controller_seen || f.gas_off_ms == null || f.stop !== null || on === null || on < f.gas_off_ms) return;
  if (!gasSettled(s, ts) || ts - on < s.config.gas_on_hold_s * 1000) return;
  events.push({ type: 'gas_resumed', firing_id: f.id, at_ms: on, gas_off_ms: f.gas_off_ms });
  s.firing = { ...f, gas_off_ms: null };
}

function end(s: TrackerDraft, at_ms: number, reason: EndReason, events: FiringEvent[]): void {
  const f = s.firing;
  if (!f) return;
  events.push({ type: 'firing_ended', firing_id: f.id, at_ms, reason, peak_c: f.peak_c, peak_ms: f.peak_ms, last100_rate_c_h: last100RateCH(f.climb) });
  s.firing = null;
  s.low = null;
  s.rise_since_ms = null;
}
