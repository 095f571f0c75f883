// The alert engine's rate history, held flat (src/domain/alerts/zone-history.ts), against the same
// history held as one object a snapshot (as it was): the same snapshots kept, the same anchor,
// the same rate, whatever zones come and go.
import { describe, expect, it } from 'vitest';
import { makeRng, uniform } from '../../../simulator/model/rng.ts';
import { NO_HISTORY, pushHistory, rateCH, snapshotsOf, type ZoneHistory } from '../../../src/domain/alerts/zone-history.ts';

interface Snap { ts_ms: number; temps_c: Record<string, number> }

/** The history as objects, as the engine held it before. */
function refPush(h: readonly Snap[], temps_c: Record<string, number>, ts_ms: number, window_s: number): Snap[] {
  const last = h[h.length - 1];
  let next = [...h];
  if (!last || ts_ms - last.ts_ms >= (window_s * 1000) / 10) next = [...h, { ts_ms, temps_c: { ...temps_c } }];
  let drop = 0;
  while ((next[drop + 1]?.ts_ms ?? Infinity) <= ts_ms - window_s * 1000) drop++;
  return next.slice(drop);
}

function refRate(h: readonly Snap[], temps_c: Record<string, number>, ts_ms: number, window_s: number): number | null {
  const first = h[0];
  if (!first || ts_ms - first.ts_ms < (window_s * 1000) / 2) return null;
  let max: number | null = null;
  for (const [ch, t] of Object.entries(temps_c)) {
    const a = first.temps_c[ch];
    if (a === undefined) continue;
    const r = ((t - a) * 3_600_000) / (ts_ms - first.ts_ms);
    if (max === null || r > max) max = r;
  }
  return max;
}

describe('the alert engine\'s rate history, flat', () => {
  it('keeps the snapshots and gives the rate the history of objects gave, as zones drop out, return and change', () => {
    const window_s = 600;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = makeRng(seed), rnd = () => uniform(rng); // seeded: a failure repeats
      let flat: ZoneHistory = NO_HISTORY;
      let ref: Snap[] = [];
      let ts_ms = 1_760_000_000_000;
      const zones = ['top', 'middle', 'bottom', 'door', 'flue'];
      let rates = 0;
      for (let i = 0; i < 600; i++) {
        // Readings 1 to 40 s apart, now and then a gap of minutes (a silent logger).
        ts_ms += rnd() < 0.03 ? Math.round(rnd() * 1_500_000) : 1000 + Math.round(rnd() * 39_000);
        const temps_c: Record<string, number> = {};
        for (const z of zones) if (rnd() < 0.85) temps_c[z] = Math.round((20 + i * 2 + rnd() * 50) * 10) / 10;
        if (Object.keys(temps_c).length === 0) temps_c.top = 500;
        flat = pushHistory(flat, temps_c, ts_ms, window_s);
        ref = refPush(ref, temps_c, ts_ms, window_s);
        expect(snapshotsOf(flat)).toEqual(ref);
        const r = rateCH(flat, temps_c, ts_ms, window_s);
        expect(r).toBe(refRate(ref, temps_c, ts_ms, window_s));
        if (r !== null) rates++;
      }
      // The rate was judged, not only null throughout.
      expect(rates).toBeGreaterThan(300);
    }
  });

  it('never writes to a history it was given: a state that holds one stays as it was', () => {
    let h: ZoneHistory = NO_HISTORY;
    const held: { h: ZoneHistory; copy: string }[] = [];
    for (let i = 0; i < 200; i++) {
      h = pushHistory(h, { top: 100 + i, door: 90 + i }, 1_000_000 + i * 30_000, 600);
      held.push({ h, copy: JSON.stringify(h) });
    }
    for (const { h: old, copy } of held) expect(JSON.stringify(old)).toBe(copy);
    expect(Object.isFrozen(NO_HISTORY.vals)).toBe(true);
  });

  it('keeps about ten snapshots over the window and one anchor, in one array of names and one of numbers', () => {
    let h: ZoneHistory = NO_HISTORY;
    for (let i = 0; i <= 360; i++) h = pushHistory(h, { top: 100 + i, middle: 99 + i, bottom: 98 + i, door: 97 + i }, i * 10_000, 600);
    // An hour of readings every 10 s: snapshots every 60 s, the anchor exactly 600 s back.
    expect(h.names.length).toBe(11);
    expect(h.vals.length).toBe(11 * 5);
    expect(h.vals[0]).toBe(3_000_000);
    // Kilns wired alike share their names: one list for every snapshot.
    expect(new Set(h.names).size).toBe(1);
    expect(rateCH(h, { top: 460 }, 3_600_000, 600)).toBe(((460 - 400) * 3_600_000) / 600_000);
  });
});
