// Firing analytics: cone equivalent and the firing tracker (one reducer, two drivers).
export * from './cones.ts';
export * from './soak-cone.ts';
export * from './config.ts';
export * from './types.ts';
export { initialState, step, stepAll, steppedAlready, flush, withKilnEndRule } from './tracker.ts';
export { savedTrackerState, type SavedTrackerState } from './saved.ts';
export { firingId, legacyFiringId, detectedStartMs, kilnPart } from './ids.ts';
export { foldFirings, firingsFromEvents, run, recordOf, type FiringRecord, type FiringStatus, type StageSpan } from './fold.ts';
export { last100RateCH } from './ramp.ts';
export { trackerRateCH } from './samples.ts';
