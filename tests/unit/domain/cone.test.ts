// Cone equivalents against the Orton large-cone values listed in docs/sources.md.
import { describe, expect, it } from 'vitest';
import { coneEquivalent, coneTempAt, ORTON_LARGE_CONES } from '../../../src/domain/firing/cones.ts';

const row = (cone: string) => {
  const r = ORTON_LARGE_CONES.find((x) => x.cone === cone);
  if (!r) throw new Error(`no cone ${cone}`);
  return r;
};

describe('coneTempAt', () => {
  it.each([
    ['04', 15, 1048], ['04', 60, 1060], ['04', 150, 1070],
    ['6', 15, 1187], ['6', 60, 1220], ['6', 150, 1241],
    ['8', 15, 1213], ['8', 60, 1247], ['8', 150, 1269],
    ['10', 15, 1253], ['10', 60, 1282], ['10', 150, 1303],
  ] as const)('cone %s at %s °C/h bends at %s °C (Orton chart)', (cone, rate, temp) => {
    expect(coneTempAt(row(cone), rate)).toBeCloseTo(temp, 6);
  });

  it.each([
    // log-linear: 30 °C/h is half-way from 15 to 60 in log(rate)
    ['6', 30, 1187 + (1220 - 1187) / 2],
    ['6', 100, 1220 + (21 * Math.log(100 / 60)) / Math.log(150 / 60)],
    ['10', 5, 1253], // clamped to the slowest chart rate
    ['10', 500, 1303], // clamped to the fastest
    ['10', 0, 1253], // a kiln that never climbed: read as the slowest rate
  ] as const)('cone %s at %s °C/h interpolates to %s °C', (cone, rate, temp) => {
    expect(coneTempAt(row(cone), rate)).toBeCloseTo(temp, 6);
  });
});

describe('coneEquivalent', () => {
  it.each([
    [1230, 60, 'cone 6', { cone: '8', temp_c: 1247, short_by_c: 17 }],
    [1247, 60, 'cone 8', { cone: '10', temp_c: 1282, short_by_c: 35 }],
    [1000, 60, 'below cone 04', { cone: '04', temp_c: 1060, short_by_c: 60 }],
    [1310, 150, 'cone 10', null],
    [1200, 15, 'cone 6', { cone: '8', temp_c: 1213, short_by_c: 13 }], // slow final ramp: 1,200 °C does cone 6
    [1200, 150, 'cone 04', { cone: '6', temp_c: 1241, short_by_c: 41 }], // fast: the same peak only cone 04
  ] as const)('peak %s °C at %s °C/h → %s', (peak, rate, label, next) => {
    const c = coneEquivalent(peak, rate);
    expect(c.label).toBe(label);
    expect(c.next).toEqual(next);
  });

  it('reports the rate it used after clamping', () => {
    expect(coneEquivalent(1250, 400).rate_c_h_used).toBe(150);
    expect(coneEquivalent(1250, Number.NaN).rate_c_h_used).toBe(15);
  });
});
