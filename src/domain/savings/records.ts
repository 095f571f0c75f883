// What users enter about a firing and about the old coal kilns.
// The product never invents a baseline: per-firing coal and LPG for Bát Tràng kilns are not
// published (docs/sources.md, "Kilns and the coal baseline"), so every baseline figure carries its source and confidence.
import { z } from 'zod';
import { CONFIDENCES } from './figure.ts';

const name = z.string().trim().min(1).max(80);
const user = z.string().trim().min(1).max(80);
const ts_ms = z.number().int().min(0);
const pieces = z.number().int().min(0).max(1_000_000);
const mass_kg = z.number().min(0).max(100_000);
const isoDate = z.iso.date(); // 'YYYY-MM-DD', local date in Asia/Ho_Chi_Minh

const uniqueProducts = (items: readonly { product: string }[]) =>
  new Set(items.map((i) => i.product)).size === items.length;

/** (a) The load: ware and kiln furniture weighed apart (docs/sources.md: keep furniture out of SEC). */
export const loadRecordSchema = z.strictObject({
  ware_kg: mass_kg.positive(),
  // Saggars, shelves, posts, car deck: recorded, never counted as ware. Missing: not weighed (no
  // figure uses it: SEC is per kg of ware), shown as such.
  furniture_kg: mass_kg.optional(),
  products: z.array(z.strictObject({
    product: name,
    pieces: pieces.positive(),
    ware_kg: mass_kg.positive().optional(), // mass of all pieces of this product; enables yield by mass
  })).min(1).max(200).refine(uniqueProducts, 'each product appears once'),
  recorded_at_ms: ts_ms,
  by: user,
});
export type LoadRecord = z.infer<typeof loadRecordSchema>;

export const REJECT_CAUSES = [
  'crack', 'glaze_defect', 'warp', 'bloat', 'under_fired', 'over_fired', 'kiln_dirt_slag', 'other',
] as const;
export type RejectCause = (typeof REJECT_CAUSES)[number];

/** (b) Grading after unloading: first / second / reject per product, rejects with causes. */
export const gradingRecordSchema = z.strictObject({
  products: z.array(z.strictObject({
    product: name,
    first: pieces,
    second: pieces,
    reject: pieces,
    // Causes may cover only some rejects (not every piece gets examined), never more than all.
    reject_causes: z.array(z.strictObject({
      cause: z.enum(REJECT_CAUSES),
      pieces: pieces.positive(),
      note: z.string().trim().max(200).optional(),
    }).refine((c) => c.cause !== 'other' || (c.note ?? '') !== '', 'cause "other" needs a note')).max(20).default([]),
  }).refine((p) => p.reject_causes.reduce((s, c) => s + c.pieces, 0) <= p.reject,
    'reject causes count more pieces than were rejected')).min(1).max(200).refine(uniqueProducts, 'each product appears once'),
  recorded_at_ms: ts_ms,
  by: user,
});
export type GradingRecord = z.infer<typeof gradingRecordSchema>;

/** One entered figure with where it came from and how sure it is (docs/sources.md confidence scale). */
const sourced = <T extends z.ZodType>(value: T) => z.strictObject({
  value,
  source: z.string().trim().min(1).max(300), // e.g. "owner's coal purchase book 2004", "IPCC 2006 Vol. 2 Table 1.2"
  confidence: z.enum(CONFIDENCES),
});
export type Sourced = { readonly value: number; readonly source: string; readonly confidence: (typeof CONFIDENCES)[number] };

/** IPMVP non-routine adjustment: logged when it happens; quantified only when someone can say by how much. */
export const adjustmentSchema = z.strictObject({
  at: isoDate, // applies to firings started on or after this local date
  description: z.string().trim().min(1).max(300), // "kiln rebuilt", "switched to porcelain"
  effect: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('logged') }), // reported beside results, no number changed
    // Multiplies the baseline SEC per kg good ware, e.g. 1.15 when the new product needs 15 % more heat.
    z.strictObject({ kind: z.literal('baseline_factor'), ...sourced(z.number().positive().max(10)).shape }),
  ]),
});
export type Adjustment = z.infer<typeof adjustmentSchema>;

/** (c) Coal baseline for a workshop (or one kiln): per-firing averages over a stated period. */
export const coalBaselineSchema = z.strictObject({
  workshop: name,
  kiln: name.optional(), // absent: the workshop's baseline applies to all its kilns
  period: z.strictObject({ from: isoDate, to: isoDate }).refine((p) => p.from <= p.to, 'period.from after period.to'),
  coal_kg_per_firing: sourced(z.number().positive().max(1_000_000)),
  ware_kg_per_firing: sourced(z.number().positive().max(1_000_000)), // ware only, no furniture
  yield_pct: sourced(z.number().gt(0).max(100)), // first-grade share (docs/sources.md: coal 65–80 %)
  duration_h: sourced(z.number().positive().max(24 * 30)).optional(), // shown beside the gas firing's; no figure uses it
  coal_ncv_mj_per_kg: sourced(z.number().positive().max(40)),
  coal_price_vnd_per_kg: sourced(z.number().positive().max(1_000_000)).optional(), // not published: no cost without it
  co2_kg_per_kg_coal: sourced(z.number().positive().max(5)),
  adjustments: z.array(adjustmentSchema).max(100).default([]),
  recorded_at_ms: ts_ms,
  by: user,
});
export type CoalBaseline = z.infer<typeof coalBaselineSchema>;

/** kg CO2 per TJ of anthracite burnt, IPCC 2006 Vol. 2 ch. 1 table 1.4 (docs/sources.md "Fuels"). */
export const ANTHRACITE_CO2_KG_PER_TJ = 98_300;

/**
 * The CO2 factor when none is entered: the IPCC default per TJ of anthracite × the baseline's own
 * NCV (the carbon per unit of heat varies far less between coals than the heat per kg does).
 * Its grade is the NCV's: the per-TJ factor is an IPCC table value (H).
 */
export function defaultCo2PerKgCoal(ncv: Sourced): Sourced {
  return {
    value: (ncv.value * ANTHRACITE_CO2_KG_PER_TJ) / 1e6,
    source: `default: IPCC 2006 anthracite 98,300 kg CO2/TJ × this baseline's NCV ${ncv.value} MJ/kg`,
    confidence: ncv.confidence,
  };
}

/**
 * Pre-fill for the coal's properties only (never coal per firing, ware or yield): IPCC 2006
 * anthracite, docs/sources.md "Fuels". Local than cám has more ash and a lower NCV: users override.
 */
export const ANTHRACITE_IPCC_2006 = {
  coal_ncv_mj_per_kg: { value: 26.7, source: 'IPCC 2006 default NCV, anthracite', confidence: 'H' },
  // 26.7 MJ/kg × 98,300 kg CO2/TJ = 2.624 kg CO2 per kg coal
  co2_kg_per_kg_coal: { value: 26.7 * ANTHRACITE_CO2_KG_PER_TJ / 1e6, source: 'IPCC 2006 default, anthracite: 98,300 kg CO2/TJ × 26.7 MJ/kg', confidence: 'H' },
} as const satisfies Record<string, Sourced>;
