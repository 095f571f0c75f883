// A tracker state as a service saved it (the firing index's checkpoint, JSON), in today's shape.
// Older versions saved shapes that differ: each difference is converted here, on load, so the
// reducer only ever sees today's. (Settings added since a state was saved are filled in by
// stepAll/flush from the defaults.)
import { KeptLog } from './kept-log.ts';
import { savedMeter, type SavedMeterTrack } from './meters.ts';
import { pendingOf } from './pending.ts';
import type { PendingSample, Sample, TrackerState } from './types.ts';

/** A saved state: as today's, except that a meter, or the reorder window, may be in an earlier version's shape. */
export type SavedTrackerState = Omit<TrackerState, 'meters' | 'pending'> & {
  readonly meters?: Readonly<Record<string, SavedMeterTrack>>;
  readonly pending: readonly (PendingSample | Sample)[];
};

const isSample = (x: PendingSample | Sample): x is Sample => 'temps_c' in x;

export function savedTrackerState(s: SavedTrackerState): TrackerState {
  // Read from JSON, a meter's kept readings are two arrays of numbers (or an earlier shape): packed here.
  const old_meters = s.meters !== undefined && !Object.values(s.meters).every((m) => m.kept instanceof KeptLog);
  const old_pending = s.pending.some(isSample);
  if (!old_meters && !old_pending) return s as TrackerState;
  let out = s;
  if (old_meters) {
    // Meters kept their readings as {value, ts_ms} objects, then as arrays of numbers (with a tail), now packed.
    const meters: Record<string, ReturnType<typeof savedMeter>> = {};
    for (const [ch, m] of Object.entries(s.meters!)) meters[ch] = savedMeter(m);
    out = { ...out, meters };
  }
  // The reorder window held Samples (a table per kind of reading) until it became compact.
  if (old_pending) out = { ...out, pending: s.pending.map((x) => (isSample(x) ? pendingOf(x) : x)) };
  return out as TrackerState;
}
