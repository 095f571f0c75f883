// Tracker states saved by an earlier version (the firing index's checkpoint) load in today's shape
// and resume to the same firings. The fixtures are real checkpoints of tests/fixtures/firings/
// meter-kiln.ts (a totaliser and a scale): the tracker state the version that kept each meter's
// readings as {value, ts_ms} objects saved 20 min after gas-on, while the scale's gas-on was still
// being dated; and the one the version that kept them as arrays of numbers with a short tail
// (kept_ms, kept_kg, tail_ms, tail_kg) saved 50 min after gas-on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firingsFromEvents, flush, foldFirings, initialState, run, savedTrackerState, type FiringEvent, type SavedTrackerState } from '../../../src/domain/firing/index.ts';
import { KeptLog } from '../../../src/domain/firing/kept-log.ts';
import { isFlatLatest, mergeLatest, recordOfLatest } from '../../../src/domain/latest.ts';
import { sampleOf } from '../../../src/domain/firing/pending.ts';
import type { Sample } from '../../../src/domain/firing/types.ts';
import { meterKilnPoints, ON_MS, OFF_MS, T0 } from '../../fixtures/firings/meter-kiln.ts';

const H = 3_600_000;
interface OldCheckpoint { until_ms: number; events: FiringEvent[]; state: SavedTrackerState }
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/firings/${name}`, import.meta.url), 'utf8')) as OldCheckpoint;
const old = fixture('checkpoint-recent-objects.json');
const points = meterKilnPoints(T0 + 22 * H);
/** A log's readings as two arrays of numbers (as a checkpoint saves them). */
const readings = (log: KeptLog) => log.toJSON();

/** The firings found by resuming a saved checkpoint on the readings after it. */
function resumed(c: OldCheckpoint) {
  const r = run(savedTrackerState(c.state), points.filter((p) => p.ts_ms >= c.until_ms));
  const f = flush(r.state);
  return firingsFromEvents([...c.events, ...r.events, ...f.events], f.state.firing);
}

describe('a checkpoint saved with meter readings as objects', () => {
  it('loads with the same readings, packed (to the millisecond and the milligram)', () => {
    const s = savedTrackerState(old.state);
    expect(Object.keys(s.meters ?? {}).sort()).toEqual(['meter', 'scale']);
    for (const [ch, m] of Object.entries(old.state.meters ?? {})) {
      const recent = m.recent ?? [];
      expect(recent.length).toBeGreaterThan(100); // a real window, not an empty one
      const now = s.meters![ch]!;
      expect(now.kept).toBeInstanceOf(KeptLog);
      const { ms, kg } = readings(now.kept);
      expect(ms).toEqual(recent.map((x) => x.ts_ms));
      kg.forEach((x, i) => expect(Math.abs(x - recent[i]!.value)).toBeLessThanOrEqual(0.5e-6));
      expect(now).not.toHaveProperty('recent');
      expect({ ...now, kept: undefined }).toEqual({ ...m, recent: undefined, kept: undefined });
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

  it('loads its rate history, saved as {value, ts_ms} objects, flat: each reading as its time then its °C', () => {
    for (const c of [old, fixture('checkpoint-kept-arrays.json')]) {
      const saved = c.state.history as readonly { value: number; ts_ms: number }[];
      expect(saved.length).toBeGreaterThan(5);
      expect(typeof saved[0]).toBe('object');
      expect(savedTrackerState(c.state).history).toEqual(saved.flatMap((h) => [h.ts_ms, h.value]));
    }
  });

  it('loads its firing\'s climb, saved as {value, ts_ms} objects, flat: each mark as its time then its step', () => {
    for (const c of [old, fixture('checkpoint-kept-arrays.json')]) {
      const saved = c.state.firing!.climb as readonly { value: number; ts_ms: number }[];
      expect(saved.length).toBeGreaterThan(1);
      expect(typeof saved[0]).toBe('object');
      const s = savedTrackerState(c.state);
      expect(s.firing!.climb).toEqual(saved.flatMap((h) => [h.ts_ms, h.value]));
      expect({ ...s.firing, climb: null }).toEqual({ ...c.state.firing, climb: null });
    }
  });

  it('loads its zone and flow tables, saved as records of {value, ts_ms} objects, flat with the same readings', () => {
    for (const c of [old, fixture('checkpoint-kept-arrays.json')]) {
      const saved = c.state.zones as Record<string, { value: number; ts_ms: number }>;
      expect(Object.keys(saved).length).toBeGreaterThan(0);
      const s = savedTrackerState(c.state);
      expect(isFlatLatest(s.zones) && isFlatLatest(s.flows)).toBe(true);
      expect(recordOfLatest(s.zones)).toEqual(saved);
      expect(recordOfLatest(s.flows)).toEqual(c.state.flows);
    }
    // The fixtures' kilns have one zone and no flow meter: a state of several zones and meters,
    // written back in the record shape, loads to today's tables, in the same order.
    const mid = run(initialState(), meterKilnPoints(T0 + 3 * H).filter((p) => p.ts_ms < ON_MS + H)).state;
    const many = mergeLatest(mid.zones, { '2': 640.5, door: 610, bottom: 633.25 }, mid.newest_ms!);
    const flows = mergeLatest(mid.flows, { burner_a: 4.5, burner_b: 3.25 }, mid.newest_ms! - 1000);
    const as_records = { ...mid, zones: recordOfLatest(many), flows: recordOfLatest(flows) } as SavedTrackerState;
    const back = savedTrackerState(JSON.parse(JSON.stringify(as_records)) as SavedTrackerState);
    expect(back.zones).toEqual(many);
    expect(back.flows).toEqual(flows);
    expect(back.zones.names).toEqual(['2', 'top', 'door', 'bottom']);
  });

  it('resumes to the firing a fold of every reading finds, gas-on and gas-off included', () => {
    const whole = foldFirings(points);
    expect(resumed(old)).toEqual(whole);
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

describe('a checkpoint saved with meter readings as arrays of numbers and a tail', () => {
  const prev = fixture('checkpoint-kept-arrays.json');

  it('loads with the same readings, window and tail in order, packed', () => {
    const s = savedTrackerState(prev.state);
    for (const [ch, m] of Object.entries(prev.state.meters ?? {})) {
      const ms = [...m.kept_ms!, ...m.tail_ms!], kg = [...m.kept_kg!, ...m.tail_kg!];
      expect(m.tail_ms!.length).toBeGreaterThan(0); // the tail is read, not only the window
      expect(ms.length).toBeGreaterThan(300);
      const now = readings(s.meters![ch]!.kept);
      expect(now.ms).toEqual(ms);
      now.kg.forEach((x, i) => expect(Math.abs(x - kg[i]!)).toBeLessThanOrEqual(0.5e-6));
      expect(s.meters![ch]).not.toHaveProperty('kept_ms');
      expect(s.meters![ch]).not.toHaveProperty('tail_ms');
    }
  });

  it('resumes to the firing a fold of every reading finds', () => {
    const whole = foldFirings(points);
    expect(whole).toHaveLength(1);
    expect(resumed(prev)).toEqual(whole);
  });
});

describe("a meter's kept readings", () => {
  it('are bounded: a 1 Hz totaliser over 3 h keeps one reading per 8 s of the last meter_window_s, to the milligram', () => {
    const pts = Array.from({ length: 3 * 3600 }, (_, i) => ({
      measurement: 'gas_total' as const, tags: { workshop: 'w', kiln: 'k1', channel: 'meter' }, fields: { total_kg: 100 + i * 0.002 }, ts_ms: T0 + i * 1000,
    }));
    const m = run(initialState(), pts).state.meters!.meter!;
    const window_s = initialState().config.meter_window_s;
    const { ms, kg } = readings(m.kept);
    expect(ms.length).toBe(kg.length);
    expect(ms.every((t) => t >= ms.at(-1)! - window_s * 1000)).toBe(true); // nothing older than the window
    expect(ms.length).toBeGreaterThanOrEqual(window_s / 8 - 2);
    expect(ms.length).toBeLessThanOrEqual(window_s / 8 + 1);
    // Used since the first reading, to the milligram.
    ms.forEach((t, i) => expect(Math.abs(kg[i]! - ((t - T0) / 1000) * 0.002)).toBeLessThan(1e-6));
  });

  it("saved by the previous version (the window in kept_ms/kept_kg, with or without a tail) resumes to the same firing", () => {
    // Every 17 minutes from 1 h before gas-on to 3 h after, a state is put in the previous
    // version's shape (the window cut at 0 to 59 readings from its end as a tail, or none) and
    // resumed: the firing found is the same as without the cut.
    const whole = foldFirings(points);
    let n = 0;
    for (let cut = ON_MS - H; cut < ON_MS + 3 * H; cut += 17 * 60_000, n++) {
      const before = run(initialState(), points.filter((p) => p.ts_ms < cut));
      const meters = Object.fromEntries(Object.entries(before.state.meters ?? {}).map(([ch, m]) => {
        const { ms, kg } = readings(m.kept);
        const at = ms.length - (n % 3 === 0 ? 0 : (n * 13) % 60);
        const { kept: _k, ...rest } = m;
        const tail = n % 3 === 0 ? {} : { tail_ms: ms.slice(at), tail_kg: kg.slice(at) };
        return [ch, { ...rest, kept_ms: ms.slice(0, at), kept_kg: kg.slice(0, at), ...tail }];
      }));
      const previous = JSON.parse(JSON.stringify({ ...before.state, meters })) as SavedTrackerState;
      const r = run(savedTrackerState(previous), points.filter((p) => p.ts_ms >= cut));
      const f = flush(r.state);
      expect(firingsFromEvents([...before.events, ...r.events, ...f.events], f.state.firing)).toEqual(whole);
    }
  });
});
