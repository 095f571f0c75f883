// The overview card's figures: the sparkline ring (fixed memory, hottest reading per bucket, gaps
// kept as gaps) and the usual gas (median of the kiln's last complete firings of the same schedule).
import { describe, expect, it } from 'vitest';
import { SparkRing } from '../../../src/domain/live/spark.ts';
import { USUAL_FIRINGS, usualGas, type IndexedGas } from '../../../src/domain/firing/usual.ts';
import { RawChannels } from '../../../src/live/raw-channels.ts';
import { LiveState } from '../../../src/live/live-state.ts';
import type { Point } from '../../../src/domain/point.ts';

const MIN = 60_000;

describe('SparkRing', () => {
  it('keeps the hottest reading of each bucket, oldest first, with null for a bucket without readings', () => {
    const r = new SparkRing(5 * MIN, 4);
    const t0 = 1_000 * 5 * MIN; // a bucket boundary
    r.push(t0, 100); r.push(t0 + MIN, 120); r.push(t0 + 2 * MIN, 110); // bucket 0: max 120
    r.push(t0 + 10 * MIN, 300); // bucket 2; bucket 1 had none
    const v = r.view();
    expect(v.temps_c).toEqual([null, 120, null, 300]);
    expect(v.end_ms).toBe(t0 + 15 * MIN);
  });

  it('forgets what falls out of the ring, and ignores a reading older than it reaches', () => {
    const r = new SparkRing(MIN, 3);
    for (let i = 0; i < 10; i++) r.push(i * MIN, i * 10);
    expect(r.view().temps_c).toEqual([70, 80, 90]);
    r.push(2 * MIN, 999); // too old
    expect(r.view().temps_c).toEqual([70, 80, 90]);
    r.push(100 * MIN, 5); // a long gap: everything before is gone
    expect(r.view().temps_c).toEqual([null, null, 5]);
  });

  it('has nothing to draw before the first reading', () => {
    expect(new SparkRing(MIN, 3).view()).toEqual({ bucket_ms: MIN, end_ms: null, temps_c: [] });
  });
});

describe('usualGas', () => {
  const f = (id: string, start_h: number, fuel_kg: number | null, o: Partial<IndexedGas> = {}): IndexedGas =>
    ({ id, start_ms: start_h * 3_600_000, reason: 'complete', schedule_name: 'bisque', fuel_kg, ...o });

  it('is the median of the finished firings of the same schedule, leaving out the running one and the others', () => {
    const list = [
      f('a', 1, 40), f('b', 2, 44), f('c', 3, 90), // 90: a bad firing does not move the median
      f('d', 4, 10, { reason: 'aborted' }), f('e', 5, 200, { schedule_name: 'glaze' }), f('x', 6, 1, {}), f('n', 7, null),
      f('r', 8, 2, { status: 'firing' }), // its gas is not final
    ];
    const u = usualGas(list, 'bisque', 'x');
    expect(u).toMatchObject({ fuel_kg: 44, of_n: 3 });
    // Even: the lower of the middle two, a real firing (the kiln page draws its curve).
    expect(usualGas(list.slice(0, 2), 'bisque', null).fuel_kg).toBe(40);
  });

  it('takes only the newest firings', () => {
    const list = Array.from({ length: USUAL_FIRINGS + 5 }, (_, i) => f(`f${i}`, i, i < 5 ? 1000 : 10));
    expect(usualGas(list, 'bisque', null)).toMatchObject({ fuel_kg: 10, of_n: USUAL_FIRINGS });
  });

  it('says there is none, with why, rather than a figure', () => {
    const u = usualGas([f('a', 1, 40)], null, null);
    expect(u.fuel_kg).toBeNull();
    expect(u.of_n).toBe(0);
    expect(u.reason).toContain('without a schedule');
  });

  it('gives every kiln of a schedule with none the same frozen answer, each schedule its own', () => {
    const a = usualGas([], 'glaze 1240', 'k1'), b = usualGas([f('a', 1, 40)], 'glaze 1240', 'k2');
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.reason).toContain('"glaze 1240"');
    const c = usualGas([], 'bisque 900', null);
    expect(c).not.toBe(a);
    expect(c.reason).toContain('"bisque 900"');
    expect(usualGas([], null, null).reason).toContain('without a schedule');
  });
});

describe('RawChannels', () => {
  const p = (measurement: string, channel: string, ts_ms: number, fields: Record<string, number>): Point =>
    ({ measurement, tags: { workshop: 'w', kiln: 'k', channel }, fields, ts_ms }) as Point;

  it('keeps the newest value of each channel by device time, with its field', () => {
    const r = new RawChannels();
    r.note(p('temperature', 'top', 2000, { temp_c: 812.4, seq: 2 }));
    r.note(p('temperature', 'top', 1000, { temp_c: 700, seq: 1 })); // late: not newer
    r.note(p('gas_flow', 'burner', 1500, { flow_m3_h: 1.2, ref_temp_c: 15, ref_pressure_kpa: 101.3 }));
    expect(r.view()).toEqual({
      'gas_flow/burner': { field: 'flow_m3_h', value: 1.2, ts_ms: 1500 },
      'temperature/top': { field: 'temp_c', value: 812.4, ts_ms: 2000 },
    });
  });

  it('keeps apart the measurements of one channel name', () => {
    const r = new RawChannels();
    r.note(p('gas_flow', 'main', 1000, { flow_kg_h: 3 }));
    r.note(p('gas_total', 'main', 1000, { total_kg: 120 }));
    r.note(p('gas_flow', 'main', 2000, { flow_kg_h: 4 }));
    expect(r.view()).toEqual({
      'gas_flow/main': { field: 'flow_kg_h', value: 4, ts_ms: 2000 },
      'gas_total/main': { field: 'total_kg', value: 120, ts_ms: 1000 },
    });
  });

  it('says whether a reading was kept, and gives the zones\' temperatures in the order first seen', () => {
    const r = new RawChannels();
    expect(r.note(p('temperature', 'top', 2000, { temp_c: 800 }))).toBe(true);
    expect(r.note(p('gas_flow', 'burner', 2000, { flow_kg_h: 3 }))).toBe(true);
    expect(r.note(p('temperature', 'bottom', 2000, { temp_c: 760 }))).toBe(true);
    expect(r.note(p('temperature', 'top', 1000, { temp_c: 700 }))).toBe(false); // older than the one kept
    expect(r.note(p('temperature', 'top', 2000, { temp_c: 805 }))).toBe(true); // the same instant again: the later one
    expect(r.note(p('temperature', 'door', 3000, { seq: 1 }))).toBe(false); // no temperature in it
    expect(r.note(p('firing_state', 'main', 3000, { temp_c: 1 }))).toBe(false); // not a channel shown
    const temps: [string, number, number][] = [];
    r.forEachTemp((ch, t, ts) => temps.push([ch, t, ts]));
    expect(temps).toEqual([['top', 805, 2000], ['bottom', 760, 2000]]);
  });

  it('keeps the optional probes too: flue O₂, damper and chamber pressure', () => {
    const r = new RawChannels();
    r.note(p('oxygen', 'main', 1000, { o2_pct: 2.4, seq: 1 }));
    r.note(p('damper', 'main', 1000, { damper_pct: 35, seq: 1 }));
    r.note(p('kiln_pressure', 'main', 1000, { pressure_pa: 8.5, seq: 1 }));
    r.note(p('oxygen', 'main', 2000, { o2_pct: 1.9, seq: 2 }));
    expect(r.view()).toEqual({
      'damper/main': { field: 'damper_pct', value: 35, ts_ms: 1000 },
      'kiln_pressure/main': { field: 'pressure_pa', value: 8.5, ts_ms: 1000 },
      'oxygen/main': { field: 'o2_pct', value: 1.9, ts_ms: 2000 },
    });
  });

  it('shares its names with kilns wired alike, and a kiln whose meter changes its field changes only its own', () => {
    const a = new RawChannels(), b = new RawChannels();
    for (const r of [a, b]) {
      r.note(p('temperature', 'top', 1000, { temp_c: 800 }));
      r.note(p('gas_flow', 'main', 1000, { flow_kg_h: 3 }));
    }
    const names = (r: RawChannels) => (r as unknown as { names: readonly string[] }).names;
    expect(names(a)).toBe(names(b));
    expect(Object.isFrozen(names(a))).toBe(true);
    // b's meter now sends m³/h: b shows it, a still shows kg/h.
    b.note(p('gas_flow', 'main', 2000, { flow_m3_h: 1.5, ref_temp_c: 15, ref_pressure_kpa: 101.3 }));
    expect(b.view()['gas_flow/main']).toEqual({ field: 'flow_m3_h', value: 1.5, ts_ms: 2000 });
    expect(a.view()['gas_flow/main']).toEqual({ field: 'flow_kg_h', value: 3, ts_ms: 1000 });
    expect(a.json()).toBe(JSON.stringify(a.view()));
    expect(b.json()).toBe(JSON.stringify(b.view()));
  });
});

describe('the live view\'s zones (read from its raw channels)', () => {
  const t = (channel: string, ts_ms: number, temp_c: number): Point =>
    ({ measurement: 'temperature', tags: { workshop: 'w', kiln: 'k', channel }, fields: { temp_c }, ts_ms }) as Point;

  it('shows each zone\'s newest reading, ignores an older one, and takes the hottest fresh zone as the kiln\'s', () => {
    const s = new LiveState();
    const T0 = 1_800_000_000_000;
    s.apply([t('top', T0, 800), t('bottom', T0, 760)]);
    s.apply([t('top', T0 - 60_000, 999)]); // late: not shown, not the kiln temperature
    let v = s.view('w/k')!;
    expect(v.zones).toEqual({ top: { temp_c: 800, ts_ms: T0, stale: false }, bottom: { temp_c: 760, ts_ms: T0, stale: false } });
    expect(Object.keys(v.zones)).toEqual(['top', 'bottom']);
    expect(v.kiln_temp_c).toBe(800);
    // An hour on, only the bottom reads: the top is stale and no longer the kiln's temperature.
    s.apply([t('bottom', T0 + 3_600_000, 500)]);
    v = s.view('w/k')!;
    expect(v.zones.top!.stale).toBe(true);
    expect(v.kiln_temp_c).toBe(500);
  });
});

describe('the live view\'s kiln keys', () => {
  const at = (workshop: string, kiln: string): Point =>
    ({ measurement: 'temperature', tags: { workshop, kiln, channel: 'top' }, fields: { temp_c: 500 }, ts_ms: 1_800_000_000_000 }) as Point;

  it('are sorted, kept between calls, and sorted again once a kiln is added (an array handed out is never changed)', () => {
    const s = new LiveState();
    s.apply([at('w2', 'k1')]);
    s.apply([at('w1', 'k9')]);
    const first = s.keys();
    expect(first).toEqual(['w1/k9', 'w2/k1']);
    s.apply([at('w1', 'k9')]); // a known kiln: the same array
    expect(s.keys()).toBe(first);
    s.apply([at('w1', 'k0')]);
    s.noteFault('w0', 'k5', { type: 'open_tc', of: null, zone: 'top', ts_ms: 1, received_at_ms: 1 });
    expect(s.keys()).toEqual(['w0/k5', 'w1/k0', 'w1/k9', 'w2/k1']);
    expect(first).toEqual(['w1/k9', 'w2/k1']);
  });
});
