// A tracker state as a service saved it (the firing index's checkpoint, JSON), in today's shape.
// Older versions saved shapes that differ: each difference is converted here, on load, so the
// reducer only ever sees today's. (Settings added since a state was saved are filled in by
// stepAll/flush from the defaults.)
import { savedMeter, type SavedMeterTrack } from './meters.ts';
import type { TrackerState } from './types.ts';

/** A saved state: as today's, except that a meter may be in an earlier version's shape. */
export type SavedTrackerState = Omit<TrackerState, 'meters'> & { readonly meters?: Readonly<Record<string, SavedMeterTrack>> };

export function savedTrackerState(s: SavedTrackerState): TrackerState {
  if (!s.meters || Object.values(s.meters).every((m) => m.kept_ms && m.kept_kg)) return s as TrackerState;
  // Meters kept their readings as {value, ts_ms} objects until they became two arrays of numbers.
  const meters: Record<string, ReturnType<typeof savedMeter>> = {};
  for (const [ch, m] of Object.entries(s.meters)) meters[ch] = savedMeter(m);
  return { ...s, meters };
}
