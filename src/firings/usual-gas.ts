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
  /** Kilns being read now, each with its batch's read. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(private readonly index: FiringIndexStore, private readonly now = () => Date.now()) {}

  /** The usual gas of each running firing asked for, in the same order. */
  async ofMany(asks: readonly UsualAsk[]): Promise<UsualGas[]> {
    const now_ms = this.now();
    for (const [ck, v] of this.cache) if (now_ms - v.at_ms >= KEEP_MS) this.cache.delete(ck); // bounded by the kilns firing now
    // Each key made once, and one promise a batch, not one a kiln: at 10,000 running firings,
    // making the keys again at each look-up and a promise chain per kiln held the event loop
    // ~100 ms as the overview opened (a CPU profile of `npm run bench:fleet`).
    const keys = asks.map((a) => `${a.workshop}/${a.kiln}/${a.firing_id}`);
    const missing: { ask: UsualAsk; key: string }[] = [];
    const asked = new Set<string>();
    for (let i = 0; i < asks.length; i++) {
      const key = keys[i]!;
      if (asked.has(key) || this.cache.has(key) || this.reading.has(key)) continue;
      asked.add(key);
      missing.push({ ask: asks[i]!, key });
    }
    let prev: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < missing.length; i += BATCH_KILNS) {
      const batch = missing.slice(i, i + BATCH_KILNS);
      // Batches one after the other: the previous batch's read is the wait.
      const read = prev
        .then(() => this.index.listMany(batch.map((m) => m.ask), now_ms - LOOKBACK_DAYS * 86_400_000, now_ms))
        .then((lists) => { for (const { ask, key } of batch) this.cache.set(key, { at_ms: now_ms, value: usualOf(lists.get(`${ask.workshop}/${ask.kiln}`) ?? [], ask) }); })
        .finally(() => { for (const { key } of batch) this.reading.delete(key); });
      for (const { key } of batch) this.reading.set(key, read);
      prev = read.catch(() => undefined);
    }
    // Wait for every read this answer needs (ours, or another request's already under way).
    const waits = new Set<Promise<void>>();
    for (const key of keys) if (!this.cache.has(key)) waits.add(this.reading.get(key)!);
    await Promise.all(waits);
    return keys.map((key) => this.cache.get(key)!.value);
  }
}

function usualOf(list: readonly IndexedFiring[], a: UsualAsk): UsualGas {
  return usualGas(list.map((f) => ({
    id: f.record.id, start_ms: f.record.start_ms, reason: f.record.reason, status: f.record.status, schedule_name: f.schedule_name, fuel_kg: f.summary?.fuel.fuel_kg ?? null,
  })), a.schedule_name, a.firing_id);
}
