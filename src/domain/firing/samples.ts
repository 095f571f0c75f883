// Reading points (pending.ts merges them into samples): parse controller events and flows; and
// read the kiln temperature, gas flow and heating rate out of the tracker's state.
import type { Point } from '../point.ts';
import type { TrackerConfig } from './config.ts';
import { channelIndex, tsAt, valueAt } from '../latest.ts';
import type { ControllerCommand, TrackerState } from './types.ts';

/** A gas_flow point's flow in kg/h (m³/h meters through lpg_density_kg_m3); NaN if it has neither. */
export function flowOf(p: Point, cfg: TrackerConfig): number {
  const kg = p.fields.flow_kg_h;
  const m3 = p.fields.flow_m3_h;
  return typeof kg === 'number' ? kg : typeof m3 === 'number' ? m3 * cfg.lpg_density_kg_m3 : NaN;
}

/** data_json holds the controller event without v, ts_ms, seq and type (src/domain/decode.ts). */
export function parseCommand(type: string | undefined, data_json: unknown): ControllerCommand | null {
  if (type !== 'firing_start' && type !== 'firing_stop' && type !== 'atmosphere') return null;
  let data: Record<string, unknown> = {};
  if (typeof data_json === 'string') {
    try {
      const parsed: unknown = JSON.parse(data_json);
      if (typeof parsed === 'object' && parsed !== null) data = parsed as Record<string, unknown>;
    } catch {
      // An unreadable payload still marks the start or stop; only its details are lost.
    }
  }
  const firing_id = typeof data.firing_id === 'string' ? data.firing_id : undefined;
  if (type === 'atmosphere') {
    const a = data.atmosphere;
    return a === 'oxidation' || a === 'reduction' || a === 'neutral' ? { type, atmosphere: a } : null;
  }
  if (type === 'firing_stop') {
    const r = data.reason;
    const reason = r === 'complete' || r === 'aborted' || r === 'fault' ? r : undefined;
    return { type, ...(firing_id ? { firing_id } : {}), ...(reason ? { reason } : {}) };
  }
  const target_c = scheduleTarget(data.schedule);
  return { type, ...(firing_id ? { firing_id } : {}), ...(target_c !== undefined ? { target_c } : {}) };
}

/** The hottest segment target of a schedule: the firing's intended peak. */
function scheduleTarget(schedule: unknown): number | undefined {
  if (typeof schedule !== 'object' || schedule === null) return undefined;
  const segments = (schedule as { segments?: unknown }).segments;
  if (!Array.isArray(segments)) return undefined;
  const targets = segments
    .map((s: unknown) => (typeof s === 'object' && s !== null ? (s as { target_c?: unknown }).target_c : undefined))
    .filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return targets.length ? Math.max(...targets) : undefined;
}

/** The kiln temperature is the MAX of the fresh thermocouple zones: the hottest zone is the one that
 *  reaches the cone first and the last one safe to open at, it moves first when burners light, and it
 *  does not jump when a cooler zone drops out the way a mean would. A zone in fault (zoneFaults) is
 *  left out: one thermocouple reading garbage must not make the kiln look hotter or cooler. */
export function kilnTemp(s: TrackerState, ts_ms: number): number | null {
  // An index loop over the flat table: this runs several times a message, and makes nothing.
  const z = s.zones;
  let max: number | null = null;
  for (let i = 0; i < z.names.length; i++) {
    if (s.faulted?.[z.names[i]!] !== undefined) continue;
    const v = valueAt(z, i);
    if (ts_ms - tsAt(z, i) <= s.config.zone_stale_s * 1000 && (max === null || v > max)) max = v;
  }
  return max;
}

/** Which zones the kiln temperature is taken from now (fresh and not in fault), as one key. */
export function zoneKey(s: TrackerState, ts_ms: number): string {
  const z = s.zones;
  const names: string[] = [];
  for (let i = 0; i < z.names.length; i++) {
    const name = z.names[i]!;
    if (s.faulted?.[name] === undefined && ts_ms - tsAt(z, i) <= s.config.zone_stale_s * 1000) names.push(name);
  }
  return names.sort().join(',');
}

/** Zones in fault after this sample's readings: a reading that jumps more than zone_fault_jump_c
 *  from the zone's previous one puts it in fault (open circuit, a loose wire, a cracked sheath);
 *  it comes back when it reads within that of its last good value or of the healthy zones' max. */
export function zoneFaults(s: TrackerState, temps_c: Readonly<Record<string, number>>, ts_ms: number): Readonly<Record<string, number>> | undefined {
  const jump = s.config.zone_fault_jump_c;
  let out = s.faulted;
  const healthy = kilnTemp(s, ts_ms);
  for (const name in temps_c) {
    const v = temps_c[name]!;
    const good = out?.[name];
    if (good !== undefined) {
      if (Math.abs(v - good) <= jump || (healthy !== null && Math.abs(v - healthy) <= jump)) {
        const { [name]: _back, ...rest } = out!;
        out = Object.keys(rest).length ? rest : undefined;
      }
      continue;
    }
    const i = channelIndex(s.zones, name);
    if (i < 0) continue;
    const prev_c = valueAt(s.zones, i);
    if (ts_ms - tsAt(s.zones, i) <= s.config.zone_stale_s * 1000 && Math.abs(v - prev_c) > jump) out = { ...out, [name]: prev_c };
  }
  return out;
}

/** Total fresh gas flow over all gas channels (burner rows may be metered apart). */
export function gasFlow(s: TrackerState, ts_ms: number): number {
  const f = s.flows;
  let sum = 0;
  for (let i = 0; i < f.names.length; i++) if (ts_ms - tsAt(f, i) <= s.config.zone_stale_s * 1000) sum += valueAt(f, i);
  return sum;
}

/** Keep about one temperature a minute, and only one older than the rate window (the anchor):
 *  flat, each as its time then its °C (types.ts, `history`). */
export function pushHistory(history: readonly number[], temp_c: number, ts_ms: number, cfg: TrackerConfig): readonly number[] {
  const step_ms = (cfg.rate_window_s * 1000) / 10;
  const n = history.length;
  let drop = 0; // pairs before the anchor; a pair added now is newer than the window's start
  while (2 * (drop + 1) < n && history[2 * (drop + 1)]! <= ts_ms - cfg.rate_window_s * 1000) drop++;
  const kept = drop ? history.slice(2 * drop) : history;
  // concat: exactly the length needed (appended.ts).
  return n === 0 || ts_ms - history[n - 2]! >= step_ms ? kept.concat([ts_ms, temp_c]) : kept;
}

/** The kiln's rate of rise as the tracker last judged it, the one its stage is classified from:
 *  at its newest fresh kiln temperature (so up to the reorder window behind the newest reading),
 *  from the anchor of its rate history. Null until a minute of history, and again for a minute
 *  after the zones the kiln temperature is read from change (followZones, tracker.ts). */
export function trackerRateCH(s: TrackerState): number | null {
  if (s.last_temp_ms === null) return null;
  const temp_c = kilnTemp(s, s.last_temp_ms);
  return temp_c === null ? null : rateCH(s.history, temp_c, s.last_temp_ms);
}

/** °C/h from the history's anchor to now; null until a minute of history exists. */
export function rateCH(history: readonly number[], temp_c: number, ts_ms: number): number | null {
  if (history.length === 0) return null;
  const first_ms = history[0]!;
  if (ts_ms - first_ms < 60_000) return null;
  return ((temp_c - history[1]!) * 3_600_000) / (ts_ms - first_ms);
}
