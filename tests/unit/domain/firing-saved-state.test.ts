// Tracker states saved by an earlier version (the firing index's checkpoint) load in today's shape
// and resume to the same firings. The fixture is a real checkpoint: the tracker state the version
// that kept each meter's readings as {value, ts_ms} objects saved 20 min after gas-on of
// tests/fixtures/firings/meter-kiln.ts (a totaliser and a scale), while the scale's gas-on was
// still being dated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firingsFromEvents, flush, foldFirings, initialState, run, savedTrackerState, type FiringEvent, type SavedTrackerState } from '../../../src/domain/firing/index.ts';
import { sampleOf } from '../../../src/domain/firing/pending.ts';
import type { Sample } from '../../../src/domain/firing/types.ts';
import { meterKilnPoints, ON_MS, OFF_MS, T0 } from '../../fixtures/firings/meter-kiln.ts';

const H = 3_600_000;
interface OldCheckpoint { until_ms: number; events: FiringEvent[]; state: SavedTrackerState }
const old = JSON.parse(readFileSync(new URL('../../fixtures/firings/checkpoint-recent-objects.json', import.meta.url), 'utf8')) as OldCheckpoint;
const points = meterKilnPoints(T0 + 22 * H);

describe('a checkpoint saved with meter readings as objects', () => {
  it('loads with the same readings as two arrays of numbers', () => {
    const s = savedTrackerState(old.state);
    expect(Object.keys(s.meters ?? {}).sort()).toEqual(['meter', 'scale']);
    for (const [ch, m] of Object.entries(old.state.meters ?? {})) {
      const recent = m.recent ?? [];
      expect(recent.length).toBeGreaterThan(100); // a real window, not an empty one
      const now = s.meters![ch]!;
      expect(now.kept_ms).toEqual(recent.map((x) => x.ts_ms));
      expect(now.kept_kg).toEqual(recent.map((x) => x.value));
      expect(now).not.toHaveProperty('recent');
      expect({ ...now, kept_ms: undefined, kept_kg: undefined }).toEqual({ ...m, recent: undefined, kept_ms: undefined, kept_kg: undefined });
    }
  });

  it('loads its reorder window, saved as Samples, compact, with the same readings', () => {
    const saved = old.state.pending as readonly Sample[];
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.some((x) => Object.keys(x.meters ?? {}).length > 0)).toBe(true);
    const s = savedTrackerState(old.state);
    expect(s.pending).toHaveLength(saved.length);
    s.pending.forEach((x, i) => {
      expect(x).not.toHaveProperty('temps_c');
      expect(sampleOf(x)).toEqual({ ...saved[i], meters: saved[i]!.meters ?? {} });
    });
  });

  it('resumes to the firing a fold of every reading finds, gas-on and gas-off included', () => {
    const rest = points.filter((p) => p.ts_ms >= old.until_ms);
    const r = run(savedTrackerState(old.state), rest);
    const f = flush(r.state);
    const resumed = firingsFromEvents([...old.events, ...r.events, ...f.events], f.state.firing);
    const whole = foldFirings(points);
    expect(resumed).toEqual(whole);
    expect(whole).toHaveLength(1);
    expect(Math.abs(whole[0]!.gas_on_ms! - ON_MS)).toBeLessThanOrEqual(10_000);
    expect(Math.abs(whole[0]!.gas_off_ms! - OFF_MS)).toBeLessThanOrEqual(10_000);
  });

  it("a state in today's shape is taken as it is, and reads back from JSON unchanged", () => {
    const s = run(initialState(), points.filter((p) => p.ts_ms < ON_MS + 2 * H)).state;
    expect(savedTrackerState(s)).toBe(s);
    const json = JSON.parse(JSON.stringify(s)) as SavedTrackerState;
    expect(savedTrackerState(json)).toEqual(s);
  });
});

describe("a meter's kept readings", () => {
  it('are bounded: a 1 Hz totaliser over 3 h keeps one reading per 8 s of the last meter_window_s (plus a short tail), as numbers', () => {
    const pts = Array.from({ length: 3 * 3600 }, (_, i) => ({
      measurement: 'gas_total' as const, tags: { workshop: 'w', kiln: 'k1', channel: 'meter' }, fields: { total_kg: 100 + i * 0.002 }, ts_ms: T0 + i * 1000,
    }));
    const m = run(initialState(), pts).state.meters!.meter!;
    const window_s = initialState().config.meter_window_s;
    const all_ms = [...m.kept_ms, ...(m.tail_ms ?? [])];
    const all_kg = [...m.kept_kg, ...(m.tail_kg ?? [])];
    expect(all_ms.length).toBe(all_kg.length);
    expect(m.tail_ms!.length).toBeLessThan(60);
    const inWindow = all_ms.filter((t) => t >= all_ms.at(-1)! - window_s * 1000);
    expect(inWindow.length).toBeGreaterThanOrEqual(window_s / 8 - 2);
    expect(inWindow.length).toBeLessThanOrEqual(window_s / 8 + 1);
    // What is kept beyond the window is at most one tail's worth (dropped at the next rebuild).
    expect(all_ms.length - inWindow.length).toBeLessThanOrEqual(60);
    expect([...all_ms, ...all_kg].every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
  });

  it("saved by the previous version (the whole window in kept_ms/kept_kg, no tail) resumes to the same firing", () => {
    // Every 17 minutes from 1 h before gas-on to 3 h after (the window and the tail at many phases), a state is put
    // in the previous version's shape and resumed: the firing found is the same as without the cut.
    const whole = foldFirings(points);
    const window_ms = initialState().config.meter_window_s * 1000;
    for (let cut = ON_MS - H; cut < ON_MS + 3 * H; cut += 17 * 60_000) {
      const before = run(initialState(), points.filter((p) => p.ts_ms < cut));
      const meters = Object.fromEntries(Object.entries(before.state.meters ?? {}).map(([ch, m]) => {
        const ms = [...m.kept_ms, ...(m.tail_ms ?? [])], kg = [...m.kept_kg, ...(m.tail_kg ?? [])];
        const last = ms.at(-1)!;
        const keep = ms.map((t, i) => i).filter((i) => ms[i]! >= last - window_ms);
        const { tail_ms: _t, tail_kg: _k, ...rest } = m;
        return [ch, { ...rest, kept_ms: keep.map((i) => ms[i]!), kept_kg: keep.map((i) => kg[i]!) }];
      }));
      const previous = JSON.parse(JSON.stringify({ ...before.state, meters })) as SavedTrackerState;
      const r = run(savedTrackerState(previous), points.filter((p) => p.ts_ms >= cut));
      const f = flush(r.state);
      expect(firingsFromEvents([...before.events, ...r.events, ...f.events], f.state.firing)).toEqual(whole);
    }
  });
});
