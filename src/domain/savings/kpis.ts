// Per-firing KPIs (docs/sources.md, "Comparing before and after"): SEC per kg loaded AND per kg of
// first-grade ware, because the coal-to-gas gain is partly fuel and partly yield, and only the
// yield-adjusted SEC shows both. Missing inputs give "not available" with the reason.
import { available, notAvailable, quantity, ratio, type Figure } from './figure.ts';
import type { GradingRecord, LoadRecord } from './records.ts';

/** The firing's measured totals; any may be missing (a dropped meter, no price for the month). */
export interface FiringMeasures {
  readonly energy_mj?: number | null; // LPG kg × NCV (47.3 MJ/kg, IPCC 2006)
  readonly fuel_kg?: number | null;
  readonly cost_vnd?: number | null; // at the price in force on the firing's date
  readonly co2_kg?: number | null;
  readonly duration_h?: number | null;
}

export interface FiringKpis {
  readonly yield_pct: Figure; // first-grade pieces ÷ pieces loaded
  readonly yield_mass_pct: Figure; // first-grade kg ÷ kg of the products, when every product's mass is known
  readonly good_kg: Figure; // kg of first-grade ware
  readonly sec_mj_per_kg_set: Figure;
  readonly sec_mj_per_kg_good: Figure;
  readonly fuel_kg_per_kg_set: Figure;
  readonly vnd_per_kg_good: Figure;
  readonly co2_kg_per_kg_good: Figure;
  readonly duration_h: Figure;
  readonly assumptions: readonly string[];
}

interface YieldCounts { first: number; loaded: number; first_kg: number | null; products_kg: number | null; notes: string[] }

/** Matches grading to load product by product; a reason string when the two cannot be reconciled. */
function countYield(load: LoadRecord, grading: GradingRecord): YieldCounts | string {
  const graded = new Map(grading.products.map((g) => [g.product, g]));
  const c: YieldCounts = { first: 0, loaded: 0, first_kg: 0, products_kg: 0, notes: [] };
  for (const g of grading.products) {
    if (!load.products.some((p) => p.product === g.product)) return `graded product "${g.product}" was not in the load`;
  }
  for (const p of load.products) {
    const g = graded.get(p.product);
    if (g === undefined) return `grading incomplete: product "${p.product}" not graded`;
    const sum = g.first + g.second + g.reject;
    if (sum > p.pieces) return `product "${p.product}": ${sum} pieces graded but ${p.pieces} loaded`;
    // Pieces lost or not recorded count as not first grade: the conservative reading.
    if (sum < p.pieces) c.notes.push(`product "${p.product}": ${p.pieces - sum} of ${p.pieces} pieces not graded, counted as not first grade`);
    c.first += g.first;
    c.loaded += p.pieces;
    if (p.ware_kg === undefined || c.first_kg === null || c.products_kg === null) {
      c.first_kg = null;
      c.products_kg = null;
    } else {
      c.first_kg += (g.first * p.ware_kg) / p.pieces; // mean mass per piece of that product
      c.products_kg += p.ware_kg;
    }
  }
  return c;
}

export function firingKpis(m: FiringMeasures, load: LoadRecord | null, grading: GradingRecord | null): FiringKpis {
  const assumptions: string[] = ['ware mass excludes kiln furniture (weighed apart at loading)'];
  const energy = quantity(m.energy_mj, 'energy_mj');
  const ware = load === null ? notAvailable('no load record') : quantity(load.ware_kg, 'ware_kg');
  let yield_pct: Figure = notAvailable(load === null ? 'no load record' : 'no grading record');
  let yield_mass_pct: Figure = yield_pct;
  if (load !== null && grading !== null) {
    const c = countYield(load, grading);
    if (typeof c === 'string') {
      yield_pct = yield_mass_pct = notAvailable(c);
    } else {
      assumptions.push(...c.notes);
      yield_pct = available((100 * c.first) / c.loaded); // loaded ≥ 1: the schema demands pieces > 0
      yield_mass_pct = c.first_kg === null || c.products_kg === null
        ? notAvailable('ware_kg not given for every product')
        : available((100 * c.first_kg) / c.products_kg);
    }
  }
  // Good kg: by mass when every product's mass is known (a vase weighs more than a cup), else by
  // pieces, which assumes all pieces weigh the same; scaled to the weighed load either way.
  const share = yield_mass_pct.ok ? yield_mass_pct : yield_pct;
  if (yield_pct.ok) assumptions.push(yield_mass_pct.ok ? 'kg good = ware_kg × yield by mass' : 'kg good = ware_kg × yield by pieces (pieces assumed of equal mass)');
  const good_kg = !ware.ok ? ware : !share.ok ? share : available((ware.value * share.value) / 100);
  return {
    yield_pct,
    yield_mass_pct,
    good_kg,
    sec_mj_per_kg_set: ratio(energy, ware, 'ware_kg'),
    sec_mj_per_kg_good: ratio(energy, good_kg, 'kg of first-grade ware'),
    fuel_kg_per_kg_set: ratio(quantity(m.fuel_kg, 'fuel_kg'), ware, 'ware_kg'),
    vnd_per_kg_good: ratio(quantity(m.cost_vnd, 'cost_vnd'), good_kg, 'kg of first-grade ware'),
    co2_kg_per_kg_good: ratio(quantity(m.co2_kg, 'co2_kg'), good_kg, 'kg of first-grade ware'),
    duration_h: quantity(m.duration_h, 'duration_h'),
    assumptions,
  };
}
