// Records users enter (src/records): load and grading of a firing, coal baselines, the LPG price
// list. Bodies are the domain's own record schemas; a saved record comes back with who saved it
// and when.
import { z } from 'zod';
import { coalBaselineSchema, gradingRecordSchema, loadRecordSchema } from '../../domain/savings/records.ts';
import { priceListSchema } from '../../records/service.ts';
import { list, recordWarning, workshopParams } from './common.ts';
import { priceEntry } from './report.ts';
import type { CurrentPrices as ServicePrices } from '../../records/service.ts';
import type { Assert, Covers } from './common.ts';

export { coalBaselineSchema, gradingRecordSchema, loadRecordSchema, priceListSchema };

// What a client sends: the record without who and when. The service records the logged-in user
// and the time itself; `by` and `recorded_at_ms` from older clients are accepted and ignored.
const ignoredBy = z.string().max(200).optional().describe('Ignored: the service records the logged-in user');
const ignoredAt = z.number().optional().describe('Optional and ignored: the service records the server time it saved');
export const loadBody = loadRecordSchema.extend({ by: ignoredBy, recorded_at_ms: ignoredAt });
export const gradingBody = gradingRecordSchema.extend({ by: ignoredBy, recorded_at_ms: ignoredAt });
// The workshop comes from the path (a body that names another is refused); without a CO2 factor
// the service fills the IPCC 2006 anthracite default from the baseline's NCV (saved with its source).
const co2Field = coalBaselineSchema.shape.co2_kg_per_kg_coal;
export const baselineBody = coalBaselineSchema.extend({
  by: ignoredBy, recorded_at_ms: ignoredAt,
  workshop: coalBaselineSchema.shape.workshop.optional().describe('Optional: the workshop of the path; if given it must be the same'),
  co2_kg_per_kg_coal: co2Field.optional().describe('Optional: default IPCC 2006 anthracite 98,300 kg CO2/TJ × the baseline\'s NCV, at the NCV\'s confidence'),
});
export type BaselineBody = z.infer<typeof baselineBody>;
export const priceListBody = priceListSchema.extend({ by: ignoredBy });

const savedBy = { saved_at: z.string(), saved_at_ms: z.number(), by: z.string() };
const firingKeys = { workshop: z.string(), kiln: z.string(), firing_id: z.string() };

export const savedLoad = z.object({ ...firingKeys, ...savedBy, load: loadRecordSchema });
export const savedGrading = z.object({ ...firingKeys, ...savedBy, grading: gradingRecordSchema });
export const loadHistory = z.object({ ...firingKeys, versions: list(z.object({ ...savedBy, record: loadRecordSchema })) });
export const gradingHistory = z.object({ ...firingKeys, versions: list(z.object({ ...savedBy, record: gradingRecordSchema })) });

export const baselineParams = workshopParams.extend({ baseline_id: z.string().regex(/^bl-[0-9a-f-]{36}$/, 'must be a baseline id (bl-…)') });
export const savedBaseline = z.object({
  id: z.string(), ...savedBy, baseline: coalBaselineSchema,
  warnings: list(recordWarning).describe('Plausible but unusual figures: accepted, to be checked (a figure outside a published range, with its source)'),
});
export type SavedBaselineDto = z.infer<typeof savedBaseline>;
export const baselineList = z.object({ workshop: z.string(), baselines: list(savedBaseline) });
export const baselineHistory = z.object({ workshop: z.string(), id: z.string(), versions: list(z.object({ ...savedBy, baseline: coalBaselineSchema, warnings: list(recordWarning) })) });

export const currentPrices = z.object({
  prices: list(priceEntry),
  source: z.enum(['saved', 'default']).describe('default: the seed list (no list saved yet)'),
  saved_at_ms: z.number().nullable(),
  by: z.string().nullable(),
});
export type CurrentPrices = z.infer<typeof currentPrices>;

type _Covered = Assert<Covers<CurrentPrices, ServicePrices>>;
