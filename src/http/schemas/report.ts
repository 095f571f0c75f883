// A firing's report (src/firings/service.ts FiringReport): the summary folded from its readings
// (src/domain/report), what users entered, KPIs and the comparison with the coal baseline.
import { z } from 'zod';
import { adjustmentSchema, gradingRecordSchema, loadRecordSchema } from '../../domain/savings/records.ts';
import { confidence, figure, list, recordWarning, savingsRange } from './common.ts';
import { endReason, firingStatus, startedBy } from './firings.ts';
import type { FiringReport as ServiceReport } from '../../firings/service.ts';
import type { Assert, Covers } from './common.ts';

const num = z.number().nullable();
const meterKind = z.enum(['totalizer', 'flow', 'scale']);
const gapSpan = z.object({ kind: z.enum(['temperature', 'totalizer', 'flow', 'scale']), from_ms: z.number(), to_ms: z.number(), duration_s: z.number() });

export const priceEntry = z.object({ valid_from: z.string().describe('YYYY-MM-DD, local date (UTC+7)'), vnd_per_kg: z.number(), source: z.string() });

const meterFigure = z.object({
  kind: meterKind,
  channels: list(z.string()),
  fuel_kg: z.number().describe('Measured only: gaps are not bridged'),
  coverage_pct: z.number(),
  gap_estimate_kg: z.number().describe('Flow only: a straight line across each gap; NOT in fuel_kg'),
  notes: list(z.string()),
  gaps: list(gapSpan),
  resets: z.number(),
  gas_on_ms: num.describe('First gas burning this meter shows in the firing (any meter kind)'),
  gas_off_ms: num.describe('Gas off for good (null: not seen, or still burning)'),
  by_hour: list(z.object({ from_ms: z.number(), kg: z.number() })).describe('kg in each hour since the start; the per-interval detail is in the readings CSV and the curve'),
  by_stage: list(z.object({ stage: z.string(), from_ms: z.number(), to_ms: num, kg: z.number() })).describe('kg in each stage span of the tracker'),
  // The flow meter's figure carries these two as well.
  peak_flow_kg_h: z.number().optional(),
  last_burning_ms: num.optional(),
});

const coneEquivalent = z.object({
  reached: z.object({ cone: z.string(), temp_c: z.number() }).nullable(),
  next: z.object({ cone: z.string(), temp_c: z.number(), short_by_c: z.number() }).nullable(),
  rate_c_h_used: z.number(),
  label: z.string(),
});
const soakConeEstimate = coneEquivalent.extend({
  estimate: z.literal(true),
  hold_min: z.number(),
  equivalent_rate_c_h: z.number().describe('Ramp and hold over the last 100 °C read as one slower final rate'),
  beyond_chart: z.boolean().describe('The equivalent rate is below 15 °C/h: the estimate is a floor'),
}).describe("The project's own estimate of the cone with the soak; Orton publishes no soak formula");

const sourcedInput = z.object({ name: z.string(), value: z.number(), source: z.string(), confidence });
const savings = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), baseline_per_kg_good: z.number(), baseline: z.number(), actual: z.number(), avoided: z.number(), confidence, inputs: list(sourcedInput), ...savingsRange }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

const baselineComparison = z.object({
  baseline_id: z.string(),
  firing_id: z.string(),
  good_kg: num,
  baseline_sec_mj_per_kg_set: z.number(),
  baseline_duration_h: sourcedInput.nullable().describe('null: not entered'),
  energy_mj: savings,
  cost_vnd: savings,
  co2_kg: savings,
  confidence: confidence.nullable(),
  routine_adjustments: list(z.string()),
  non_routine_adjustments: list(adjustmentSchema),
  assumptions: list(z.string()),
  warnings: list(recordWarning).describe('The baseline\'s figures outside a published range, or typed as a fraction (stored before that was refused): shown, to be checked'),
});

const ownMedianCheck = z.object({
  firing_id: z.string(),
  sec_mj_per_kg: figure,
  median_mj_per_kg: num,
  prior_n: z.number(),
  ratio_to_median: num,
  status: z.enum(['markedly_worse', 'usual', 'too_few_prior', 'not_available']),
});

const kpis = z.object({
  yield_pct: figure, yield_mass_pct: figure, good_kg: figure, sec_mj_per_kg_set: figure, sec_mj_per_kg_good: figure,
  fuel_kg_per_kg_set: figure, vnd_per_kg_good: figure, co2_kg_per_kg_good: figure, duration_h: figure,
  assumptions: list(z.string()),
});

export const firingReport = z.object({
  workshop: z.string(),
  kiln: z.string(),
  firing_id: z.string(),
  by: startedBy,
  reason: endReason.nullable(),
  start_ms: z.number(),
  end_ms: z.number().describe('The end, or the last reading while the firing is open'),
  open: z.boolean(),
  status: firingStatus,
  gas_on_ms: num.describe('When the burners came on (any meter kind); null if not seen'),
  gas_off_ms: num.describe('When the burners went off for good (controller stop or detected); the fuel is final from then'),
  duration_h: z.number(),
  peak_c: num,
  peak_ms: num,
  peak_c_by_zone: z.record(z.string(), z.number()),
  soak_at_peak_min: num,
  heating: z.object({ mean_rate_c_h: num, max_rate_c_h: num, max_rate_window_s: z.number(), last100_rate_c_h: num, cone: coneEquivalent.nullable(), cone_with_soak_estimate: soakConeEstimate.nullable() }),
  spread: z.object({ heating_max_c: num, heating_p95_c: num, at_peak_c: num }),
  schedule: z.object({ max_dev_c: z.number(), mean_dev_c: z.number(), planned_duration_h: z.number() }).nullable(),
  schedule_name: z.string().nullable(),
  cooling_to_unload_h: num,
  fuel: z.object({
    by_meter: list(meterFigure),
    source: meterKind.nullable(),
    source_reason: z.string(),
    source_complete: z.boolean().describe('false: no meter was complete; fuel_kg is then a lower bound'),
    fuel_kg: num,
    unmeasured_pct: num,
    peak_flow_kg_h: num,
    mean_flow_kg_h: num,
    burning_h: z.number(),
  }),
  energy_mj: num,
  co2_kg: num,
  cost: z.object({ cost_vnd: z.number(), unpriced_kg: z.number(), parts: list(z.object({ price: priceEntry, fuel_kg: z.number(), cost_vnd: z.number() })) }).nullable(),
  fuel_spec: z.object({ name: z.string(), ncv_mj_kg: z.number(), co2_kg_per_kg: z.number(), biogenic: z.boolean(), source: z.string(), confidence }),
  quality: z.object({
    temp_coverage_pct: z.number(), gas_coverage_pct: num, gaps: list(gapSpan), late_points: z.number(),
    resolution: z.enum(['raw', '1m']).optional().describe("'1m': computed partly from one-minute aggregates, the raw readings being dropped (READINGS_RAW_DAYS); within the tolerance of docs/retention.md"),
  }),
  load: loadRecordSchema.nullable(),
  grading: gradingRecordSchema.nullable(),
  kpis,
  baseline_comparison: baselineComparison.nullable().describe('Against the kiln\'s newest baseline, else the workshop\'s; null with the reason'),
  baseline_comparison_reason: z.string().nullable(),
  own_median: z.object({ good: ownMedianCheck, set: ownMedianCheck }).nullable(),
  computed_at: z.string(),
  stored: z.boolean().describe('true: the summary kept in the firing index (a closed firing\'s)'),
});
export type FiringReport = z.infer<typeof firingReport>;

type _Covered = Assert<Covers<FiringReport, ServiceReport>>;
