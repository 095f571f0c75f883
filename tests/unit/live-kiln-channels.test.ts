// A kiln's meter channels and the schedules of its firing_start events are kept in short arrays
// (kiln-live.ts), not Maps: several channels of one kind must each keep their own last reading,
// and the schedules their order and bound.
import { describe, expect, it } from 'vitest';
import { keepSchedule, SCHEDULES_KEPT, scheduleOf, type KeptSchedules } from '../../src/live/kiln-live.ts';
import { LiveState } from '../../src/live/live-state.ts';
import { feedLive } from '../support/live-feed.ts';

const T0 = Date.UTC(2026, 0, 5, 0);
const feed = feedLive;

describe('a kiln with several meters of one kind', () => {
  it('two flow meters: each channel its own trapezoid, the flow now their sum, a late reading of one not counted', () => {
    const state = new LiveState();
    let seq = 0;
    feed(state, 'event', { seq: ++seq, type: 'firing_start', firing_id: 'f' }, T0);
    // b1 at 4 kg/h, b2 at 1 kg/h then 3 kg/h from reading 30: 60 readings 10 s apart.
    for (let i = 0; i < 60; i++) {
      feed(state, 'telemetry', { seq: ++seq, temp_c: { top: 100 + i }, gas: { b1: { kind: 'flow', flow_kg_h: 4 }, b2: { kind: 'flow', flow_kg_h: i < 30 ? 1 : 3 } } }, T0 + i * 10_000);
    }
    // A reading of b2 older than its last: late, nothing counted (b2 at 1000 kg/h would show).
    feed(state, 'telemetry', { seq: ++seq, gas: { b2: { kind: 'flow', flow_kg_h: 1000 } } }, T0 + 585_000);
    const v = state.view('w/k1')!;
    expect(v.gas_flow_kg_h).toBe(7);
    // b1: 590 s at 4 kg/h; b2: 290 s at 1, one 10 s step from 1 to 3 (2 on average), 290 s at 3.
    const expected_kg = (590 * 4 + 290 * 1 + 10 * 2 + 290 * 3) / 3600;
    expect(v.fuel.meter).toBe('flow');
    expect(v.fuel.fuel_kg!).toBeCloseTo(expected_kg, 9);
  });

  it('two cylinder scales: each its own level, the drops of both counted', () => {
    const state = new LiveState();
    let seq = 0;
    feed(state, 'event', { seq: ++seq, type: 'firing_start', firing_id: 'f' }, T0);
    // s1 falls 0.5 kg a reading from 45 kg, s2 1 kg a reading from 40 kg, 20 readings.
    for (let i = 0; i < 20; i++) {
      feed(state, 'telemetry', { seq: ++seq, temp_c: { top: 100 + i }, gas: { s1: { kind: 'scale', mass_kg: 45 - 0.5 * i }, s2: { kind: 'scale', mass_kg: 40 - i } } }, T0 + i * 10_000);
    }
    const v = state.view('w/k1')!;
    expect(v.fuel.meter).toBe('scale');
    expect(v.fuel.fuel_kg!).toBeCloseTo(19 * 0.5 + 19 * 1, 9);
  });
});

describe('the schedules kept a kiln', () => {
  const sched = (name: string) => ({ name, segments: [{ rate_c_h: 100, target_c: 1000, hold_min: 0 }] });

  it('keeps the last SCHEDULES_KEPT, the oldest going first', () => {
    let list: KeptSchedules | null = null;
    for (let i = 1; i <= SCHEDULES_KEPT + 1; i++) list = keepSchedule(list, `f-${i}`, sched(`s${i}`));
    expect(scheduleOf(list, 'f-1')).toBeUndefined();
    expect(scheduleOf(list, 'f-2')?.name).toBe('s2');
    expect(scheduleOf(list, `f-${SCHEDULES_KEPT + 1}`)?.name).toBe(`s${SCHEDULES_KEPT + 1}`);
    expect(list).toHaveLength(2 * SCHEDULES_KEPT);
  });

  it('sets a key kept already in its place (it still goes first when it is the oldest), and tells a start with no schedule from one not kept', () => {
    let list: KeptSchedules | null = keepSchedule(null, 'a', sched('one'));
    list = keepSchedule(list, '@5', null);
    list = keepSchedule(list, 'a', sched('two'));
    expect(list).toHaveLength(4);
    expect(scheduleOf(list, 'a')?.name).toBe('two');
    expect(scheduleOf(list, '@5')).toBeNull();
    expect(scheduleOf(list, 'b')).toBeUndefined();
    for (let i = 0; i < SCHEDULES_KEPT - 1; i++) list = keepSchedule(list, `n${i}`, null);
    expect(scheduleOf(list, 'a')).toBeUndefined(); // 'a' was the oldest: set again, it kept its place
    expect(scheduleOf(list, '@5')).toBeNull();
  });

  it('gives a controller\'s firing its schedule by firing id', () => {
    const state = new LiveState();
    feed(state, 'event', { seq: 1, type: 'firing_start', firing_id: 'f-9', schedule: sched('Men lam') }, T0);
    for (let i = 1; i <= 6; i++) feed(state, 'telemetry', { seq: 1 + i, temp_c: { top: 30 + i } }, T0 + i * 10_000); // past the reorder window
    expect(state.view('w/k1')!.firing?.schedule_name).toBe('Men lam');
  });
});
