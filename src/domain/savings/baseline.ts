// IPMVP-style comparison of one gas firing with the old coal baseline (docs/sources.md, "Comparing
// before and after"): savings = baseline energy − reporting energy ± adjustments. The routine
// adjustment normalises the baseline to this firing's production, per kg of first-grade ware
// (ISO 50006: EnB normalised to reporting conditions); non-routine ones come from the record.
import { lower, type Confidence } from './figure.ts';
import { usable, type FiringFigures } from './firing-figures.ts';
import { localDate, VIETNAM_UTC_OFFSET_MIN } from './local-time.ts';
import { BAND, relErrorOf, savingsRange, type SavingsRange } from './ranges.ts';
import type { Adjustment, CoalBaseline, Sourced } from './records.ts';

export interface SourcedInput extends Sourced { readonly name: string }
export type LineKey = 'energy_mj' | 'cost_vnd' | 'co2_kg';
export const LINE_KEYS: readonly LineKey[] = ['energy_mj', 'cost_vnd', 'co2_kg'];
const PER_KG_COAL = { energy_mj: 'coal_ncv_mj_per_kg', cost_vnd: 'coal_price_vnd_per_kg', co2_kg: 'co2_kg_per_kg_coal' } as const;

export type Savings =
  | ({
    readonly ok: true;
    readonly baseline_per_kg_good: number; // after non-routine factors
    readonly baseline: number; // baseline_per_kg_good × this firing's kg good
    readonly actual: number; // this firing
    readonly avoided: number; // baseline − actual (negative: the firing used more)
    readonly confidence: Confidence; // lowest of `inputs`
    readonly inputs: readonly SourcedInput[]; // every figure used, with its source, beside the result
  } & SavingsRange) // avoided as a % of the baseline, and the range from the inputs' grades (ranges.ts)
  | { readonly ok: false; readonly reason: string };

// rel_error: the baseline inputs' grades combined (ranges.ts), before non-routine factors.
type PreparedLine = { per_kg_good: number; inputs: readonly SourcedInput[]; confidence: Confidence; rel_error: number } | { reason: string };

/** A baseline's per-kg-good figures, worked out once and shared by every firing compared with it. */
export interface PreparedBaseline {
  readonly record: CoalBaseline;
  readonly lines: Readonly<Record<LineKey, PreparedLine>>;
  readonly assumptions: readonly string[];
}

const input = (name: string, s: Sourced): SourcedInput => ({ name, ...s });

export function prepareBaseline(b: CoalBaseline): PreparedBaseline {
  const base_good_kg = b.ware_kg_per_firing.value * (b.yield_pct.value / 100);
  const common = [input('coal_kg_per_firing', b.coal_kg_per_firing), input('ware_kg_per_firing', b.ware_kg_per_firing), input('yield_pct', b.yield_pct)];
  const line = (key: LineKey): PreparedLine => {
    const per_kg_coal = b[PER_KG_COAL[key]];
    if (per_kg_coal === undefined) return { reason: `baseline has no ${PER_KG_COAL[key]}` };
    const inputs = [...common, input(PER_KG_COAL[key], per_kg_coal)];
    // coal kg × (MJ | VND | kg CO2) per kg coal ÷ (ware kg × yield)
    const grades = inputs.map((i) => i.confidence);
    return { per_kg_good: (b.coal_kg_per_firing.value * per_kg_coal.value) / base_good_kg, inputs, confidence: grades.reduce(lower), rel_error: relErrorOf(grades) };
  };
  return {
    record: b,
    lines: { energy_mj: line('energy_mj'), cost_vnd: line('cost_vnd'), co2_kg: line('co2_kg') },
    assumptions: [
      `baseline: per-firing averages for ${b.workshop}${b.kiln === undefined ? '' : ` kiln ${b.kiln}`} over ${b.period.from}..${b.period.to}, entered by ${b.by}`,
      'energy per kg of first-grade ware is taken to be the same for the baseline\'s ware and this firing\'s, unless a non-routine adjustment says otherwise',
      'coal at the baseline record\'s price, not adjusted for inflation; LPG at the price in force on the firing\'s date',
      'CO2 counts fossil fuel combustion only',
    ],
  };
}

export interface InForce { readonly adjustments: readonly Adjustment[]; readonly factor: number; readonly inputs: readonly SourcedInput[]; readonly confidence: Confidence; readonly rel_error: number }
const NONE: InForce = { adjustments: [], factor: 1, inputs: [], confidence: 'H', rel_error: 0 };

/** Non-routine adjustments in force on the firing's local date, or why that cannot be told. */
export function adjustmentsInForce(p: PreparedBaseline, f: FiringFigures, utc_offset_min: number): InForce | string {
  if (p.record.adjustments.length === 0) return NONE;
  if (!Number.isFinite(f.started_at_ms)) return 'started_at_ms is not a finite number: cannot tell which non-routine adjustments apply';
  const day = localDate(f.started_at_ms, utc_offset_min);
  const adjustments = p.record.adjustments.filter((a) => a.at <= day);
  const inputs: SourcedInput[] = [];
  for (const a of adjustments) if (a.effect.kind === 'baseline_factor') inputs.push(input(`non-routine: ${a.description}`, a.effect));
  const grades = inputs.map((i) => i.confidence);
  return { adjustments, factor: inputs.reduce((x, i) => x * i.value, 1), inputs, confidence: grades.reduce(lower, 'H'), rel_error: relErrorOf(grades) };
}

export interface Line {
  readonly per_kg_good: number; readonly baseline: number; readonly actual: number; readonly confidence: Confidence;
  readonly rel_baseline: number; // the baseline side's relative ± (its inputs and factors in quadrature)
  readonly rel_actual: number; // this firing's figure's relative ± (its confidence's band)
}

/** The one place the avoided figure is worked out; compareWithBaseline and sumSavings both use it. */
export function lineFor(p: PreparedBaseline, key: LineKey, f: FiringFigures, adj: InForce | string): Line | string {
  const l = p.lines[key];
  if (!usable(f.good_kg)) return 'no kg of first-grade ware (firing not graded or not weighed)';
  if ('reason' in l) return l.reason;
  const actual = f[key];
  if (!usable(actual)) return `firing ${key} missing`;
  if (typeof adj === 'string') return adj;
  const per_kg_good = l.per_kg_good * adj.factor;
  // This firing's own figure counts at its confidence too: the result is no surer than it.
  const confidence = lower(lower(l.confidence, adj.confidence), f.confidence ?? 'H');
  // good_kg is counted and weighed on the day: taken as exact (docs/analytics.md, "Ranges").
  return {
    per_kg_good, baseline: per_kg_good * f.good_kg, actual, confidence,
    // adj.rel_error is 0 without factors: the common case stays one multiply-add (the roll-up calls this per firing).
    rel_baseline: adj.rel_error === 0 ? l.rel_error : Math.sqrt(l.rel_error * l.rel_error + adj.rel_error * adj.rel_error), rel_actual: BAND[f.confidence ?? 'H'],
  };
}

export interface BaselineComparison {
  readonly firing_id: string;
  readonly good_kg: number | null;
  readonly baseline_sec_mj_per_kg_set: number; // with the per-kg-good figure, shows fuel vs yield gain
  readonly baseline_duration_h: SourcedInput | null; // not entered: unknown (never used in a figure)
  readonly energy_mj: Savings;
  readonly cost_vnd: Savings;
  readonly co2_kg: Savings;
  readonly confidence: Confidence | null; // lowest over the available lines; null when none is
  readonly routine_adjustments: readonly string[];
  readonly non_routine_adjustments: readonly Adjustment[]; // those in force on the firing's date
  readonly assumptions: readonly string[];
}

export function compareWithBaseline(f: FiringFigures, b: CoalBaseline | PreparedBaseline, utc_offset_min = VIETNAM_UTC_OFFSET_MIN): BaselineComparison {
  const p = 'lines' in b ? b : prepareBaseline(b);
  const r = p.record;
  const adj = adjustmentsInForce(p, f, utc_offset_min);
  const conf = f.confidence ?? 'H';
  const savings = (key: LineKey): Savings => {
    const v = lineFor(p, key, f, adj);
    if (typeof v === 'string') return { ok: false, reason: v };
    const l = p.lines[key] as { inputs: readonly SourcedInput[] }; // available: lineFor checked
    const inputs = [...l.inputs, ...(typeof adj === 'string' ? [] : adj.inputs), { name: `firing ${key}`, value: v.actual, source: 'this firing, measured', confidence: conf }];
    return {
      ok: true, baseline_per_kg_good: v.per_kg_good, baseline: v.baseline, actual: v.actual, avoided: v.baseline - v.actual, confidence: v.confidence, inputs,
      ...savingsRange(v.baseline, v.rel_baseline, v.actual, v.rel_actual),
    };
  };
  const [energy_mj, cost_vnd, co2_kg] = [savings('energy_mj'), savings('cost_vnd'), savings('co2_kg')];
  const oks = [energy_mj, cost_vnd, co2_kg].flatMap((s) => (s.ok ? [s.confidence] : []));
  return {
    firing_id: f.firing_id,
    good_kg: usable(f.good_kg) ? f.good_kg : null,
    baseline_sec_mj_per_kg_set: (r.coal_kg_per_firing.value * r.coal_ncv_mj_per_kg.value / r.ware_kg_per_firing.value) * (typeof adj === 'string' ? 1 : adj.factor),
    baseline_duration_h: r.duration_h === undefined ? null : input('duration_h', r.duration_h),
    energy_mj, cost_vnd, co2_kg,
    confidence: oks.length === 0 ? null : oks.reduce(lower),
    routine_adjustments: ['baseline normalised to this firing\'s kg of first-grade ware (IPMVP routine adjustment; ISO 50006 EnB at reporting conditions)'],
    non_routine_adjustments: typeof adj === 'string' ? [] : adj.adjustments,
    assumptions: [
      ...p.assumptions,
      `this firing's measured figures taken at confidence ${conf}${f.confidence === undefined ? ' (none given: default)' : ''}`,
      ...(f.workshop === r.workshop ? [] : [`baseline is ${r.workshop}'s, applied to ${f.workshop}`]),
      ...(r.kiln === undefined || r.kiln === f.kiln ? [] : [`baseline is kiln ${r.kiln}'s, applied to kiln ${f.kiln}`]),
    ],
  };
}
