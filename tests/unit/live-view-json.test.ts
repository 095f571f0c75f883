// A kiln event of the live stream is written as text by KilnLive.viewJson(), not by
// JSON.stringify(view()): it must be the same text, at every message of whole firings and in the
// corners (names that need escaping, zones named by numbers, a fault acknowledged, silence).
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/domain/decode.ts';
import type { Point } from '../../src/domain/point.ts';
import { LiveState } from '../../src/live/live-state.ts';
import { messagesOf, simulate } from '../fixtures/report/simulated.ts';

const same = (state: LiveState, key: string): boolean => {
  const v = state.viewJson(key);
  const view = state.view(key);
  expect(v?.json ?? null).toBe(view ? JSON.stringify(view) : null);
  expect(v?.workshop ?? null).toBe(view?.workshop ?? null);
  return view !== null;
};

describe('a kiln event as text', () => {
  it('is JSON.stringify(view()) at every message of whole simulated firings (flow, totaliser, scale; oxidation and reduction)', () => {
    const firings = simulate([{ preset: 'k18', firing: 'cone10red' }, { preset: 'k18', firing: 'bisque04' }], { interval_s: 30, seed: 3, max_h: 40 });
    const state = new LiveState();
    let checked = 0;
    for (const f of firings) {
      const key = `ws1/${f.kiln}`;
      for (const msg of messagesOf(f.points)) {
        state.apply(msg, new Set(), msg[0]!.ts_ms + 250);
        if (same(state, key)) checked++;
      }
      expect(state.view(key)!.last_firing).not.toBeNull(); // it ran to its end
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('is the same where names need escaping, zones are numbers, a fault was acknowledged, and the kiln went silent', () => {
    const limits = { max_payload_bytes: 1 << 20, max_future_ms: 60_000, max_past_ms: 1e12 };
    const T0 = Date.UTC(2026, 0, 5, 0);
    const state = new LiveState();
    const feed = (kind: 'telemetry' | 'event', body: Record<string, unknown>, ts_ms: number) => {
      const d = decodeMessage(`kiln/v1/w-1/k9/${kind}`, JSON.stringify({ v: 1, ts_ms, ...body }), 200, ts_ms, limits);
      expect(d.rejects).toEqual([]);
      state.apply(d.points as Point[], new Set(), ts_ms);
    };
    const key = 'w-1/k9';
    feed('event', { seq: 1, type: 'firing_start', firing_id: 'f-1', schedule: { name: 'Men rạn "đặc biệt"\\\n<b>', segments: [{ rate_c_h: 150, target_c: 1250, hold_min: 20 }] } }, T0);
    same(state, key);
    for (let i = 0; i < 200; i++) {
      const t = T0 + (i + 1) * 10_000;
      // The numbered zones are first heard after the named ones: an object still lists them first.
      const temp_c = i < 5 ? { top: 29 + i, z_1: 28 + i } : { 10: 30 + i, 2: 31 + i, top: 29 + i, z_1: 28 + i };
      feed('telemetry', { seq: i + 2, temp_c, gas: { b: { kind: 'flow', flow_kg_h: i % 7 === 0 ? 0 : 4.25 } } }, t);
      same(state, key);
    }
    const view = state.view(key)!;
    expect(Object.keys(view.zones)).toEqual(['2', '10', 'top', 'z_1']); // numbers first, as objects keep them
    expect(view.firing?.schedule_name).toBe('Men rạn "đặc biệt"\\\n<b>');
    state.noteFault('w-1', 'k9', { type: 'tc_open', of: 'temp', zone: '2', ts_ms: T0, received_at_ms: T0 + 5 });
    same(state, key);
    state.flushSilent(T0 + 10 * 3_600_000);
    expect(state.view(key)!.silent).toBe(true);
    same(state, key);
    state.markIncomplete(key);
    same(state, key);
  });
});
