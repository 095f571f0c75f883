// Fuel constants, each with its unit in the name, its source and a confidence grade
// (docs/sources.md: H = standard or official table, M = government or news report,
// L = owner's quote or a figure derived from other numbers). Every default here can be
// overridden by a user-entered FuelSpec with its own source (local coal, a supplier's assay).

export type Confidence = 'H' | 'M' | 'L';

export interface Cited {
  readonly value: number;
  readonly source: string;
  readonly confidence: Confidence;
}

const IPCC_NCV = 'IPCC 2006 Guidelines, Vol. 2 Energy, ch. 1, table 1.2 (default NCV)';
const IPCC_CO2 = 'IPCC 2006 Guidelines, Vol. 2 Energy, ch. 1, table 1.4 (default CO2 emission factor)';

// --- LPG (IPCC "Liquefied Petroleum Gases") ---
export const LPG_NCV_MJ_KG: Cited = { value: 47.3, source: IPCC_NCV, confidence: 'H' };
export const LPG_CO2_KG_TJ: Cited = { value: 63_100, source: IPCC_CO2, confidence: 'H' };

// --- Propane and butane, for LPG vapour density (gas meters report volume) ---
export const PROPANE_LHV_MJ_KG: Cited = { value: 46.3, source: 'fuel-handbook value, primary source not traced (docs/sources.md, Fuels)', confidence: 'M' };
export const BUTANE_LHV_MJ_KG: Cited = { value: 45.7, source: 'fuel-handbook value, primary source not traced (docs/sources.md, Fuels)', confidence: 'M' };
export const PROPANE_MOLAR_MASS_G_MOL: Cited = { value: 44.097, source: 'NIST Chemistry WebBook, C3H8 (IUPAC atomic weights)', confidence: 'H' };
export const BUTANE_MOLAR_MASS_G_MOL: Cited = { value: 58.123, source: 'NIST Chemistry WebBook, n-C4H10 (IUPAC atomic weights)', confidence: 'H' };
/** Molar gas constant, exact since the 2019 SI redefinition (CODATA 2018). */
export const GAS_CONSTANT_J_MOL_K: Cited = { value: 8.314_462_618, source: 'CODATA 2018', confidence: 'H' };
export const ZERO_C_IN_K = 273.15;

// --- The old coal baseline and wood ---
export const ANTHRACITE_NCV_MJ_KG: Cited = { value: 26.7, source: IPCC_NCV, confidence: 'H' };
export const ANTHRACITE_CO2_KG_TJ: Cited = { value: 98_300, source: IPCC_CO2, confidence: 'H' };
export const WOOD_NCV_MJ_KG: Cited = { value: 15.6, source: `${IPCC_NCV}, wood/wood waste`, confidence: 'H' };
export const WOOD_CO2_KG_TJ: Cited = { value: 112_000, source: `${IPCC_CO2}, wood/wood waste`, confidence: 'H' };

/** 1 tonne of oil equivalent = 41.868 GJ (IEA/OECD definition). */
export const TOE_MJ: Cited = { value: 41_868, source: 'IEA/OECD energy statistics manual (1 toe = 41.868 GJ)', confidence: 'H' };

/** What the energy/CO2 functions need about a fuel. Users override it (e.g. local *than cám*). */
export interface FuelSpec {
  readonly name: string;
  readonly ncv_mj_kg: number;
  readonly co2_kg_per_kg: number;
  /** CO2 from biomass is reported apart from fossil CO2 (IPCC 2006 Vol. 2 ch. 2.3.3.4). */
  readonly biogenic: boolean;
  readonly source: string;
  readonly confidence: Confidence;
}

/** kg CO2 per kg fuel = kg/TJ × MJ/kg ÷ 1e6 MJ/TJ. */
export function co2KgPerKg(co2_kg_tj: number, ncv_mj_kg: number): number {
  return (co2_kg_tj * ncv_mj_kg) / 1e6;
}

function ipccSpec(name: string, ncv: Cited, co2: Cited, biogenic: boolean): FuelSpec {
  return {
    name, biogenic, ncv_mj_kg: ncv.value, co2_kg_per_kg: co2KgPerKg(co2.value, ncv.value),
    source: `${ncv.source}; ${co2.source}`, confidence: ncv.confidence === 'H' && co2.confidence === 'H' ? 'H' : 'M',
  };
}

/**
 * Default specs. LPG: 63,100 kg/TJ × 47.3 MJ/kg = 2.985 kg CO2/kg. Anthracite: 2.62 kg CO2/kg,
 * but local coal dust cakes have more ash and a lower NCV: let users override it.
 * Wood: 1.75 kg CO2/kg, biogenic.
 */
export const FUELS = {
  lpg: ipccSpec('LPG', LPG_NCV_MJ_KG, LPG_CO2_KG_TJ, false),
  anthracite: ipccSpec('anthracite', ANTHRACITE_NCV_MJ_KG, ANTHRACITE_CO2_KG_TJ, false),
  wood: ipccSpec('wood', WOOD_NCV_MJ_KG, WOOD_CO2_KG_TJ, true),
} as const satisfies Record<string, FuelSpec>;
