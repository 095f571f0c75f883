// The service's DTOs, imported as types only (erased by esbuild): the dashboard talks to the
// service over HTTP/SSE alone, but the compiler checks both sides agree. What the routes answer
// comes from their response schemas (src/http/schemas), the same ones that serialize the answers
// and make the OpenAPI document; what users enter from the domain's record schemas.
export type { KilnLiveView, LiveSnapshot, LiveSparks, LiveUsualGas } from '../../src/http/schemas/live.ts';
export type { FiringList, FiringListItem, FiringCurve, UsualFiring } from '../../src/http/schemas/firings.ts';
export type { FiringReport } from '../../src/http/schemas/report.ts';
export type { RollupRow, RollupResponse, FiringFigures } from '../../src/http/schemas/rollup.ts';
export type { Alert, AlertSettingsView } from '../../src/http/schemas/alerts.ts';
export type { HealthKiln } from '../../src/http/schemas/ingest.ts';
export type { ErrorBody } from '../../src/http/schemas/common.ts';
export type { Adjustment, CoalBaseline, LoadRecord, GradingRecord, RejectCause } from '../../src/domain/savings/records.ts';
/** A record as a form sends it: the service adds who saved it and when. */
export type Entered<T> = Omit<T, 'by' | 'recorded_at_ms'>;
export type { PriceEntry } from '../../src/domain/analytics/energy.ts';
export type { Figure } from '../../src/domain/savings/figure.ts';

export type { AlertKind, Severity } from '../../src/domain/alerts/types.ts';
export type { AlertSettings, AlertSettingsPatch } from '../../src/domain/alerts/settings.ts';
