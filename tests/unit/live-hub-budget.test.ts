// The live view never takes the CPU that storing readings needs: past max_points_per_s, points
// are left out of the live view only, and counted.
import { describe, expect, it } from 'vitest';
import { LiveHub } from '../../src/live/hub.ts';
import type { Point } from '../../src/domain/point.ts';

const pts = (n: number, ts_ms: number): Point[] => Array.from({ length: n }, (_, i) => ({
  measurement: 'temperature', tags: { workshop: 'w', kiln: 'k', channel: `z${i}` }, fields: { temp_c: 100, seq: 1 }, ts_ms,
}));

describe('LiveHub budget', () => {
  it('skips and counts points beyond max_points_per_s, and takes them again a second later', () => {
    let now = 1_000_000;
    const hub = new LiveHub({ max_points_per_s: 10 }, undefined, () => now);
    hub.offer(pts(6, now)); // 10 tokens → 4 left
    hub.offer(pts(6, now)); // 4 < 6: skipped
    expect(hub.dropped_points).toBe(6);
    now += 1000; // refilled to 10 (capped at one second's worth)
    hub.offer(pts(6, now));
    expect(hub.dropped_points).toBe(6);
    expect(hub.snapshot().skipped_readings).toBe(6);
    hub.close();
  });
});
