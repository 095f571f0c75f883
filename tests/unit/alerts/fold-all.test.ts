// stepAlertsAll folds a run of points at once (the service folds each message so): it must give
// exactly the transitions and the final state that stepAlerts point by point gives, whatever the
// runs (one instant, several, a part of one), and never write to the state it was given.
import { describe, expect, it } from 'vitest';
import { alertSettings, flushAlerts, initialKilnAlerts, stepAlertsAll, type AlertSettings, type AlertTransition, type KilnAlertState } from '../../../src/domain/alerts/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { simulate } from '../../fixtures/report/simulated.ts';
import { replay } from './replay.ts';
import { FIXTURE_CASES } from './streams.ts';

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Runs as the service gets them (each device instant: a message) or of n points, 1 to 9 in turn, crossing instants. */
function runs(points: readonly Point[], by: 'instant' | 'sizes'): Point[][] {
  const out: Point[][] = [];
  if (by === 'instant') {
    for (const p of points) {
      const last = out[out.length - 1];
      if (last && last[0]!.ts_ms === p.ts_ms) last.push(p);
      else out.push([p]);
    }
    return out;
  }
  for (let i = 0, n = 1; i < points.length; i += n, n = (n % 9) + 1) out.push(points.slice(i, i + n));
  return out;
}

/** Folds run by run; every state handed to the engine is deep-frozen first (every `freezeEvery`-th), so a write to it throws. */
function foldAll(points: readonly Point[], cfg: AlertSettings, by: 'instant' | 'sizes', freezeEvery = 1): { state: KilnAlertState; transitions: AlertTransition[] } {
  let state = initialKilnAlerts(points[0]?.tags.workshop ?? 'w1', points[0]?.tags.kiln ?? 'k1');
  const transitions: AlertTransition[] = [];
  runs(points, by).forEach((run, i) => {
    const r = stepAlertsAll(i % freezeEvery === 0 ? deepFreeze(state) : state, run, cfg);
    state = r.state;
    transitions.push(...r.transitions);
  });
  const f = flushAlerts(deepFreeze(state), cfg);
  return { state: f.state, transitions: [...transitions, ...f.transitions] };
}

describe('stepAlertsAll gives exactly what stepAlerts point by point gives', () => {
  it.each(FIXTURE_CASES.flatMap((c) => (['instant', 'sizes'] as const).map((by) => ({ ...c, by }))))('$name, runs by $by', ({ points, patch, by, expected }) => {
    const cfg = alertSettings(patch ?? {});
    const one = replay(points, cfg);
    const all = foldAll(points, cfg, by);
    expect(all.transitions).toEqual(one.transitions);
    expect(all.state).toEqual(one.state);
    expect(all.transitions).toHaveLength(expected.length); // the stream does exercise the rule
    // The state's active alerts are those raised and not cleared.
    const open = new Set<string>();
    for (const t of one.transitions) if (t.type === 'raised') open.add(t.alert.alert_id); else if (t.type === 'cleared') open.delete(t.alert.alert_id);
    expect(Object.values(one.state.active).map((x) => x.alert_id).sort()).toEqual([...open].sort());
  });

  // Whole simulated firings: the tracker starts, stages and ends firings, so the engine's path for
  // an instant with tracker events (stepped point by point) and the rest (stepAll) both run.
  const sims = simulate([{ preset: 'k3_5', firing: 'cone10red' }, { preset: 'k6', firing: 'glaze6' }], { interval_s: 10, seed: 5, max_h: 48 });
  it.each(sims.flatMap((sim) => (['instant', 'sizes'] as const).map((by) => ({ sim, by }))))('simulated firing on $sim.kiln, runs by $by', ({ sim, by }) => {
    const cfg = alertSettings();
    const one = replay(sim.points, cfg);
    const all = foldAll(sim.points, cfg, by, 97);
    expect(all.transitions).toEqual(one.transitions);
    expect(all.state).toEqual(one.state);
    expect(one.state.usual).toHaveLength(1); // the firing completed: its start, stages and end were folded
  });
});
