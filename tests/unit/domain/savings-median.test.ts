// Each kiln against its own rolling median. Figures chosen exact in binary (4.25, 3.75 …) so the
// 1.25 boundary is tested exactly; medians worked out by hand.
import { describe, expect, it } from 'vitest';
import type { FiringFigures } from '../../../src/domain/savings/firing-figures.ts';
import { checkAgainstOwnMedian, OWN_MEDIAN_DEFAULTS } from '../../../src/domain/savings/median.ts';

const HOUR_MS = 3_600_000;
const firing = (kiln: string, i: number, sec_set: number | null): FiringFigures => ({
  firing_id: `${kiln}-${i}`, workshop: 'bt01', kiln, started_at_ms: Date.UTC(2026, 0, 1) + i * 48 * HOUR_MS,
  ware_kg: 1000, good_kg: null, lpg_kg: null, energy_mj: sec_set === null ? null : sec_set * 1000,
  cost_vnd: null, co2_kg: null, duration_h: 20,
});
const K1 = [4.0, 4.5, 4.0, 4.25, 3.75, 5.0, 5.25, null, 4.0].map((s, i) => firing('k1', i + 1, s));

describe('checkAgainstOwnMedian (basis: MJ per kg set)', () => {
  // Another kiln interleaved and the input shuffled: it must not change k1's results.
  const k2 = [9, 9, 9, 9, 9, 9].map((s, i) => firing('k2', i + 1, s));
  const input = [...K1.slice(4), ...k2, ...K1.slice(0, 4)];
  const out = checkAgainstOwnMedian(input, { basis: 'set' });
  const byId = new Map(out.map((r) => [r.firing_id, r]));
  it('keeps the input order', () => expect(out.map((r) => r.firing_id)).toEqual(input.map((f) => f.firing_id)));
  it.each([
    ['k1-1', 'too_few_prior', null, 0], // no history
    ['k1-5', 'too_few_prior', 4.125, 4], // prior 4.0 4.5 4.0 4.25 → median (4.0 + 4.25)/2 = 4.125, but only 4 firings
    ['k1-6', 'usual', 4.0, 5], // prior sorted 3.75 4 4 4.25 4.5 → 4.0; 5.0/4.0 = 1.25, not > 1.25
    ['k1-7', 'markedly_worse', 4.125, 6], // + 5.0: 3.75 4 4 4.25 4.5 5 → (4 + 4.25)/2 = 4.125; 5.25/4.125 = 1.27
    ['k1-8', 'not_available', 4.25, 7], // energy missing; + 5.25: 3.75 4 4 4.25 4.5 5 5.25 → 4.25
    ['k1-9', 'usual', 4.25, 7], // k1-8 adds nothing to the window; 4.0/4.25 = 0.94
    ['k2-6', 'usual', 9, 5],
  ] as const)('%s: %s', (id, status, median, prior_n) => {
    const r = byId.get(id);
    expect(r?.status).toBe(status);
    expect(r?.median_mj_per_kg).toBe(median);
    expect(r?.prior_n).toBe(prior_n);
  });
  it('gives the ratio and the reason when unavailable', () => {
    expect(byId.get('k1-7')?.ratio_to_median).toBeCloseTo(5.25 / 4.125, 12);
    expect(byId.get('k1-8')?.sec_mj_per_kg).toEqual({ ok: false, reason: 'energy_mj missing' });
  });
});

describe('checkAgainstOwnMedian: options', () => {
  it('a shorter window follows recent firings: N = 3 at k1-7 is 3.75 4.25 5.0 → 4.25; 5.25/4.25 = 1.235', () => {
    const r = checkAgainstOwnMedian(K1, { basis: 'set', window_n: 3, min_prior: 3 })[6];
    expect(r).toMatchObject({ firing_id: 'k1-7', median_mj_per_kg: 4.25, prior_n: 3, status: 'usual' });
  });
  it('defaults: N 10, at least 5 prior, flag above 1.25 × median, per kg of good ware', () => {
    expect(OWN_MEDIAN_DEFAULTS).toEqual({ window_n: 10, min_prior: 5, worse_factor: 1.25, basis: 'good' });
    // the fixtures are ungraded: per kg good is not available, with the reason
    expect(checkAgainstOwnMedian(K1)[0]?.sec_mj_per_kg).toEqual({ ok: false, reason: 'kg of first-grade ware missing' });
  });
});
