// Per-firing report: summarizeFiring and the savings bridge.
export * from './types.ts';
export { summarizeFiring, DEFAULT_REPORT_OPTIONS } from './summary.ts';
export { chooseMeter, isComplete, METER_PREFERENCE, COMPLETE_COVERAGE_PCT } from './fuel-choice.ts';
export { toFiringFigures, fuelConfidence } from './figures.ts';
export { plannedCurve, plannedAt, scheduleDeviation } from './schedule.ts';
