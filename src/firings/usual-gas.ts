// The usual gas of each running firing's kiln and schedule, for the overview cards, from the
// firing index (src/domain/firing/usual.ts says how: the same firing the kiln page draws). Kept for a few minutes per kiln and
// firing: the index changes only when a firing ends, and ten kilns' cards ask every minute.
import { usualGas, type UsualGas } from '../domain/firing/usual.ts';
import type { FiringIndexStore } from './index-store.ts';
import type { KilnRef } from './service.ts';

/** As far back as the kiln page's usual firing looks. */
const LOOKBACK_DAYS = 180;
const KEEP_MS = 5 * 60_000;

export class UsualGasSource {
  private readonly cache = new Map<string, { at_ms: number; value: UsualGas }>();

  constructor(private readonly index: FiringIndexStore, private readonly now = () => Date.now()) {}

  async of(k: KilnRef, firing: { id: string; schedule_name: string | null }): Promise<UsualGas> {
    const key = `${k.workshop}/${k.kiln}/${firing.id}`;
    const now_ms = this.now();
    const hit = this.cache.get(key);
    if (hit && now_ms - hit.at_ms < KEEP_MS) return hit.value;
    const list = await this.index.list(k, now_ms - LOOKBACK_DAYS * 86_400_000, now_ms);
    const value = usualGas(list.map((f) => ({
      id: f.record.id, start_ms: f.record.start_ms, reason: f.record.reason, status: f.record.status, schedule_name: f.schedule_name, fuel_kg: f.summary?.fuel.fuel_kg ?? null,
    })), firing.schedule_name, firing.id);
    for (const [ck, v] of this.cache) if (now_ms - v.at_ms >= KEEP_MS) this.cache.delete(ck); // bounded by the kilns firing now
    this.cache.set(key, { at_ms: now_ms, value });
    return value;
  }
}
