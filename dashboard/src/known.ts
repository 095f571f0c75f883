// The kilns the dashboard knows: those in the live view and those whose devices reported a status.
import { api } from './api.ts';
import { kilnKey, live } from './live.ts';
import type { HealthKiln } from './types.ts';

export async function knownKilns(): Promise<{ workshop: string; kiln: string }[]> {
  await live.ready();
  const keys = new Set(live.kilns.keys());
  try {
    const hl = await api<{ kilns: HealthKiln[] }>('/api/health');
    for (const k of hl.kilns) keys.add(kilnKey(k));
  } catch { /* the live list is enough */ }
  return [...keys].sort().map((k) => { const i = k.indexOf('/'); return { workshop: k.slice(0, i), kiln: k.slice(i + 1) }; });
}

/** 'YYYY-MM-DD' local date (UTC+7) n days before now. */
export const isoDay = (days_ago = 0) => new Date(Date.now() + 7 * 3600_000 - days_ago * 86_400_000).toISOString().slice(0, 10);
