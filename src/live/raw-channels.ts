// The newest raw value of each channel of a kiln, as it arrives: what a technician watches when a
// sensor fails (a thermocouple that stops reading shows an age that grows). The kiln's zone
// temperatures are read from here too (the live view's zones and kiln temperature).
//
// Stored flat, not as an object per channel: the live view holds one of these per kiln, and the
// garbage collector marks every object of it on each full collection. A slot object with its two
// numbers (each a heap number: a time in ms is no small integer) was ~27 objects a kiln of eight
// channels; two arrays, a few (a heap snapshot of `npm run bench:fleet` at 10,000 kilns).
import { sharedNames } from '../domain/names.ts';
import type { Point } from '../domain/point.ts';

/** The value fields a reading's channel is shown by, per measurement, in the order looked at
 *  (docs/mqtt.md). Only a measurement's own fields are looked up: looking up another's (absent)
 *  field on every reading was a slow property miss. */
const FIELDS_OF: Readonly<Record<string, readonly string[] | undefined>> = {
  temperature: ['temp_c'], gas_flow: ['flow_kg_h', 'flow_m3_h'], gas_total: ['total_kg', 'total_m3'], gas_scale: ['mass_kg'],
  // The optional probes: a technician wiring one must see its raw value arrive.
  oxygen: ['o2_pct'], damper: ['damper_pct'], kiln_pressure: ['pressure_pa'],
};

export interface RawValue { readonly field: string; readonly value: number; readonly ts_ms: number }

/** Each names list's slots in key order (ordered()), made once for every kiln that shares it. */
const ORDERS = new WeakMap<readonly string[], readonly number[]>();
const NO_NAMES: readonly string[] = Object.freeze([]);

export class RawChannels {
  /** Three strings a slot, in the order first seen: measurement, channel, the field shown. Found
   *  by a walk: a kiln has a handful of channels. Shared by the kilns wired alike and frozen
   *  (src/domain/names.ts): a new list when a slot is added or a channel's field changes, which
   *  a kiln's channels rarely do. */
  private names: readonly string[] = NO_NAMES;
  /** Two numbers a slot: the newest value and its device time (a packed array of doubles),
   *  remade at its exact length when a slot is added (concat): grown by push it keeps room. */
  private nums: number[] = [];

  /** One stored point: keeps it if it is the channel's newest (device time, ties to the later
   *  one). Returns whether it was kept. */
  note(p: Point): boolean {
    const fields = FIELDS_OF[p.measurement];
    if (!fields) return false;
    for (const field of fields) {
      const v = p.fields[field];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const i = this.slotOf(p.measurement, p.tags.channel);
      if (i < 0) {
        this.names = sharedNames([...this.names, p.measurement, p.tags.channel, field]);
        this.nums = this.nums.concat([v, p.ts_ms]);
        return true;
      }
      if (p.ts_ms < this.nums[2 * i + 1]!) return false;
      if (this.names[3 * i + 2] !== field) this.names = sharedNames(this.names.with(3 * i + 2, field)); // a meter now sending m³, say
      this.nums[2 * i] = v;
      this.nums[2 * i + 1] = p.ts_ms;
      return true;
    }
    return false;
  }

  private slotOf(measurement: string, channel: string): number {
    const names = this.names;
    for (let j = 0; j < names.length; j += 3) if (names[j + 1] === channel && names[j] === measurement) return j / 3;
    return -1;
  }

  /** Each temperature channel's newest reading, in the order first seen. */
  forEachTemp(f: (channel: string, temp_c: number, ts_ms: number) => void): void {
    const names = this.names, nums = this.nums;
    for (let j = 0, i = 0; j < names.length; j += 3, i += 2) if (names[j] === 'temperature') f(names[j + 1]!, nums[i]!, nums[i + 1]!);
  }

  /** view() as JSON, the same text as JSON.stringify(view()), made without the objects: it goes
   *  into every kiln event of the live stream. */
  json(): string {
    const names = this.names, nums = this.nums;
    const order = this.ordered();
    let out = '{';
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      out += `${k ? ',' : ''}${JSON.stringify(`${names[3 * i]}/${names[3 * i + 1]}`)}:{"field":${JSON.stringify(names[3 * i + 2])},"value":${jsonNumber(nums[2 * i]!)},"ts_ms":${jsonNumber(nums[2 * i + 1]!)}}`;
    }
    return `${out}}`;
  }

  /** measurement/channel → its newest value, sorted by key. */
  view(): Record<string, RawValue> {
    const out: Record<string, RawValue> = {};
    for (const i of this.ordered()) out[`${this.names[3 * i]}/${this.names[3 * i + 1]}`] = { field: this.names[3 * i + 2]!, value: this.nums[2 * i]!, ts_ms: this.nums[2 * i + 1]! };
    return out;
  }

  /** The slots in the order of their measurement/channel keys, sorted once a names list. */
  private ordered(): readonly number[] {
    let order = ORDERS.get(this.names);
    if (!order) ORDERS.set(this.names, (order = sortedSlots(this.names)));
    return order;
  }
}

/** The slots of `names` (three strings a slot) in the order of their measurement/channel keys. */
function sortedSlots(names: readonly string[]): number[] {
  const key = (i: number) => `${names[3 * i]}/${names[3 * i + 1]}`;
  return Array.from({ length: names.length / 3 }, (_, i) => i).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A number as JSON.stringify writes it: null for NaN and ±Infinity. */
export const jsonNumber = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');
