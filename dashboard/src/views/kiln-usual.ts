// The running firing against this kiln's usual one, so an owner sees during the firing whether it
// takes more gas than usual: among the kiln's previous firings of the same schedule (the
// controller's schedule name; a kiln without a controller has none, and then its firings without
// one count), the one whose total gas is the median. A real firing rather than an averaged curve:
// its report can be opened, and averaging curves of different lengths would smear the stages.
// The service picks it from its firing index and sends its curve: one request per page load.
import { api, enc } from '../api.ts';
import type { FiringCurve, UsualFiring } from '../types.ts';

export interface Usual {
  readonly firing_id: string;
  readonly start_ms: number;
  readonly fuel_kg: number;
  readonly curve: FiringCurve;
  readonly of_n: number;
}

export async function usualFiring(ws: string, kiln: string, current: { id: string; schedule_name: string | null }): Promise<Usual | null> {
  const q = new URLSearchParams({ exclude: current.id, points: '1500' });
  if (current.schedule_name !== null) q.set('schedule', current.schedule_name);
  const r = await api<UsualFiring>(`/api/workshops/${enc(ws)}/kilns/${enc(kiln)}/usual-firing?${q.toString()}`);
  return r.usual;
}
