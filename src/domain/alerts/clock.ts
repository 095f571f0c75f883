// The device clock against the service clock (the simulator's clock_skew fault; a logger with no
// NTP, or one reset to 1970 after a power cut). A wrong device clock misdates every reading (the
// firing's curve, stages and comparisons) and, once it runs ahead by more than INGEST_MAX_FUTURE_S,
// gets every reading refused, so the kiln looks silent while it is sending. The check:
// - sees each LIVE telemetry message's newest timestamp, kept or refused (an outbox batch is old
//   by design and does not count);
// - raises only when the offset has held beyond clock_skew_s, steady within clock_steady_s, for
//   clock_after_s of the service clock. A simulator or a device catching up on its past sends live
//   messages too, but their offset shrinks as fast as they replay (not steady), and so does a
//   broker backlog that drains;
// - runs on the service clock, because the device clock is what is wrong: its alert is dated by
//   the service clock, like an acknowledgement.
import type { AlertSettings } from './settings.ts';
import type { Verdict } from './types.ts';

/** The samples, oldest first: those within clock_after_s plus one older anchor, in one ring of
 *  numbers written in place (wall time then offset, in turn). The service holds one watch a kiln
 *  and nothing else reads it, so nothing needs the samples as they were. Built anew at every
 *  sample (every 6 s), a kiln's two arrays lived until its next message, long enough at one
 *  message every 10 s to reach V8's old generation: ~330 bytes a message for the full
 *  collections to free at 10,000 kilns (an allocation profile, docs/benchmarks.md). */
export class ClockWatch {
  /** About 20 samples fill the window (sampleGapMs), plus the anchor: room for 24 pairs, grown
   *  (doubled) only if a kiln's settings ever need more. */
  private ring: number[] = newRing(24);
  private head = 0;
  /** How many samples it holds. */
  size = 0;

  /** Sample i's service time (0: the oldest). */
  wallAt(i: number): number { return this.ring[this.slot(i)]!; }
  /** Sample i's device offset from the service clock (ms, + ahead). */
  offsetAt(i: number): number { return this.ring[this.slot(i) + 1]!; }

  /** Drop the n oldest samples. */
  dropOldest(n: number): void {
    this.head = (this.head + n) % (this.ring.length / 2);
    this.size -= n;
  }

  push(wall_ms: number, offset_ms: number): void {
    if (this.size === this.ring.length / 2) this.grow();
    const at = this.slot(this.size);
    this.ring[at] = wall_ms;
    this.ring[at + 1] = offset_ms;
    this.size++;
  }

  private slot(i: number): number { return 2 * ((this.head + i) % (this.ring.length / 2)); }

  private grow(): void {
    const ring = newRing(this.ring.length);
    for (let i = 0; i < this.size; i++) { ring[2 * i] = this.wallAt(i); ring[2 * i + 1] = this.offsetAt(i); }
    this.ring = ring;
    this.head = 0;
  }
}

/** pairs × 2 numbers in one array of exactly that length, held as doubles from the start. */
function newRing(pairs: number): number[] {
  const ring = new Array<number>(2 * pairs);
  ring.fill(0.5);
  return ring;
}

/** About 20 samples over the window; more would cost memory and say nothing new. */
const sampleGapMs = (cfg: AlertSettings) => (cfg.clock_after_s * 1000) / 20;

/** A live message's device time heard at wall_ms: the watch takes it in place (and returns it). */
export function observeClock(w: ClockWatch, wall_ms: number, device_ts_ms: number, cfg: AlertSettings): ClockWatch {
  const n = w.size;
  if (n > 0 && wall_ms - w.wallAt(n - 1) < sampleGapMs(cfg)) return w;
  // Keep one anchor at or before the window's start, so the window is known to be covered.
  const start = wall_ms - cfg.clock_after_s * 1000;
  let first = 0;
  while (first + 1 < n && w.wallAt(first + 1) <= start) first++;
  w.dropOldest(first);
  w.push(wall_ms, device_ts_ms - wall_ms);
  return w;
}

/** The alert key of the clock check. */
export const CLOCK_KEY = 'clock_skew:kiln';

/** Null when nothing was heard yet; else the level of the one clock alert (key CLOCK_KEY). */
export function clockVerdict(w: ClockWatch, wall_ms: number, cfg: AlertSettings): Verdict | null {
  const level = clockLevelAt(w, wall_ms, cfg);
  return level === null ? null : clockVerdictFor(w, level, cfg);
}

/** clockVerdict's level alone, null when nothing was heard yet: asked every second for every
 *  kiln, and nearly always 'ok', so the verdict is built only when it can change something. */
export function clockLevelAt(w: ClockWatch, wall_ms: number, cfg: AlertSettings): Verdict['level'] | null {
  const n = w.size;
  if (n === 0) return null;
  const newest_offset_ms = w.offsetAt(n - 1);
  // Nothing heard for a whole window: no new evidence either way, an active alert stays.
  if (wall_ms - w.wallAt(n - 1) > cfg.clock_after_s * 1000) return 'hold';
  if (Math.abs(newest_offset_ms / 1000) <= cfg.clock_clear_s) return 'ok';
  const covered = w.wallAt(0) <= wall_ms - cfg.clock_after_s * 1000;
  let lo = Infinity, hi = -Infinity, beyond = true;
  for (let i = 0; i < n; i++) {
    const o = w.offsetAt(i);
    lo = Math.min(lo, o);
    hi = Math.max(hi, o);
    if (Math.abs(o) <= cfg.clock_skew_s * 1000 || Math.sign(o) !== Math.sign(newest_offset_ms)) beyond = false;
  }
  const steady = hi - lo <= cfg.clock_steady_s * 1000;
  return covered && beyond && steady ? 'breach' : 'hold';
}

/** The verdict at a level clockLevelAt found (the watch has samples). */
export function clockVerdictFor(w: ClockWatch, level: Verdict['level'], cfg: AlertSettings): Verdict {
  return clockVerdictOf(w.offsetAt(w.size - 1) / 1000, level, cfg);
}

function clockVerdictOf(offset_s: number, level: Verdict['level'], cfg: AlertSettings): Verdict {
  return {
    kind: 'clock_skew', channel: 'kiln', unit: 's', threshold: cfg.clock_skew_s, value: offset_s,
    detail: offset_s >= 0 ? 'ahead' : 'behind', raise_after_s: 0, clear_after_s: cfg.clock_clear_after_s, level,
  };
}
