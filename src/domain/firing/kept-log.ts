// A meter's kept readings (when, and kg used by then), oldest first, packed: each reading is two
// 32-bit integers, milliseconds and milligrams counted from the store's first reading, in one
// Int32Array. 8 bytes a reading, where two arrays of doubles took 16 and a reading as an object
// ~80. A kiln's tracker keeps an hour of each totaliser's and scale's readings (meters.ts), the
// largest part of a long-firing kiln's memory (docs/benchmarks.md, npm run bench:kiln-memory).
//
// Persistent, as tracker states are (a state is never written to once made: stepAll, checkpoints):
// a log is a range [start, end) of a shared store, and appending writes into the store only when no
// other log has appended there already (end is the store's `used`); else, or when the store is
// full, the live readings are copied into a new store. So the usual one-way stream of states
// appends in place, with no copy a reading, and a state stepped twice (a branch) still reads its
// own readings.
//
// Quantised, and so the same whichever way a state was reached: a reading is kept to the
// millisecond and the milligram (MG_PER_KG), and read back as (integer) / 1e6 kg, an exact
// function of the integer, so a log rebuilt from a checkpoint (or from an earlier version's arrays
// of numbers) reads the very numbers the uninterrupted one reads. A milligram is a two-thousandth
// of a 0.001 m³ register step of LPG vapour (~2 g), a ten-thousandth of a 0.01 kg one, and a
// fifty-thousandth of a cylinder scale's ±0.05 kg noise (docs/analytics.md): nothing the fits see.

import { countsFrom, MG_PER_KG } from '../packed.ts';

/** A new store holds the live readings and this share more for those to come: copied once per
 *  ~live/4 readings (an hour of 8 s readings, 450, copied every ~110), and at most a quarter unused. */
const ROOM = 1.25;
const MIN_ROOM = 16;

class Store {
  /** ms - base_ms at 2k, units - base_units at 2k + 1, for reading k. */
  constructor(readonly xs: Int32Array, readonly base_ms: number, readonly base_units: number, public used: number) {}
}

/** Whether a reading can be counted from this base in 32 bits (±24 days, ±2,147 kg). */
const fits = (base_ms: number, base_units: number, ms: number, units: number): boolean =>
  countsFrom(base_ms, ms) && countsFrom(base_units, units);

const EMPTY_STORE = new Store(new Int32Array(0), 0, 0, 0);

/** The saved form (in a tracker checkpoint): the readings as two arrays of numbers, ms and kg. */
export interface SavedKeptLog { readonly ms: readonly number[]; readonly kg: readonly number[] }

export class KeptLog {
  // Private fields: two logs are alike by their readings, not by how their stores are laid out
  // (tests compare them with an equality tester: tests/support/kept-log-equality.ts).
  readonly #store: Store;
  readonly #start: number;
  readonly #end: number;

  private constructor(store: Store, start: number, end: number) {
    this.#store = store;
    this.#start = start;
    this.#end = end;
  }

  static readonly EMPTY = new KeptLog(EMPTY_STORE, 0, 0);

  /** A log of these readings (oldest first), as they read back after being kept. */
  static of(ms: readonly number[], kg: readonly number[]): KeptLog {
    // One store of the right size (the firing index reads a checkpoint at each pass over a kiln);
    // reading by reading, through with(), only when they cannot all be counted from the first.
    const n = Math.min(ms.length, kg.length);
    if (n === 0) return KeptLog.EMPTY;
    const base_ms = Math.round(ms[0]!), base_units = Math.round(kg[0]! * MG_PER_KG);
    const store = new Store(new Int32Array(2 * Math.max(MIN_ROOM, Math.ceil(n * ROOM))), base_ms, base_units, n);
    for (let i = 0; i < n; i++) {
      const t = Math.round(ms[i]!), units = Math.round(kg[i]! * MG_PER_KG);
      if (!fits(base_ms, base_units, t, units)) {
        let log = KeptLog.EMPTY;
        for (let j = 0; j < n; j++) log = log.with(ms[j]!, kg[j]!, -Infinity);
        return log;
      }
      store.xs[2 * i] = t - base_ms;
      store.xs[2 * i + 1] = units - base_units;
    }
    return new KeptLog(store, 0, n);
  }

  get length(): number {
    return this.#end - this.#start;
  }

  /** Reading i's time (0 the oldest). */
  msAt(i: number): number {
    return this.#store.base_ms + this.#store.xs[2 * (this.#start + i)]!;
  }

  /** kg used by reading i's time. */
  kgAt(i: number): number {
    return (this.#store.base_units + this.#store.xs[2 * (this.#start + i) + 1]!) / MG_PER_KG;
  }

  /** The first reading at or after ts_ms (length when none): readings are in time order. */
  indexFrom(ts_ms: number): number {
    let lo = 0, hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.msAt(mid) < ts_ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lastMs(): number | undefined {
    return this.length > 0 ? this.msAt(this.length - 1) : undefined;
  }

  /** This log with (ts_ms, used_kg) added as the newest and the readings before keep_from let go
   *  (readings are kept in time order: meters.ts keeps one only later than the last). */
  with(ts_ms: number, used_kg: number, keep_from: number): KeptLog {
    const ms = Math.round(ts_ms), units = Math.round(used_kg * MG_PER_KG);
    const st = this.#store;
    let start = this.#start;
    while (start < this.#end && st.base_ms + st.xs[2 * start]! < keep_from) start++;
    const end = this.#end;
    if (end === st.used && 2 * end < st.xs.length && fits(st.base_ms, st.base_units, ms, units)) {
      st.xs[2 * end] = ms - st.base_ms;
      st.xs[2 * end + 1] = units - st.base_units;
      st.used = end + 1;
      return new KeptLog(st, start, end + 1);
    }
    // A new store, based at the oldest live reading, or at this one when that is too far off to
    // count from (weeks, or tonnes: only after a long silence, whose readings dating never reads).
    let from = start;
    if (from < end && !fits(st.base_ms + st.xs[2 * from]!, st.base_units + st.xs[2 * from + 1]!, ms, units)) from = end;
    const base_ms = from < end ? st.base_ms + st.xs[2 * from]! : ms;
    const base_units = from < end ? st.base_units + st.xs[2 * from + 1]! : units;
    const store = new Store(new Int32Array(2 * Math.max(MIN_ROOM, Math.ceil((end - from + 1) * ROOM))), base_ms, base_units, 0);
    let k = 0;
    for (let i = from; i < end; i++, k++) {
      store.xs[2 * k] = st.base_ms + st.xs[2 * i]! - base_ms;
      store.xs[2 * k + 1] = st.base_units + st.xs[2 * i + 1]! - base_units;
    }
    store.xs[2 * k] = ms - base_ms;
    store.xs[2 * k + 1] = units - base_units;
    store.used = k + 1;
    return new KeptLog(store, 0, k + 1);
  }

  /** Saved as two arrays of numbers (JSON.stringify of a tracker state): read back by KeptLog.of. */
  toJSON(): SavedKeptLog {
    const ms: number[] = [], kg: number[] = [];
    for (let i = 0; i < this.length; i++) { ms.push(this.msAt(i)); kg.push(this.kgAt(i)); }
    return { ms, kg };
  }
}
