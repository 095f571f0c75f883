// The tracker's reorder window: the samples not yet decided, one per device instant, oldest first.
//
// Thinning: the tracker keeps at most one reading per channel per SAMPLE_RESOLUTION_MS slot (the
// earliest in the slot; later ones are counted in points_seen and otherwise ignored). Nothing it
// decides needs more (stages hold for minutes, the rate is read over 10 min, the kiln's history is
// kept once a minute), and it bounds the window: at most (reorder window / resolution + 1) samples
// per channel, however dense the readings. Without it a 1 kHz burst held 30,000 samples per kiln
// and every point paid a search and a copy of them. Keeping the EARLIEST reading of a slot (not
// the first to arrive) keeps the result independent of the order of arrival inside the window:
// an earlier reading arriving later takes its channel over from the later instant's sample.
// Controller events are never thinned.
//
// Compact: a waiting instant is its channel keys and their values (PendingSample, types.ts), and
// instants with the same channels share one keys array; it becomes a Sample (a table per kind of
// reading) only when decided. A 1 Hz kiln keeps 30 instants here, in the live view's tracker for
// every kiln: as Samples they were ~430 bytes each (five objects, each value a boxed number), now
// ~170 (measured: 12.8 KB a kiln before, 5.2 KB after; docs/benchmarks.md).
import type { Point } from '../point.ts';
import { SAMPLE_RESOLUTION_MS } from './config.ts';
import { lastKeptMs, meterReading, type MeterReading } from './meters.ts';
import { flowOf, parseCommand } from './samples.ts';
import type { ControllerCommand, PendingSample, Sample, TrackerState } from './types.ts';
import { appended } from '../appended.ts';
import { sharedNames } from '../names.ts';
import { tsOf } from '../latest.ts';

type Table = 'temps_c' | 'flows_kg_h' | 'meters';
interface Reading { table: Table; ch: string; value: number; meter?: MeterReading }

export const slotOf = (ts_ms: number): number => Math.floor(ts_ms / SAMPLE_RESOLUTION_MS);

// A key is a letter and the channel: 't' a zone (°C), 'f' a flow (kg/h), 'm' a totaliser's
// register or 's' a scale's gross mass (kg), and 'r' the totaliser's rollover (kg), right after
// its 'm' and only when it has one.
const LETTER: Readonly<Record<'temps_c' | 'flows_kg_h', string>> = { temps_c: 't', flows_kg_h: 'f' };
const isMeterKey = (k: string, ch: string) => (k.charCodeAt(0) === 109 /* m */ || k.charCodeAt(0) === 115 /* s */) && k.length === ch.length + 1 && k.endsWith(ch);

/** Where this channel's reading is in keys (its 'm' or 's' for a meter), or -1. */
function indexOf(keys: readonly string[], table: Table, ch: string): number {
  if (table !== 'meters') return keys.indexOf(LETTER[table] + ch);
  for (let i = 0; i < keys.length; i++) if (isMeterKey(keys[i]!, ch)) return i;
  return -1;
}

/** Remove this channel's reading (and a meter's rollover) from keys and vals, in place. */
function remove(keys: string[], vals: number[], table: Table, ch: string): void {
  const i = indexOf(keys, table, ch);
  if (i < 0) return;
  const n = table === 'meters' && keys[i + 1] === 'r' + ch ? 2 : 1;
  keys.splice(i, n);
  vals.splice(i, n);
}

/** Put this reading in keys and vals, in place: a channel already there keeps its place. */
function put(keys: string[], vals: number[], r: Reading): void {
  const i = indexOf(keys, r.table, r.ch);
  if (r.table !== 'meters') {
    if (i >= 0) vals[i] = r.value;
    else { keys.push(LETTER[r.table] + r.ch); vals.push(r.value); }
    return;
  }
  const m = r.meter!;
  const at = i >= 0 ? i : keys.length;
  const had_roll = i >= 0 && keys[i + 1] === 'r' + r.ch;
  const entries: [string, number][] = [[(m.kind === 'scale' ? 's' : 'm') + r.ch, m.value_kg]];
  if (m.rollover_kg !== null) entries.push(['r' + r.ch, m.rollover_kg]);
  const n = i < 0 ? 0 : had_roll ? 2 : 1;
  keys.splice(at, n, ...entries.map((e) => e[0]));
  vals.splice(at, n, ...entries.map((e) => e[1]));
}

/** The pending samples with points[from..to) (all of one instant, newer than the watermark) merged
 *  in, or null when none of them is used. Work per call: O(pending), which thinning bounds. */
export function addPoints(s: TrackerState, points: readonly Point[], from: number, to: number): readonly PendingSample[] | null {
  const pending = s.pending;
  const ts_ms = points[from]!.ts_ms;
  const slot = slotOf(ts_ms);
  const found = findAt(pending, ts_ms);
  let draft: { keys: string[]; vals: number[]; commands: ControllerCommand[] } | null = null;
  const take = () => (draft ??= { keys: found ? [...found.keys] : [], vals: found ? [...found.vals] : [], commands: found?.commands ? [...found.commands] : [] });
  const strip = new Map<PendingSample, Reading[]>();
  for (let k = from; k < to; k++) {
    const p = points[k]!;
    if (p.measurement === 'event') {
      const cmd = parseCommand(p.tags.type, p.fields.data_json);
      // A redelivered event (same instant, same content) must not start a second firing.
      if (cmd && !take().commands.some((c) => JSON.stringify(c) === JSON.stringify(cmd))) take().commands.push(cmd);
      continue;
    }
    const r = reading(p, s);
    if (!r) continue;
    const meter = r.table === 'meters' ? s.meters?.[r.ch] : undefined;
    const decided_ms = r.table === 'meters' ? (meter && lastKeptMs(meter)) : tsOf(r.table === 'temps_c' ? s.zones : s.flows, r.ch);
    if (decided_ms !== undefined && slotOf(decided_ms) === slot) continue; // the slot's earliest reading is decided
    const holder = holderOf(pending, slot, r.table, r.ch);
    if (holder && holder.ts_ms < ts_ms) continue; // an earlier reading of the slot is pending
    if (holder && holder.ts_ms > ts_ms) strip.set(holder, [...(strip.get(holder) ?? []), r]);
    const d = take();
    put(d.keys, d.vals, r);
  }
  if (!draft) return null;
  const made = sealed(draft, ts_ms, found ?? pending.at(-1));
  // In-order data (the usual case): the newest instant, nothing stripped, added at the end.
  if (!found && strip.size === 0 && (pending.at(-1)?.ts_ms ?? -Infinity) < ts_ms) return appended(pending, made);
  return rebuilt(pending, made, strip);
}

/** A finished draft as a PendingSample, sharing the keys array of `like` when they hold the same
 *  channels, else the list every kiln wired alike shares (names.ts). */
function sealed(d: { keys: string[]; vals: number[]; commands: ControllerCommand[] }, ts_ms: number, like: PendingSample | undefined): PendingSample {
  const keys = sharedNames(d.keys, like?.keys), vals = d.vals.slice();
  return d.commands.length ? { ts_ms, keys, vals, commands: d.commands } : { ts_ms, keys, vals };
}

function reading(p: Point, s: TrackerState): Reading | null {
  if (p.measurement === 'temperature') {
    const t = p.fields.temp_c;
    return typeof t === 'number' && Number.isFinite(t) ? { table: 'temps_c', ch: p.tags.channel, value: t } : null;
  }
  if (p.measurement === 'gas_flow') {
    const flow = flowOf(p, s.config);
    return Number.isFinite(flow) ? { table: 'flows_kg_h', ch: p.tags.channel, value: flow } : null;
  }
  const m = meterReading(p, s.config);
  return m ? { table: 'meters', ch: p.tags.channel, value: m.value_kg, meter: m } : null;
}

function findAt(pending: readonly PendingSample[], ts_ms: number): PendingSample | undefined {
  for (let i = pending.length - 1; i >= 0 && pending[i]!.ts_ms >= ts_ms; i--) if (pending[i]!.ts_ms === ts_ms) return pending[i];
  return undefined;
}

/** The pending sample holding this channel's reading in this slot (searched from the newest end:
 *  in-order data looks at the last slot only). */
function holderOf(pending: readonly PendingSample[], slot: number, table: Table, ch: string): PendingSample | undefined {
  for (let i = pending.length - 1; i >= 0; i--) {
    const x = pending[i]!;
    const sl = slotOf(x.ts_ms);
    if (sl < slot) return undefined;
    if (sl === slot && indexOf(x.keys, table, ch) >= 0) return x;
  }
  return undefined;
}

/** One copy of the pending list: the new sample at its place, stripped samples copied (or dropped if empty). */
function rebuilt(pending: readonly PendingSample[], made: PendingSample, strip: ReadonlyMap<PendingSample, readonly Reading[]>): PendingSample[] {
  const out: PendingSample[] = [];
  let placed = false;
  for (const x of pending) {
    if (x.ts_ms === made.ts_ms) continue; // merged into the new sample
    if (!placed && x.ts_ms > made.ts_ms) { out.push(made); placed = true; }
    const gone = strip.get(x);
    if (!gone) { out.push(x); continue; }
    const keys = [...x.keys], vals = [...x.vals];
    for (const g of gone) remove(keys, vals, g.table, g.ch);
    const shared = sharedNames(keys);
    if (keys.length || x.commands?.length) out.push(x.commands ? { ts_ms: x.ts_ms, keys: shared, vals, commands: x.commands } : { ts_ms: x.ts_ms, keys: shared, vals });
  }
  if (!placed) out.push(made);
  return out;
}

/** A waiting instant as the Sample the tracker decides. */
export function sampleOf(x: PendingSample): Sample {
  const temps_c: Record<string, number> = {}, flows_kg_h: Record<string, number> = {}, meters: Record<string, MeterReading> = {};
  for (let i = 0; i < x.keys.length; i++) {
    const k = x.keys[i]!, v = x.vals[i]!, ch = k.slice(1);
    const letter = k[0];
    if (letter === 't') temps_c[ch] = v;
    else if (letter === 'f') flows_kg_h[ch] = v;
    else if (letter === 'm' || letter === 's') {
      const roll = x.keys[i + 1] === 'r' + ch ? x.vals[i + 1]! : null;
      meters[ch] = { kind: letter === 's' ? 'scale' : 'total', value_kg: v, rollover_kg: roll };
    }
  }
  return { ts_ms: x.ts_ms, temps_c, flows_kg_h, meters, commands: x.commands ?? [] };
}

/** A Sample as it waits (an earlier version saved its reorder window as Samples: saved.ts). */
export function pendingOf(x: Sample): PendingSample {
  const keys: string[] = [], vals: number[] = [];
  for (const [ch, v] of Object.entries(x.temps_c)) put(keys, vals, { table: 'temps_c', ch, value: v });
  for (const [ch, v] of Object.entries(x.flows_kg_h)) put(keys, vals, { table: 'flows_kg_h', ch, value: v });
  for (const [ch, m] of Object.entries(x.meters ?? {})) put(keys, vals, { table: 'meters', ch, value: m.value_kg, meter: m });
  const shared = sharedNames(keys);
  return x.commands.length ? { ts_ms: x.ts_ms, keys: shared, vals, commands: x.commands } : { ts_ms: x.ts_ms, keys: shared, vals };
}
