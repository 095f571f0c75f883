// A tracker state as a service saved it (the firing index's checkpoint, JSON), in today's shape.
// Older versions saved shapes that differ: each difference is converted here, on load, so the
// reducer only ever sees today's. (Settings added since a state was saved are filled in by
// stepAll/flush from the defaults.)
import { isFlatLatest, latestOfRecord, type Latest } from '../latest.ts';
import { KeptLog } from './kept-log.ts';
import { savedMeter, type SavedMeterTrack } from './meters.ts';
import { pendingOf } from './pending.ts';
import type { ActiveFiring, PendingSample, Sample, Timed, TrackerState } from './types.ts';

/** A saved state: as today's, except that a meter, the reorder window, the zone and flow tables,
 *  the rate history or the firing's climb may be in an earlier version's shape. */
export type SavedTrackerState = Omit<TrackerState, 'meters' | 'pending' | 'zones' | 'flows' | 'history' | 'firing'> & {
  readonly meters?: Readonly<Record<string, SavedMeterTrack>>;
  readonly pending: readonly (PendingSample | Sample)[];
  readonly zones: Latest | Readonly<Record<string, Timed>>;
  readonly flows: Latest | Readonly<Record<string, Timed>>;
  readonly history: readonly number[] | readonly Timed[];
  readonly firing: (Omit<ActiveFiring, 'climb'> & { readonly climb: readonly number[] | readonly Timed[] }) | null;
};

const isSample = (x: PendingSample | Sample): x is Sample => 'temps_c' in x;
const isTimed = (h: readonly number[] | readonly Timed[]): h is readonly Timed[] => h.length > 0 && typeof h[0] === 'object';
/** {value, ts_ms} objects as one flat list, each as its time then its value. */
const flat = (xs: readonly Timed[]): number[] => xs.flatMap((x) => [x.ts_ms, x.value]);

const flatLatest = (t: Latest | Readonly<Record<string, Timed>>): Latest => (isFlatLatest(t) ? t : latestOfRecord(t));

export function savedTrackerState(s: SavedTrackerState): TrackerState {
  // Read from JSON, a meter's kept readings are two arrays of numbers (or an earlier shape): packed here.
  const old_meters = s.meters !== undefined && !Object.values(s.meters).every((m) => m.kept instanceof KeptLog);
  const old_pending = s.pending.some(isSample);
  const old_history = isTimed(s.history);
  const old_climb = s.firing !== null && isTimed(s.firing.climb);
  const old_latest = !isFlatLatest(s.zones) || !isFlatLatest(s.flows);
  if (!old_meters && !old_pending && !old_history && !old_climb && !old_latest) return s as TrackerState;
  let out = s;
  if (old_meters) {
    // Meters kept their readings as {value, ts_ms} objects, then as arrays of numbers (with a tail), now packed.
    const meters: Record<string, ReturnType<typeof savedMeter>> = {};
    for (const [ch, m] of Object.entries(s.meters!)) meters[ch] = savedMeter(m);
    out = { ...out, meters };
  }
  // The reorder window held Samples (a table per kind of reading) until it became compact.
  if (old_pending) out = { ...out, pending: s.pending.map((x) => (isSample(x) ? pendingOf(x) : x)) };
  // The zone and flow tables were records of {value, ts_ms} objects until they became flat.
  if (old_latest) out = { ...out, zones: flatLatest(s.zones), flows: flatLatest(s.flows) };
  // The rate history and the firing's climb held a {value, ts_ms} object a reading until they became flat.
  if (isTimed(s.history)) out = { ...out, history: flat(s.history) };
  if (s.firing && isTimed(s.firing.climb)) out = { ...out, firing: { ...s.firing, climb: flat(s.firing.climb) } };
  return out as TrackerState;
}
