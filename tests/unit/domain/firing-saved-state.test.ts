// Tracker states saved by an earlier version (the firing index's checkpoint) load in today's shape
// and resume to the same firings. The fixture is a real checkpoint: the tracker state the version
// that kept each meter's readings as {value, ts_ms} objects saved 20 min after gas-on of
// tests/fixtures/firings/meter-kiln.ts (a totaliser and a scale), while the scale's gas-on was
// still being dated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firingsFromEvents, flush, foldFirings, initialState, run, savedTrackerState, type FiringEvent, type SavedTrackerState } from '../../../src/domain/firing/index.ts';
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
  it('are bounded: a 1 Hz totaliser over 3 h keeps one reading per 5 s of the last meter_window_s, as numbers', () => {
    const pts = Array.from({ length: 3 * 3600 }, (_, i) => ({
      measurement: 'gas_total' as const, tags: { workshop: 'w', kiln: 'k1', channel: 'meter' }, fields: { total_kg: 100 + i * 0.002 }, ts_ms: T0 + i * 1000,
    }));
    const m = run(initialState(), pts).state.meters!.meter!;
    const window_s = initialState().config.meter_window_s;
    expect(m.kept_ms.length).toBe(m.kept_kg.length);
    expect(m.kept_ms.length).toBeGreaterThanOrEqual(window_s / 5 - 2);
    expect(m.kept_ms.length).toBeLessThanOrEqual(window_s / 5 + 1);
    expect(m.kept_ms.at(-1)! - m.kept_ms[0]!).toBeLessThanOrEqual(window_s * 1000);
    expect([...m.kept_ms, ...m.kept_kg].every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
  });
});
