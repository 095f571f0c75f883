// Cone equivalents against Orton's self-supporting cone chart (docs/sources.md, "Orton cones"),
// and the project's own soak estimate (docs/analytics.md, "Cone equivalent and soak").
import { describe, expect, it } from 'vitest';
import { CHART_RATES_C_H, coneEquivalent, coneTempAt, ORTON_SELF_SUPPORTING } from '../../../src/domain/firing/cones.ts';
import { coneWithSoak, equivalentRateCH } from '../../../src/domain/firing/soak-cone.ts';

const row = (cone: string) => {
  const r = ORTON_SELF_SUPPORTING.find((x) => x.cone === cone);
  if (!r) throw new Error(`no cone ${cone}`);
  return r;
};

describe('the chart', () => {
  it('runs 022 to 14, one row per cone, 38 rows with the two half cones', () => {
    expect(ORTON_SELF_SUPPORTING[0]!.cone).toBe('022');
    expect(ORTON_SELF_SUPPORTING.at(-1)!.cone).toBe('14');
    expect(ORTON_SELF_SUPPORTING).toHaveLength(38);
    expect(new Set(ORTON_SELF_SUPPORTING.map((r) => r.cone)).size).toBe(38);
  });

  it('rises with the cone at every rate, and with the rate for every cone', () => {
    for (const rate of [15, 20, 40, 60, 90, 150]) {
      const temps = ORTON_SELF_SUPPORTING.map((r) => coneTempAt(r, rate));
      temps.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(temps[i]!));
    }
    for (const r of ORTON_SELF_SUPPORTING) {
      const [a, b, c] = r.temp_c_at;
      if (a !== null) expect(a).toBeLessThan(b);
      expect(b).toBeLessThan(c);
    }
  });
});

describe('coneTempAt: the published values at each rate', () => {
  it.each([
    // cone, 15, 60, 150 °C/h (null: not published at 15 °C/h)
    ['022', null, 586, 590], ['019', 656, 678, 695], ['014', 757, 807, 838], ['010', 891, 903, 915],
    ['08', 922, 942, 956], ['06', 981, 998, 1013], ['04', 1046, 1063, 1077], ['01', 1093, 1119, 1138],
    ['1', 1109, 1137, 1154], ['4', 1141, 1162, 1183], ['5', 1159, 1186, 1207], ['6', 1185, 1222, 1243],
    ['7', 1201, 1239, 1257], ['8', 1211, 1249, 1271], ['9', 1224, 1260, 1280], ['10', 1251, 1285, 1305],
    ['11', 1272, 1294, 1315], ['12', 1285, 1306, 1326], ['13', 1310, 1331, 1348], ['14', 1351, 1365, 1384],
  ] as const)('cone %s: %s / %s / %s °C', (cone, t15, t60, t150) => {
    if (t15 !== null) expect(coneTempAt(row(cone), 15)).toBeCloseTo(t15, 6);
    expect(coneTempAt(row(cone), 60)).toBeCloseTo(t60, 6);
    expect(coneTempAt(row(cone), 150)).toBeCloseTo(t150, 6);
  });

  it.each([
    // log-linear: 30 °C/h is half-way from 15 to 60 in log(rate); 95 °C/h half-way from 60 to 150
    ['6', 30, (1185 + 1222) / 2],
    ['6', Math.sqrt(60 * 150), (1222 + 1243) / 2],
    ['10', 100, 1285 + (20 * Math.log(100 / 60)) / Math.log(150 / 60)],
    ['10', 5, 1251], // clamped to the slowest chart rate
    ['10', 500, 1305], // clamped to the fastest
    ['10', 0, 1251], // a kiln that never climbed: read as the slowest rate
    ['022', 15, 586], // no 15 °C/h value: the 60 °C/h one, never a guess below it
    ['022', 30, 586],
  ] as const)('cone %s at %s °C/h interpolates to %s °C', (cone, rate, temp) => {
    expect(coneTempAt(row(cone), rate)).toBeCloseTo(temp, 6);
  });
});

describe('coneEquivalent', () => {
  it.each([
    // peak °C, final rate °C/h, label, next cone
    [1202, 150, 'cone 4', { cone: '5', temp_c: 1207, short_by_c: 5 }], // not "cone 04": 04 bends at 1,077 at this rate
    [1202, 60, 'cone 5', { cone: '5½', temp_c: 1203, short_by_c: 1 }],
    [1202, 15, 'cone 7', { cone: '8', temp_c: 1211, short_by_c: 9 }], // slow final ramp: more heat-work
    [1222, 60, 'cone 6', { cone: '7', temp_c: 1239, short_by_c: 17 }],
    [1285, 60, 'cone 10', { cone: '11', temp_c: 1294, short_by_c: 9 }],
    [1384, 150, 'cone 14', null],
    [1063, 60, 'cone 04', { cone: '03', temp_c: 1086, short_by_c: 23 }],
    [500, 60, 'below cone 022', { cone: '022', temp_c: 586, short_by_c: 86 }],
  ] as const)('peak %s °C at %s °C/h → %s', (peak, rate, label, next) => {
    const c = coneEquivalent(peak, rate);
    expect(c.label).toBe(label);
    expect(c.next).toEqual(next);
  });

  it('reports the rate it used after clamping', () => {
    expect(coneEquivalent(1250, 400).rate_c_h_used).toBe(150);
    expect(coneEquivalent(1250, Number.NaN).rate_c_h_used).toBe(15);
    expect(CHART_RATES_C_H).toEqual([15, 60, 150]);
  });
});

describe('coneWithSoak: the project estimate, kept apart from the chart', () => {
  it.each([
    // final rate, hold min, equivalent rate: 100 °C over (ramp + hold)
    [60, 0, 60], [60, 20, 100 / (100 / 60 + 20 / 60)], [150, 40, 100 / (100 / 150 + 40 / 60)], [100, 60, 50],
  ] as const)('%s °C/h with a %s min hold reads as %s °C/h', (rate, hold, eq) => {
    expect(equivalentRateCH(rate, hold)).toBeCloseTo(eq, 9);
  });

  it.each([
    // peak, final rate, hold, cone at the rate, cone with the soak
    [1222, 60, 0, 'cone 6', 'cone 6'],
    [1222, 150, 0, 'cone 5', 'cone 5'],
    [1222, 150, 30, 'cone 5', 'cone 5½'], // 30 min at the top of a fast ramp: 100 °C over 70 min ≈ 86 °C/h
    [1285, 150, 60, 'cone 9', 'cone 10'],
    [1202, 60, 120, 'cone 5', 'cone 6'],
  ] as const)('%s °C at %s °C/h, hold %s min: %s at the rate, ≈ %s with the soak', (peak, rate, hold, bare, soaked) => {
    expect(coneEquivalent(peak, rate).label).toBe(bare);
    const s = coneWithSoak(peak, rate, hold);
    expect(s.label).toBe(soaked);
    expect(s.estimate).toBe(true);
    expect(s.hold_min).toBe(hold);
  });

  it('a longer hold never lowers the cone, and past the chart it says so', () => {
    const index = (label: string) => ORTON_SELF_SUPPORTING.findIndex((r) => `cone ${r.cone}` === label);
    for (const [peak, rate] of [[1180, 150], [1222, 60], [1260, 100], [1000, 40]] as const) {
      let last = -2;
      for (let hold = 0; hold <= 600; hold += 5) {
        const i = index(coneWithSoak(peak, rate, hold).label);
        expect(i).toBeGreaterThanOrEqual(last);
        last = i;
      }
    }
    expect(coneWithSoak(1222, 60, 0).beyond_chart).toBe(false);
    expect(coneWithSoak(1222, 20, 600).beyond_chart).toBe(true);
    expect(coneWithSoak(1222, 60, -5).hold_min).toBe(0);
  });
});
