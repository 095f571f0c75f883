// The firing tracker's rate history and its firing's climb, held flat (a reading's time then its
// °C: types.ts), against the same held as one {value, ts_ms} object a reading (as they were, and
// as older checkpoints saved them): the same readings kept, the same anchor, the same rate.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER_CONFIG } from '../../../src/domain/firing/index.ts';
import { last100RateCH, markClimb } from '../../../src/domain/firing/ramp.ts';
import { pushHistory, rateCH } from '../../../src/domain/firing/samples.ts';
import type { Timed } from '../../../src/domain/firing/types.ts';
import { makeRng, uniform } from '../../../simulator/model/rng.ts';

const cfg = DEFAULT_TRACKER_CONFIG;

function refPush(h: readonly Timed[], temp_c: number, ts_ms: number): Timed[] {
  const step_ms = (cfg.rate_window_s * 1000) / 10;
  const last = h[h.length - 1];
  const next = !last || ts_ms - last.ts_ms >= step_ms ? [...h, { value: temp_c, ts_ms }] : [...h];
  let drop = 0;
  while ((next[drop + 1]?.ts_ms ?? Infinity) <= ts_ms - cfg.rate_window_s * 1000) drop++;
  return next.slice(drop);
}

function refRate(h: readonly Timed[], temp_c: number, ts_ms: number): number | null {
  const first = h[0];
  if (!first || ts_ms - first.ts_ms < 60_000) return null;
  return ((temp_c - first.value) * 3_600_000) / (ts_ms - first.ts_ms);
}

describe('the tracker\'s rate history, flat', () => {
  it('keeps the readings and gives the rate the history of objects gave, through gaps and uneven intervals', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = makeRng(seed), rnd = () => uniform(rng);
      let flat: readonly number[] = [];
      let ref: Timed[] = [];
      let ts_ms = 1_760_000_000_000, temp_c = 25;
      let rates = 0;
      for (let i = 0; i < 800; i++) {
        ts_ms += rnd() < 0.03 ? Math.round(rnd() * 1_500_000) : 1000 + Math.round(rnd() * 39_000);
        temp_c = Math.round((temp_c + (rnd() - 0.3) * 6) * 10) / 10;
        flat = pushHistory(flat, temp_c, ts_ms, cfg);
        ref = refPush(ref, temp_c, ts_ms);
        expect(flat).toEqual(ref.flatMap((h) => [h.ts_ms, h.value]));
        const r = rateCH(flat, temp_c, ts_ms);
        expect(r).toBe(refRate(ref, temp_c, ts_ms));
        if (r !== null) rates++;
      }
      expect(rates).toBeGreaterThan(400);
    }
  });

  it('at one reading every 10 s, keeps one a minute and the anchor exactly a window back', () => {
    let h: readonly number[] = [];
    for (let i = 0; i <= 360; i++) h = pushHistory(h, 100 + i, i * 10_000, cfg);
    const window_ms = cfg.rate_window_s * 1000;
    expect(h).toHaveLength(2 * (window_ms / (window_ms / 10) + 1));
    expect(h[0]).toBe(3_600_000 - window_ms);
    expect(rateCH(h, 460, 3_600_000)).toBe(((460 - h[1]!) * 3_600_000) / window_ms);
  });

  it('never writes to the history it was given', () => {
    let h: readonly number[] = [];
    const held: [readonly number[], string][] = [];
    for (let i = 0; i < 100; i++) {
      h = pushHistory(h, 100 + i, i * 30_000, cfg);
      held.push([h, JSON.stringify(h)]);
    }
    for (const [old, copy] of held) expect(JSON.stringify(old)).toBe(copy);
  });
});

/** The climb as objects, as ramp.ts kept it before. */
function refClimb(marks: readonly Timed[], temp_c: number, ts_ms: number): Timed[] {
  const step_c = Math.floor(temp_c / 10) * 10;
  const top = marks[marks.length - 1];
  if (top && step_c <= top.value) return [...marks];
  const next = [...marks, { value: step_c, ts_ms }];
  const keep = next.findIndex((m) => m.value >= step_c - 100);
  return keep > 0 ? next.slice(keep) : next;
}

function refLast100(marks: readonly Timed[]): number | null {
  const low = marks[0], top = marks[marks.length - 1];
  if (!low || !top || top.ts_ms - low.ts_ms < 60_000) return null;
  return ((top.value - low.value) * 3_600_000) / (top.ts_ms - low.ts_ms);
}

describe('the firing\'s climb, flat', () => {
  it('keeps the marks of the top 100 °C and gives the last 100 °C\'s rate the marks as objects gave, through dips, soaks and jumps', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = makeRng(seed), rnd = () => uniform(rng);
      let flat: readonly number[] = [];
      let ref: Timed[] = [];
      let ts_ms = 1_760_000_000_000, temp_c = 20;
      let full = 0;
      for (let i = 0; i < 2000; i++) {
        ts_ms += 10_000;
        // Mostly climbing, now and then a dip or a jump of up to 150 °C (a thermocouple's step).
        temp_c = Math.max(0, temp_c + (rnd() < 0.02 ? (rnd() - 0.4) * 300 : (rnd() - 0.35) * 8));
        flat = markClimb(flat, temp_c, ts_ms);
        ref = refClimb(ref, temp_c, ts_ms);
        expect(flat).toEqual(ref.flatMap((m) => [m.ts_ms, m.value]));
        expect(last100RateCH(flat)).toBe(refLast100(ref));
        if (ref.length === 11) full++;
      }
      // The top 100 °C's eleven marks were held, not only a short climb.
      expect(full).toBeGreaterThan(100);
    }
  });
});
