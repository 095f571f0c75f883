// Gas supply and the three metering kinds (docs/sources.md "Fuels"): a flow meter (kg/h), a totalizer (kg,
// wraps at rollover) and a platform scale under a manifold of 48 kg industrial cylinders.
// The exact burnt mass is kept apart from what the meters show: it is the ground truth.
export const CYLINDER_GAS_KG = 48; // 48 kg industrial cylinders (Petrolimex price list, docs/sources.md)
export const CYLINDER_TARE_KG = 38; // empty 48 kg steel cylinder ≈ 35–40 kg (L: vendor listings)
const SWAP_AT_FRACTION = 0.05; // the bank is swapped for full cylinders at 5 % left (~2.4 kg each)
const HEEL_KG_PER_CYL = 1; // below this, vapour pressure collapses and flow falls off

export interface GasState {
  /** The totalizer's register before wrapping, kg. */
  meter_total_kg: number;
  bank_gas_kg: number;
  swaps: number;
  /** Exact fuel burnt (or flowed unburnt) since the firing started, kg. */
  firing_kg: number;
}

export function newGas(cylinders: number, meter_start_kg: number): GasState {
  return { meter_total_kg: meter_start_kg, bank_gas_kg: cylinders * CYLINDER_GAS_KG, swaps: 0, firing_kg: 0 };
}

/** Flow the supply can deliver now, kg/h: full below the heel only if cylinders can be swapped. */
export function supplyLimitKgH(g: GasState, cylinders: number, max_flow_kg_h: number): number {
  const heel_kg = HEEL_KG_PER_CYL * cylinders;
  return g.bank_gas_kg >= heel_kg ? max_flow_kg_h : (max_flow_kg_h * Math.max(0, g.bank_gas_kg)) / heel_kg;
}

/** Draw flow_kg_h for dt_s; swap the bank when low unless the supply has run out (fault). */
export function drawGas(g: GasState, cylinders: number, flow_kg_h: number, dt_s: number, can_swap: boolean): void {
  const kg = Math.min((flow_kg_h * dt_s) / 3600, Math.max(0, g.bank_gas_kg));
  g.bank_gas_kg -= kg;
  g.meter_total_kg += kg;
  g.firing_kg += kg;
  if (can_swap && g.bank_gas_kg < SWAP_AT_FRACTION * cylinders * CYLINDER_GAS_KG) {
    g.bank_gas_kg = cylinders * CYLINDER_GAS_KG; // the emptied bank's residue leaves with it
    g.swaps += 1;
  }
}

export function scaleGrossKg(g: GasState, cylinders: number): number {
  return cylinders * CYLINDER_TARE_KG + g.bank_gas_kg;
}
