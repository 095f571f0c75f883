// A summary (plus the load and grading users enter) as the savings module's FiringFigures.
import { firingKpis } from '../savings/kpis.ts';
import type { Confidence } from '../savings/figure.ts';
import type { FiringFigures } from '../savings/firing-figures.ts';
import type { GradingRecord, LoadRecord } from '../savings/records.ts';
import type { FiringSummary } from './types.ts';

/** Measured fuel is 'H'; with gaps it is a lower bound ('M'); from a best-coverage fallback or
 *  with more than 5 % unmeasured it is 'L'. */
export function fuelConfidence(s: FiringSummary): Confidence {
  const u = s.fuel.unmeasured_pct ?? 100;
  if (s.fuel.fuel_kg === null || u > 5 || !s.fuel.source_complete) return 'L';
  return u > 0 ? 'M' : 'H';
}

export function toFiringFigures(
  s: FiringSummary,
  where: { readonly workshop: string; readonly kiln: string },
  load?: LoadRecord,
  grading?: GradingRecord,
): FiringFigures {
  const good = load && grading ? firingKpis({}, load, grading).good_kg : null;
  return {
    firing_id: s.firing_id,
    workshop: where.workshop,
    kiln: where.kiln,
    started_at_ms: s.start_ms,
    ware_kg: load?.ware_kg ?? null,
    good_kg: good?.ok ? good.value : null,
    lpg_kg: s.fuel.fuel_kg,
    energy_mj: s.energy_mj,
    cost_vnd: s.cost?.cost_vnd ?? null,
    co2_kg: s.co2_kg,
    duration_h: s.open ? null : s.duration_h,
    confidence: fuelConfidence(s),
  };
}

