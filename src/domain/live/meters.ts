// Fuel so far, one reading at a time: the same rules as the report path (src/domain/report/meters.ts,
// src/domain/analytics/fuel-*.ts) made incremental, so the live path does O(1) work per reading.
// - flow: trapezoid between consecutive readings of a channel; an interval longer than max_gap_s is a
//   gap and is NOT bridged; a negative flow is read as 0 (integrateFlow's rules);
// - totaliser: increases of the register; a decrease is a rollover when it fits rollover_at and
//   max_wrap_step, else a reset that counts nothing (totalizerConsumption's rules, jitter 0);
// - scale: drops of a level followed with hysteresis (noise_kg), a rise above swap_min_rise_kg is a
//   cylinder swap (scaleConsumption's level rule; its two-sided spike filter needs readings from
//   the future, so the live figure may count a spike the report later removes).
// Each meter kind keeps one running total in kg over all its channels; the caller reads the total
// at the firing start from a few checkpoints (totalAt), so a start dated back (a detected firing)
// still gets the fuel burnt since then.

import { MG_PER_KG } from '../packed.ts';
import { PairRing } from './ring.ts';

export type LiveMeterKind = 'totalizer' | 'flow' | 'scale';

export interface FlowChannel { last_ms: number; last_kg_h: number }
export interface TotalChannel { last_ms: number; high: number }
export interface ScaleChannel { last_ms: number; level_kg: number; last_kg: number }

export interface MeterTotals {
  /** Running total since the service started, kg, per kind. */
  total_kg: number;
  /** Device time of the newest reading counted. */
  newest_ms: number | null;
  /** About one checkpoint (ts_ms, total_kg) per checkpoint_s, the last `keep` of them, oldest
   *  first (made by addKg with its `keep`), to the millisecond and the milligram. */
  checkpoints: PairRing | null;
  gaps: number;
  resets: number;
  late: number;
  /** The running firing's start: the checkpoint at or before it is kept however long the firing
   *  lasts (its gas so far is counted from it), the others still go past `keep`. */
  pin_ms?: number | null;
}

export const newTotals = (): MeterTotals => ({ total_kg: 0, newest_ms: null, checkpoints: null, gaps: 0, resets: 0, late: 0, pin_ms: null });

export interface LiveMeterOptions {
  readonly max_gap_s: number;
  readonly swap_min_rise_kg: number;
  readonly noise_kg: number;
  readonly checkpoint_s: number;
  /** Checkpoints kept: checkpoint_s × keep must exceed how far back a detected start can be dated. */
  readonly keep: number;
  /** Checkpoints kept for a kiln whose controller starts its firings (its tracker has seen a
   *  firing_start or firing_stop, and from then on detects none): its starts are never dated back,
   *  they come with its events, decided within the tracker's reorder window. So the last few
   *  cover them (and the running firing's start stays pinned), where `keep` reaches back hours. */
  readonly keep_controlled: number;
}

/** Kg burnt between two flow readings of one channel; null when the interval is a gap. */
export function flowStepKg(prev: FlowChannel, ts_ms: number, flow_kg_h: number, max_gap_s: number): number | null {
  const dt_ms = ts_ms - prev.last_ms;
  if (dt_ms > max_gap_s * 1000) return null;
  return ((Math.max(0, prev.last_kg_h) + Math.max(0, flow_kg_h)) / 2) * (dt_ms / 3_600_000);
}

/** Register units consumed since `prev`, and the channel's new high; reset = nothing counted. */
export function totalStep(prev: TotalChannel, total: number, rollover_at: number | undefined): { used: number; high: number; reset: boolean } {
  if (total >= prev.high) return { used: total - prev.high, high: total, reset: false };
  const max_wrap_step = (rollover_at ?? 0) / 10;
  const wrap = rollover_at === undefined ? -1 : rollover_at - prev.high + total;
  if (wrap >= 0 && wrap <= max_wrap_step) return { used: wrap, high: total, reset: false };
  return { used: 0, high: total, reset: true };
}

/** Kg taken off the scale since `prev`, and the channel's new level. */
export function scaleStep(prev: ScaleChannel, mass_kg: number, o: Pick<LiveMeterOptions, 'swap_min_rise_kg' | 'noise_kg'>): { used_kg: number; level_kg: number; swap: boolean } {
  if (mass_kg > prev.level_kg + o.swap_min_rise_kg) {
    return { used_kg: Math.max(0, prev.level_kg - Math.min(prev.level_kg, prev.last_kg)), level_kg: mass_kg, swap: true };
  }
  if (mass_kg < prev.level_kg - o.noise_kg) return { used_kg: prev.level_kg - mass_kg, level_kg: mass_kg, swap: false };
  return { used_kg: 0, level_kg: prev.level_kg, swap: false };
}

/** Count kg at ts_ms into a kind's running total, with a checkpoint about every checkpoint_s while
 *  the total moves. None while it stands still (an idle or cooling kiln): the one before already
 *  answers totalAt the same for every instant after it, so a kiln without gas keeps a single
 *  checkpoint, however long, and its ring reaches back further. With `checkpoint` false the total
 *  is counted and no checkpoints are kept (those kept are let go): the caller reads another kind.
 *  `keep`: how many are kept now, at most o.keep (keep_controlled for a kiln its controller starts). */
export function addKg(t: MeterTotals, ts_ms: number, kg: number, o: Pick<LiveMeterOptions, 'checkpoint_s' | 'keep'>, checkpoint = true, keep = o.keep): void {
  t.total_kg += kg;
  t.newest_ms = Math.max(t.newest_ms ?? ts_ms, ts_ms);
  if (!checkpoint) { t.checkpoints = null; return; }
  // Packed to the milligram, 8 bytes a checkpoint, not 16: a start's gas so far is known only to
  // checkpoint_s of burning anyway.
  const cps = (t.checkpoints ??= new PairRing(o.keep, 4, MG_PER_KG));
  const n = cps.length;
  if (n > 0 && Math.abs(cps.valueAt(n - 1) - t.total_kg) < 0.5 / MG_PER_KG) return; // as it was kept
  if (n === 0 || ts_ms - cps.tsAt(n - 1) >= o.checkpoint_s * 1000) cps.push(ts_ms, t.total_kg, t.pin_ms ?? null); // the oldest goes past `keep`, not the firing start's
  if (cps.length > keep) cps.trimTo(keep, t.pin_ms ?? null); // fewer kept (keep_controlled), the firing start's still
}

/**
 * The running total at a past instant: the last checkpoint at or before it (the total then
 * includes at most checkpoint_s of fuel burnt before ts_ms). null when it is older than every
 * checkpoint kept (the caller says so instead of guessing).
 */
export function totalAt(t: MeterTotals, ts_ms: number): number | null {
  const cps = t.checkpoints;
  const k = cps ? cps.lastAtOrBefore(ts_ms) : -1;
  return k < 0 ? null : cps!.valueAt(k);
}
