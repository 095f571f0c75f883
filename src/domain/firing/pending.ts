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
import type { Point } from '../point.ts';
import { SAMPLE_RESOLUTION_MS } from './config.ts';
import { lastKeptMs, meterReading, type MeterReading } from './meters.ts';
import { flowOf, parseCommand } from './samples.ts';
import type { ControllerCommand, Sample, TrackerState } from './types.ts';

type Table = 'temps_c' | 'flows_kg_h' | 'meters';
interface Draft { ts_ms: number; temps_c: Record<string, number>; flows_kg_h: Record<string, number>; meters: Record<string, MeterReading>; commands: ControllerCommand[] }

export const slotOf = (ts_ms: number): number => Math.floor(ts_ms / SAMPLE_RESOLUTION_MS);

/** The pending samples with points[from..to) (all of one instant, newer than the watermark) merged
 *  in, or null when none of them is used. Work per call: O(pending), which thinning bounds. */
export function addPoints(s: TrackerState, points: readonly Point[], from: number, to: number): readonly Sample[] | null {
  const pending = s.pending;
  const ts_ms = points[from]!.ts_ms;
  const slot = slotOf(ts_ms);
  const found = findAt(pending, ts_ms);
  let draft: Draft | null = null;
  const take = (): Draft => (draft ??= {
    ts_ms, temps_c: Object.assign({}, found?.temps_c), flows_kg_h: Object.assign({}, found?.flows_kg_h), meters: Object.assign({}, found?.meters), commands: found ? [...found.commands] : [],
  });
  const strip = new Map<Sample, { table: Table; ch: string }[]>();
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
    const decided_ms = r.table === 'meters' ? (meter && lastKeptMs(meter)) : (r.table === 'temps_c' ? s.zones : s.flows)[r.ch]?.ts_ms;
    if (decided_ms !== undefined && slotOf(decided_ms) === slot) continue; // the slot's earliest reading is decided
    const holder = holderOf(pending, slot, r.table, r.ch);
    if (holder && holder.ts_ms < ts_ms) continue; // an earlier reading of the slot is pending
    if (holder && holder.ts_ms > ts_ms) strip.set(holder, [...(strip.get(holder) ?? []), r]);
    if (r.table === 'meters') take().meters[r.ch] = r.meter!;
    else take()[r.table][r.ch] = r.value;
  }
  if (!draft) return null;
  // In-order data (the usual case): the newest instant, nothing stripped, added at the end.
  if (!found && strip.size === 0 && (pending.at(-1)?.ts_ms ?? -Infinity) < ts_ms) return [...pending, draft];
  return rebuilt(pending, draft, strip);
}

function reading(p: Point, s: TrackerState): { table: Table; ch: string; value: number; meter?: MeterReading } | null {
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

function findAt(pending: readonly Sample[], ts_ms: number): Sample | undefined {
  for (let i = pending.length - 1; i >= 0 && pending[i]!.ts_ms >= ts_ms; i--) if (pending[i]!.ts_ms === ts_ms) return pending[i];
  return undefined;
}

/** The pending sample holding this channel's reading in this slot (searched from the newest end:
 *  in-order data looks at the last slot only). */
function holderOf(pending: readonly Sample[], slot: number, table: Table, ch: string): Sample | undefined {
  for (let i = pending.length - 1; i >= 0; i--) {
    const x = pending[i]!;
    const sl = slotOf(x.ts_ms);
    if (sl < slot) return undefined;
    if (sl === slot && ch in (x[table] ?? {})) return x;
  }
  return undefined;
}

/** One copy of the pending list: the draft at its place, stripped samples copied (or dropped if empty). */
function rebuilt(pending: readonly Sample[], draft: Draft, strip: ReadonlyMap<Sample, readonly { table: Table; ch: string }[]>): Sample[] {
  const out: Sample[] = [];
  let placed = false;
  for (const x of pending) {
    if (x.ts_ms === draft.ts_ms) continue; // merged into the draft
    if (!placed && x.ts_ms > draft.ts_ms) { out.push(draft); placed = true; }
    const gone = strip.get(x);
    if (!gone) { out.push(x); continue; }
    const y: Draft = { ts_ms: x.ts_ms, temps_c: Object.assign({}, x.temps_c), flows_kg_h: Object.assign({}, x.flows_kg_h), meters: Object.assign({}, x.meters), commands: [...x.commands] };
    for (const g of gone) delete y[g.table][g.ch];
    if (Object.keys(y.temps_c).length || Object.keys(y.flows_kg_h).length || Object.keys(y.meters).length || y.commands.length) out.push(y);
  }
  if (!placed) out.push(draft);
  return out;
}
