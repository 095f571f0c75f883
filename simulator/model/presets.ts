// Kiln sizes and firing schedules from docs/sources.md (kilns, example schedules). Schedules use the wire Schedule
// shape (rate_c_h → target_c, hold_min) so the firing_start event carries them unchanged.
import type { Schedule } from '../../src/wire/events.ts';

export type GasKind = 'flow' | 'totalizer' | 'scale';
export const GAS_KINDS: readonly GasKind[] = ['flow', 'totalizer', 'scale'];
export type Atmosphere = 'oxidation' | 'reduction' | 'neutral';

export interface KilnSpec {
  readonly volume_m3: number;
  readonly ware_kg: number;
  readonly furniture_kg: number;
  readonly pieces: number;
  /** Sum of all burners at full fire. */
  readonly max_flow_kg_h: number;
  readonly zones: readonly string[];
  readonly gas: readonly GasKind[];
  /** 48 kg cylinders standing on the scale as one manifold (docs/sources.md: 48 kg industrial cylinders). */
  readonly cylinders: number;
  readonly meter_rollover_kg: number;
  readonly ambient_c: number;
}

export interface FiringPreset {
  readonly name: string;
  readonly description: string;
  readonly schedule: Schedule;
  /** Reduction from this temperature until the last heating segment's hold ends (gas kilns, docs/sources.md). */
  readonly reduction_from_c?: number;
}

const seg = (rate_c_h: number, target_c: number, hold_min = 0) => ({ rate_c_h, target_c, hold_min });

export const FIRINGS: Readonly<Record<string, FiringPreset>> = {
  bisque04: {
    name: 'bisque04', description: 'bisque cone 04, ~1,063 °C (kilnshed.com)',
    schedule: { name: 'bisque cone 04', segments: [seg(111, 121, 30), seg(111, 593), seg(83, 927), seg(60, 1063, 15)] },
  },
  glaze6: {
    name: 'glaze6', description: 'glaze cone 6, 1,200 °C, controlled cool (digitalfire c6msgl1)',
    schedule: { name: 'glaze cone 6', segments: [seg(55, 105, 60), seg(200, 1080), seg(85, 1200, 15), seg(-275, 1000), seg(-70, 760)] },
  },
  // Cone 8 and 10: the 18–24 h gas firing of Bát Tràng (docs/sources.md), last ~100 °C at 50–60 °C/h;
  // cone 8 keeps the Orton large-cone temperature at 60 °C/h (1,247); cone 10 is the self-supporting
  // chart's 1,285 °C at 60 °C/h (src/domain/firing/cone-chart.ts), the chart the service reads cones from.
  cone8ox: {
    name: 'cone8ox', description: 'glaze cone 8 oxidation, 1,247 °C (Orton at 60 °C/h)',
    schedule: { name: 'glaze cone 8 oxidation', segments: [seg(50, 150, 60), seg(60, 550), seg(100, 980), seg(60, 1247, 20)] },
  },
  cone10ox: {
    name: 'cone10ox', description: 'glaze cone 10 oxidation, 1,285 °C (Orton self-supporting at 60 °C/h)',
    schedule: { name: 'glaze cone 10 oxidation', segments: [seg(50, 150, 60), seg(60, 550), seg(100, 980), seg(60, 1285, 20)] },
  },
  // digitalfire.com/schedule/93 (10 → 120, 50 → 550, 100 → 980, 50 → 1,300 reducing, 30 min soak),
  // with the 10 °C/h start shortened so the whole firing fits Bát Tràng's 18–24 h, peak ~1,285 °C.
  cone10red: {
    name: 'cone10red', description: 'glaze cone 10 reduction from 980 °C, 1,285 °C (after digitalfire #93)',
    schedule: { name: 'glaze cone 10 reduction', segments: [seg(50, 150, 60), seg(50, 550), seg(100, 980), seg(50, 1285, 30)] },
    reduction_from_c: 980,
  },
};

/** Kiln sizes 1 to 18 m³ (docs/sources.md: first gas kiln 1 m³; common 3.5 m³; state design 18 m³).
 *  Loads: ~200 kg ware and ~300 kg furniture (shelves, posts, car deck) per m³ of setting space,
 *  an assumption (L): setting densities for tableware are not published for Bát Tràng. */
function sized(volume_m3: number, zones: readonly string[]): KilnSpec {
  return {
    volume_m3,
    ware_kg: Math.round(200 * volume_m3),
    furniture_kg: Math.round(300 * volume_m3),
    pieces: Math.round(400 * volume_m3),
    // Burner capacity scaled so that every size can hold 60 °C/h near peak with margin (docs/simulator.md).
    max_flow_kg_h: Math.round(10 * volume_m3 ** 0.85 * 10) / 10,
    zones,
    gas: ['flow', 'totalizer', 'scale'],
    cylinders: Math.max(2, Math.round(volume_m3 * 0.6)),
    meter_rollover_kg: 100000,
    ambient_c: 28, // Hà Nội annual mean is ~24 °C; a kiln shed runs warmer
  };
}

export const KILNS: Readonly<Record<string, KilnSpec>> = {
  k1: sized(1, ['top', 'bottom']),
  k3_5: sized(3.5, ['top', 'bottom']),
  k6: sized(6, ['top', 'middle', 'bottom']),
  k10: sized(10, ['top', 'middle', 'bottom']),
  k18: sized(18, ['top', 'middle', 'bottom', 'door']),
};

export const DEFAULT_KILN = 'k3_5';
export const DEFAULT_FIRING = 'cone10red';
