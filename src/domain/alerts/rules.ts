// The rules: each turns one instant's features into verdicts (ok / hold / breach per alert key)
// with the value, the threshold and the raise/clear delays. No state here: hysteresis is in
// debounce.ts, memory in engine.ts. docs/alerts.md explains each rule and its defaults.
import type { FiringRun, Timed, UsualFiring } from './engine.ts';
import { tsAt, valueAt, type Latest } from '../latest.ts';
import type { Plan } from './plan.ts';
import { planTarget } from './plan.ts';
import type { AlertSettings } from './settings.ts';
import type { AlertKind, Level, Verdict } from './types.ts';

export interface Features {
  readonly at_ms: number;
  /** Hottest fresh zone, °C. */
  readonly temp_c: number | null;
  readonly rate_c_h: number | null;
  readonly zones: Latest;
  readonly jumps: Readonly<Record<string, number>>;
  readonly flow_kg_h: number;
  readonly flows_fresh: boolean;
  readonly o2_pct: number | null;
  readonly scales: Readonly<Record<string, Timed>>;
  readonly plan: Plan | null;
  readonly firing: FiringRun | null;
  readonly firing_running: boolean;
  readonly tracker_target_c: number | null;
  readonly usual: readonly UsualFiring[];
}

/** Beyond `raise` is a breach, on the safe side of `clear` is ok, between holds (direction: up = high is bad). */
export function level(value: number, raise: number, clear: number, up = true): Level {
  if (up) return value > raise ? 'breach' : value < clear ? 'ok' : 'hold';
  return value < raise ? 'breach' : value > clear ? 'ok' : 'hold';
}

/** Every verdict is built here, as one literal of one shape: on Node 20 keys added after a spread
 *  (`{ ...base, level }`) are slow (npm run bench:alerts prints it), and were the rules' main cost. */
function verdict(kind: AlertKind, channel: string, unit: string, threshold: number, value: number, raise_after_s: number, clear_after_s: number, level: Level, detail?: string): Verdict {
  return { kind, channel, level, value, threshold, unit, raise_after_s, clear_after_s, detail };
}

export function evaluate(f: Features, c: AlertSettings): Verdict[] {
  return [
    ...offSchedule(f, c), ...rateTooFast(f, c), ...stall(f, c), ...overTemp(f, c),
    ...tcFault(f, c), ...gasIdle(f, c), ...cylinderLow(f, c), ...overUsual(f, c),
  ];
}

export function offSchedule(f: Features, c: AlertSettings): Verdict[] {
  const p = f.plan;
  const v = (value: number, l: Level) => verdict('off_schedule', 'kiln', '°C', c.off_schedule_band_c, value, c.off_schedule_after_s, c.off_schedule_clear_after_s, l);
  if (!p || p.done || p.sp_c === null || f.temp_c === null) return [v(0, 'ok')];
  const dev = f.temp_c - p.sp_c;
  return [v(dev, level(Math.abs(dev), c.off_schedule_band_c, c.off_schedule_clear_c))];
}

export function rateTooFast(f: Features, c: AlertSettings): Verdict[] {
  const t = f.temp_c, r = f.rate_c_h;
  if (t === null || r === null) return [];
  const inWs = t < c.water_smoking_max_c;
  const inQ = Math.abs(t - c.quartz_c) <= c.quartz_band_c;
  const v = (channel: string, threshold: number, value: number, l: Level, detail: number) =>
    verdict('rate_too_fast', channel, '°C/h', threshold, value, c.rate_after_s, c.rate_clear_after_s, l, String(detail));
  return [
    v('water_smoking', c.water_smoking_rate_c_h, r, inWs ? level(r, c.water_smoking_rate_c_h, c.water_smoking_clear_rate_c_h) : 'ok', c.water_smoking_max_c),
    v('quartz_heating', c.quartz_heat_rate_c_h, r, inQ ? level(r, c.quartz_heat_rate_c_h, c.quartz_heat_clear_rate_c_h) : 'ok', c.quartz_c),
    v('quartz_cooling', c.quartz_cool_rate_c_h, -r, inQ ? level(-r, c.quartz_cool_rate_c_h, c.quartz_cool_clear_rate_c_h) : 'ok', c.quartz_c),
  ];
}

export function stall(f: Features, c: AlertSettings): Verdict[] {
  const out: Verdict[] = [];
  const gasOn = f.flow_kg_h >= c.gas_on_kg_h;
  if (f.o2_pct !== null) {
    const l = !gasOn || !f.firing_running ? 'ok' : level(f.o2_pct, c.flame_out_o2_pct, c.flame_out_clear_o2_pct);
    out.push(verdict('stall', 'flame', '%', c.flame_out_o2_pct, f.o2_pct, c.flame_out_after_s, c.stall_clear_after_s, l));
  }
  if (f.rate_c_h !== null) {
    const strong = gasOn && f.flow_kg_h >= c.stall_min_flow_share * (f.firing?.max_flow_kg_h ?? 0);
    const l = !gasOn || !f.firing_running ? 'ok' : strong ? level(f.rate_c_h, c.stall_fall_rate_c_h, c.stall_clear_rate_c_h, false) : (f.rate_c_h > c.stall_clear_rate_c_h ? 'ok' : 'hold');
    out.push(verdict('stall', 'temperature', '°C/h', c.stall_fall_rate_c_h, f.rate_c_h, c.stall_after_s, c.stall_clear_after_s, l));
  }
  return out;
}

export function overTemp(f: Features, c: AlertSettings): Verdict[] {
  if (f.temp_c === null) return [];
  const target = (f.plan ? planTarget(f.plan) : null) ?? f.tracker_target_c ?? c.max_temp_c;
  const raise = target + c.over_temp_margin_c;
  const l = level(f.temp_c, raise, target + c.over_temp_clear_margin_c);
  return [verdict('over_temp', 'kiln', '°C', raise, f.temp_c, c.over_temp_after_s, c.over_temp_clear_after_s, l, String(Math.round(target)))];
}

/** Whether the silence check is a breach: the Last Will came since the last reading, or nothing for silent_after_s. */
export function silentBreach(quiet_s: number, offline_s: number | null, c: AlertSettings): boolean {
  return (offline_s !== null && offline_s <= quiet_s) || quiet_s >= c.silent_after_s;
}

/** offline_s: how long ago the kiln's Last Will said offline (null: online). Telemetry heard since
 *  outranks it: a device back from a cut may send its outbox before its `online` status (measured
 *  in the real-time e2e test: a cleared silence raised again for that). */
export function silentVerdict(quiet_s: number, offline_s: number | null, firing: boolean, c: AlertSettings): Verdict | null {
  if (!firing) return null;
  const offline = offline_s !== null && offline_s <= quiet_s;
  const l = silentBreach(quiet_s, offline_s, c) ? 'breach' : 'ok';
  return verdict('sensor_silent', 'kiln', 's', c.silent_after_s, quiet_s, 0, c.silent_clear_after_s, l, offline ? 'offline' : 'quiet');
}

/** Thermocouple faults, per zone: open (silent while the others report) and a jump; across zones,
 *  their spread. An index loop over the flat zones table: this runs at every instant of every kiln. */
export function tcFault(f: Features, c: AlertSettings): Verdict[] {
  const out: Verdict[] = [];
  const zones = f.zones;
  let heardNow = false;
  for (let i = 0; i < zones.names.length; i++) if (tsAt(zones, i) === f.at_ms) heardNow = true;
  let min = Infinity, max = -Infinity, fresh = 0;
  for (let i = 0; i < zones.names.length; i++) {
    const ch = zones.names[i]!, ts_ms = tsAt(zones, i), value = valueAt(zones, i);
    const quiet_s = (f.at_ms - ts_ms) / 1000;
    if (quiet_s <= c.zone_silent_s) {
      fresh++;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    // Open circuit / broken wire / a zone silent: gone while the others still report.
    if (heardNow) {
      const l = quiet_s >= c.zone_silent_s ? 'breach' : ts_ms === f.at_ms ? 'ok' : 'hold';
      out.push(verdict('tc_fault', ch, 's', c.zone_silent_s, quiet_s, 0, c.tc_clear_after_s, l, 'open'));
    }
    if (ts_ms === f.at_ms) {
      const j = f.jumps[ch];
      const l = j !== undefined && j > c.jump_c ? 'breach' : 'ok';
      out.push(verdict('tc_fault', `${ch}-jump`, '°C', c.jump_c, j ?? 0, 0, c.tc_clear_after_s, l, 'jump'));
    }
  }
  if (fresh >= 2) {
    const spread = max - min;
    out.push(verdict('tc_fault', 'spread', '°C', c.spread_c, spread, c.spread_after_s, c.tc_clear_after_s, level(spread, c.spread_c, c.spread_clear_c), 'spread'));
  }
  return out;
}

export function gasIdle(f: Features, c: AlertSettings): Verdict[] {
  if (!f.flows_fresh) return [];
  const idle = !f.firing_running && (!f.plan || f.plan.done);
  const l = idle ? level(f.flow_kg_h, c.gas_idle_kg_h, c.gas_idle_clear_kg_h) : 'ok';
  return [verdict('gas_idle', 'gas', 'kg/h', c.gas_idle_kg_h, f.flow_kg_h, c.gas_idle_after_s, c.gas_idle_clear_after_s, l)];
}

export function cylinderLow(f: Features, c: AlertSettings): Verdict[] {
  if (c.scale_tare_kg === null) return [];
  const out: Verdict[] = [];
  for (const ch in f.scales) {
    const m = f.scales[ch]!;
    if (f.at_ms - m.ts_ms > c.zone_silent_s * 1000) continue;
    const left = m.value - c.scale_tare_kg;
    out.push(verdict('cylinder_low', ch, 'kg', c.cylinder_low_kg, left, c.cylinder_after_s, c.cylinder_clear_after_s, level(left, c.cylinder_low_kg, c.cylinder_clear_kg, false)));
  }
  return out;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function overUsual(f: Features, c: AlertSettings): Verdict[] {
  const enough = f.usual.length >= c.usual_min_firings;
  const fuel = c.usual_fuel_kg ?? (enough ? median(f.usual.map((u) => u.fuel_kg)) : null);
  const hours = c.usual_duration_h ?? (enough ? median(f.usual.map((u) => u.duration_h)) : null);
  const r = f.firing;
  const out: Verdict[] = [];
  if (fuel !== null) {
    const v = r ? r.fuel_kg : 0;
    // A firing joined after its start (a restart) has counted only part of its gas: never a breach.
    out.push(verdict('over_usual', 'fuel', 'kg', fuel * c.usual_factor, v, 0, 0, r && !r.partial && v > fuel * c.usual_factor ? 'breach' : r ? 'hold' : 'ok', String(Math.round(fuel * 10) / 10)));
  }
  if (hours !== null) {
    const heating = r !== null && r.cooling_ms === null;
    const v = r ? ((r.cooling_ms ?? f.at_ms) - r.start_ms) / 3_600_000 : 0;
    out.push(verdict('over_usual', 'duration', 'h', hours * c.usual_factor, v, 0, 0, heating && v > hours * c.usual_factor ? 'breach' : r ? 'hold' : 'ok', String(Math.round(hours * 10) / 10)));
  }
  return out;
}
