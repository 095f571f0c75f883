// The adviser's roll-up and per-firing figures (src/rollup, src/domain/savings). Dates are local
// days in Việt Nam (UTC+7), `to` included.
import { z } from 'zod';
import { coalBaselineSchema } from '../../domain/savings/records.ts';
import { confidence, idSchema, list, savingsRange } from './common.ts';
import type { RollupResult } from '../../rollup/service.ts';
import type { FiringFigures as DomainFigures } from '../../domain/savings/firing-figures.ts';
import type { Assert, Covers } from './common.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => {
  const ms = Date.parse(`${s}T00:00:00+07:00`);
  return Number.isFinite(ms) && new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10) === s; // no 30 February
}, 'must be a real date');

export const rangeQuery = z.object({ from: day.optional(), to: day.optional() });
export const rollupQuery = rangeQuery.extend({
  level: z.enum(['village', 'workshop', 'kiln']).default('workshop'),
  period: z.enum(['month', 'all']).default('month'),
  workshop: idSchema.optional(),
});

const num = z.number().nullable();
const distribution = z.object({ n: z.number(), min: z.number(), p25: z.number(), median: z.number(), p75: z.number(), max: z.number() });
const savingsTotal = z.object({
  firings: z.number().describe('Firings with this line available'),
  baseline: z.number(), actual: z.number(), avoided: z.number(),
  confidence: confidence.nullable(),
  excluded: z.record(z.string(), z.number()).describe('reason → firings left out for it'),
  ...savingsRange,
});
const summed = { ware_kg: z.number(), good_kg: z.number(), lpg_kg: z.number(), energy_mj: z.number(), cost_vnd: z.number(), co2_kg: z.number(), duration_h: z.number() };

export const rollupRow = z.object({
  workshop: z.string().nullable().describe('null at village level'),
  kiln: z.string().nullable(),
  month: z.string().nullable().describe('YYYY-MM local (Asia/Ho_Chi_Minh); null for period all'),
  firings: z.number(),
  missing: z.object(Object.fromEntries(Object.keys(summed).map((k) => [k, z.number()])) as { [K in keyof typeof summed]: z.ZodNumber })
    .describe('Firings in the row lacking each summed figure: sums cover only firings that have it'),
  sec_mj_per_kg_set: distribution.nullable(),
  sec_mj_per_kg_good: distribution.nullable(),
  yield_pct: num,
  savings: z.object({ energy_mj: savingsTotal, cost_vnd: savingsTotal, co2_kg: savingsTotal, firings_without_baseline: z.number() }).nullable(),
  ...summed,
});
export type RollupRow = z.infer<typeof rollupRow>;

export const rollupResponse = z.object({
  level: z.enum(['village', 'workshop', 'kiln']),
  period: z.enum(['month', 'all']),
  workshop: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  rows: list(rollupRow),
  skipped: list(z.object({ firing_id: z.string(), reason: z.string() })),
  baselines: list(z.object({ id: z.string(), saved_at: z.string(), saved_at_ms: z.number(), by: z.string(), record: coalBaselineSchema }))
    .describe('The baselines the savings were computed against'),
});
export type RollupResponse = z.infer<typeof rollupResponse>;

export const firingFigures = z.object({
  firing_id: z.string(), workshop: z.string(), kiln: z.string(),
  started_at_ms: z.number(),
  ware_kg: num.describe('Loaded ware, furniture excluded'),
  good_kg: num.describe('First-grade ware; null until graded'),
  lpg_kg: num, energy_mj: num, cost_vnd: num, co2_kg: num, duration_h: num,
  confidence: confidence.optional(),
});
export type FiringFigures = z.infer<typeof firingFigures>;

export const figuresResponse = z.object({ workshop: z.string(), from: z.string(), to: z.string(), firings: list(firingFigures) });

type _Covered = [Assert<Covers<Omit<RollupResponse, 'level' | 'period' | 'workshop' | 'from' | 'to'>, RollupResult>>, Assert<Covers<FiringFigures, DomainFigures>>];
