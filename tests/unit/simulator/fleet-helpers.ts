// Run a fleet without a broker, collecting every message in order (topic + payload).
import { buildFleet } from '../../../simulator/fleet.ts';
import type { Outgoing } from '../../../simulator/model/device.ts';
import type { FaultSpec } from '../../../simulator/model/faults.ts';
import { hello, injectFault, stepFleet, type SimKiln } from '../../../simulator/model/sim.ts';
import { topicFor } from '../../../src/wire/topics.ts';

export const T0_MS = Date.parse('2025-12-01T06:00:00+07:00');

export interface Msg { topic: string; out: Outgoing }

export function runFleet(o: { kilns?: number; seed?: number; hours: number; firing?: string; faults?: FaultSpec[]; interval_s?: number }): { fleet: SimKiln[]; msgs: Msg[] } {
  const { fleet } = buildFleet({ kilns: o.kilns ?? 1, seed: o.seed ?? 1, sim_start_ms: T0_MS, interval_s: o.interval_s ?? 60, cool_until_c: 200, stagger_min: 30, firing: o.firing ?? 'cone10red' });
  for (const f of o.faults ?? []) for (const k of fleet) injectFault(k, f, T0_MS);
  const msgs: Msg[] = [];
  const topic = (i: number, out: Outgoing) => topicFor('ws1', fleet[i]?.id ?? '?', out.kind === 'link' ? 'status' : out.kind);
  fleet.forEach((k, i) => { for (const out of hello(k)) msgs.push({ topic: topic(i, out), out }); });
  for (let t = 0; t < o.hours * 3600; t++) stepFleet(fleet, 1, (i, out) => msgs.push({ topic: topic(i, out), out }));
  return { fleet, msgs };
}

export const serialize = (msgs: readonly Msg[]): string => msgs.map((m) => `${m.topic} ${m.out.kind === 'link' ? `link ${m.out.up}` : m.out.payload}`).join('\n');

/** Telemetry readings (single or batched) from well-formed messages, in arrival order. */
export function readings(msgs: readonly Msg[]): { ts_ms: number; seq: number; temp_c?: Record<string, number>; gas?: Record<string, { kind: string; flow_kg_h?: number; mass_kg?: number; total_kg?: number }>; o2_pct?: number }[] {
  const out = [];
  for (const m of msgs) {
    if (m.out.kind !== 'telemetry') continue;
    try {
      const j = JSON.parse(m.out.payload);
      out.push(...(j.readings ?? [j]));
    } catch { /* malformed on purpose */ }
  }
  return out;
}
