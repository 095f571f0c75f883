// Ground truth of a firing, for tests and for checking the service's fuel integration:
// exact fuel mass (not what a meter shows), and the energy books with their closure error.
import type { KilnModel } from './kiln.ts';
import { LPG_NCV_MJ_KG, storedMj } from './thermal.ts';

export interface FiringTruth {
  kiln: string;
  firing_id: string;
  firing: string;
  state: 'waiting' | 'firing' | 'cooling' | 'done';
  start_ts_ms: number;
  stop_ts_ms: number | null;
  stop_reason: 'complete' | 'aborted' | 'fault' | null;
  /** When the burners first passed gas and last did; null before. */
  gas_on_ts_ms: number | null;
  gas_off_ts_ms: number | null;
  /** When the kiln could be unloaded: the first reading after gas-off with every zone below cool_until_c; null before. */
  end_ts_ms: number | null;
  duration_s: number;
  fuel_kg: number;
  fuel_mj: number;
  peak_c: number;
  behind_s: number;
  cylinder_swaps: number;
  ware_kg: number;
  lpg_kg_per_kg_ware: number;
  energy_mj: { gas: number; stored: number; flue: number; wall: number; leak: number; unburnt: number; balance_error_pct: number };
}

const r = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function firingTruth(m: KilnModel): FiringTruth {
  if (m.stop && m.phase !== 'firing') {
    return { ...m.stop.truth, state: m.phase, stop_ts_ms: m.stop.ts_ms, stop_reason: m.stop.reason, gas_off_ts_ms: m.gas_off_ms, end_ts_ms: m.stop.end_ts_ms };
  }
  const b = m.thermal.books;
  const stored = storedMj(m.params, m.thermal);
  const out = stored + b.flue_mj + b.wall_mj + b.leak_mj + b.unburnt_mj;
  const started = m.phase !== 'waiting';
  const fuel_kg = started ? m.gas.firing_kg : 0;
  return {
    kiln: m.opt.id, firing_id: m.firing_id, firing: m.opt.firing.name, state: m.phase,
    start_ts_ms: m.opt.start_ms, stop_ts_ms: null, stop_reason: null,
    gas_on_ts_ms: m.gas_on_ms, gas_off_ts_ms: null, end_ts_ms: null,
    duration_s: started ? Math.round((m.now_ms - m.opt.start_ms) / 1000) : 0,
    fuel_kg: r(fuel_kg), fuel_mj: r(fuel_kg * LPG_NCV_MJ_KG, 1), peak_c: r(m.peak_c, 1),
    behind_s: m.ctl.behind_s, cylinder_swaps: m.gas.swaps, ware_kg: m.opt.spec.ware_kg,
    lpg_kg_per_kg_ware: r(fuel_kg / Math.max(1, m.opt.spec.ware_kg)),
    energy_mj: {
      gas: r(b.gas_mj, 1), stored: r(stored, 1), flue: r(b.flue_mj, 1), wall: r(b.wall_mj, 1), leak: r(b.leak_mj, 1), unburnt: r(b.unburnt_mj, 1),
      balance_error_pct: b.gas_mj > 0 ? r((100 * (b.gas_mj - out)) / b.gas_mj, 6) : 0,
    },
  };
}
