// One-minute aggregates of stored readings, and readings rebuilt from them, so that a firing whose
// raw readings were dropped (docs/retention.md) is still read by the same tracker, report, curve
// and CSV code as a fresh one. Pure: no clock, no I/O.
//
// Each (series = measurement + channel, value field, minute) keeps its count, first and last
// reading with their instants, min and max with theirs, mean and trapezoid area. Rebuilt readings
// are chosen per measurement for what the report computes from them:
// - temperature: every zone's first and last reading (real readings, at their own instants: a gap
//   between minutes stays exactly as long as it was), one instant per kiln-minute where the
//   hottest zone read its maximum, carrying every zone's maximum (the kiln temperature there is the
//   minute's true maximum, so the peak and each zone's peak are exact), and one where it read its
//   minimum, carrying every zone's minimum (a noisy cooling's first dip below the unload
//   temperature is kept);
// - gas_flow: first and last reading and, with three or more, one reading at mid-minute whose
//   value makes the trapezoid integral over the three equal the raw one (fuel = mean × covered time);
// - gas_total, gas_scale: first and last reading (a register's increments and rollovers, a scale's
//   drops and swaps show between them; both are cumulative, so nothing between them is lost);
// - kiln_pressure, oxygen, damper: first, min, max and last.
import type { Measurement, Point } from '../point.ts';

export const MINUTE_MS = 60_000;

/** The value fields of each measurement (the others, e.g. reference conditions, are carried). */
export const VALUE_FIELDS: Readonly<Record<Exclude<Measurement, 'event'>, readonly string[]>> = {
  temperature: ['temp_c'],
  gas_flow: ['flow_kg_h', 'flow_m3_h'],
  gas_total: ['total_kg', 'total_m3'],
  gas_scale: ['mass_kg'],
  kiln_pressure: ['pressure_pa'],
  oxygen: ['o2_pct'],
  damper: ['damper_pct'],
};
export type ReadingMeasurement = keyof typeof VALUE_FIELDS;
export const READING_MEASUREMENTS = Object.keys(VALUE_FIELDS) as ReadingMeasurement[];
/** Fields never aggregated: a device's sequence number says nothing once its readings are gone. */
const DROPPED_FIELDS = new Set(['seq']);

export interface MinuteAggregate {
  readonly measurement: ReadingMeasurement;
  readonly workshop: string;
  readonly kiln: string;
  readonly channel: string;
  /** The value field aggregated (its unit is in its name: temp_c, flow_kg_h, ...). */
  readonly field: string;
  /** The minute's start (epoch ms, a multiple of 60,000). */
  readonly minute_ms: number;
  readonly n: number;
  readonly first: number; readonly first_dt_ms: number;
  readonly last: number; readonly last_dt_ms: number;
  readonly min: number; readonly min_dt_ms: number;
  readonly max: number; readonly max_dt_ms: number;
  readonly mean: number;
  /** Trapezoid integral over the minute's readings, value × seconds (a flow: negatives read as 0, as the report does). */
  readonly area_s: number;
  /** Other numeric fields (reference conditions, rollover_at): their last value in the minute. */
  readonly carried: Readonly<Record<string, number>>;
}

export const minuteOf = (ts_ms: number): number => Math.floor(ts_ms / MINUTE_MS) * MINUTE_MS;
const seriesKey = (m: string, channel: string) => `${m}\u0000${channel}`;

/** The readings' one-minute aggregates (events and non-numeric fields are left out). One kiln or many. */
export function aggregateMinutes(points: readonly Point[]): MinuteAggregate[] {
  const groups = new Map<string, { p: Point; field: string; v: number }[]>();
  for (const p of points) {
    const fields = VALUE_FIELDS[p.measurement as ReadingMeasurement];
    if (!fields) continue;
    for (const field of fields) {
      const v = p.fields[field];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const key = `${p.tags.workshop}\u0000${p.tags.kiln}\u0000${seriesKey(p.measurement, p.tags.channel)}\u0000${field}\u0000${minuteOf(p.ts_ms)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push({ p, field, v });
    }
  }
  const out: MinuteAggregate[] = [];
  for (const g of groups.values()) {
    // Time order; a point stored twice at one instant is one point (the later wins, as in InfluxDB).
    const byTs = new Map<number, (typeof g)[number]>();
    for (const x of g) byTs.set(x.p.ts_ms, x);
    const xs = [...byTs.values()].sort((a, b) => a.p.ts_ms - b.p.ts_ms);
    const head = xs[0]!, tail = xs[xs.length - 1]!;
    const minute_ms = minuteOf(head.p.ts_ms);
    const flow = head.p.measurement === 'gas_flow';
    let min = head, max = head, sum = 0, area_s = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      if (x.v < min.v) min = x;
      if (x.v > max.v) max = x;
      sum += x.v;
      if (i > 0) {
        const a = xs[i - 1]!;
        const va = flow ? Math.max(0, a.v) : a.v, vb = flow ? Math.max(0, x.v) : x.v;
        area_s += ((va + vb) / 2) * ((x.p.ts_ms - a.p.ts_ms) / 1000);
      }
    }
    const carried: Record<string, number> = {};
    for (const [k, v] of Object.entries(tail.p.fields)) {
      if (typeof v === 'number' && k !== head.field && !DROPPED_FIELDS.has(k) && !VALUE_FIELDS[head.p.measurement as ReadingMeasurement].includes(k)) carried[k] = v;
    }
    out.push({
      measurement: head.p.measurement as ReadingMeasurement, workshop: head.p.tags.workshop, kiln: head.p.tags.kiln, channel: head.p.tags.channel,
      field: head.field, minute_ms, n: xs.length,
      first: head.v, first_dt_ms: head.p.ts_ms - minute_ms, last: tail.v, last_dt_ms: tail.p.ts_ms - minute_ms,
      min: min.v, min_dt_ms: min.p.ts_ms - minute_ms, max: max.v, max_dt_ms: max.p.ts_ms - minute_ms,
      mean: sum / xs.length, area_s, carried,
    });
  }
  return out.sort((a, b) => a.minute_ms - b.minute_ms);
}

/** Aggregated again from the raw readings: the new one is kept unless it saw fewer readings than the
 *  stored one (raw readings partly dropped already must not replace a whole minute with a part). */
export function fuller(stored: MinuteAggregate | undefined, fresh: MinuteAggregate): MinuteAggregate | null {
  return stored !== undefined && stored.n > fresh.n ? null : fresh;
}

export const aggregateKey = (a: Pick<MinuteAggregate, 'measurement' | 'workshop' | 'kiln' | 'channel' | 'field' | 'minute_ms'>): string =>
  `${a.workshop}\u0000${a.kiln}\u0000${seriesKey(a.measurement, a.channel)}\u0000${a.field}\u0000${a.minute_ms}`;

/** Readings rebuilt from aggregates (see the top of this file for which), time-ordered. */
export function pointsFromAggregates(aggs: readonly MinuteAggregate[]): Point[] {
  const out: Point[] = [];
  const at = (a: MinuteAggregate, dt_ms: number, v: number): Point => ({
    measurement: a.measurement, tags: { workshop: a.workshop, kiln: a.kiln, channel: a.channel },
    fields: { [a.field]: v, ...a.carried }, ts_ms: a.minute_ms + dt_ms,
  });
  const temps = new Map<string, MinuteAggregate[]>(); // kiln-minute → its zones
  for (const a of aggs) {
    if (a.measurement === 'temperature') {
      const k = `${a.workshop}\u0000${a.kiln}\u0000${a.minute_ms}`;
      const list = temps.get(k);
      if (list) list.push(a); else temps.set(k, [a]);
      continue;
    }
    const ends = [at(a, a.first_dt_ms, a.first)];
    if (a.n > 1) ends.push(at(a, a.last_dt_ms, a.last));
    if (a.measurement === 'gas_flow') {
      const mid = midFlow(a);
      if (mid) ends.splice(1, 0, at(a, mid.dt_ms, mid.v));
    } else if (a.measurement === 'kiln_pressure' || a.measurement === 'oxygen' || a.measurement === 'damper') {
      ends.push(at(a, a.min_dt_ms, a.min), at(a, a.max_dt_ms, a.max));
    }
    out.push(...dedupe(ends));
  }
  for (const zones of temps.values()) {
    const hottest = zones.reduce((h, z) => (z.max > h.max ? z : h));
    for (const z of zones) {
      // The maximum last: where it shares an instant with another, it wins (the peak stays exact).
      out.push(...dedupe([at(z, z.first_dt_ms, z.first), at(z, z.last_dt_ms, z.last), at(z, hottest.min_dt_ms, z.min), at(z, hottest.max_dt_ms, z.max)]));
    }
  }
  return out.sort((a, b) => a.ts_ms - b.ts_ms);
}

/** The mid-minute flow that gives first–mid–last the raw trapezoid integral; null below three readings
 *  (two readings are their own trapezoid). Never below 0 (gas does not flow back): where the raw
 *  readings jump at the minute's end (burners lighting), the integral is then slightly over. */
function midFlow(a: MinuteAggregate): { dt_ms: number; v: number } | null {
  if (a.n < 3 || a.last_dt_ms <= a.first_dt_ms) return null;
  const h_s = (a.last_dt_ms - a.first_dt_ms) / 2000;
  const f0 = Math.max(0, a.first), f1 = Math.max(0, a.last);
  return { dt_ms: Math.round((a.first_dt_ms + a.last_dt_ms) / 2), v: Math.max(0, a.area_s / h_s - (f0 + f1) / 2) };
}

/** One point per instant, the later in the list winning. */
function dedupe(ps: readonly Point[]): Point[] {
  const m = new Map<number, Point>();
  for (const p of ps) m.set(p.ts_ms, p);
  return [...m.values()];
}

export type Resolution = 'raw' | '1m';

/** A range's readings from both tiers: raw where a series has raw readings in a minute, else that
 *  minute rebuilt from its aggregate. Events come from the raw tier only (they are never dropped).
 *  resolution is '1m' when any aggregate was used. */
export function mergeTiers(raw: readonly Point[], aggs: readonly MinuteAggregate[]): { points: Point[]; resolution: Resolution } {
  if (aggs.length === 0) return { points: [...raw], resolution: 'raw' };
  const rawMinutes = new Set<string>();
  for (const p of raw) rawMinutes.add(`${seriesKey(p.measurement, p.tags.channel)}\u0000${minuteOf(p.ts_ms)}`);
  const used = aggs.filter((a) => !rawMinutes.has(`${seriesKey(a.measurement, a.channel)}\u0000${a.minute_ms}`));
  if (used.length === 0) return { points: [...raw], resolution: 'raw' };
  const points = [...raw, ...pointsFromAggregates(used)].sort((a, b) => a.ts_ms - b.ts_ms);
  return { points, resolution: '1m' };
}

const DAY_MS = 86_400_000;

/** Raw readings before this instant may be dropped (a minute boundary); null: kept for ever (raw_days 0). */
export function rawCutMs(now_ms: number, raw_days: number): number | null {
  return raw_days > 0 ? minuteOf(now_ms - raw_days * DAY_MS) : null;
}
