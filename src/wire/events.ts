// Controller events and device status (docs/mqtt.md). Shared by the service and the simulator.
import { z } from 'zod';
import { ID_PATTERN } from './topics.ts';
import { tsSchema, seqSchema } from './telemetry.ts';

export const scheduleSegmentSchema = z.strictObject({
  rate_c_h: z.number().min(-2000).max(2000).refine((r) => r !== 0, 'rate_c_h must not be 0'), // °C per hour; negative = controlled cooling
  target_c: z.number().min(0).max(1800),
  hold_min: z.number().min(0).max(24 * 60),
});
export const scheduleSchema = z.strictObject({
  name: z.string().max(80).optional(),
  segments: z.array(scheduleSegmentSchema).min(1).max(50),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** What a stored firing_start event's data_json names: its firing id and its schedule, each null
 *  when absent or not valid (an event whose JSON does not parse names neither). */
export interface StartData { readonly firing_id: string | null; readonly schedule: Schedule | null }

const NOTHING_NAMED: StartData = Object.freeze({ firing_id: null, schedule: null });
let lastJson: string | null = null;
let lastData: StartData = NOTHING_NAMED;

/** A firing_start's data_json read. The live view and the alert engine read the same event one
 *  right after the other: the last answer is kept, so both hold one schedule, not a copy each (a
 *  schedule is ~400 bytes and 8 objects a kiln), and kilns on the same schedule share it
 *  (sharedSchedule). Read it, never change it: it is frozen. */
export function startDataOf(data_json: unknown): StartData {
  if (typeof data_json !== 'string') return NOTHING_NAMED;
  if (data_json === lastJson) return lastData;
  let data: { firing_id?: unknown; schedule?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(data_json);
    if (typeof parsed === 'object' && parsed !== null) data = parsed;
  } catch { /* names neither */ }
  const s = scheduleSchema.safeParse(data.schedule);
  lastJson = data_json;
  lastData = { firing_id: typeof data.firing_id === 'string' ? data.firing_id : null, schedule: s.success ? sharedSchedule(s.data) : null };
  return lastData;
}

/** Schedules by their JSON, shared: a workshop fires its kilns on a few schedules of its own, so
 *  the kilns on one schedule hold one copy of it, not a copy each from their own events (~400
 *  bytes a kiln, the largest list held from several places in a heap snapshot at 10,000 kilns:
 *  docs/benchmarks.md). Frozen, to the segments: every holder reads it. Bounded: past
 *  SCHEDULES_SHARED schedules, a new one is its event's own. */
const SCHEDULES = new Map<string, Schedule>();
const SCHEDULES_SHARED = 1024;

function sharedSchedule(schedule: Schedule): Schedule {
  const key = JSON.stringify(schedule);
  const known = SCHEDULES.get(key);
  if (known) return known;
  for (const seg of schedule.segments) Object.freeze(seg);
  Object.freeze(schedule.segments);
  Object.freeze(schedule);
  if (SCHEDULES.size < SCHEDULES_SHARED) SCHEDULES.set(key, schedule);
  return schedule;
}

export const loadSchema = z.strictObject({
  ware_kg: z.number().min(0).max(100000).optional(),
  furniture_kg: z.number().min(0).max(100000).optional(),
  pieces: z.number().int().min(0).max(1000000).optional(),
});

const base = { v: z.literal(1), ts_ms: tsSchema, seq: seqSchema, firing_id: z.string().regex(ID_PATTERN).optional() };

export const eventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('firing_start'), schedule: scheduleSchema.optional(), load: loadSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('firing_stop'), reason: z.enum(['complete', 'aborted', 'fault']).optional() }),
  z.strictObject({ ...base, type: z.literal('segment'), index: z.number().int().min(0).max(49), segment: scheduleSegmentSchema.optional() }),
  z.strictObject({ ...base, type: z.literal('atmosphere'), atmosphere: z.enum(['oxidation', 'reduction', 'neutral']) }),
]);
export type KilnEvent = z.infer<typeof eventSchema>;

/** Retained on .../status; devices set the offline form as their MQTT Last Will. */
export const statusSchema = z.strictObject({
  v: z.literal(1),
  state: z.enum(['online', 'offline']),
  ts_ms: tsSchema.optional(),
  device: z.string().regex(ID_PATTERN).optional(),
  firmware: z.string().max(40).optional(),
  /** A test rig (the simulator) saying it took a fault command from its .../sim/fault topic. */
  fault: z.strictObject({
    type: z.string().regex(/^[a-z_]{1,20}$/),
    /** A clear's fault type; tc_open / tc_drift / silent: the zone. */
    of: z.string().regex(/^[a-z_]{1,20}$/).optional(),
    zone: z.string().regex(ID_PATTERN).optional(),
    /** Device time the fault was taken. */
    ts_ms: tsSchema,
  }).optional(),
});
export type DeviceStatus = z.infer<typeof statusSchema>;
