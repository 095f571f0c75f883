// Alert rules and the alert engine: pure, device-time, deterministic. docs/alerts.md.
export * from './types.ts';
export * from './settings.ts';
export { initialKilnAlerts, stepAlerts, stepAlertsAll, followTracker, followFlush, adoptTracker, flushAlerts, tickAlerts, judgeClock, judgeClockNow, ackAlert, restoreActive, restoreUsual, activeAlerts, type KilnAlertState, type AlertStep, type UsualFiring } from './engine.ts';
export { median } from './rules.ts';
export { observeClock, clockVerdict, EMPTY_CLOCK_WATCH, type ClockWatch } from './clock.ts';
export { usualFromIndexed } from './usual.ts';
