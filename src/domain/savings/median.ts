// Each kiln against itself (docs/sources.md: "the same KPIs against the kiln's own median"): a firing's
// MJ per kg against the median of that kiln's previous firings. No baseline needed, so it works
// from the first weeks of monitoring, and a median ignores the odd bad firing in the reference.
import { quantity, ratio, type Figure } from './figure.ts';
import type { FiringFigures } from './firing-figures.ts';

export type SecBasis = 'set' | 'good';

export interface OwnMedianOptions {
  readonly window_n: number;
  readonly min_prior: number;
  readonly worse_factor: number;
  readonly basis: SecBasis;
}

/**
 * Defaults are our engineering choices, not published figures (confidence L); tune per village.
 * - window_n 10: at 18–24 h per gas firing (docs/sources.md) a kiln fires a few times a week, so 10
 *   firings are roughly a month: long enough that up to 4 bad firings cannot move the median,
 *   short enough to follow real change (season, product mix, burner service).
 * - min_prior 5: a median of fewer firings is mostly noise; with 5, two outliers still cannot
 *   reach it.
 * - worse_factor 1.25: firings of one kiln scatter by roughly ±10–15 % with load and product mix;
 *   25 % above the median is beyond that scatter and worth a look (leak, damper, bad setting).
 * - basis 'good': per kg of first-grade ware also catches a firing that burned normally but
 *   spoiled ware; use 'set' before grading is entered.
 */
export const OWN_MEDIAN_DEFAULTS: OwnMedianOptions = { window_n: 10, min_prior: 5, worse_factor: 1.25, basis: 'good' };

export type OwnMedianStatus = 'markedly_worse' | 'usual' | 'too_few_prior' | 'not_available';

export interface OwnMedianCheck {
  readonly firing_id: string;
  readonly sec_mj_per_kg: Figure; // on the chosen basis
  readonly median_mj_per_kg: number | null; // of up to window_n previous firings of this kiln with a value
  readonly prior_n: number;
  readonly ratio_to_median: number | null;
  readonly status: OwnMedianStatus;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? NaN; // callers pass a non-empty array
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/** Checks every firing against its kiln's rolling median; results in the input order. */
export function checkAgainstOwnMedian(
  firings: readonly FiringFigures[],
  options: Partial<OwnMedianOptions> = {},
): OwnMedianCheck[] {
  const o = { ...OWN_MEDIAN_DEFAULTS, ...options };
  const window_n = Math.max(1, Math.floor(o.window_n));
  const byKiln = new Map<string, number[]>(); // kiln key → indexes into firings
  firings.forEach((f, i) => {
    const key = `${f.workshop}\u0000${f.kiln}`;
    const list = byKiln.get(key);
    if (list === undefined) byKiln.set(key, [i]); else list.push(i);
  });
  const out: OwnMedianCheck[] = new Array<OwnMedianCheck>(firings.length);
  for (const idx of byKiln.values()) {
    idx.sort((a, b) => (firings[a]?.started_at_ms ?? 0) - (firings[b]?.started_at_ms ?? 0));
    const prior: number[] = []; // last window_n values, oldest first; flagged firings stay in (the median copes)
    for (const i of idx) {
      const f = firings[i] as FiringFigures;
      const den = o.basis === 'set' ? quantity(f.ware_kg, 'ware_kg') : quantity(f.good_kg, 'kg of first-grade ware');
      const sec = ratio(quantity(f.energy_mj, 'energy_mj'), den, o.basis === 'set' ? 'ware_kg' : 'kg of first-grade ware');
      const med = prior.length === 0 ? null : median([...prior].sort((a, b) => a - b));
      const r = sec.ok && med !== null && med > 0 ? sec.value / med : null;
      const status: OwnMedianStatus = !sec.ok ? 'not_available'
        : prior.length < o.min_prior || r === null ? 'too_few_prior'
          : r > o.worse_factor ? 'markedly_worse' : 'usual';
      out[i] = { firing_id: f.firing_id, sec_mj_per_kg: sec, median_mj_per_kg: med, prior_n: prior.length, ratio_to_median: r, status };
      if (sec.ok) {
        prior.push(sec.value);
        if (prior.length > window_n) prior.shift();
      }
    }
  }
  return out;
}
