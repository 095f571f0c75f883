// LPG vapour m³ → kg by the ideal gas law, checked against the densities in docs/sources.md.
import { describe, expect, it } from 'vitest';
import { integrateVolumeFlow, lpgDensityKgM3, m3ToKg, propaneMolFraction } from '../../../src/domain/analytics/fuel.ts';

// R·T at 15 °C: 8.314462618 × 288.15 = 2,395.83 J/mol; at 0 °C: × 273.15 = 2,271.10 J/mol
describe('lpgDensityKgM3 (ideal gas, ρ = p·M / R·T)', () => {
  it.each([
    // propane: 101,325 Pa × 0.044097 kg/mol / 2,395.83 = 1.8650 kg/m³ (docs/sources.md ≈ 1.87)
    { name: 'propane, 15 °C', temp_c: 15, x: 1, want: 1.8650, domain_md: 1.87 },
    // butane: 101,325 × 0.058123 / 2,395.83 = 2.4582 kg/m³ (docs/sources.md ≈ 2.46)
    { name: 'butane, 15 °C', temp_c: 15, x: 0, want: 2.4582, domain_md: 2.46 },
    // 50/50 by moles: M = (44.097 + 58.123)/2 = 51.110 g/mol → 101,325 × 0.05111 / 2,395.83 = 2.1616
    { name: '50/50 mol mix, 15 °C', temp_c: 15, x: 0.5, want: 2.1616, domain_md: undefined },
    // propane at 0 °C: 101,325 × 0.044097 / 2,271.10 = 1.9674 kg/m³
    { name: 'propane, 0 °C', temp_c: 0, x: 1, want: 1.9674, domain_md: undefined },
  ])('$name', ({ temp_c, x, want, domain_md }) => {
    const got = lpgDensityKgM3(temp_c, 101.325, x);
    expect(got).toBeCloseTo(want, 4);
    if (domain_md !== undefined) expect(Math.abs(got - domain_md)).toBeLessThan(0.01);
  });
});

describe('m3ToKg', () => {
  it('10 m³ of propane weighs 5.5 % more at a 0 °C reference than at 15 °C', () => {
    // 10 × 1.8650 = 18.650 kg; 10 × 1.9674 = 19.674 kg; ratio 288.15 / 273.15 = 1.05491
    const at15_kg = m3ToKg(10, 15, 101.325, 1);
    const at0_kg = m3ToKg(10, 0, 101.325, 1);
    expect(at15_kg).toBeCloseTo(18.650, 3);
    expect(at0_kg).toBeCloseTo(19.674, 3);
    expect(at0_kg / at15_kg).toBeCloseTo(288.15 / 273.15, 9);
  });

  it('applies a compression factor when given', () => {
    // Z = 0.98: 18.6497 / 0.98 = 19.030 kg
    expect(m3ToKg(10, 15, 101.325, 1, 0.98)).toBeCloseTo(19.030, 3);
  });

  it('refuses fractions outside 0..1 and impossible references', () => {
    expect(() => m3ToKg(1, 15, 101.325, 1.2)).toThrow(RangeError);
    expect(() => m3ToKg(1, -300, 101.325, 1)).toThrow(RangeError);
    expect(() => m3ToKg(1, 15, 0, 1)).toThrow(RangeError);
  });
});

describe('propaneMolFraction', () => {
  it('converts a 50/50 mass split to moles', () => {
    // moles per kg: propane 1/44.097 = 0.022677, butane 1/58.123 = 0.017205;
    // 0.5 × 0.022677 / (0.5 × 0.022677 + 0.5 × 0.017205) = 0.022677 / 0.039882 = 0.5686
    expect(propaneMolFraction(0.5)).toBeCloseTo(0.5686, 4);
    expect(propaneMolFraction(1)).toBe(1);
    expect(propaneMolFraction(0)).toBe(0);
  });
});

describe('integrateVolumeFlow', () => {
  it('converts each sample at its own reference before integrating', () => {
    // 1 m³/h of propane at 15 °C = 1.8650 kg/h, then 1 m³/h at 0 °C = 1.9674 kg/h;
    // trapezoid over 1 h: (1.8650 + 1.9674)/2 = 1.9162 kg
    const t0 = Date.UTC(2026, 0, 1);
    const got = integrateVolumeFlow(
      [
        { ts_ms: t0, flow_m3_h: 1, ref_temp_c: 15, ref_pressure_kpa: 101.325 },
        { ts_ms: t0 + 3_600_000, flow_m3_h: 1, ref_temp_c: 0, ref_pressure_kpa: 101.325 },
      ],
      { max_gap_s: 3600, propane_mol_frac: 1 },
    );
    expect(got.fuel_kg).toBeCloseTo(1.9162, 4);
    expect(got.peak_flow_kg_h).toBeCloseTo(1.9674, 4);
  });
});
