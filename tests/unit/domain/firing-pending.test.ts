// The tracker's reorder window keeps each instant compact (keys and values, pending.ts) and turns it
// back into a Sample when it is decided: every kind of reading must come back as it went in.
import { describe, expect, it } from 'vitest';
import { initialState, stepAll } from '../../../src/domain/firing/index.ts';
import { pendingOf, sampleOf } from '../../../src/domain/firing/pending.ts';
import type { Sample } from '../../../src/domain/firing/types.ts';
import type { Point } from '../../../src/domain/point.ts';

const T0 = Date.UTC(2026, 0, 5, 6);
const tags = (channel: string, type?: string) => ({ workshop: 'w', kiln: 'k1', channel, ...(type ? { type } : {}) });

describe('a pending instant', () => {
  it.each<[string, Sample]>([
    ['zones, a flow, a totaliser with its rollover, a scale and a command', {
      ts_ms: T0, temps_c: { top: 612.4, bottom: 598 }, flows_kg_h: { main: 5.25 },
      meters: { meter: { kind: 'total', value_kg: 9_998.5, rollover_kg: 10_000 }, cyl: { kind: 'scale', value_kg: 41.3, rollover_kg: null } },
      commands: [{ type: 'atmosphere', atmosphere: 'reduction' }],
    }],
    ['a totaliser without a rollover', { ts_ms: T0, temps_c: {}, flows_kg_h: {}, meters: { meter: { kind: 'total', value_kg: 12, rollover_kg: null } }, commands: [] }],
    ['nothing but a command', { ts_ms: T0, temps_c: {}, flows_kg_h: {}, meters: {}, commands: [{ type: 'firing_stop', reason: 'complete' }] }],
  ])('%s comes back as the same Sample', (_name, sample) => {
    const x = pendingOf(sample);
    expect(JSON.parse(JSON.stringify(x))).toEqual(x); // saved as JSON with the tracker's state
    expect(sampleOf(x)).toEqual(sample);
  });

  it("keeps what the points said, a totaliser's rollover included, and shares one keys array between instants with the same channels", () => {
    const msg = (ts_ms: number, total: number): Point[] => [
      { measurement: 'temperature', tags: tags('top'), fields: { temp_c: 300.5 }, ts_ms },
      { measurement: 'gas_flow', tags: tags('main'), fields: { flow_m3_h: 2 }, ts_ms },
      { measurement: 'gas_total', tags: tags('meter'), fields: { total_m3: total, rollover_at: 1000 }, ts_ms },
      { measurement: 'gas_scale', tags: tags('cyl'), fields: { mass_kg: 40.1 }, ts_ms },
    ];
    let s = initialState();
    for (let i = 0; i < 5; i++) s = stepAll(s, msg(T0 + i * 1000, 999 + i * 0.2)).state;
    expect(s.pending).toHaveLength(5); // all inside the 30 s reorder window
    const rho = s.config.lpg_density_kg_m3;
    const first = sampleOf(s.pending[0]!);
    expect(first.temps_c).toEqual({ top: 300.5 });
    expect(first.flows_kg_h.main).toBeCloseTo(2 * rho, 9);
    expect(first.meters!.meter!.kind).toBe('total');
    expect(first.meters!.meter!.value_kg).toBeCloseTo(999 * rho, 9);
    expect(first.meters!.meter!.rollover_kg).toBeCloseTo(1000 * rho, 9);
    expect(first.meters!.cyl).toEqual({ kind: 'scale', value_kg: 40.1, rollover_kg: null });
    expect(new Set(s.pending.map((x) => x.keys)).size).toBe(1);
  });

  it('shares one frozen keys array between kilns wired alike, and keeps a kiln wired otherwise apart', () => {
    const msg = (kiln: string, ts_ms: number, zones: readonly string[]): Point[] =>
      zones.map((z) => ({ measurement: 'temperature', tags: { ...tags(z), kiln }, fields: { temp_c: 300 }, ts_ms }));
    const run = (kiln: string, zones: readonly string[]) => {
      let s = initialState();
      for (let i = 0; i < 3; i++) s = stepAll(s, msg(kiln, T0 + i * 1000, zones)).state;
      return s.pending;
    };
    const a = run('k1', ['top', 'middle', 'bottom']), b = run('k2', ['top', 'middle', 'bottom']), c = run('k3', ['top', 'bottom']);
    expect(a[0]!.keys).toBe(b[0]!.keys);
    expect(c[0]!.keys).not.toBe(a[0]!.keys);
    expect(c[0]!.keys).toEqual(['ttop', 'tbottom']);
    expect(Object.isFrozen(a[0]!.keys)).toBe(true);
    expect(sampleOf(a[2]!).temps_c).toEqual({ top: 300, middle: 300, bottom: 300 });
  });
});
