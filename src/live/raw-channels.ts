// The newest raw value of each channel of a kiln, as it arrives: what a technician watches when a
// sensor fails (a thermocouple that stops reading shows an age that grows). One small object per
// channel, updated in place: the live view's memory stays bounded by the channels a kiln has.
import type { Point } from '../domain/point.ts';

/** The value fields a reading's channel is shown by, in the order looked at (docs/mqtt.md). */
const RAW_FIELDS = ['temp_c', 'flow_kg_h', 'flow_m3_h', 'total_kg', 'total_m3', 'mass_kg'] as const;

export interface RawValue { readonly field: string; readonly value: number; readonly ts_ms: number }

export class RawChannels {
  private readonly last = new Map<string, { field: string; value: number; ts_ms: number }>();

  /** One stored point: keeps it if it is the channel's newest (device time). */
  note(p: Point): void {
    if (p.measurement === 'event') return;
    for (const field of RAW_FIELDS) {
      const v = p.fields[field];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const key = `${p.measurement}/${p.tags.channel}`;
      const prev = this.last.get(key);
      if (!prev) this.last.set(key, { field, value: v, ts_ms: p.ts_ms });
      else if (p.ts_ms >= prev.ts_ms) { prev.field = field; prev.value = v; prev.ts_ms = p.ts_ms; }
      return;
    }
  }

  /** measurement/channel → its newest value, sorted by key. */
  view(): Record<string, RawValue> {
    const out: Record<string, RawValue> = {};
    for (const k of [...this.last.keys()].sort()) { const r = this.last.get(k)!; out[k] = { field: r.field, value: r.value, ts_ms: r.ts_ms }; }
    return out;
  }
}
