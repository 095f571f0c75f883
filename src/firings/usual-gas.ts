// The usual gas of each running firing's kiln and schedule, for the overview cards, from the
// firing index (src/domain/firing/usual.ts says how: the same firing the kiln page draws). Kept for a few minutes per kiln and
// firing: the index changes only when a firing ends, and the overview asks every minute.
// The kilns not in the cache are read BATCH_KILNS at a time, one query each, one batch after the
// other: 1,000 kilns are 10 queries, not 1,000 at once (measured at 1,000 kilns: 1,000 queries
// took 2.8 s and held the event loop up to 1 s; bench/overview-extras.bench.ts). A kiln already
// being read is not read again by a second request meanwhile.
import { usualGas, type UsualGas } from '../domain/firing/usual.ts';
import type { FiringIndexStore, IndexedFiring } from './index-store.ts';
import type { KilnRef } from './service.ts';

/** As far back as the kiln page's usual firing looks. */
const LOOKBACK_DAYS = 180;
const KEEP_MS = 5 * 60_000;
/** Kilns per index query: short enough a query string (~6 KB), few enough queries. */
export const BATCH_KILNS = 100;

/** A running firing whose usual gas is asked for. */
export interface UsualAsk extends KilnRef { readonly firing_id: string; readonly schedule_name: string | null }

export class UsualGasSource {
  private readonly cache = new Map<string, { at_ms: number; value: UsualGas }>();
  private readonly reading = new Map<string, Promise<UsualGas>>();

  constructor(private readonly index: FiringIndexStore, private readonly now = () => Date.now()) {}

  /** The usual gas of each running firing asked for, in the same order. */
  async ofMany(asks: readonly UsualAsk[]): Promise<UsualGas[]> {
    const now_ms = this.now();
    for (const [ck, v] of this.cache) if (now_ms - v.at_ms >= KEEP_MS) this.cache.delete(ck); // bounded by the kilns firing now
    const keyOf = (a: UsualAsk) => `${a.workshop}/${a.kiln}/${a.firing_id}`;
    const missing = [...new Map(asks.map((a) => [keyOf(a), a])).values()].filter((a) => !this.cache.has(keyOf(a)) && !this.reading.has(keyOf(a)));
    for (let i = 0; i < missing.length; i += BATCH_KILNS) {
      const batch = missing.slice(i, i + BATCH_KILNS);
      // Batches one after the other: the previous batch's read is the wait.
      const prev = i === 0 ? Promise.resolve() : this.reading.get(keyOf(missing[i - 1]!))!.then(() => undefined, () => undefined);
      const read = prev.then(() => this.index.listMany(batch, now_ms - LOOKBACK_DAYS * 86_400_000, now_ms));
      for (const a of batch) {
        const key = keyOf(a);
        const p = read.then((lists) => {
          const value = usualOf(lists.get(`${a.workshop}/${a.kiln}`) ?? [], a);
          this.cache.set(key, { at_ms: now_ms, value });
          return value;
        }).finally(() => this.reading.delete(key));
        this.reading.set(key, p);
      }
    }
    return Promise.all(asks.map((a) => {
      const key = keyOf(a);
      return this.cache.get(key)?.value ?? this.reading.get(key)!;
    }));
  }
}

function usualOf(list: readonly IndexedFiring[], a: UsualAsk): UsualGas {
  return usualGas(list.map((f) => ({
    id: f.record.id, start_ms: f.record.start_ms, reason: f.record.reason, status: f.record.status, schedule_name: f.schedule_name, fuel_kg: f.summary?.fuel.fuel_kg ?? null,
  })), a.schedule_name, a.firing_id);
}
