// LPG vapour volume → mass. Gas meters count m³ (corrected to a reference T, p: 0, 15, 20 or
// 25 °C, stated by the meter, docs/influx.md); fuel, energy and CO2 are per kg.
//
// Ideal gas: ρ = p·M / (R·T), with M the mixture molar mass. The propane share is a MOLE
// fraction (= volume fraction of the vapour, what a meter sees); LPG specs often give a MASS
// fraction of the liquid: convert it with propaneMolFraction(). Check (docs/sources.md "Fuels"): propane at
// 15 °C, 101.325 kPa: 101,325 × 0.044097 / (8.3145 × 288.15) = 1.865 kg/m³; butane 2.458 kg/m³.
// Real vapour is a little denser (compression factor Z ≈ 0.98 propane, ≈ 0.97 n-butane at
// 15 °C, ISO 6976 tables; confidence M): pass z to correct, the default 1 matches docs/sources.md.

import { integrateFlow, type FlowIntegral, type FlowOpts } from './fuel-flow.ts';
import { BUTANE_MOLAR_MASS_G_MOL, GAS_CONSTANT_J_MOL_K, PROPANE_MOLAR_MASS_G_MOL, ZERO_C_IN_K } from './fuels.ts';

function checkFraction(name: string, f: number): void {
  if (!(f >= 0 && f <= 1)) throw new RangeError(`${name} must be within 0..1, got ${f}`);
}

/** Mole fraction of propane in a propane/butane mix given its mass fraction. */
export function propaneMolFraction(propane_mass_frac: number): number {
  checkFraction('propane_mass_frac', propane_mass_frac);
  const mol_propane = propane_mass_frac / PROPANE_MOLAR_MASS_G_MOL.value;
  const mol_butane = (1 - propane_mass_frac) / BUTANE_MOLAR_MASS_G_MOL.value;
  return mol_propane / (mol_propane + mol_butane);
}

/** Molar mass of a propane/butane mix, g/mol (mole-fraction weighted). */
export function lpgMolarMassGMol(propane_mol_frac: number): number {
  checkFraction('propane_mol_frac', propane_mol_frac);
  return propane_mol_frac * PROPANE_MOLAR_MASS_G_MOL.value + (1 - propane_mol_frac) * BUTANE_MOLAR_MASS_G_MOL.value;
}

/** Vapour density in kg/m³ at the meter's reference conditions (pressure absolute). */
export function lpgDensityKgM3(ref_temp_c: number, ref_pressure_kpa: number, propane_mol_frac: number, z = 1): number {
  const temp_k = ref_temp_c + ZERO_C_IN_K;
  if (!(temp_k > 0) || !(ref_pressure_kpa > 0) || !(z > 0)) {
    throw new RangeError(`bad reference: ${ref_temp_c} °C, ${ref_pressure_kpa} kPa, Z ${z}`);
  }
  const molar_mass_kg_mol = lpgMolarMassGMol(propane_mol_frac) / 1000;
  return (ref_pressure_kpa * 1000 * molar_mass_kg_mol) / (z * GAS_CONSTANT_J_MOL_K.value * temp_k);
}

export function m3ToKg(volume_m3: number, ref_temp_c: number, ref_pressure_kpa: number, propane_mol_frac: number, z = 1): number {
  return volume_m3 * lpgDensityKgM3(ref_temp_c, ref_pressure_kpa, propane_mol_frac, z);
}

export interface VolumeFlowSample {
  readonly ts_ms: number;
  readonly flow_m3_h: number;
  readonly ref_temp_c: number;
  readonly ref_pressure_kpa: number;
}

/** Converts each sample to kg/h at its own reference, then integrates as integrateFlow does. */
export function integrateVolumeFlow(
  samples: readonly VolumeFlowSample[],
  opts: FlowOpts & { readonly propane_mol_frac: number; readonly z?: number },
): FlowIntegral {
  const kg = samples.map((s) => ({
    ts_ms: s.ts_ms,
    flow_kg_h: m3ToKg(s.flow_m3_h, s.ref_temp_c, s.ref_pressure_kpa, opts.propane_mol_frac, opts.z),
  }));
  return integrateFlow(kg, opts);
}
