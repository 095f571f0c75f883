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

export type { Alert, AlertKind, Severity } from '../../src/domain/alerts/types.ts';
import type { AlertSettings, AlertSettingsPatch } from '../../src/domain/alerts/settings.ts';
export type { AlertSettings, AlertSettingsPatch };

/** GET/PUT /api/workshops/:ws/kilns/:kiln/alert-settings (src/http/alert-routes.ts). */
export interface AlertSettingsView {
  readonly workshop: string; readonly kiln: string; readonly source: 'saved' | 'default';
  readonly saved_at_ms: number | null; readonly by: string | null;
  readonly settings: AlertSettings;
  readonly overrides: AlertSettingsPatch;
  readonly defaults: AlertSettings;
}

export interface HealthKiln { readonly workshop: string; readonly kiln: string; readonly state: string; readonly since_ms: number }
