// A simulated kiln = physics model + data logger, stepped together; and a fleet of them.
// Output order is fixed by simulated time then kiln order, never by wall-clock ticks,
// so one seed gives byte-identical messages at any --speed.
import { newDevice, deviceStep, faultAck, onlineStatus, type DeviceState, type Outgoing } from './device.ts';
import { activeAt, addFault, type FaultSpec } from './faults.ts';
import { newKiln, readKiln, stepKiln, stopFiring, type KilnModel } from './kiln.ts';
import type { FiringPreset, KilnSpec } from './presets.ts';
import { deriveSeed, makeRng } from './rng.ts';
import { firingTruth, type FiringTruth } from './truth.ts';

export interface SimKilnOptions {
  readonly id: string;
  readonly spec: KilnSpec;
  readonly firing: FiringPreset;
  /** Simulation start (the fleet's clock zero) and this kiln's firing start, ms since 1970. */
  readonly clock_ms: number;
  readonly start_ms: number;
  readonly interval_s: number;
  readonly seed: number;
  readonly cool_until_c: number;
  readonly meter_start_kg?: number;
  /** No controller events: the service must find the firing from the readings alone. */
  readonly monitor_only?: boolean;
}

export interface SimKiln {
  readonly id: string;
  readonly model: KilnModel;
  readonly dev: DeviceState;
  readonly interval_ms: number;
  readonly monitor_only: boolean;
  next_read_ms: number;
}

export function newSimKiln(o: SimKilnOptions): SimKiln {
  const model = newKiln({ id: o.id, spec: o.spec, firing: o.firing, seed: o.seed, clock_ms: o.clock_ms, start_ms: o.start_ms, cool_until_c: o.cool_until_c, meter_start_kg: o.meter_start_kg });
  const dev = newDevice(o.id, makeRng(deriveSeed(o.seed, 'device', o.id)));
  return { id: o.id, model, dev, interval_ms: Math.round(o.interval_s * 1000), monitor_only: o.monitor_only ?? false, next_read_ms: o.clock_ms + Math.round(o.interval_s * 1000) };
}

export function injectFault(k: SimKiln, spec: FaultSpec, sim_start_ms: number): void {
  k.dev.faults = addFault(k.dev.faults, spec, k.model.now_ms, sim_start_ms);
}

/** First messages of a device: the retained online status. */
/** The status that acknowledges a fault command (faultAck). */
export function faultAckOf(k: SimKiln, spec: FaultSpec): Outgoing {
  return faultAck(k.dev, k.model.now_ms, spec);
}

export function hello(k: SimKiln): Outgoing[] {
  return [onlineStatus(k.dev, k.model.now_ms)];
}

export function isDone(k: SimKiln): boolean {
  return k.model.phase === 'done';
}

export function stepSimKiln(k: SimKiln, dt_s: number): Outgoing[] {
  const m = k.model;
  if (m.phase === 'done') return [];
  m.flame_out = activeAt(k.dev.faults, m.now_ms, 'flame_out').length > 0;
  m.gas_out = activeAt(k.dev.faults, m.now_ms, 'gas_out').length > 0;
  const events = stepKiln(m, dt_s);
  let reading = null;
  if (m.now_ms >= k.next_read_ms) {
    reading = readKiln(m);
    k.next_read_ms += k.interval_ms;
    noteUnloadable(m, reading);
  }
  return deviceStep(k.dev, m.now_ms, k.monitor_only ? [] : events, reading);
}

/** Readings go on this long after the end, as a logger left on does (and so that a service holding
 *  readings in a reorder window decides the one that ended the firing). */
export const TAIL_AFTER_END_MS = 600_000;

/** The end of a firing is when the kiln can be unloaded: the first reading after gas-off whose hottest
 *  zone is below cool_until_c (the thermocouples are what a potter and the service both go by). */
function noteUnloadable(m: KilnModel, reading: ReturnType<typeof readKiln>): void {
  if (m.phase !== 'cooling' || !m.stop) return;
  const hottest_c = Math.max(...Object.values(reading.temp_c ?? {}));
  if (m.stop.end_ts_ms === null && hottest_c < m.opt.cool_until_c) m.stop.end_ts_ms = m.now_ms;
  if (m.stop.end_ts_ms !== null && m.now_ms >= m.stop.end_ts_ms + TAIL_AFTER_END_MS) m.phase = 'done';
}

/** Stop early (Ctrl-C): a firing still running ends as aborted. */
export function abortSimKiln(k: SimKiln): Outgoing[] {
  return deviceStep(k.dev, k.model.now_ms, stopFiring(k.model, 'aborted'), null);
}

export function truthOf(k: SimKiln): FiringTruth {
  return firingTruth(k.model);
}

export interface FleetMessage {
  readonly kiln: number;
  readonly out: Outgoing;
}

/** Step every kiln by dt_s, collecting messages in (time, kiln) order. */
export function stepFleet(fleet: readonly SimKiln[], dt_s: number, sink: (kiln: number, out: Outgoing) => void): void {
  for (let i = 0; i < fleet.length; i++) {
    const k = fleet[i];
    if (!k) continue;
    for (const o of stepSimKiln(k, dt_s)) sink(i, o);
  }
}
