// Thermocouple zones. A sheathed type S/R thermocouple in an alumina tube lags the kiln by
// ~20–60 s; readings carry ~0.3 °C of electrical noise (ASTM E230: ±0.25 % class accuracy, docs/sources.md).
// The top/bottom spread of a down-draught kiln grows with the heating rate (the setting
// cannot keep up with the gas) and closes in a soak — which is what the soak is for.
import { gauss, type Rng } from './rng.ts';

export const TC_LAG_S = 40;
const NOISE_C = 0.3;
const STATIC_SPREAD_C = 4;
const SPREAD_H = 0.12; // °C of half-spread per °C/h of heating rate: 100 °C/h → ±16 °C

export interface SensorState {
  lagged_c: number[];
}

export function newSensors(n: number, start_c: number): SensorState {
  return { lagged_c: Array.from({ length: n }, () => start_c) };
}

/** +1 for the first zone (top), −1 for the last (bottom), linear between. */
export function zonePosition(i: number, n: number): number {
  return n <= 1 ? 0 : 1 - (2 * i) / (n - 1);
}

export function stepSensors(s: SensorState, charge_c: number, rate_c_h: number, dt_s: number): void {
  const n = s.lagged_c.length;
  const k = Math.min(1, dt_s / TC_LAG_S);
  for (let i = 0; i < n; i++) {
    const true_c = charge_c + zonePosition(i, n) * (STATIC_SPREAD_C + SPREAD_H * Math.abs(rate_c_h));
    const prev = s.lagged_c[i] ?? true_c;
    s.lagged_c[i] = prev + (true_c - prev) * k;
  }
}

export function readZone(s: SensorState, i: number, rng: Rng): number {
  return Math.round(((s.lagged_c[i] ?? 0) + NOISE_C * gauss(rng)) * 10) / 10;
}
