// The live view's news for the firing index (LiveState.firingNews): it changes when a firing
// starts, when its gas goes off and when it ends, and at no other message, so the index folds a
// kiln at those moments and otherwise on its slow cadence.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_OPTIONS, LiveState } from '../../src/live/live-state.ts';
import { messagesOf, simulate } from '../fixtures/report/simulated.ts';

describe('the live view\'s firing news', () => {
  it('changes at the start, the gas-off and the end of a simulated firing, and nowhere else', () => {
    const [firing] = simulate([{ preset: 'k1', firing: 'bisque04' }], { interval_s: 10, seed: 7, max_h: 30 });
    const live = new LiveState({ ...DEFAULT_LIVE_OPTIONS });
    const key = `${firing!.points[0]!.tags.workshop}/${firing!.kiln}`;
    expect(live.firingNews(key)).toBeNull(); // a kiln the live view does not hold
    const seen: string[] = [];
    for (const msg of messagesOf(firing!.points)) {
      live.apply(msg);
      const news = live.firingNews(key)!;
      if (seen.at(-1) !== news) seen.push(news);
    }
    expect(seen).toHaveLength(4);
    const [none, started, gasOff, ended] = seen;
    expect(none).toBe('');
    const [id, off] = started!.split(' ');
    expect(id).not.toBe('');
    expect(off).toBe('');
    const [id2, off2] = gasOff!.split(' ');
    expect(id2).toBe(id);
    // The simulator's truth: the burners went off within a few minutes of the time the news names.
    expect(Math.abs(Number(off2) - firing!.truth.gas_off_ts_ms!)).toBeLessThan(10 * 60_000);
    expect(ended).toBe('');
  });
});
