// One kiln: heat balance + controller + sensors + gas supply, stepped with time as data.
// stepKiln mutates the state in place (10,000 kilns in one process), but reads no clock,
// does no I/O and draws randomness only from the kiln's own seeded generator.
import type { KilnEvent } from '../../src/wire/events.ts';
import type { TelemetryReading } from '../../src/wire/telemetry.ts';
import { advanceSetpoint, flowCommand, newController, type ControllerState } from './controller.ts';
import { drawGas, newGas, scaleGrossKg, supplyLimitKgH, type GasState } from './gas.ts';
import type { Atmosphere, FiringPreset, KilnSpec } from './presets.ts';
import { deriveSeed, gauss, makeRng, type Rng } from './rng.ts';
import { newSensors, readZone, stepSensors, type SensorState } from './sensors.ts';
import { COOLING_DRAFT_X, airRatio, feedForward, newThermal, resetBooks, stepThermal, thermalParams, type ThermalParams, type ThermalState } from './thermal.ts';
import { firingTruth, type FiringTruth } from './truth.ts';

type Body<E> = E extends unknown ? Omit<E, 'v' | 'ts_ms' | 'seq'> : never;
/** A controller event before the device stamps it (v, ts_ms, seq). */
export type ModelEvent = Body<KilnEvent>;
export type ModelReading = Omit<TelemetryReading, 'ts_ms' | 'seq'>;

export interface KilnOptions {
  readonly id: string;
  readonly spec: KilnSpec;
  readonly firing: FiringPreset;
  readonly seed: number;
  /** Simulated clock when the model begins (idle until start_ms). */
  readonly clock_ms: number;
  readonly start_ms: number;
  /** The kiln counts as done once it has cooled to this after the firing. */
  readonly cool_until_c: number;
  readonly meter_start_kg?: number;
}

export interface KilnModel {
  readonly opt: KilnOptions;
  readonly params: ThermalParams;
  readonly rng: Rng;
  now_ms: number;
  phase: 'waiting' | 'firing' | 'cooling' | 'done';
  thermal: ThermalState;
  ctl: ControllerState;
  ctl_temp_c: number;
  sensors: SensorState;
  gas: GasState;
  flow_kg_h: number;
  atmosphere: Atmosphere;
  rate_c_h: number;
  peak_c: number;
  /** Physics faults, set by the fault layer before each step. */
  flame_out: boolean;
  gas_out: boolean;
  firing_id: string;
  stop: { ts_ms: number; reason: 'complete' | 'aborted' | 'fault'; truth: FiringTruth; end_ts_ms: number | null } | null;
  /** The exact moments the burners first passed gas and last did (ms). */
  gas_on_ms: number | null;
  gas_off_ms: number | null;
}

const CTL_TC_LAG_S = 30; // the controller's own thermocouple, apart from the monitored zones

export function newKiln(opt: KilnOptions): KilnModel {
  const params = thermalParams(opt.spec);
  const rng = makeRng(deriveSeed(opt.seed, 'kiln', opt.id));
  const meter_start = opt.meter_start_kg ?? Math.floor(rng.s % 50000);
  return {
    opt, params, rng, now_ms: opt.clock_ms, phase: 'waiting',
    thermal: newThermal(params), ctl: newController(params.ambient_c), ctl_temp_c: params.ambient_c,
    sensors: newSensors(opt.spec.zones.length, params.ambient_c),
    gas: newGas(opt.spec.cylinders, meter_start), flow_kg_h: 0, atmosphere: 'oxidation',
    rate_c_h: 0, peak_c: params.ambient_c, flame_out: false, gas_out: false,
    firing_id: `${opt.id.slice(0, 30)}-${Math.floor(opt.start_ms / 1000).toString(36)}`, stop: null,
    gas_on_ms: null, gas_off_ms: null,
  };
}

function startFiring(m: KilnModel): ModelEvent[] {
  m.phase = 'firing';
  resetBooks(m.thermal);
  m.gas.firing_kg = 0;
  m.gas_on_ms = null;
  m.gas_off_ms = null;
  m.ctl = newController(m.ctl_temp_c);
  const { schedule } = m.opt.firing;
  const { ware_kg, furniture_kg, pieces } = m.opt.spec;
  return [
    { type: 'firing_start', firing_id: m.firing_id, schedule, load: { ware_kg, furniture_kg, pieces } },
    { type: 'segment', firing_id: m.firing_id, index: 0, segment: schedule.segments[0] },
    { type: 'atmosphere', firing_id: m.firing_id, atmosphere: 'oxidation' },
  ];
}

export function stopFiring(m: KilnModel, reason: 'complete' | 'aborted' | 'fault'): ModelEvent[] {
  if (m.phase !== 'firing') return [];
  m.phase = 'cooling';
  m.stop = { ts_ms: m.now_ms, reason, truth: firingTruth(m), end_ts_ms: null };
  return [{ type: 'firing_stop', firing_id: m.firing_id, reason }];
}

function steerAtmosphere(m: KilnModel): ModelEvent[] {
  const from_c = m.opt.firing.reduction_from_c;
  const want: Atmosphere = from_c !== undefined && m.ctl_temp_c >= from_c ? 'reduction' : 'oxidation';
  if (want === m.atmosphere) return [];
  m.atmosphere = want;
  return [{ type: 'atmosphere', firing_id: m.firing_id, atmosphere: want }];
}

export function stepKiln(m: KilnModel, dt_s: number): ModelEvent[] {
  m.now_ms += dt_s * 1000;
  let events: ModelEvent[] = [];
  if (m.phase === 'waiting' && m.now_ms >= m.opt.start_ms) events = startFiring(m);
  const { spec } = m.opt;
  let flow_kg_h = 0;
  if (m.phase === 'firing') {
    if (m.atmosphere === 'reduction' || m.opt.firing.reduction_from_c !== undefined) events.push(...steerAtmosphere(m));
    const adv = advanceSetpoint(m.ctl, m.opt.firing.schedule, m.ctl_temp_c, dt_s);
    if (adv.entered !== undefined) events.push({ type: 'segment', firing_id: m.firing_id, index: adv.entered, segment: m.opt.firing.schedule.segments[adv.entered] });
    if (adv.done) {
      if (m.atmosphere !== 'oxidation') { m.atmosphere = 'oxidation'; events.push({ type: 'atmosphere', firing_id: m.firing_id, atmosphere: 'oxidation' }); }
      events.push(...stopFiring(m, 'complete'));
    } else {
      const lambda = airRatio(m.atmosphere);
      const ff = feedForward(m.params, m.thermal, m.ctl.sp_rate_c_s, lambda);
      const ff_kg_h = ff.per_kg_s_w > 0 ? Math.max(0, (ff.need_w / ff.per_kg_s_w) * 3600) : spec.max_flow_kg_h;
      const cmd = flowCommand(m.ctl, m.ctl_temp_c, ff_kg_h, spec.max_flow_kg_h, dt_s);
      flow_kg_h = Math.min(cmd, supplyLimitKgH(m.gas, spec.cylinders, spec.max_flow_kg_h));
    }
  }
  m.flow_kg_h = flow_kg_h;
  if (flow_kg_h > 0 && m.phase === 'firing') {
    m.gas_on_ms ??= m.now_ms - dt_s * 1000; // the gas flowed through this whole step
    m.gas_off_ms = m.now_ms;
  }
  drawGas(m.gas, spec.cylinders, flow_kg_h, dt_s, !m.gas_out);
  const before_c = m.thermal.charge_c;
  stepThermal(m.params, m.thermal, flow_kg_h, airRatio(m.atmosphere), !m.flame_out, dt_s, m.phase === 'cooling' ? COOLING_DRAFT_X : 1);
  const inst_c_h = ((m.thermal.charge_c - before_c) / dt_s) * 3600;
  m.rate_c_h += (inst_c_h - m.rate_c_h) * Math.min(1, dt_s / 600); // 10 min smoothing
  stepSensors(m.sensors, m.thermal.charge_c, m.rate_c_h, dt_s);
  m.ctl_temp_c += (m.thermal.charge_c - m.ctl_temp_c) * Math.min(1, dt_s / CTL_TC_LAG_S);
  if (m.thermal.charge_c > m.peak_c) m.peak_c = m.thermal.charge_c;
  return events;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** What the instruments show now (before faults and device stamping). */
export function readKiln(m: KilnModel): ModelReading {
  const { spec } = m.opt;
  const temp_c: Record<string, number> = {};
  spec.zones.forEach((z, i) => { temp_c[z] = readZone(m.sensors, i, m.rng); });
  const gas: NonNullable<TelemetryReading['gas']> = {};
  for (const kind of spec.gas) {
    if (kind === 'flow') gas.burner = { kind: 'flow', flow_kg_h: r2(Math.max(0, m.flow_kg_h * (1 + 0.01 * gauss(m.rng)))) };
    if (kind === 'totalizer') gas.meter = { kind: 'totalizer', total_kg: r2(m.gas.meter_total_kg % spec.meter_rollover_kg), rollover_at: spec.meter_rollover_kg };
    if (kind === 'scale') gas.scale = { kind: 'scale', mass_kg: Math.round((scaleGrossKg(m.gas, spec.cylinders) + 0.05 * gauss(m.rng)) * 10) / 10 };
  }
  // Dry flue O2 from the air ratio (≈ 20.9 (λ−1)/λ); no flame: the burners pass air (and gas).
  const lambda = airRatio(m.atmosphere);
  const lit = m.flow_kg_h > 0 && !m.flame_out;
  const o2 = lit ? Math.max(0, (20.9 * (lambda - 1)) / lambda) : m.flow_kg_h > 0 ? 19.5 : 20.9;
  const o2_pct = Math.round(Math.min(25, Math.max(0, o2 + 0.1 * gauss(m.rng))) * 10) / 10;
  const damper_pct = m.phase === 'firing' ? (m.atmosphere === 'reduction' ? 30 : 50) : m.phase === 'cooling' ? 15 : 0;
  return { temp_c, gas, o2_pct, damper_pct };
}
