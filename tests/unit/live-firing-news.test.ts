// The live view's news for the firing index (LiveState.firingNews): a count that moves when a
// firing starts, when its gas goes off and when it ends, and at no other message, so the index
// folds a kiln at those moments and otherwise on its slow cadence. A count, not the state now: a
// whole firing between two of the index's passes is news too.
import { describe, expect, it } from 'vitest';
import type { TrackerState } from '../../src/domain/firing/index.ts';
import { DEFAULT_LIVE_OPTIONS, LiveState } from '../../src/live/live-state.ts';
import { messagesOf, simulate } from '../fixtures/report/simulated.ts';

const [firing] = simulate([{ preset: 'k1', firing: 'bisque04' }], { interval_s: 10, seed: 7, max_h: 30 });
const key = `${firing!.points[0]!.tags.workshop}/${firing!.kiln}`;
const trackerOf = (live: LiveState): TrackerState => (live as unknown as { kilns: Map<string, { tracker: TrackerState }> }).kilns.get(key)!.tracker;

describe('the live view\'s firing news', () => {
  it('moves at the start, the gas-off and the end of a simulated firing, and nowhere else', () => {
    const live = new LiveState({ ...DEFAULT_LIVE_OPTIONS });
    expect(live.firingNews(key)).toBeNull(); // a kiln the live view does not hold
    const changes: { news: number; tracker: TrackerState }[] = [];
    let last = -1;
    for (const msg of messagesOf(firing!.points)) {
      live.apply(msg);
      const news = live.firingNews(key)!;
      if (news !== last) changes.push({ news, tracker: trackerOf(live) });
      last = news;
    }
    expect(changes.map((c) => c.news)).toEqual([0, 1, 2, 3]);
    const [, started, gasOff, ended] = changes;
    expect(started!.tracker.firing).not.toBeNull();
    expect(started!.tracker.firing!.gas_off_ms ?? null).toBeNull();
    expect(gasOff!.tracker.firing!.id).toBe(started!.tracker.firing!.id);
    // The simulator's truth: the burners went off within a few minutes of the gas-off the tracker dated.
    expect(Math.abs(gasOff!.tracker.firing!.gas_off_ms! - firing!.truth.gas_off_ts_ms!)).toBeLessThan(10 * 60_000);
    expect(ended!.tracker.firing).toBeNull();
  });

  it('a whole firing in one go (between two passes of the index) is news, though the kiln ends as it began, not firing', () => {
    const live = new LiveState({ ...DEFAULT_LIVE_OPTIONS });
    live.apply(firing!.points.slice(0, 1));
    const before = live.firingNews(key)!;
    expect(trackerOf(live).firing).toBeNull();
    live.apply(firing!.points.slice(1));
    expect(trackerOf(live).firing).toBeNull();
    expect(live.firingNews(key)! - before).toBe(3);
  });
});
