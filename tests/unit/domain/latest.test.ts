// A kiln's newest reading of each channel held flat (src/domain/latest.ts), against the same table
// held as a record of {value, ts_ms} objects (as the tracker and the alert engine held it): the
// same readings, in the same order, whatever channels come and go; never written to once made.
import { describe, expect, it } from 'vitest';
import { makeRng, uniform } from '../../../simulator/model/rng.ts';
import { isFlatLatest, latestOf, latestOfRecord, mergeLatest, NO_LATEST, recordOfLatest, withLatest, type Latest } from '../../../src/domain/latest.ts';

type Rec = Record<string, { value: number; ts_ms: number }>;

/** The table as a record, as mergeLatest made it before (Object.assign, then a key a channel). */
function refMerge(prev: Rec, values: Record<string, number>, ts_ms: number): Rec {
  if (!Object.keys(values).length) return prev;
  const next: Rec = Object.assign({}, prev);
  for (const k of Object.keys(values)) next[k] = { value: values[k]!, ts_ms };
  return next;
}

describe('the newest reading of each channel, flat', () => {
  it('holds what the record of objects held, in its order, as channels (integer-like names too) come and go', () => {
    // Integer-like names ("2", "10") come first in a record, ascending, whenever they were heard:
    // the flat table keeps that order, so a loop over either visits channels alike.
    const names = ['top', '10', 'bottom', '2', 'door', 'flue', '0'];
    for (let seed = 1; seed <= 20; seed++) {
      const rng = makeRng(seed), rnd = () => uniform(rng);
      let flat: Latest = NO_LATEST;
      let ref: Rec = {};
      let ts_ms = 1_760_000_000_000;
      for (let i = 0; i < 400; i++) {
        ts_ms += 1000 + Math.round(rnd() * 20_000);
        const values: Record<string, number> = {};
        // Early on only some channels report, so channels join one at a time and in any order.
        for (const n of names) if (rnd() < (i < 40 ? 0.08 : 0.6)) values[n] = Math.round((rnd() * 1300 - 20) * 100) / 100;
        const before = flat, before_json = JSON.stringify(flat);
        flat = mergeLatest(flat, values, ts_ms);
        ref = refMerge(ref, values, ts_ms);
        expect(recordOfLatest(flat)).toEqual(ref);
        expect(flat.names).toEqual(Object.keys(ref));
        for (const n of names) expect(latestOf(flat, n)).toEqual(ref[n]);
        // A merge makes a new table; the one before is as it was (states that hold it are shared).
        expect(JSON.stringify(before)).toBe(before_json);
        if (Object.keys(values).length === 0) expect(flat).toBe(before);
      }
      expect(flat.names.length).toBe(names.length);
    }
  });

  it('shares one frozen list of names between kilns wired alike, and keeps its numbers at their exact length', () => {
    const a = mergeLatest(mergeLatest(NO_LATEST, { top: 20 }, 1000), { bottom: 21, top: 22 }, 2000);
    const b = mergeLatest(NO_LATEST, { top: 30, bottom: 31 }, 5000);
    expect(a.names).toBe(b.names);
    expect(Object.isFrozen(a.names)).toBe(true);
    expect(a.vals).toEqual([2000, 22, 2000, 21]);
    expect(withLatest(a, 'top', 25, 3000).vals).toEqual([3000, 25, 2000, 21]);
    expect(a.vals).toEqual([2000, 22, 2000, 21]);
  });

  it('reads a saved record of objects, and tells it from a saved flat table even for zones named "names" and "vals"', () => {
    const old: Rec = { top: { value: 612.5, ts_ms: 1000 }, '3': { value: 600, ts_ms: 900 } };
    const t = latestOfRecord(old);
    expect(recordOfLatest(t)).toEqual(old);
    expect(t.names).toEqual(['3', 'top']);
    expect(latestOfRecord({})).toBe(NO_LATEST);
    expect(isFlatLatest(t)).toBe(true);
    expect(isFlatLatest(JSON.parse(JSON.stringify(t)))).toBe(true);
    expect(isFlatLatest(old)).toBe(false);
    expect(isFlatLatest({ names: { value: 1, ts_ms: 2 }, vals: { value: 3, ts_ms: 4 } })).toBe(false);
    expect(isFlatLatest({})).toBe(false);
  });
});
