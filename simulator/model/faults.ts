// Faults on demand: what can go wrong with a kiln, its sensors, its gas or its network link.
// Each has a documented signature in docs/simulator.md. A fault is data: what, which kiln,
// from when (simulated time), for how long; the device and the model read the active set.
import { z } from 'zod';

export const FAULT_TYPES = [
  'tc_open', 'tc_drift', 'flame_out', 'gas_out', 'silent', 'net_cut',
  'duplicate', 'reorder', 'malformed', 'clock_skew', 'clear',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export const faultSchema = z.strictObject({
  type: z.enum(FAULT_TYPES),
  /** Kiln id or 1-based index; absent: every kiln. Ignored on a kiln's own control topic. */
  kiln: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
  /** Start, simulated hours after the simulation began; absent: now. */
  at_h: z.number().min(0).optional(),
  /** Length in simulated minutes; absent: until cleared. */
  duration_min: z.number().positive().optional(),
  /** tc_open / tc_drift / silent: the thermocouple zone (silent without zone: all telemetry). */
  zone: z.string().min(1).optional(),
  /** tc_open: drop the channel, or read up-scale (burn-out detection drives the input high). */
  mode: z.enum(['drop', 'upscale']).optional(),
  /** tc_drift: °C per hour, negative reads low (type K drifts at cone 6–10, docs/sources.md). */
  rate_c_h: z.number().min(-1000).max(1000).optional(),
  /** duplicate / reorder / malformed: share of messages affected. */
  prob: z.number().min(0).max(1).optional(),
  /** clock_skew: fixed offset and drift of the device clock. */
  offset_s: z.number().min(-1e7).max(1e7).optional(),
  drift_ppm: z.number().min(-1e6).max(1e6).optional(),
  /** clear: which fault type to clear; absent: all. */
  of: z.enum(FAULT_TYPES).optional(),
});
export type FaultSpec = z.infer<typeof faultSchema>;

export interface ActiveFault {
  readonly spec: FaultSpec;
  readonly start_ms: number;
  readonly end_ms: number;
}

export const UPSCALE_READING_C = 5000; // out of every thermocouple's range: an open circuit, not a kiln
export const DEFAULT_DRIFT_C_H = -10;
export const DEFAULT_PROB = 0.2;
export const DEFAULT_SKEW_S = 600;

/** Turn a spec into a timed fault (or apply a clear) on a kiln's fault list. */
export function addFault(list: ActiveFault[], spec: FaultSpec, now_ms: number, sim_start_ms: number): ActiveFault[] {
  const start_ms = spec.at_h !== undefined ? sim_start_ms + spec.at_h * 3_600_000 : now_ms;
  if (spec.type === 'clear') {
    // End matching faults now; ones scheduled for later never start.
    return list.map((f) => ((spec.of === undefined || f.spec.type === spec.of) && f.end_ms > start_ms
      ? { ...f, end_ms: Math.max(f.start_ms, start_ms) } : f));
  }
  const end_ms = spec.duration_min !== undefined ? start_ms + spec.duration_min * 60_000 : Number.POSITIVE_INFINITY;
  return [...list, { spec, start_ms, end_ms }];
}

export function activeAt(list: readonly ActiveFault[], now_ms: number, type: FaultType): ActiveFault[] {
  return list.filter((f) => f.spec.type === type && f.start_ms <= now_ms && now_ms < f.end_ms);
}

/** Parse the --fault flag: "type=flame_out,kiln=2,at_h=10,duration_min=30". */
export function parseFaultFlag(text: string): { ok: true; fault: FaultSpec } | { ok: false; error: string } {
  const obj: Record<string, string | number> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) return { ok: false, error: `--fault "${text}": expected key=value pairs separated by commas` };
    obj[k.trim()] = v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v.trim();
  }
  if (typeof obj.kiln === 'number' && !Number.isInteger(obj.kiln)) obj.kiln = String(obj.kiln);
  const r = faultSchema.safeParse(obj);
  if (r.success) return { ok: true, fault: r.data };
  const i = r.error.issues[0];
  return { ok: false, error: `--fault "${text}": ${i ? `${i.path.join('.') || 'fault'}: ${i.message}` : 'invalid'}` };
}
