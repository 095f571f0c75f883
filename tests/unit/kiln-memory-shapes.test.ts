// What a kiln holds for as long as it reports, kept small: 10,000 kilns hold one of each, and the
// collector marks all of it at every full collection (docs/benchmarks.md, "Fleet").
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alertSettings, flushAlerts, initialKilnAlerts, stepAlertsAll, type KilnAlertState } from '../../src/domain/alerts/index.ts';
import type { Point } from '../../src/domain/point.ts';
import { simulate } from '../fixtures/report/simulated.ts';

describe('lists a kiln holds are made at their exact length', () => {
  it('raw channels and appended lists take the bytes their items need, not a grown array\'s spare room nor names of their own', () => {
    // Measured in a process of its own, with full collections around each measurement.
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'tests/fixtures/memory/shapes.ts'], { encoding: 'utf8', cwd: process.cwd() });
    expect(r.stderr).toBe('');
    const { raw, list } = JSON.parse(r.stdout) as { raw: number; list: number };
    // Eight channels: 689 bytes with arrays grown by push (room for 47 names and 19 numbers where
    // 24 and 16 are used), 474 at their exact length, 233 with the names shared by kilns wired
    // alike (src/domain/names.ts; Node 20 here).
    expect(raw).toBeLessThan(300);
    // Twelve objects grown by a spread a time: 328 bytes; at their exact length: 152.
    expect(list).toBeLessThan(220);
  });
});

describe('the empty records a kiln\'s alert state starts with', () => {
  const cfg = alertSettings();
  const records = (s: KilnAlertState) => [s.jumps, s.scales, s.keys, s.active];
  // The zone and flow tables are flat (src/domain/latest.ts): the same empty table, its lists frozen too.
  const tables = (s: KilnAlertState) => [s.zones, s.flows];

  it('are one frozen object shared by every kiln, left empty whatever another kiln is stepped through', () => {
    const a = initialKilnAlerts('w1', 'K1');
    const b = initialKilnAlerts('w2', 'K2');
    for (const [i, rec] of records(a).entries()) {
      expect(rec).toBe(records(b)[i]);
      expect(Object.isFrozen(rec)).toBe(true);
    }
    for (const [i, t] of tables(a).entries()) {
      expect(t).toBe(tables(b)[i]);
      for (const part of [t, t.names, t.vals]) expect(Object.isFrozen(part)).toBe(true);
    }
    // A whole firing through one kiln: zones, flows, jumps, keys and active alerts are all written.
    const [sim] = simulate([{ preset: 'k6', firing: 'glaze6' }], { interval_s: 10, seed: 3, max_h: 30 });
    let s = a;
    let instant: Point[] = [];
    const step = (run: Point[]) => { s = stepAlertsAll(s, run, cfg).state; };
    for (const p of sim!.points) {
      if (instant.length && instant[0]!.ts_ms !== p.ts_ms) { step(instant); instant = []; }
      instant.push(p);
    }
    step(instant);
    expect(s.zones.names.length).toBeGreaterThan(0);
    expect(s.flows.names.length).toBeGreaterThan(0);
    expect(s.usual).toHaveLength(1); // the firing was folded to its end
    for (const rec of records(initialKilnAlerts('w3', 'K3'))) expect(rec).toEqual({});
    for (const t of tables(initialKilnAlerts('w3', 'K3'))) expect(t).toEqual({ names: [], vals: [] });
  });

  it('take back the jumps once an instant is judged', () => {
    const empty = initialKilnAlerts('w1', 'K1').jumps;
    const temp = (ts_ms: number, temp_c: number): Point => ({ measurement: 'temperature', tags: { workshop: 'w1', kiln: 'K1', channel: 'top' }, fields: { temp_c }, ts_ms }) as Point;
    let s = initialKilnAlerts('w1', 'K1');
    for (const [i, t] of [600, 640, 700].entries()) s = stepAlertsAll(s, [temp(1_780_000_000_000 + i * 10_000, t)], cfg).state;
    expect(s.jumps).toEqual({ top: 60 }); // the newest instant's jump, not judged yet
    expect(s.jumps).not.toBe(empty);
    expect(flushAlerts(s, cfg).state.jumps).toBe(empty);
  });
});
