// Which kilns to run: N preset kilns from flags, or a JSON/YAML file validated with zod.
// Errors come back as one readable line per problem ("kilns.0.firing: unknown firing ...").
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { scheduleSchema } from '../src/wire/events.ts';
import { ID_PATTERN } from '../src/wire/topics.ts';
import { faultSchema, type FaultSpec } from './model/faults.ts';
import { DEFAULT_FIRING, DEFAULT_KILN, FIRINGS, KILNS, type FiringPreset, type GasKind, type KilnSpec } from './model/presets.ts';
import { deriveSeed, makeRng, uniform } from './model/rng.ts';
import { newSimKiln, type SimKiln } from './model/sim.ts';

const id = z.string().regex(ID_PATTERN, 'ids use letters, digits, _ and - (1 to 40)');

const specOverride = z.strictObject({
  volume_m3: z.number().min(0.2).max(50).optional(),
  ware_kg: z.number().min(0).max(50000).optional(),
  furniture_kg: z.number().min(0).max(50000).optional(),
  pieces: z.number().int().min(0).max(1e6).optional(),
  max_flow_kg_h: z.number().positive().max(1000).optional(),
  zones: z.array(id).min(1).max(16).optional(),
  gas: z.array(z.enum(['flow', 'totalizer', 'scale'])).max(3).optional(),
  cylinders: z.number().int().min(1).max(100).optional(),
  meter_rollover_kg: z.number().min(1).max(1e9).optional(),
  ambient_c: z.number().min(-20).max(50).optional(),
});

const firingDef = z.strictObject({
  description: z.string().max(200).optional(),
  schedule: scheduleSchema,
  reduction_from_c: z.number().min(0).max(1800).optional(),
});

export const configSchema = z.strictObject({
  workshop: id.optional(),
  firings: z.record(id, firingDef).optional(),
  kilns: z.array(z.strictObject({
    id: id.optional(),
    preset: z.enum(Object.keys(KILNS) as [string, ...string[]]).optional(),
    spec: specOverride.optional(),
    firing: id.optional(),
    start_h: z.number().min(0).max(24 * 365).optional(),
    meter_start_kg: z.number().min(0).optional(),
  })).min(1).max(20000),
  faults: z.array(faultSchema).optional(),
}).superRefine((c, ctx) => {
  c.kilns.forEach((k, i) => {
    if (k.firing && !FIRINGS[k.firing] && !c.firings?.[k.firing]) {
      ctx.addIssue({ code: 'custom', path: ['kilns', i, 'firing'], message: `unknown firing "${k.firing}" (presets: ${Object.keys(FIRINGS).join(', ')}, or define it under firings)` });
    }
  });
});
export type FleetConfig = z.infer<typeof configSchema>;

export function loadConfig(path: string): FleetConfig {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = configSchema.safeParse(raw);
  if (!r.success) throw new Error(r.error.issues.map((i) => `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'));
  return r.data;
}

export interface FleetOptions {
  readonly kilns: number;
  readonly seed: number;
  readonly sim_start_ms: number;
  readonly interval_s: number;
  readonly cool_until_c: number;
  readonly stagger_min: number;
  readonly kiln_preset?: string;
  readonly firing?: string;
  readonly config?: FleetConfig;
  readonly id_prefix?: string;
  /** Only these meter kinds on every kiln (default: the preset's, all three). */
  readonly gas?: readonly GasKind[];
  /** A monitoring box without a controller: no firing_start, firing_stop, segment or atmosphere events. */
  readonly monitor_only?: boolean;
}

/** Build the kilns: from the config file if given, else N kilns cycling through the firing presets. */
export function buildFleet(o: FleetOptions): { fleet: SimKiln[]; faults: FaultSpec[] } {
  const firings: Record<string, FiringPreset> = { ...FIRINGS };
  for (const [name, f] of Object.entries(o.config?.firings ?? {})) firings[name] = { name, description: f.description ?? name, schedule: f.schedule, reduction_from_c: f.reduction_from_c };
  const order = Object.keys(FIRINGS);
  const rng = makeRng(deriveSeed(o.seed, 'fleet'));
  const entries = o.config?.kilns ?? Array.from({ length: o.kilns }, () => ({}) as NonNullable<FleetConfig['kilns']>[number]);
  const width = Math.max(2, String(entries.length).length);
  const fleet = entries.map((e, i) => {
    const base = KILNS[e.preset ?? o.kiln_preset ?? DEFAULT_KILN] ?? (KILNS[DEFAULT_KILN] as KilnSpec);
    const spec: KilnSpec = { ...base, ...e.spec, ...(o.gas ? { gas: o.gas } : {}) };
    const firingName = e.firing ?? o.firing ?? (o.config ? DEFAULT_FIRING : order[i % order.length] ?? DEFAULT_FIRING);
    const firing = firings[firingName];
    if (!firing) throw new Error(`unknown firing "${firingName}" (presets: ${order.join(', ')})`);
    // Each kiln starts on its own: staggered, plus up to 10 min of seeded jitter.
    const jitter_ms = Math.floor(uniform(rng) * 600) * 1000;
    const start_ms = o.sim_start_ms + (e.start_h !== undefined ? e.start_h * 3_600_000 : i * o.stagger_min * 60_000 + jitter_ms);
    const kid = e.id ?? `${o.id_prefix ?? 'K'}${String(i + 1).padStart(width, '0')}`;
    return newSimKiln({ id: kid, spec, firing, clock_ms: o.sim_start_ms, start_ms, interval_s: o.interval_s, seed: o.seed, cool_until_c: o.cool_until_c, meter_start_kg: e.meter_start_kg, monitor_only: o.monitor_only ?? false });
  });
  return { fleet, faults: o.config?.faults ?? [] };
}

/** Kiln indexes a fault applies to: by id, by 1-based number, or all. */
export function faultTargets(fleet: readonly SimKiln[], f: FaultSpec): number[] {
  if (f.kiln === undefined) return fleet.map((_, i) => i);
  if (typeof f.kiln === 'number') return f.kiln <= fleet.length ? [f.kiln - 1] : [];
  const i = fleet.findIndex((k) => k.id === f.kiln);
  return i >= 0 ? [i] : [];
}
