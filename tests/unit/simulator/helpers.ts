// Shared by the simulator tests: run a firing to its end, and check payloads against the wire schemas.
import { z } from 'zod';
import { auxSchemas, channelName, gasChannelSchema, MAX_READINGS_PER_MESSAGE, seqSchema, tempSchema, tsSchema } from '../../../src/wire/telemetry.ts';
import { eventSchema, statusSchema } from '../../../src/wire/events.ts';
import { parseTopic } from '../../../src/wire/topics.ts';
import { newKiln, stepKiln, type KilnModel } from '../../../simulator/model/kiln.ts';
import { FIRINGS, KILNS, type KilnSpec } from '../../../simulator/model/presets.ts';

// The telemetry envelope, built from the wire leaf schemas (strict: no unknown keys anywhere).
const readingSchema = z.strictObject({
  ts_ms: tsSchema, seq: seqSchema,
  temp_c: z.record(channelName, tempSchema).optional(),
  gas: z.record(channelName, gasChannelSchema).optional(),
  ...Object.fromEntries(Object.entries(auxSchemas).map(([k, s]) => [k, s.optional()])),
});
export const telemetrySchema = z.union([
  z.strictObject({ v: z.literal(1), device: channelName.optional(), readings: z.array(readingSchema).min(1).max(MAX_READINGS_PER_MESSAGE) }),
  readingSchema.extend({ v: z.literal(1), device: channelName.optional() }).strict(),
]);

/** Validate one published message; returns an error text or null. */
export function wireError(topic: string, payload: string): string | null {
  const t = parseTopic(topic);
  if (!t.ok) return `topic ${topic}: ${t.detail}`;
  let json: unknown;
  try { json = JSON.parse(payload); } catch (e) { return `bad JSON: ${(e as Error).message}`; }
  const schema = t.topic.kind === 'telemetry' ? telemetrySchema : t.topic.kind === 'event' ? eventSchema : statusSchema;
  const r = schema.safeParse(json);
  return r.success ? null : `${t.topic.kind}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
}

export interface Trace {
  t_s: number;
  charge_c: number;
  sp_c: number;
  seg: number;
  phase: string;
  ramp: boolean;
}

/** Run one firing at dt 1 s until the schedule ends (or max_h), sampling every sample_s. */
export function runFiring(firing: string, kiln: string | KilnSpec = 'k3_5', opts: { max_h?: number; sample_s?: number; dt_s?: number } = {}): { m: KilnModel; trace: Trace[] } {
  const spec = typeof kiln === 'string' ? KILNS[kiln] : kiln;
  const f = FIRINGS[firing];
  if (!spec || !f) throw new Error(`unknown preset ${firing}/${String(kiln)}`);
  const m = newKiln({ id: 'T1', spec, firing: f, seed: 1, clock_ms: 0, start_ms: 0, cool_until_c: 200 });
  const trace: Trace[] = [];
  const dt_s = opts.dt_s ?? 1;
  const sample_s = opts.sample_s ?? 60;
  for (let t_s = 0; t_s < (opts.max_h ?? 48) * 3600; t_s += dt_s) {
    stepKiln(m, dt_s);
    if (m.phase !== 'firing' && t_s > 0) break;
    if (t_s % sample_s === 0) trace.push({ t_s, charge_c: m.thermal.charge_c, sp_c: m.ctl.sp_c, seg: m.ctl.seg, phase: m.ctl.phase, ramp: m.ctl.phase === 'ramp' });
  }
  return { m, trace };
}
