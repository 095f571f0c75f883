// Live state of every kiln (src/live): GET /api/live, and the stream's snapshot and kiln events
// carry the same kiln views. Units in the names; null = not known (the reason is given).
import { z } from 'zod';
import { list } from './common.ts';
import { startedBy } from './firings.ts';
import type { LiveSnapshot as ServiceSnapshot } from '../../live/hub.ts';
import type { Assert, Covers } from './common.ts';

const num = z.number().nullable();
const text = z.string().nullable();

export const kilnLiveView = z.object({
  workshop: z.string(),
  kiln: z.string(),
  newest_reading_ms: num.describe('Device time of the newest reading'),
  stage: z.string(),
  stage_since_ms: num,
  firing: z.object({
    id: z.string(), by: startedBy, start_ms: z.number(), elapsed_h: z.number(),
    target_c: num, schedule_name: text, atmosphere: text, peak_c: num, data_gaps: z.number(),
    status: z.enum(['firing', 'cooling']).describe('cooling: after gas-off, the fuel is final and the report exists'),
    gas_off_ms: num,
  }).nullable(),
  kiln_temp_c: num,
  zones: z.record(z.string(), z.object({ temp_c: z.number(), ts_ms: z.number(), stale: z.boolean() })),
  rate_c_h: num,
  gas_flow_kg_h: num,
  fuel: z.object({
    fuel_kg: num, meter: z.enum(['totalizer', 'flow', 'scale']).nullable(), energy_mj: num, co2_kg: num,
    cost_vnd: num, price_vnd_per_kg: num, price_valid_from: text, reason: z.string(),
  }),
  eta: z.object({ time_to_peak_h: num, time_to_end_h: num, reason: z.string() }),
  last_firing: z.object({ id: z.string(), start_ms: z.number(), end_ms: z.number(), reason: z.string(), fuel_kg: num }).nullable(),
  points_seen: z.number(),
  late_points: z.number(),
  received_at_ms: num.describe('Service clock when the kiln\'s last message arrived'),
  silent: z.boolean(),
  complete: z.boolean().describe('false while skipped readings are re-read from InfluxDB'),
  channels: z.record(z.string(), z.object({ field: z.string(), value: z.number(), ts_ms: z.number() }))
    .describe('measurement/channel → its newest raw value (field: temp_c, flow_kg_h, total_kg, mass_kg, …) and its device time'),
  fault_ack: z.object({ type: z.string(), of: text, zone: text, ts_ms: z.number(), received_at_ms: z.number() }).nullable()
    .describe('The last fault command a test rig (the simulator) acknowledged on its status topic'),
});
export type KilnLiveView = z.infer<typeof kilnLiveView>;

export const liveSnapshot = z.object({
  last_event_id: z.number(),
  skipped_readings: z.number().describe('Readings left out of the live view since start: 0 means it is complete'),
  rebuilt_kilns: z.number(),
  kilns: list(kilnLiveView),
});
export type LiveSnapshot = z.infer<typeof liveSnapshot>;

// The overview cards' extras, asked for once a minute rather than sent with every update.
export const liveSparks = z.object({
  kilns: list(z.object({
    workshop: z.string(), kiln: z.string(),
    bucket_ms: z.number().describe('Length of one bucket (5 min)'),
    end_ms: num.describe('Device time at the end of the newest bucket; null before the first temperature'),
    temps_c: z.array(num).readonly().describe('The hottest zone\'s highest reading per bucket, oldest first; null: no reading'),
  })),
});
export type LiveSparks = z.infer<typeof liveSparks>;

export const liveUsualGas = z.object({
  kilns: list(z.object({
    workshop: z.string(), kiln: z.string(), firing_id: z.string(), schedule_name: text,
    fuel_kg: num.describe('Median total fuel of the kiln\'s last ≤ 10 complete firings of the same schedule (180 days); null: none'),
    of_n: z.number(), reason: z.string(),
  })),
});
export type LiveUsualGas = z.infer<typeof liveUsualGas>;

type _Covered = Assert<Covers<LiveSnapshot, ServiceSnapshot>>;
