// Lumped heat balance of an LPG shuttle kiln, two nodes:
//   charge: ware + kiln furniture + the hot face of the lining, at the kiln temperature;
//   wall:   the rest of the lining, at its mean temperature.
// Heat in = gas × NCV × combustion efficiency. Losses: flue gas sensible heat (rises with
// kiln temperature and gas flow), conduction through the lining to the shell, radiation
// through spy holes and gaps (∝ T⁴), plus unburnt fuel. Explicit Euler with the same
// terms booked as losses, so the energy books close to rounding (docs/simulator.md).
import type { Atmosphere, KilnSpec } from './presets.ts';

export const LPG_NCV_MJ_KG = 47.3; // IPCC 2006 default net calorific value of LPG (docs/sources.md, H)
export const AFR_STOICH_KG_KG = 15.6; // propane: 15.6 kg air per kg fuel (C3H8 + 5 O2, air 23.2 % O2 by mass)
export const CP_FLUE_KJ_KG_K = 1.2; // mean cp of lean propane flue gas, 25→1,300 °C ≈ 1.15–1.25 kJ/kg·K
const SIGMA_W_M2_K4 = 5.670e-8; // Stefan–Boltzmann
const CP_WARE_KJ_KG_K = 1.05; // stoneware/porcelain bodies, mean 20→1,250 °C ≈ 1.0–1.1
const CP_FURNITURE_KJ_KG_K = 0.95; // cordierite/mullite and SiC shelves ≈ 0.8–1.1
const CP_LINING_KJ_KG_K = 1.0; // insulating fire brick / ceramic fibre ≈ 1.0–1.1
const LINING_THICKNESS_M = 0.23; // one brick of IFB, the usual shuttle-kiln wall
const LINING_DENSITY_KG_M3 = 700; // IFB 23-26 grades 500–800 kg/m³, fibre 128–250: mixed
const LINING_K_W_M_K = 0.25; // IFB at 600–1,000 °C mean ≈ 0.2–0.35 W/m·K
const HOT_FACE_FRACTION = 0.15; // share of the lining mass that follows the kiln temperature
const SHELL_H_W_M2_K = 12; // natural convection + radiation from a ~80 °C steel shell
const LEAK_AREA_PER_M2 = 0.002; // spy holes, burner ports, door gaps, m² per m² of lining
const DRAFT_AIR_KG_S_PER_M3 = 0.01; // secondary air drawn through burner ports and gaps by the chimney, on or off
/** Cooling: burner ports and damper opened, ~2× the air ("fast to ~800 °C", docs/sources.md). */
export const COOLING_DRAFT_X = 2;

export interface ThermalParams {
  readonly ambient_c: number;
  readonly charge_kj_k: number;
  readonly wall_kj_k: number;
  readonly charge_to_wall_w_k: number;
  readonly wall_to_air_w_k: number;
  readonly leak_area_m2: number;
  readonly draft_kg_s: number;
}

export function thermalParams(k: KilnSpec): ThermalParams {
  // Inner lining area of a near-cubic chamber plus the car deck and flue channels (+15 %).
  const area_m2 = 6 * k.volume_m3 ** (2 / 3) * 1.15;
  const lining_kg = area_m2 * LINING_THICKNESS_M * LINING_DENSITY_KG_M3;
  const half_w_k = (LINING_K_W_M_K * area_m2) / (LINING_THICKNESS_M / 2);
  const shell_w_k = SHELL_H_W_M2_K * area_m2 * 1.4; // the outer shell is larger than the inner face
  return {
    ambient_c: k.ambient_c,
    charge_kj_k: k.ware_kg * CP_WARE_KJ_KG_K + k.furniture_kg * CP_FURNITURE_KJ_KG_K + HOT_FACE_FRACTION * lining_kg * CP_LINING_KJ_KG_K,
    wall_kj_k: (1 - HOT_FACE_FRACTION) * lining_kg * CP_LINING_KJ_KG_K,
    charge_to_wall_w_k: half_w_k,
    wall_to_air_w_k: 1 / (1 / half_w_k + 1 / shell_w_k),
    leak_area_m2: LEAK_AREA_PER_M2 * area_m2,
    draft_kg_s: DRAFT_AIR_KG_S_PER_M3 * k.volume_m3,
  };
}

/** Air ratio λ by atmosphere: ~4 % dry O2 for oxidation (atmospheric venturi burners of shuttle
 *  kilns rarely run leaner than O2 3–6 %), fuel-rich for reduction (CO 2–5 %). */
export function airRatio(a: Atmosphere): number {
  return a === 'reduction' ? 0.92 : a === 'neutral' ? 1.05 : 1.25;
}

/** Fraction of the fuel's NCV released in the kiln: 99 % lean (CO traces), ≈ λ when fuel-rich
 *  (the unburnt CO/H2 burns at the chimney, outside the balance), 0 after a flame-out. */
export function combustionEfficiency(lambda: number, lit: boolean): number {
  return lit ? 0.99 * Math.min(1, lambda) : 0;
}

/** Books in MJ since the firing started; stored heat is computed from the temperatures. */
export interface EnergyBooks {
  gas_mj: number;
  unburnt_mj: number;
  flue_mj: number;
  wall_mj: number;
  leak_mj: number;
}

export interface ThermalState {
  charge_c: number;
  wall_c: number;
  start_charge_c: number;
  start_wall_c: number;
  books: EnergyBooks;
}

export function newThermal(p: ThermalParams): ThermalState {
  const t = p.ambient_c;
  return { charge_c: t, wall_c: t, start_charge_c: t, start_wall_c: t, books: { gas_mj: 0, unburnt_mj: 0, flue_mj: 0, wall_mj: 0, leak_mj: 0 } };
}

function leakW(p: ThermalParams, t_c: number): number {
  return SIGMA_W_M2_K4 * 0.8 * p.leak_area_m2 * ((t_c + 273.15) ** 4 - (p.ambient_c + 273.15) ** 4);
}

/** Heat the kiln needs to rise at rate_c_s, and the net heat one kg/s of fuel leaves in it. */
export function feedForward(p: ThermalParams, s: ThermalState, rate_c_s: number, lambda: number): { need_w: number; per_kg_s_w: number } {
  const dt_c = s.charge_c - p.ambient_c;
  const need_w = p.charge_kj_k * 1000 * rate_c_s + p.charge_to_wall_w_k * (s.charge_c - s.wall_c) + leakW(p, s.charge_c) + p.draft_kg_s * CP_FLUE_KJ_KG_K * 1000 * dt_c;
  const per_kg_s_w = LPG_NCV_MJ_KG * 1e6 * combustionEfficiency(lambda, true) - (1 + lambda * AFR_STOICH_KG_KG) * CP_FLUE_KJ_KG_K * 1000 * dt_c;
  return { need_w, per_kg_s_w };
}

/** Advance dt_s with fuel flow_kg_h burning at air ratio lambda (lit = false: flame-out). */
export function stepThermal(p: ThermalParams, s: ThermalState, flow_kg_h: number, lambda: number, lit: boolean, dt_s: number, draft_x = 1): void {
  const fuel_kg_s = flow_kg_h / 3600;
  const dt_c = s.charge_c - p.ambient_c;
  const gas_w = fuel_kg_s * LPG_NCV_MJ_KG * 1e6;
  const release_w = gas_w * combustionEfficiency(lambda, lit);
  // Flue: fuel + combustion air + infiltration leave at the kiln temperature (down-draught exit).
  const flue_w = ((1 + lambda * AFR_STOICH_KG_KG) * fuel_kg_s + p.draft_kg_s * draft_x) * CP_FLUE_KJ_KG_K * 1000 * dt_c;
  const to_wall_w = p.charge_to_wall_w_k * (s.charge_c - s.wall_c);
  const wall_loss_w = p.wall_to_air_w_k * (s.wall_c - p.ambient_c);
  const leak_w = leakW(p, s.charge_c);
  const b = s.books;
  b.gas_mj += (gas_w * dt_s) / 1e6;
  b.unburnt_mj += ((gas_w - release_w) * dt_s) / 1e6;
  b.flue_mj += (flue_w * dt_s) / 1e6;
  b.wall_mj += (wall_loss_w * dt_s) / 1e6;
  b.leak_mj += (leak_w * dt_s) / 1e6;
  s.charge_c += ((release_w - flue_w - to_wall_w - leak_w) * dt_s) / (p.charge_kj_k * 1000);
  s.wall_c += ((to_wall_w - wall_loss_w) * dt_s) / (p.wall_kj_k * 1000);
}

export function storedMj(p: ThermalParams, s: ThermalState): number {
  return (p.charge_kj_k * (s.charge_c - s.start_charge_c) + p.wall_kj_k * (s.wall_c - s.start_wall_c)) / 1000;
}

/** Restart the books at the current temperatures (a new firing in a warm kiln). */
export function resetBooks(s: ThermalState): void {
  s.start_charge_c = s.charge_c;
  s.start_wall_c = s.wall_c;
  s.books = { gas_mj: 0, unburnt_mj: 0, flue_mj: 0, wall_mj: 0, leak_mj: 0 };
}
