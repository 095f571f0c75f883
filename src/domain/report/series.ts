// Temperature series of one firing, read from stored points: per zone, and the kiln temperature
// (the hottest zone at each instant, as the tracker's kilnTemp takes it), plus what the readings cover.
import { timeOrdered } from '../analytics/fuel-flow.ts';
import type { Point } from '../point.ts';
import type { GapSpan } from './types.ts';

export interface TempAt { readonly ts_ms: number; readonly temp_c: number }
/** One device instant: every zone read at it (a logger reads all zones in one reading). */
export interface Instant { readonly ts_ms: number; readonly temps_c: Readonly<Record<string, number>>; readonly kiln_c: number }

export interface Window { readonly from_ms: number; readonly to_ms: number }

export const inWindow = (p: { ts_ms: number }, w: Window): boolean => p.ts_ms >= w.from_ms && p.ts_ms <= w.to_ms;

export function zoneSeries(points: readonly Point[], w: Window): Record<string, TempAt[]> {
  const by: Record<string, TempAt[]> = {};
  for (const p of points) {
    const t = p.fields.temp_c;
    if (p.measurement !== 'temperature' || typeof t !== 'number' || !inWindow(p, w)) continue;
    (by[p.tags.channel] ??= []).push({ ts_ms: p.ts_ms, temp_c: t });
  }
  // A redelivered point rewrites itself in InfluxDB (last write wins): timeOrdered does the same.
  for (const k of Object.keys(by)) by[k] = timeOrdered(by[k]!);
  return by;
}

export function instants(zones: Readonly<Record<string, readonly TempAt[]>>, fault_jump_c = Infinity): Instant[] {
  const at = new Map<number, Record<string, number>>();
  for (const [zone, xs] of Object.entries(zones)) {
    for (const x of xs) {
      const rec = at.get(x.ts_ms) ?? {};
      rec[zone] = x.temp_c;
      at.set(x.ts_ms, rec);
    }
  }
  const faults = zoneFaultFollower(fault_jump_c);
  return [...at.entries()].sort((a, b) => a[0] - b[0])
    .map(([ts_ms, temps_c]) => ({ ts_ms, temps_c, kiln_c: faults(temps_c) }));
}

/** The kiln temperature of each instant, in time order, as the tracker takes it (samples.ts,
 *  zoneFaults): the hottest zone, leaving out one in fault. A zone whose reading jumps more than
 *  fault_jump_c from its previous one is in fault (an open circuit reading 1,750 °C) until it reads
 *  within that of its last good value or of the healthy zones; so a false reading cannot become the
 *  report's peak and cone. With every zone in fault, the hottest reading is used. */
function zoneFaultFollower(fault_jump_c: number): (temps_c: Readonly<Record<string, number>>) => number {
  const last: Record<string, number> = {};
  const good: Record<string, number> = {}; // zones in fault: their last good reading
  let healthy: number | null = null;
  return (temps_c) => {
    for (const [z, v] of Object.entries(temps_c)) {
      const g = good[z];
      if (g !== undefined) {
        if (Math.abs(v - g) <= fault_jump_c || (healthy !== null && Math.abs(v - healthy) <= fault_jump_c)) delete good[z];
      } else if (last[z] !== undefined && Math.abs(v - last[z]) > fault_jump_c) good[z] = last[z];
      last[z] = v;
    }
    const ok = Object.entries(temps_c).filter(([z]) => good[z] === undefined).map(([, v]) => v);
    const kiln_c = Math.max(...(ok.length ? ok : Object.values(temps_c)));
    if (ok.length) healthy = kiln_c;
    return kiln_c;
  };
}

export interface Coverage { readonly covered_ms: number; readonly first_ms: number | null; readonly last_ms: number | null; readonly gaps: GapSpan[] }

/** Time between consecutive readings no longer than max_gap_s counts as covered; the rest,
 *  including the stretch before the first and after the last reading, does not. */
export function coverage(ts: readonly number[], w: Window, max_gap_s: number, kind: GapSpan['kind']): Coverage {
  const max_ms = max_gap_s * 1000;
  const gaps: GapSpan[] = [];
  const gap = (from_ms: number, to_ms: number) => gaps.push({ kind, from_ms, to_ms, duration_s: (to_ms - from_ms) / 1000 });
  const first = ts[0];
  const last = ts[ts.length - 1];
  if (first === undefined || last === undefined) {
    gap(w.from_ms, w.to_ms);
    return { covered_ms: 0, first_ms: null, last_ms: null, gaps };
  }
  let covered_ms = 0;
  // A stretch up to max_gap_s before the first or after the last reading is just the sampling interval.
  if (first - w.from_ms > max_ms) gap(w.from_ms, first);
  else covered_ms += Math.max(0, first - w.from_ms);
  for (let i = 1; i < ts.length; i++) {
    const dt = ts[i]! - ts[i - 1]!;
    if (dt > max_ms) gap(ts[i - 1]!, ts[i]!);
    else covered_ms += dt;
  }
  if (w.to_ms - last > max_ms) gap(last, w.to_ms);
  else covered_ms += Math.max(0, w.to_ms - last);
  return { covered_ms, first_ms: first, last_ms: last, gaps };
}

export const pct = (part: number, whole: number): number => (whole > 0 ? Math.min(100, (100 * part) / whole) : 0);
