// The heap watch in a real node with a small heap cap: live data near the cap is seen after a full
// collection, warned once, shown as high, and the warning re-arms when the data is let go.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HeapSnapshot } from '../../src/heap-watch.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/heap-fill.ts', import.meta.url));

describe('HeapWatch', () => {
  it('says when the live data comes near the heap cap, once, and when it is back down', () => {
    const out = execFileSync(process.execPath, ['--max-old-space-size=64', '--max-semi-space-size=1', '--expose-gc', '--import', 'tsx', FIXTURE], { encoding: 'utf8', timeout: 60_000 });
    const r = JSON.parse(out) as { idle: HeapSnapshot; full: HeapSnapshot; after: HeapSnapshot; lines: string[] };
    // The cap given on the command line (plus the young generation) is the limit.
    expect(r.idle.limit_bytes).toBeGreaterThanOrEqual(64 * 1048576);
    expect(r.idle.limit_bytes).toBeLessThan(80 * 1048576);
    expect(r.idle.full_collections).toBeGreaterThanOrEqual(1);
    expect(r.idle.high).toBe(false);
    expect(r.full.live_pct).toBeGreaterThanOrEqual(80);
    expect(r.full.high).toBe(true);
    expect(r.after.high).toBe(false);
    expect(r.after.live_pct).toBeLessThan(r.idle.live_pct! + 10);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toMatch(/^warn: memory: the live data takes \d+ % of the heap cap \(\d+ of \d+ MB\) after a full collection; .*--max-old-space-size/);
    expect(r.lines[1]).toMatch(/^info: memory: the live data is back to \d+ % of the heap cap/);
  });
});
