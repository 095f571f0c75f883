// Fold the alert engine over a stream of points, as the service does, and collect transitions.
import { flushAlerts, initialKilnAlerts, stepAlerts, type AlertSettings, type AlertTransition, type KilnAlertState } from '../../../src/domain/alerts/index.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../../src/domain/alerts/index.ts';
import type { Point } from '../../../src/domain/point.ts';

export function replay(points: readonly Point[], settings: AlertSettings = DEFAULT_ALERT_SETTINGS): { state: KilnAlertState; transitions: AlertTransition[] } {
  const first = points[0];
  let state = initialKilnAlerts(first?.tags.workshop ?? 'w1', first?.tags.kiln ?? 'k1');
  const transitions: AlertTransition[] = [];
  for (const p of points) {
    const r = stepAlerts(state, p, settings);
    state = r.state;
    transitions.push(...r.transitions);
  }
  const r = flushAlerts(state, settings);
  transitions.push(...r.transitions);
  return { state: r.state, transitions };
}

export const brief = (ts: readonly AlertTransition[]) => ts.map((t) => `${t.type} ${t.alert.kind}:${t.alert.channel} @${t.at_ms}`);
