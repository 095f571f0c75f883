// After a burst the service gives the memory it took back (src/memory-release.ts): when a burst
// counts as over, and that the collection it asks of V8 returns a heap's free pages to the
// system on this Node (CI runs it on the machine's Node and on Node 24).
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BurstEnd, DEFAULT_BURST_END, MAX_RELEASE_LIVE_BYTES, MemoryRelease } from '../../src/memory-release.ts';

/** Feeds per-second rates (readings/s) and returns the seconds (1-based) at which a release was due. */
function run(rates_s: readonly number[], idle: (s: number) => boolean = () => true, b = new BurstEnd()): number[] {
  let total = 0;
  const due: number[] = [];
  b.observe(0, 0, idle(0));
  rates_s.forEach((r, i) => {
    total += r;
    if (b.observe((i + 1) * 1000, total, idle(i + 1))) due.push(i + 1);
  });
  return due;
}
const repeat = (n: number, r: number) => new Array<number>(n).fill(r);
const { quiet_s } = DEFAULT_BURST_END;

describe('a burst is over', () => {
  it('once every second of quiet_s is under a tenth of the peak, and then only once', () => {
    // 10 s of a burst at 100,000 readings/s, then a village at 600 readings/s for 5 min.
    const due = run([...repeat(10, 100_000), ...repeat(300, 600)]);
    expect(due).toEqual([10 + quiet_s]);
  });

  it('not while the spool still holds readings: then when it has drained', () => {
    const drained_s = 10 + quiet_s + 15;
    expect(run([...repeat(10, 100_000), ...repeat(120, 0)], (s) => s >= drained_s)).toEqual([drained_s]);
  });

  it('not for a steady fleet, one rising, or one that slows to a fifth', () => {
    expect(run(repeat(600, 6_000))).toEqual([]); // 1,000 kilns at 1 Hz
    expect(run(Array.from({ length: 600 }, (_, i) => 6_000 + (i % 7) * 900))).toEqual([]); // uneven
    expect(run(Array.from({ length: 600 }, (_, i) => 10 * i))).toEqual([]); // kilns joining
    expect(run([...repeat(30, 60_000), ...repeat(300, 12_000)])).toEqual([]); // catching up, then a fifth of that
  });

  it('not for a small workshop whose readings stop (its peak is no burst)', () => {
    expect(run([...repeat(60, 120), ...repeat(120, 0)])).toEqual([]);
  });

  it('a second burst soon after: not again within min_interval_s; a later one is released again', () => {
    const burst = [...repeat(10, 100_000), ...repeat(60, 0)];
    const soon = run([...burst, ...burst]);
    expect(soon).toEqual([10 + quiet_s]);
    const gap = repeat(DEFAULT_BURST_END.min_interval_s, 0);
    const later = run([...burst, ...gap, ...burst]);
    expect(later).toEqual([10 + quiet_s, burst.length + gap.length + 10 + quiet_s]);
  });

  it('a single quiet second in a burst does not end it', () => {
    const flicker = [...repeat(5, 100_000), 0, ...repeat(5, 100_000), ...repeat(quiet_s - 1, 0), 100_000, ...repeat(5, 100_000)];
    expect(run(flicker)).toEqual([]);
  });
});

describe('collectAndRelease', () => {
  it('gives a collected heap\'s pages back to the system', () => {
    // In a process of its own: 300 MB of objects made and dropped, RSS read before and after.
    const script = `
      import { collectAndRelease } from './src/memory-release.ts';
      let junk = [];
      for (let i = 0; i < 1.5e6; i++) junk.push({ a: i, b: String(i), c: [i, i + 1] });
      junk = null;
      await new Promise((r) => setTimeout(r, 200));
      const before = process.memoryUsage().rss;
      collectAndRelease();
      await new Promise((r) => setTimeout(r, 500));
      console.log(JSON.stringify({ before, after: process.memoryUsage().rss, gc: typeof globalThis.gc }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--max-semi-space-size=16', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
    expect(r.stderr).toBe('');
    const { before, after, gc } = JSON.parse(r.stdout) as { before: number; after: number; gc: string };
    expect(before).toBeGreaterThan(250e6);
    expect(after).toBeLessThan(before - 150e6);
    expect(gc).toBe('undefined'); // the service's global scope keeps no gc()
  });
});

describe('the service after a burst', () => {
  afterEach(() => { vi.useRealTimers(); });

  /** A service's samples through 10 s of a burst and 40 s of quiet; the lines it logged. */
  function service(live_bytes: number | null): string[] {
    vi.useFakeTimers();
    const lines: string[] = [];
    let accepted = 0;
    const m = new MemoryRelease(() => true, () => live_bytes, { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l) });
    for (let s = 0; s <= 50; s++) {
      m.sample(s * 1000, accepted);
      if (s < 10) accepted += 100_000;
    }
    vi.advanceTimersByTime(5000); // the line is written once RSS has been read again
    return lines;
  }

  it('collects once, and says so with the burst\'s peak and RSS before and after', () => {
    const lines = service(40e6);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^memory: a burst of up to 100,000 readings\/s is over; the heap was collected \(\d+ ms\) and its free pages given back: RSS \d+ MB before, \d+ MB 2 s after$/);
  });

  it('with more live data than a quick collection allows, says why it leaves it to V8', () => {
    const lines = service(MAX_RELEASE_LIVE_BYTES + 1);
    expect(lines).toEqual([`memory: a burst of up to 100,000 readings/s is over; with ${((MAX_RELEASE_LIVE_BYTES + 1) / 1e6).toFixed(0)} MB of live data a collection of everything would hold the service too long, so V8 gives memory back at its own pace`]);
  });
});
