// The newest raw value of each channel of a kiln, as it arrives: what a technician watches when a
// sensor fails (a thermocouple that stops reading shows an age that grows). One small object per
// channel, updated in place: the live view's memory stays bounded by the channels a kiln has.
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

/** One channel's newest value, updated in place. */
interface Slot { readonly measurement: string; readonly channel: string; field: string; value: number; ts_ms: number }

export class RawChannels {
  /** One slot per measurement and channel, in the order first seen, found by a walk: a kiln has a
   *  handful of channels, and a map per measurement (one by channel inside one by measurement)
   *  took 1.2 KB a kiln (a heap snapshot at 10,000 kilns), the slots 0.8 KB. */
  private readonly slots: Slot[] = [];

  /** One stored point: keeps it if it is the channel's newest (device time). */
  note(p: Point): void {
    const fields = FIELDS_OF[p.measurement];
    if (!fields) return;
    for (const field of fields) {
      const v = p.fields[field];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const prev = this.slotOf(p.measurement, p.tags.channel);
      if (!prev) this.slots.push({ measurement: p.measurement, channel: p.tags.channel, field, value: v, ts_ms: p.ts_ms });
      else if (p.ts_ms >= prev.ts_ms) { prev.field = field; prev.value = v; prev.ts_ms = p.ts_ms; }
      return;
    }
  }

  private slotOf(measurement: string, channel: string): Slot | undefined {
    for (const s of this.slots) if (s.channel === channel && s.measurement === measurement) return s;
    return undefined;
  }

  /** measurement/channel → its newest value, sorted by key. */
  view(): Record<string, RawValue> {
    const all: [string, RawValue][] = this.slots.map((r) => [`${r.measurement}/${r.channel}`, { field: r.field, value: r.value, ts_ms: r.ts_ms }]);
    all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(all);
  }
}
