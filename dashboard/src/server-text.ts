// The service's explanations (why a meter was chosen, a report's assumptions, a meter's notes, why
// a saving cannot be worked out) arrive in English: each known sentence is matched here and said
// again in the interface language, its figures and names carried over. A sentence not known here
// is shown as it came (the language test then fails on it, so a new one gets its translation).
import { coneLabel, meterName, t, type Key } from './i18n.ts';

type Rule = readonly [RegExp, Key, (m: RegExpExecArray) => Record<string, string>];
const none = () => ({});
const dec = (s: string | undefined) => (s ?? '').replace(/(\d)\.(\d)/g, '$1' + t('decimal_sep') + '$2');

/** The baseline's fields by the names of its form. */
const FIELDS: Record<string, Key> = { coal_price_vnd_per_kg: 'coal_price', coal_ncv_mj_per_kg: 'coal_ncv', co2_kg_per_kg_coal: 'coal_co2', coal_kg_per_firing: 'coal_kg', ware_kg_per_firing: 'base_ware_kg', yield_pct: 'base_yield', duration_h: 'base_duration' };

const RULES: readonly Rule[] = [
  [/^(\w+): the first complete meter in the order totalizer, flow, scale$/, 'st_meter_first_complete', (m) => ({ meter: meterName(m[1]!) })],
  [/^(\w+): no meter is complete; this one covers the most of the firing \(([\d.]+) %\)$/, 'st_meter_best_coverage', (m) => ({ meter: meterName(m[1]!), pct: dec(m[2]) })],
  [/^no gas meter readings in this firing$/, 'st_no_meter', none],
  [/^ware mass excludes kiln furniture \(weighed apart at loading\)$/, 'st_ware_excludes_furniture', none],
  [/^kg good = ware_kg × yield by mass$/, 'st_good_by_mass', none],
  [/^kg good = ware_kg × yield by pieces \(pieces assumed of equal mass\)$/, 'st_good_by_pieces', none],
  [/^product "(.*)": (\d+) of (\d+) pieces not graded, counted as not first grade$/, 'st_not_graded', (m) => ({ product: m[1]!, n: m[2]!, of: m[3]! })],
  [/^baseline has no (\w+)$/, 'st_baseline_lacks', (m) => ({ field: FIELDS[m[1]!] ? t(FIELDS[m[1]!]!) : m[1]! })],
  [/^baseline: per-firing averages for (\S+)(?: kiln (\S+))? over (\S+)\.\.(\S+), entered by (.*)$/s, 'st_baseline_from', (m) => ({ workshop: m[2] ? `${m[1]!} / ${m[2]}` : m[1]!, from: m[3]!, to: m[4]!, by: m[5]! })],
  [/^energy per kg of first-grade ware is taken to be the same for the baseline's ware and this firing's, unless a non-routine adjustment says otherwise$/, 'st_same_energy_per_kg', none],
  [/^coal at the baseline record's price, not adjusted for inflation; LPG at the price in force on the firing's date$/, 'st_prices', none],
  [/^this firing's measured figures taken at confidence (\w+)( \(none given: default\))?$/, 'st_firing_confidence', (m) => ({ c: m[1]! + (m[2] ? ` (${t('st_default')})` : '') })],
  [/^baseline is (\S+)'s, applied to (\S+)$/, 'st_baseline_other_workshop', (m) => ({ a: m[1]!, b: m[2]! })],
  [/^baseline is kiln (\S+)'s, applied to kiln (\S+)$/, 'st_baseline_other_kiln', (m) => ({ a: m[1]!, b: m[2]! })],
  [/^baseline normalised to this firing's kg of first-grade ware \(IPMVP routine adjustment; ISO 50006 EnB at reporting conditions\)$/, 'st_routine_adjustment', none],
  [/^this firing, measured$/, 'st_this_firing_measured', none],
  [/^no kg of first-grade ware \(firing not graded or not weighed\)$/, 'st_no_good_kg', none],
  [/^firing (\w+) missing$/, 'st_firing_missing', (m) => ({ field: m[1]! })],
  [/^(\S+): (\d+) gap\(s\), ([\d.]+) kg by straight line across them, not counted$/, 'st_gaps', (m) => ({ ch: m[1]!, n: m[2]!, kg: dec(m[3]) })],
  [/^(\S+): (\d+) reset\(s\), nothing counted across them$/, 'st_resets', (m) => ({ ch: m[1]!, n: m[2]! })],
  [/^(\S+): (\d+) rollover\(s\) at (\S+)$/, 'st_rollovers', (m) => ({ ch: m[1]!, n: m[2]!, at: dec(m[3]) })],
  [/^(\S+): (\d+) cylinder swap\(s\); what was left in the old cylinders is not counted$/, 'st_swaps', (m) => ({ ch: m[1]!, n: m[2]! })],
  [/^(\S+): (\d+) reading\(s\) with the cylinders off the scale, skipped$/, 'st_off_scale', (m) => ({ ch: m[1]!, n: m[2]! })],
];

/** A sentence of the service in the interface language (as it came when it is not known here). */
export function serverText(s: string): string {
  for (const [re, key, params] of RULES) {
    const m = re.exec(s);
    if (m) return t(key, params(m));
  }
  return s;
}

/** A string value of a report figure: a cone, a meter kind, or a sentence of the service. */
export function valueText(s: string): string {
  if (/^(below )?cone \S+$/.test(s)) return coneLabel(s);
  const meter = meterName(s);
  return meter !== s ? meter : serverText(s);
}
