// Plain readonly data for the firing tracker: its state (JSON-serialisable, so a service can save
// it and resume) and the events it emits. No classes, no functions in the state.
import type { TrackerConfig } from './config.ts';
import type { MeterReading, MeterTrack } from './meters.ts';
import type { Latest } from '../latest.ts';

export type Stage =
  | 'idle' | 'water_smoking' | 'heating' | 'burn_out' | 'quartz_inversion'
  | 'ramp_to_peak' | 'reduction' | 'soak' | 'cooling';

/** complete / aborted / fault: said by the controller's firing_stop, or judged from the peak when the
 *  kiln cooled to the unload temperature; refired: a new firing began before this one cooled. */
export type EndReason = 'complete' | 'aborted' | 'fault' | 'refired';
export type StartedBy = 'controller' | 'detected';
export type Atmosphere = 'oxidation' | 'reduction' | 'neutral';

export type FiringEvent =
  | {
      readonly type: 'firing_started'; readonly firing_id: string; readonly at_ms: number; readonly by: StartedBy;
      readonly target_c: number | null;
      /** Set when a controller's firing_start names a firing the tracker had already detected. */
      readonly replaces?: string;
    }
  | { readonly type: 'stage_changed'; readonly firing_id: string; readonly stage: Stage; readonly at_ms: number }
  | {
      readonly type: 'firing_ended'; readonly firing_id: string; readonly at_ms: number; readonly reason: EndReason;
      readonly peak_c: number; readonly peak_ms: number; readonly last100_rate_c_h: number | null;
    }
  | { readonly type: 'data_gap'; readonly firing_id: string; readonly from_ms: number; readonly to_ms: number }
  /** The firing's burners came on (dated: a totaliser or scale says so minutes later). */
  | { readonly type: 'gas_on'; readonly firing_id: string; readonly at_ms: number }
  /** The burners are off for good: the fuel is final and the report exists, the kiln is cooling. */
  | { readonly type: 'gas_off'; readonly firing_id: string; readonly at_ms: number; readonly by: StartedBy }
  /** Burners lit again (at_ms) in a controlled cool after a detected gas-off (gas_off_ms): that gas-off is
   *  withdrawn, the fuel is not final; the next gas_off event is the firing's. */
  | { readonly type: 'gas_resumed'; readonly firing_id: string; readonly at_ms: number; readonly gas_off_ms: number };

export interface ControllerCommand {
  readonly type: 'firing_start' | 'firing_stop' | 'atmosphere';
  readonly firing_id?: string;
  readonly target_c?: number;
  readonly reason?: 'complete' | 'aborted' | 'fault';
  readonly atmosphere?: Atmosphere;
}

/** Everything that arrived for one device instant (ts_ms), merged across channels. */
export interface Sample {
  readonly ts_ms: number;
  readonly temps_c: Readonly<Record<string, number>>;
  readonly flows_kg_h: Readonly<Record<string, number>>;
  /** Totaliser and scale readings (absent in older checkpoints). */
  readonly meters?: Readonly<Record<string, MeterReading>>;
  readonly commands: readonly ControllerCommand[];
}

/** A Sample while it waits in the reorder window, compact (pending.ts): its readings as keys (a
 *  letter for the kind of reading and the channel) and values in the same order. */
export interface PendingSample {
  readonly ts_ms: number;
  readonly keys: readonly string[];
  readonly vals: readonly number[];
  /** Absent when it has none. */
  readonly commands?: readonly ControllerCommand[];
}

export interface Timed { readonly value: number; readonly ts_ms: number }

export interface ActiveFiring {
  readonly id: string;
  readonly start_ms: number;
  readonly by: StartedBy;
  readonly target_c: number | null;
  readonly peak_c: number;
  readonly peak_ms: number;
  /** The peak of the zones read now: restarted when a zone leaves or rejoins the kiln temperature,
   *  so a hot zone in fault is not taken for the kiln cooling. Absent in older checkpoints. */
  readonly ref_peak_c?: number;
  /** First time at each 10 °C step of the top 100 °C climbed (ramp.ts), flat: each as its time
   *  (ms) then its step (°C). Saved as {value, ts_ms} objects until it became flat (saved.ts). */
  readonly climb: readonly number[];
  readonly atmosphere: Atmosphere | null;
  /** When the kiln first fell cooling_drop_c below the peak; from then on it may be re-fired or end. */
  readonly cooling_since_ms: number | null;
  readonly stop: { readonly at_ms: number; readonly reason: 'complete' | 'aborted' | 'fault' } | null;
  /** When the burners came on for this firing, and went off for good (controller stop or detected).
   *  Absent in older checkpoints. */
  readonly gas_on_ms?: number | null;
  readonly gas_off_ms?: number | null;
  readonly stage: Stage;
  readonly stage_since_ms: number;
  /** A stage seen but not yet held for stage_confirm_s. */
  readonly candidate: { readonly stage: Stage; readonly since_ms: number } | null;
}

export interface TrackerState {
  readonly config: TrackerConfig;
  readonly kiln: string | null;
  /** Newest decided sample; a point at or before it is late: counted, never used. */
  readonly watermark_ms: number | null;
  readonly newest_ms: number | null;
  /** Samples inside the reorder window, oldest first (saved as Samples before they were compact). */
  readonly pending: readonly PendingSample[];
  /** Each zone's newest °C and each flow meter's newest kg/h, with their times, flat (latest.ts).
   *  Saved as records of {value, ts_ms} objects until they became flat (saved.ts reads those). */
  readonly zones: Latest;
  readonly flows: Latest;
  readonly last_temp_ms: number | null;
  /** Kiln temperature about once a minute over the rate window, oldest first, flat: each reading
   *  kept as its time (ms) then its °C, [ts_ms, temp_c, ts_ms, temp_c, …]. Saved as {value, ts_ms}
   *  objects until one object a reading proved too much for a fleet (saved.ts reads those). */
  readonly history: readonly number[];
  /** Zones in fault (zone_fault_jump_c), each with its last good reading. Absent in older checkpoints. */
  readonly faulted?: Readonly<Record<string, number>>;
  /** The zones the kiln temperature was last taken from, sorted and joined: when it changes, the
   *  rate history restarts, since a step between zones is not a heating rate. */
  readonly zone_key?: string;
  /** The low the kiln sits at while idle or cooling, and the last time it was within low_slack_c of it. */
  readonly low: { readonly min_c: number; readonly last_low_ms: number } | null;
  readonly rise_since_ms: number | null;
  /** The burners (any meter) on since, dated; null while off. */
  readonly gas_on_since_ms: number | null;
  /** Totalisers and scales, per channel; the flow meters' own on-since; when the burners went off
   *  (dated, null while on). All absent in older checkpoints. */
  readonly meters?: Readonly<Record<string, MeterTrack>>;
  readonly flow_on_since_ms?: number | null;
  readonly flow_off_ms?: number | null;
  readonly gas_off_since_ms?: number | null;
  /** When the burners were last seen to go on (not dated back): a totaliser or scale's gas-on counts
   *  once they have been seen burning for a while. Absent in older checkpoints. */
  readonly gas_seen_ms?: number | null;
  /** Once a kiln has sent firing_start or firing_stop, only its controller starts firings. */
  readonly controller_seen: boolean;
  readonly firing: ActiveFiring | null;
  readonly points_seen: number;
  readonly late_points: number;
}

/** A state being stepped: the tracker's own copy, written in place until the step returns it
 *  (the state it was copied from, and the nested objects they share, are never written to). */
export type TrackerDraft = { -readonly [K in keyof TrackerState]: TrackerState[K] };

export interface StepResult {
  readonly state: TrackerState;
  readonly events: readonly FiringEvent[];
}

/** A live kiln's tracker changed other than by stepping a message: flushed as the kiln went silent
 *  (`from`: the state flushed), or rebuilt from the stored readings. */
export type TrackerChange =
  | { readonly kind: 'flushed'; readonly from: TrackerState; readonly result: StepResult }
  | { readonly kind: 'rebuilt'; readonly state: TrackerState };
