// The service's DTOs, imported as types only (erased by esbuild): the dashboard talks to the
// service over HTTP/SSE alone, but the compiler checks both sides agree.
export type { KilnLiveView } from '../../src/live/live-state.ts';
export type { LiveSnapshot } from '../../src/live/hub.ts';
export type { FiringList, FiringListItem, FiringReport } from '../../src/firings/service.ts';
export type { FiringCurve } from '../../src/domain/report/curve.ts';
export type { RollupRow } from '../../src/domain/savings/rollup.ts';
export type { FiringFigures } from '../../src/domain/savings/firing-figures.ts';
export type { Adjustment, CoalBaseline, LoadRecord, GradingRecord, RejectCause } from '../../src/domain/savings/records.ts';
export type { PriceEntry } from '../../src/domain/analytics/energy.ts';
export type { Figure } from '../../src/domain/savings/figure.ts';

/** GET /api/alerts (issue 6, built concurrently): 404 means the feature is not there. */
export interface Alert {
  readonly id: string; readonly workshop: string; readonly kiln: string; readonly firing_id: string | null;
  readonly kind: string; readonly severity: string; readonly message_vi: string; readonly message_en: string;
  readonly value: number | null; readonly threshold: number | null; readonly raised_at_ms: number; readonly acked_by?: string;
}

export interface HealthKiln { readonly workshop: string; readonly kiln: string; readonly state: string; readonly since_ms: number }
