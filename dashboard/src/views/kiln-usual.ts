// The running firing against this kiln's usual one, so an owner sees during the firing whether it
// takes more gas than usual: among the kiln's previous firings of the same schedule (the
// controller's schedule name; a kiln without a controller has none, and then all its firings
// count), the one whose total gas is the median. A real firing rather than an averaged curve: its
// report can be opened, and averaging curves of different lengths would smear the stages.
import { api, enc, firingPath } from '../api.ts';
import type { FiringCurve, FiringList, FiringReport } from '../types.ts';

/** How many previous firings' reports are read to find the median one (each is one request). */
const LOOK_BACK = 10;
const DAYS = 180;

export interface Usual { readonly report: FiringReport; readonly curve: FiringCurve; readonly of_n: number }

export async function usualFiring(ws: string, kiln: string, current: { id: string; schedule_name: string | null }): Promise<Usual | null> {
  const from = new Date(Date.now() - DAYS * 86_400_000).toISOString();
  const list = await api<FiringList>(`${firingPath(ws, kiln)}?from=${enc(from)}&limit=200`);
  // Only firings whose gas is final and that ran to the end of their schedule.
  const done = list.firings
    .filter((f) => f.id !== current.id && f.status !== 'firing' && (f.reason === null || f.reason === 'complete' || f.reason === 'refired'))
    .sort((a, b) => b.start_ms - a.start_ms).slice(0, LOOK_BACK);
  const reports = await Promise.all(done.map((f) => api<FiringReport>(firingPath(ws, kiln, f.id)).catch(() => null)));
  const same = reports.filter((r): r is FiringReport => r !== null && r.schedule_name === current.schedule_name && r.fuel.fuel_kg !== null)
    .sort((a, b) => a.fuel.fuel_kg! - b.fuel.fuel_kg!);
  const report = same[Math.floor((same.length - 1) / 2)];
  if (!report) return null;
  const curve = await api<FiringCurve>(`${firingPath(ws, kiln, report.firing_id)}/curve?points=1500`);
  return { report, curve, of_n: same.length };
}
