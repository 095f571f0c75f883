// The report path: fold the tracker over stored points and turn its events into firing records.
// The live path uses the same step() and the same firingsFromEvents(), so the two cannot disagree.
import type { Point } from '../point.ts';
import { coneEquivalent, type ConeEquivalent } from './cones.ts';
import { DEFAULT_TRACKER_CONFIG, type TrackerConfig } from './config.ts';
import { last100RateCH } from './ramp.ts';
import { flush, initialState, step } from './tracker.ts';
import type { ActiveFiring, EndReason, FiringEvent, Stage, StartedBy, StepResult, TrackerState } from './types.ts';

export interface StageSpan {
  readonly stage: Stage;
  readonly start_ms: number;
  /** null while the stage (and its firing) is still running. */
  readonly end_ms: number | null;
}

export interface FiringRecord {
  readonly id: string;
  readonly by: StartedBy;
  readonly start_ms: number;
  readonly end_ms: number | null;
  readonly reason: EndReason | null;
  readonly target_c: number | null;
  readonly peak_c: number | null;
  readonly peak_ms: number | null;
  /** Heating rate over the last ~100 °C below the peak, and the cone equivalent it gives. */
  readonly last100_rate_c_h: number | null;
  readonly cone: ConeEquivalent | null;
  readonly stages: readonly StageSpan[];
  readonly gaps: readonly { readonly from_ms: number; readonly to_ms: number }[];
  /** When the burners came on and went off for good (null: not seen). */
  readonly gas_on_ms: number | null;
  readonly gas_off_ms: number | null;
  /** firing: burners on; cooling: gas-off passed, the fuel is final and the report exists; ended: the kiln can be unloaded. */
  readonly status: FiringStatus;
}

export type FiringStatus = 'firing' | 'cooling' | 'ended';

/** A record stored before gas-on, gas-off and status were kept, in today's shape. */
export function recordOf(r: Omit<FiringRecord, 'gas_on_ms' | 'gas_off_ms' | 'status'> & Partial<FiringRecord>): FiringRecord {
  const gas_off_ms = r.gas_off_ms ?? null;
  const status: FiringStatus = r.status ?? (r.end_ms !== null ? 'ended' : gas_off_ms !== null ? 'cooling' : 'firing');
  return { ...r, gas_on_ms: r.gas_on_ms ?? null, gas_off_ms, status };
}

/** Fold step() over points in the order given (no flush): resume from a saved state with this. */
export function run(state: TrackerState, points: Iterable<Point>): StepResult {
  let s = state;
  const events: FiringEvent[] = [];
  for (const p of points) {
    const r = step(s, p);
    s = r.state;
    events.push(...r.events);
  }
  return { state: s, events };
}

/** All firings of one kiln in these points, oldest first. The last may still be open (end_ms null). */
export function foldFirings(points: readonly Point[], config: TrackerConfig = DEFAULT_TRACKER_CONFIG): FiringRecord[] {
  const sorted = [...points].sort((a, b) => a.ts_ms - b.ts_ms);
  const r = run(initialState(config), sorted);
  const f = flush(r.state);
  return firingsFromEvents([...r.events, ...f.events], f.state.firing);
}

type Draft = { -readonly [K in keyof FiringRecord]: FiringRecord[K] } & { stages: StageSpan[]; gaps: { from_ms: number; to_ms: number }[] };

/** Build records from tracker events; `open` (the state's running firing) supplies the peak so far. */
export function firingsFromEvents(events: readonly FiringEvent[], open: ActiveFiring | null = null): FiringRecord[] {
  const out: Draft[] = [];
  const byId = new Map<string, Draft>();
  const closeStage = (d: Draft, at_ms: number) => {
    const last = d.stages[d.stages.length - 1];
    if (last && last.end_ms === null) d.stages[d.stages.length - 1] = { ...last, end_ms: Math.max(at_ms, last.start_ms) };
  };
  for (const e of events) {
    if (e.type === 'firing_started') {
      const renamed = e.replaces !== undefined ? byId.get(e.replaces) : undefined;
      if (renamed) {
        byId.delete(renamed.id);
        Object.assign(renamed, { id: e.firing_id, by: e.by, target_c: e.target_c });
        byId.set(e.firing_id, renamed);
        continue;
      }
      const d: Draft = { id: e.firing_id, by: e.by, start_ms: e.at_ms, end_ms: null, reason: null, target_c: e.target_c, peak_c: null, peak_ms: null, last100_rate_c_h: null, cone: null, stages: [], gaps: [], gas_on_ms: null, gas_off_ms: null, status: 'firing' };
      out.push(d);
      byId.set(d.id, d);
      continue;
    }
    const d = byId.get(e.firing_id);
    if (!d) continue;
    if (e.type === 'stage_changed') {
      closeStage(d, e.at_ms);
      d.stages.push({ stage: e.stage, start_ms: e.at_ms, end_ms: null });
    } else if (e.type === 'data_gap') {
      d.gaps.push({ from_ms: e.from_ms, to_ms: e.to_ms });
    } else if (e.type === 'gas_on') {
      d.gas_on_ms = e.at_ms;
    } else if (e.type === 'gas_off') {
      Object.assign(d, { gas_off_ms: e.at_ms, status: 'cooling' });
    } else if (e.type === 'gas_resumed') {
      Object.assign(d, { gas_off_ms: null, status: 'firing' });
    } else {
      closeStage(d, e.at_ms);
      Object.assign(d, { end_ms: e.at_ms, reason: e.reason, status: 'ended', ...peak(e.peak_c, e.peak_ms, e.last100_rate_c_h) });
    }
  }
  const o = open ? byId.get(open.id) : undefined;
  if (o && open && o.end_ms === null) Object.assign(o, peak(open.peak_c, open.peak_ms, last100RateCH(open.climb)));
  return out;
}

function peak(peak_c: number, peak_ms: number, last100_rate_c_h: number | null) {
  const cone = last100_rate_c_h === null ? null : coneEquivalent(peak_c, last100_rate_c_h);
  return { peak_c, peak_ms, last100_rate_c_h, cone };
}
