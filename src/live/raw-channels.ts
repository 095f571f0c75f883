// The newest raw value of each channel of a kiln, as it arrives: what a technician watches when a
// sensor fails (a thermocouple that stops reading shows an age that grows). One small object per
// channel, updated in place: the live view's memory stays bounded by the channels a kiln has.
import type { Point } from '../domain/point.ts';

/** The value fields a reading's channel is shown by, per measurement, in the order looked at
 *  (docs/mqtt.md). Only a measurement's own fields are looked up: looking up another's (absent)
 *  field on every reading was a slow property miss. */
const FIELDS_OF: Readonly<Record<string, readonly string[] | undefined>> = {
  temperature: ['temp_c'], gas_flow: ['flow_kg_h', 'flow_m3_h'], gas_total: ['total_kg', 'total_m3'], gas_scale: ['mass_kg'],
};

export interface RawValue { readonly field: string; readonly value: number; readonly ts_ms: number }

export class RawChannels {
  /** measurement → channel → newest value: two lookups by strings JSON.parse already made (a
   *  `measurement/channel` key built per reading was a new string to hash every time). */
  private readonly last = new Map<string, Map<string, { field: string; value: number; ts_ms: number }>>();

  /** One stored point: keeps it if it is the channel's newest (device time). */
  note(p: Point): void {
    const fields = FIELDS_OF[p.measurement];
    if (!fields) return;
    for (const field of fields) {
      const v = p.fields[field];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      let byChannel = this.last.get(p.measurement);
      if (!byChannel) this.last.set(p.measurement, (byChannel = new Map()));
      const prev = byChannel.get(p.tags.channel);
      if (!prev) byChannel.set(p.tags.channel, { field, value: v, ts_ms: p.ts_ms });
      else if (p.ts_ms >= prev.ts_ms) { prev.field = field; prev.value = v; prev.ts_ms = p.ts_ms; }
      return;
    }
  }

  /** measurement/channel → its newest value, sorted by key. */
  view(): Record<string, RawValue> {
    const all: [string, RawValue][] = [];
    for (const [m, byChannel] of this.last) for (const [ch, r] of byChannel) all.push([`${m}/${ch}`, { field: r.field, value: r.value, ts_ms: r.ts_ms }]);
    all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(all);
  }
}
