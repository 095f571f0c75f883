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

/** Samples, oldest first: those within clock_after_s plus one older anchor. Two arrays of numbers
 *  (held unboxed) rather than an object a sample: every kiln has a watch, and as objects its ~13
 *  samples took 1.1 KB (a heap snapshot at 10,000 kilns), as two arrays 0.7 KB, and about half
 *  of that since they are made to their exact length (appended). */
export interface ClockWatch { readonly wall_ms: readonly number[]; readonly offset_ms: readonly number[] }

export const EMPTY_CLOCK_WATCH: ClockWatch = { wall_ms: [], offset_ms: [] };

/** About 20 samples over the window; more would cost memory and say nothing new. */
const sampleGapMs = (cfg: AlertSettings) => (cfg.clock_after_s * 1000) / 20;

export function observeClock(w: ClockWatch, wall_ms: number, device_ts_ms: number, cfg: AlertSettings): ClockWatch {
  const n = w.wall_ms.length;
  if (n > 0 && wall_ms - w.wall_ms[n - 1]! < sampleGapMs(cfg)) return w;
  // Keep one anchor at or before the window's start, so the window is known to be covered.
  const start = wall_ms - cfg.clock_after_s * 1000;
  let first = 0;
  while (first + 1 < n && w.wall_ms[first + 1]! <= start) first++;
  return { wall_ms: appended(w.wall_ms, first, wall_ms), offset_ms: appended(w.offset_ms, first, device_ts_ms - wall_ms) };
}

/** xs from `from` on, then x, in an array of exactly that length: a spread or a push leaves room to
 *  grow, which every kiln's watch would hold for as long as it lives (an array of 14 numbers took
 *  359 bytes made by a spread, 172 made so, measured alone with --expose-gc). Fine here, read
 *  once a second; not for arrays read in a hot loop, which V8 reads more slowly made so ("holey"):
 *  a meter's window made so slowed the alert engine's fold by a quarter (npm run bench:alerts). */
function appended(xs: readonly number[], from: number, x: number): number[] {
  const out = new Array<number>(xs.length - from + 1);
  for (let i = from; i < xs.length; i++) out[i - from] = xs[i]!;
  out[xs.length - from] = x;
  return out;
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
  const n = w.wall_ms.length;
  if (n === 0) return null;
  const newest_offset_ms = w.offset_ms[n - 1]!;
  // Nothing heard for a whole window: no new evidence either way, an active alert stays.
  if (wall_ms - w.wall_ms[n - 1]! > cfg.clock_after_s * 1000) return 'hold';
  if (Math.abs(newest_offset_ms / 1000) <= cfg.clock_clear_s) return 'ok';
  const covered = w.wall_ms[0]! <= wall_ms - cfg.clock_after_s * 1000;
  let lo = Infinity, hi = -Infinity, beyond = true;
  for (const o of w.offset_ms) {
    lo = Math.min(lo, o);
    hi = Math.max(hi, o);
    if (Math.abs(o) <= cfg.clock_skew_s * 1000 || Math.sign(o) !== Math.sign(newest_offset_ms)) beyond = false;
  }
  const steady = hi - lo <= cfg.clock_steady_s * 1000;
  return covered && beyond && steady ? 'breach' : 'hold';
}

/** The verdict at a level clockLevelAt found (the watch has samples). */
export function clockVerdictFor(w: ClockWatch, level: Verdict['level'], cfg: AlertSettings): Verdict {
  return clockVerdictOf(w.offset_ms[w.offset_ms.length - 1]! / 1000, level, cfg);
}

function clockVerdictOf(offset_s: number, level: Verdict['level'], cfg: AlertSettings): Verdict {
  return {
    kind: 'clock_skew', channel: 'kiln', unit: 's', threshold: cfg.clock_skew_s, value: offset_s,
    detail: offset_s >= 0 ? 'ahead' : 'behind', raise_after_s: 0, clear_after_s: cfg.clock_clear_after_s, level,
  };
}
