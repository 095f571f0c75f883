// The kilns' usual firings for over_usual, read back from the firing index at start
// (domain/alerts/usual.ts says why and how).
import { usualFromIndexed, type UsualFiring } from '../domain/alerts/index.ts';
import type { FiringIndexStore } from '../firings/index-store.ts';

/** Far enough back for 10 firings of a kiln fired weekly; the index keeps every firing. */
const LOOKBACK_DAYS = 90;

export async function usualFromIndex(index: FiringIndexStore, now_ms: number): Promise<Map<string, UsualFiring[]>> {
  const byKiln = new Map<string, Awaited<ReturnType<FiringIndexStore['closedRecords']>>>();
  for (const f of await index.closedRecords(now_ms - LOOKBACK_DAYS * 86_400_000, now_ms)) {
    const key = `${f.workshop}/${f.kiln}`;
    const list = byKiln.get(key);
    if (list) list.push(f); else byKiln.set(key, [f]);
  }
  const out = new Map<string, UsualFiring[]>();
  for (const [key, firings] of byKiln) {
    const usual = usualFromIndexed(firings);
    if (usual.length) out.set(key, usual);
  }
  return out;
}
