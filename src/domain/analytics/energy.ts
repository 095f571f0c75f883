// Energy, CO2 and cost of the fuel a firing used. Prices follow the monthly Saudi Aramco CP
// and change month to month (docs/sources.md), so a firing is priced at the price in force on its
// local date, and a firing that crosses a price change is priced per consumption segment.

import { TOE_MJ, type FuelSpec } from './fuels.ts';

export function energyMj(fuel_kg: number, spec: FuelSpec): number {
  return fuel_kg * spec.ncv_mj_kg;
}

/** Fossil or biogenic per spec.biogenic: report biogenic CO2 apart (IPCC 2006). */
export function co2Kg(fuel_kg: number, spec: FuelSpec): number {
  return fuel_kg * spec.co2_kg_per_kg;
}

export function energyToe(energy_mj: number): number {
  return energy_mj / TOE_MJ.value;
}

export interface PriceEntry {
  /** 'YYYY-MM-DD', a local date in Asia/Ho_Chi_Minh: in force from that date's 00:00 (UTC+7). */
  readonly valid_from: string;
  readonly vnd_per_kg: number;
  readonly source: string;
}

/** Asia/Ho_Chi_Minh is UTC+7 all year: Vietnam has had no daylight saving time since 1975. */
export const VN_UTC_OFFSET_MS = 7 * 3_600_000;

/** The local calendar date ('YYYY-MM-DD') in Vietnam of a device instant. */
export function localDateVn(ts_ms: number): string {
  return new Date(ts_ms + VN_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a price list, one line each (empty when it is usable); for config checks. */
export function priceListProblems(list: readonly PriceEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, p] of list.entries()) {
    const date_ok = ISO_DATE.test(p.valid_from) && !Number.isNaN(Date.parse(`${p.valid_from}T00:00:00Z`));
    if (!date_ok) problems.push(`price ${i}: valid_from "${p.valid_from}" is not a YYYY-MM-DD date`);
    if (!(Number.isFinite(p.vnd_per_kg) && p.vnd_per_kg > 0)) problems.push(`price ${i}: vnd_per_kg must be > 0`);
    if (p.source.trim() === '') problems.push(`price ${i}: source is empty`);
    if (seen.has(p.valid_from)) problems.push(`price ${i}: a second price from ${p.valid_from}`);
    seen.add(p.valid_from);
  }
  return problems;
}

/**
 * The entry in force at ts_ms: the latest valid_from on or before its local date. The list
 * may be in any order; of two entries with the same date the later in the list wins (an
 * appended correction). undefined when no entry is in force yet.
 */
export function priceAt(list: readonly PriceEntry[], ts_ms: number): PriceEntry | undefined {
  const date = localDateVn(ts_ms);
  let best: PriceEntry | undefined;
  for (const p of list) {
    // 'YYYY-MM-DD' strings order as dates do.
    if (p.valid_from <= date && (best === undefined || p.valid_from >= best.valid_from)) best = p;
  }
  return best;
}

/** The cost of a firing priced at one instant (e.g. its start). */
export function firingCost(list: readonly PriceEntry[], fuel_kg: number, at_ms: number): { cost_vnd: number; price: PriceEntry } | undefined {
  const price = priceAt(list, at_ms);
  return price === undefined ? undefined : { cost_vnd: fuel_kg * price.vnd_per_kg, price };
}

export interface ConsumptionSegment { readonly ts_ms: number; readonly kg: number }
export interface PricedPart { readonly price: PriceEntry; readonly fuel_kg: number; readonly cost_vnd: number }
export interface ConsumptionCost {
  readonly cost_vnd: number;
  readonly priced_kg: number;
  /** Fuel used before the first price in the list: not priced, not guessed. */
  readonly unpriced_kg: number;
  /** One part per price entry used, in time order of first use. */
  readonly parts: readonly PricedPart[];
}

/**
 * Prices each consumption segment (e.g. flowSegments()) at the price in force at its instant,
 * so a firing across a price change pays each price for the fuel burnt under it.
 */
export function costOfConsumption(list: readonly PriceEntry[], segments: readonly ConsumptionSegment[]): ConsumptionCost {
  const by_date = new Map<string, PriceEntry | undefined>(); // prices change by date: look each date up once
  const parts = new Map<PriceEntry, { fuel_kg: number; cost_vnd: number }>();
  let unpriced_kg = 0;
  for (const seg of [...segments].sort((a, b) => a.ts_ms - b.ts_ms)) {
    const date = localDateVn(seg.ts_ms);
    if (!by_date.has(date)) by_date.set(date, priceAt(list, seg.ts_ms));
    const price = by_date.get(date);
    if (price === undefined) {
      unpriced_kg += seg.kg;
      continue;
    }
    const part = parts.get(price) ?? { fuel_kg: 0, cost_vnd: 0 };
    part.fuel_kg += seg.kg;
    part.cost_vnd += seg.kg * price.vnd_per_kg;
    parts.set(price, part);
  }
  const out = [...parts].map(([price, p]) => ({ price, ...p }));
  return {
    cost_vnd: out.reduce((s, p) => s + p.cost_vnd, 0),
    priced_kg: out.reduce((s, p) => s + p.fuel_kg, 0),
    unpriced_kg,
    parts: out,
  };
}
