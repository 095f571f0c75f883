// The live hub sends a kiln's updates at one per coalesce_ms on average, without holding back a
// reading that comes a little early: at 1 Hz, readings a few ms early each must not pile up a wait.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HUB_OPTIONS, LiveHub } from '../../src/live/hub.ts';
import type { Point } from '../../src/domain/point.ts';

const reading = (ts_ms: number, kiln = 'k'): Point[] => [{ measurement: 'temperature', tags: { workshop: 'w', kiln, channel: 'top' }, fields: { temp_c: 100, seq: 1 }, ts_ms }];

/** A client that notes when each kiln event arrives. */
function client(hub: LiveHub): number[] {
  const at: number[] = [];
  hub.subscribe({ write: (chunk) => { if (chunk.includes('event: kiln')) at.push(Date.now()); }, buffered: () => 0, end: () => undefined }, null);
  return at;
}

beforeEach(() => { vi.useFakeTimers({ now: 1_000_000 }); });
afterEach(() => { vi.useRealTimers(); });

describe('LiveHub pace', () => {
  it('sends each reading of a 1 Hz kiln at once, even when each comes 20 ms early', async () => {
    const hub = new LiveHub({ coalesce_ms: 1000 });
    const at = client(hub);
    const sent: number[] = [];
    for (let i = 0; i < 20; i++) {
      sent.push(Date.now());
      hub.offer(reading(Date.now()));
      await vi.advanceTimersByTimeAsync(980);
    }
    expect(at).toHaveLength(20);
    const waits = at.map((t, i) => t - sent[i]!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(DEFAULT_HUB_OPTIONS.flush_ms + 5); // no wait but the write batching's
    hub.close();
  });

  it('keeps a kiln that sends many messages a second to one event per coalesce_ms, after at most one ahead', async () => {
    const hub = new LiveHub({ coalesce_ms: 1000 });
    const at = client(hub);
    for (let ms = 0; ms < 10_000; ms += 50) {
      hub.offer(reading(Date.now()));
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(2000);
    // 10 s of updates: one per second, plus the one it may run ahead, plus the last change's.
    expect(at.length).toBeGreaterThanOrEqual(10);
    expect(at.length).toBeLessThanOrEqual(12);
    // Never more than one event ahead of one per second from the first.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[0]!).toBeGreaterThanOrEqual((i - 1) * 1000);
    hub.close();
  });
});
