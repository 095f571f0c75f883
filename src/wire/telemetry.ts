// Wire schemas of the telemetry payload (docs/mqtt.md). Shared by the service and the simulator.
// Leaves are validated one by one in src/domain/validate.ts so that one bad value never costs
// the good values sent beside it; these schemas describe each leaf and the envelope.
import { z } from 'zod';
import { ID_PATTERN } from './topics.ts';

export const WIRE_VERSION = 1;

/** Plausible ranges. Type B thermocouples read to 1,700 °C, S/R to 1,480 °C (ASTM E230, docs/sources.md);
 *  anything outside −50…1,800 °C is a wiring fault or an open circuit, not a kiln. */
export const LIMITS = {
  temp_c: { min: -50, max: 1800 },
  flow_kg_h: { min: 0, max: 1000 }, // an 18 m³ shuttle kiln burns tens of kg/h; 1,000 leaves room
  flow_m3_h: { min: 0, max: 1000 },
  total_m3: { min: 0, max: 1e9 },
  total_kg: { min: 0, max: 1e9 },
  mass_kg: { min: 0, max: 10000 }, // a manifold of 48 kg cylinders on a platform scale
  ref_temp_c: { min: -50, max: 60 },
  ref_pressure_kpa: { min: 50, max: 1000 }, // absolute
  rollover_at: { min: 1, max: 1e12 },
  pressure_pa: { min: -10000, max: 10000 }, // kiln chamber pressure (gauge)
  o2_pct: { min: 0, max: 25 },
  damper_pct: { min: 0, max: 100 },
} as const;

export const MAX_CHANNELS_PER_KIND = 64;
export const MAX_READINGS_PER_MESSAGE = 1000;

const num = (k: keyof typeof LIMITS) => z.number().min(LIMITS[k].min).max(LIMITS[k].max);

export const channelName = z.string().regex(ID_PATTERN);
export const tempSchema = num('temp_c');

export const gasFlowSchema = z
  .strictObject({
    kind: z.literal('flow'),
    flow_kg_h: num('flow_kg_h').optional(),
    flow_m3_h: num('flow_m3_h').optional(),
    ref_temp_c: num('ref_temp_c').optional(),
    ref_pressure_kpa: num('ref_pressure_kpa').optional(),
  })
  .refine((g) => (g.flow_kg_h === undefined) !== (g.flow_m3_h === undefined), 'give exactly one of flow_kg_h or flow_m3_h')
  .refine((g) => g.flow_m3_h === undefined || (g.ref_temp_c !== undefined && g.ref_pressure_kpa !== undefined),
    'flow_m3_h needs ref_temp_c and ref_pressure_kpa (the meter\'s reference conditions)');

export const gasTotalizerSchema = z
  .strictObject({
    kind: z.literal('totalizer'),
    total_m3: num('total_m3').optional(),
    total_kg: num('total_kg').optional(),
    ref_temp_c: num('ref_temp_c').optional(),
    ref_pressure_kpa: num('ref_pressure_kpa').optional(),
    rollover_at: num('rollover_at').optional(), // the register wraps to 0 at this value
  })
  .refine((g) => (g.total_m3 === undefined) !== (g.total_kg === undefined), 'give exactly one of total_m3 or total_kg')
  .refine((g) => g.total_m3 === undefined || (g.ref_temp_c !== undefined && g.ref_pressure_kpa !== undefined),
    'total_m3 needs ref_temp_c and ref_pressure_kpa (the meter\'s reference conditions)');

export const gasScaleSchema = z.strictObject({
  kind: z.literal('scale'),
  mass_kg: num('mass_kg'), // gross mass on the cylinder scale
});

export const gasChannelSchema = z.discriminatedUnion('kind', [gasFlowSchema, gasTotalizerSchema, gasScaleSchema]);
export type GasChannel = z.infer<typeof gasChannelSchema>;

export const auxSchemas = {
  pressure_pa: num('pressure_pa'),
  o2_pct: num('o2_pct'),
  damper_pct: num('damper_pct'),
} as const;
export type AuxField = keyof typeof auxSchemas;

export const tsSchema = z.number().int().min(0).max(8.64e15); // ms since the Unix epoch, from the device clock
export const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One reading: everything a device measured at one instant. */
export interface TelemetryReading {
  ts_ms: number;
  seq: number;
  temp_c?: Record<string, number>;
  gas?: Record<string, GasChannel>;
  pressure_pa?: number;
  o2_pct?: number;
  damper_pct?: number;
}

/** A message: one reading ({v, ts_ms, seq, ...}) or a batch ({v, device?, readings: [...]}). */
export interface TelemetryMessage {
  v: typeof WIRE_VERSION;
  device?: string;
  readings: TelemetryReading[];
}
