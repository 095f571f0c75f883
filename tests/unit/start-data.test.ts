import { describe, expect, it } from 'vitest';
import { startDataOf } from '../../src/wire/events.ts';

const schedule = { name: 'glaze cone 10', segments: [{ rate_c_h: 100, target_c: 600, hold_min: 0 }, { rate_c_h: 150, target_c: 1280, hold_min: 20 }] };

describe('startDataOf (a firing_start event as stored)', () => {
  it('reads the firing id and the schedule', () => {
    const d = startDataOf(JSON.stringify({ firing_id: 'f1', schedule }));
    expect(d).toEqual({ firing_id: 'f1', schedule });
  });

  it('gives the same objects to the second reader of the same event, and one frozen schedule to every event with the same one', () => {
    const json = JSON.stringify({ firing_id: 'f2', schedule });
    const a = startDataOf(json);
    const b = startDataOf(json);
    expect(b).toBe(a);
    expect(b.schedule).toBe(a.schedule);
    // Another kiln's event on the same schedule: its own firing id, the same schedule object.
    const c = startDataOf(JSON.stringify({ firing_id: 'f3', schedule }));
    expect(c.firing_id).toBe('f3');
    expect(c.schedule).toBe(a.schedule);
    expect(Object.isFrozen(a.schedule)).toBe(true);
    expect(Object.isFrozen(a.schedule!.segments)).toBe(true);
    expect(Object.isFrozen(a.schedule!.segments[0])).toBe(true);
    // Another schedule (one hold longer): its own.
    const other = { ...schedule, segments: [schedule.segments[0], { ...schedule.segments[1], hold_min: 30 }] };
    const d = startDataOf(JSON.stringify({ firing_id: 'f4', schedule: other }));
    expect(d.schedule).not.toBe(a.schedule);
    expect(d.schedule).toEqual(other);
  });

  it('names neither for data that is absent or not JSON, and no schedule for one not valid', () => {
    for (const bad of [undefined, 7, '', 'not json', '[1,2]', 'null']) expect(startDataOf(bad)).toEqual({ firing_id: null, schedule: null });
    expect(startDataOf(JSON.stringify({ firing_id: 'f4', schedule: { segments: [] } }))).toEqual({ firing_id: 'f4', schedule: null });
    expect(startDataOf(JSON.stringify({ firing_id: 5, schedule }))).toEqual({ firing_id: null, schedule });
  });
});
