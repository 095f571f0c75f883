// A meter's kept readings, packed (src/domain/firing/kept-log.ts): persistent (a log once made reads
// the same readings whatever is appended after it, to it or to an earlier log), kept to the
// millisecond and the milligram, and let go from the front as the window moves.
import { describe, expect, it } from 'vitest';
import { KeptLog } from '../../../src/domain/firing/kept-log.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const readings = (log: KeptLog) => Array.from({ length: log.length }, (_, i) => [log.msAt(i), log.kgAt(i)] as const);

/** A log of n readings 10 s apart from T0, 0.01 kg each, with no window. */
function grown(n: number, from: KeptLog = KeptLog.EMPTY, t0 = T0): KeptLog {
  let log = from;
  for (let i = 0; i < n; i++) log = log.with(t0 + i * 10_000, 50 + i * 0.01, -Infinity);
  return log;
}

describe('a kept log', () => {
  it('reads back what was kept, to the millisecond and the milligram', () => {
    const log = KeptLog.EMPTY.with(T0 + 0.4, 12.3456789, -Infinity).with(T0 + 10_000.6, 12.3466781, -Infinity);
    expect(readings(log)).toEqual([[T0, 12.345679], [T0 + 10_001, 12.346678]]);
    expect(log.lastMs()).toBe(T0 + 10_001);
    expect(KeptLog.EMPTY.lastMs()).toBeUndefined();
  });

  it('is never changed by what is appended later, to it or to a log it came from', () => {
    const base = grown(40);
    const before = readings(base);
    const a = base.with(T0 + 400_000, 60, -Infinity); // appends in place
    const b = base.with(T0 + 400_000, 99, -Infinity); // a branch: must not see or overwrite a's reading
    const a2 = grown(200, a, T0 + 410_000); // many more in place and through new stores
    expect(readings(base)).toEqual(before);
    expect(readings(a).at(-1)).toEqual([T0 + 400_000, 60]);
    expect(readings(b).at(-1)).toEqual([T0 + 400_000, 99]);
    expect(readings(b).slice(0, 40)).toEqual(before);
    expect(a2.length).toBe(241);
    expect(readings(a)).toEqual([...before, [T0 + 400_000, 60]]);
  });

  it('lets go of readings before the window', () => {
    let log = KeptLog.EMPTY;
    for (let i = 0; i < 5_000; i++) log = log.with(T0 + i * 8_000, i * 0.02, T0 + i * 8_000 - 3_600_000);
    const r = readings(log);
    expect(r.length).toBe(451); // an hour of 8 s readings, both ends in
    expect(r[0]![0]).toBe(T0 + 4_999 * 8_000 - 3_600_000);
    const json = JSON.stringify(log);
    expect(JSON.parse(json)).toEqual({ ms: r.map((x) => x[0]), kg: r.map((x) => x[1]) });
  });

  it('reads the same numbers after a round trip through JSON (a checkpoint), and goes on the same', () => {
    const log = grown(333);
    const saved = JSON.parse(JSON.stringify(log)) as { ms: number[]; kg: number[] };
    const back = KeptLog.of(saved.ms, saved.kg);
    expect(back).toEqual(log);
    expect(readings(back.with(T0 + 5e6, 55.55, T0 + 1e6))).toEqual(readings(log.with(T0 + 5e6, 55.55, T0 + 1e6)));
  });

  it('starts afresh after weeks of silence or a jump of tonnes, keeping what the window holds', () => {
    const log = grown(10);
    const later = log.with(T0 + 30 * DAY, 51, T0 + 30 * DAY - 3_600_000);
    expect(readings(later)).toEqual([[T0 + 30 * DAY, 51]]);
    const kept_all = log.with(T0 + 30 * DAY, 51, -Infinity); // too far to count from the oldest: only the new one
    expect(readings(kept_all)).toEqual([[T0 + 30 * DAY, 51]]);
    const tonnes = log.with(T0 + 100_000, 5_000, -Infinity);
    expect(readings(tonnes)).toEqual([[T0 + 100_000, 5_000]]);
    // Read back from a checkpoint the same way: what cannot be counted from the oldest is let go.
    expect(readings(KeptLog.of([T0, T0 + 1_000, T0 + 30 * DAY], [50, 50.01, 51]))).toEqual([[T0 + 30 * DAY, 51]]);
    expect(readings(KeptLog.of([T0, T0 + 1_000], [50, 50.01]))).toEqual([[T0, 50], [T0 + 1_000, 50.01]]);
    // Years of use counted from zero still read to the milligram.
    expect(readings(KeptLog.EMPTY.with(T0, 175_000.123456, -Infinity).with(T0 + 8_000, 175_000.2, -Infinity))).toEqual([[T0, 175_000.123456], [T0 + 8_000, 175_000.2]]);
  });

  it('compares in tests by its readings (the equality tester can fail)', () => {
    expect(grown(20)).toEqual(KeptLog.of(readings(grown(20)).map((x) => x[0]), readings(grown(20)).map((x) => x[1])));
    expect(grown(20)).not.toEqual(grown(21));
    expect(grown(20)).not.toEqual(grown(19).with(T0 + 190_000, 50.2, -Infinity));
    expect({ kept: grown(5) }).not.toEqual({ kept: grown(5).with(T0 + 60_000, 1, T0 + 20_000) });
  });
});
