// Firings of one kiln and a firing's chart curves (src/firings/service.ts, src/firings/curve.ts).
// The report is in report.ts.
import { z } from 'zod';
import { firingIdSchema, list, series } from './common.ts';
import type { FiringList as ServiceList } from '../../firings/service.ts';
import type { FiringCurve as ServiceCurve } from '../../domain/report/curve.ts';
import type { Assert, Covers } from './common.ts';

export const startedBy = z.enum(['controller', 'detected']);
export const endReason = z.enum(['complete', 'aborted', 'fault', 'refired']);
/** firing: burners on; cooling: after gas-off, fuel final, report ready; ended: the kiln can be unloaded. */
export const firingStatus = z.enum(['firing', 'cooling', 'ended']);

export const listQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const firingListItem = z.object({
  id: z.string(),
  by: startedBy,
  start: z.string(),
  start_ms: z.number(),
  end: z.string().nullable().describe('null while the firing is open (running, or cooling above the unload temperature)'),
  end_ms: z.number().nullable(),
  open: z.boolean(),
  status: firingStatus,
  gas_on_ms: z.number().nullable(),
  gas_off_ms: z.number().nullable(),
  schedule_name: z.string().nullable().describe('The controller\'s schedule (program) name; null for a firing without one (detected from the readings)'),
  reason: endReason.nullable(),
  peak_c: z.number().nullable(),
  cone: z.string().nullable(),
  duration_h: z.number().describe('To the end, or to the newest reading while open'),
});
export type FiringListItem = z.infer<typeof firingListItem>;

export const firingList = z.object({
  workshop: z.string(), kiln: z.string(), limit: z.number(), offset: z.number(),
  from: z.string(), to: z.string(), total: z.number(),
  firings: list(firingListItem),
});
export type FiringList = z.infer<typeof firingList>;

export const curveQuery = z.object({ points: z.coerce.number().int().min(100).max(20_000).default(2000) });

const seriesByZone = z.record(z.string(), series);
export const firingCurve = z.object({
  firing_id: z.string(),
  start_ms: z.number(),
  end_ms: z.number(),
  bucket_s: z.number(),
  zones: seriesByZone.describe('Each zone\'s bucket mean, [t_ms, °C]'),
  zones_max: seriesByZone.describe('Each zone\'s bucket max'),
  peaks_c: z.record(z.string(), z.number()),
  kiln_c: series.describe('The hottest zone\'s bucket max'),
  flow_kg_h: series.describe('Bucket mean over every flow meter, summed across meters'),
  fuel_kg: series.describe('Cumulative kg: see fuel_method'),
  fuel_method: z.enum(['report', 'flow']),
  fuel_scale: z.number().nullable(),
  planned_c: series.nullable(),
  schedule_name: z.string().nullable(),
  stages: list(z.object({ stage: z.string(), from_h: z.number(), to_h: z.number() })),
});
export type FiringCurve = z.infer<typeof firingCurve>;

type _Covered = [Assert<Covers<FiringList, ServiceList>>, Assert<Covers<FiringCurve, ServiceCurve>>];

export const usualQuery = z.object({
  schedule: z.string().max(200).optional().describe('The running firing\'s schedule name; absent: firings without a schedule'),
  exclude: firingIdSchema.optional().describe('The running firing, left out'),
  points: z.coerce.number().int().min(100).max(20_000).default(1500),
});
export const usualFiring = z.object({
  usual: z.object({
    firing_id: z.string(),
    start_ms: z.number(),
    schedule_name: z.string().nullable(),
    fuel_kg: z.number().describe('Its report\'s fuel'),
    of_n: z.number().int().describe('How many previous firings of the schedule it is the median of'),
    curve: firingCurve,
  }).nullable().describe('null when the kiln has no previous finished firing of this schedule in the index'),
});
export type UsualFiring = z.infer<typeof usualFiring>;
export const readingsCsvQuery = z.object({
  shape: z.enum(['long', 'wide']).default('long')
    .describe('long: one row per stored value (events too); wide: one row per instant, one column per channel and field'),
});
