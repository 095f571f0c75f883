// The adviser's roll-up over the firing index: every closed firing's figures (stored by the
// indexer with the load and grading users entered, rewritten when either is saved) and the coal
// baseline that applies (the kiln's newest, else its workshop's), grouped by the pure rollup().
// Two bulk reads, whatever the number of firings; no per-firing query. (Reading the records
// themselves, one series per firing, took InfluxDB ~500 ms for a village's year.)
import type { FiringFigures } from '../domain/savings/firing-figures.ts';
import { rollup, type Rollup, type RollupLevel, type RollupPeriod } from '../domain/savings/rollup.ts';
import type { CoalBaseline } from '../domain/savings/records.ts';
import type { FiringIndexStore } from '../firings/index-store.ts';
import type { RecordService, SavedBaseline } from '../records/service.ts';

export interface RollupQuery {
  readonly level: RollupLevel;
  readonly period: RollupPeriod;
  readonly from_ms: number;
  readonly to_ms: number;
  readonly workshop?: string | undefined;
  /** Only these workshops' firings and baselines (the caller's scope, docs/access.md); default all. */
  readonly sees?: ((workshop: string) => boolean) | undefined;
}

export interface RollupResult extends Rollup {
  /** The baselines the savings were computed against, with their source and confidence. */
  readonly baselines: readonly SavedBaseline[];
}

export class RollupService {
  constructor(private readonly index: FiringIndexStore, private readonly records: RecordService) {}

  /** Every closed firing's figures in the range, with load and grading (kept in the index). */
  figures(from_ms: number, to_ms: number, workshop?: string): Promise<FiringFigures[]> {
    return this.index.figures(from_ms, to_ms, workshop);
  }

  async rollup(q: RollupQuery): Promise<RollupResult> {
    const [allFigs, allBaselines] = await Promise.all([this.figures(q.from_ms, q.to_ms, q.workshop), this.records.allBaselines(q.workshop)]);
    // Filtered before grouping: a village row sums only the workshops the caller sees.
    const sees = q.sees;
    const figs = sees ? allFigs.filter((f) => sees(f.workshop)) : allFigs;
    const baselines = sees ? allBaselines.filter((b) => sees(b.record.workshop)) : allBaselines;
    // Newest first (allBaselines): the first match is the one in force.
    const byKiln = new Map<string, CoalBaseline>(), byWorkshop = new Map<string, CoalBaseline>();
    for (const b of baselines) {
      const r = b.record;
      if (r.kiln !== undefined) { if (!byKiln.has(`${r.workshop}/${r.kiln}`)) byKiln.set(`${r.workshop}/${r.kiln}`, r); }
      else if (!byWorkshop.has(r.workshop)) byWorkshop.set(r.workshop, r);
    }
    const r = rollup(figs, { level: q.level, period: q.period, baselineFor: (f) => byKiln.get(`${f.workshop}/${f.kiln}`) ?? byWorkshop.get(f.workshop) });
    return { ...r, baselines };
  }
}
