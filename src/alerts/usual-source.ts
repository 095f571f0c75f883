// The kilns' usual firings for over_usual, read back from the firing index at start
// (domain/alerts/usual.ts says why and how).
import { usualFromIndexed, type UsualFiring } from '../domain/alerts/index.ts';
import type { FiringIndexStore } from '../firings/index-store.ts';

/** Far enough back for 10 firings of a kiln fired weekly; the index keeps every firing. */
const LOOKBACK_DAYS = 90;

export async function usualFromIndex(index: FiringIndexStore, now_ms: number): Promise<Map<string, UsualFiring[]>> {
  const since_ms = now_ms - LOOKBACK_DAYS * 86_400_000;
  const out = new Map<string, UsualFiring[]>();
  for (const k of await index.activeKilns(since_ms)) {
    const firings = await index.list(k, since_ms, now_ms);
    const usual = usualFromIndexed(firings.map((f) => ({ record: f.record, fuel_kg: f.summary?.fuel.fuel_kg ?? null })));
    if (usual.length) out.set(`${k.workshop}/${k.kiln}`, usual);
  }
  return out;
}
