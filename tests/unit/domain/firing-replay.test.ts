// One reducer, two drivers: live stepping, a restart from saved state, and readings that arrive
// out of order must all give what the report fold gives.
import { describe, expect, it } from 'vitest';
import { firingsFromEvents, flush, foldFirings, initialState, run, step, stepAll, type FiringEvent, type TrackerState } from '../../../src/domain/firing/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { scenario } from '../../fixtures/firings/scenarios.ts';

function live(points: readonly Point[], state: TrackerState = initialState()): { state: TrackerState; events: FiringEvent[] } {
  const r = run(state, points);
  const f = flush(r.state);
  return { state: f.state, events: [...r.events, ...f.events] };
}

const sorted = (points: readonly Point[]) => [...points].sort((a, b) => a.ts_ms - b.ts_ms);

/** Reverse every run of `n` points: a reading can then arrive up to n points' time late. */
function shuffled(points: readonly Point[], n: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += n) out.push(...points.slice(i, i + n).reverse());
  return out;
}

const REFIRE = sorted(scenario('re-fired at 600 °C before it cooled, with gas').points);
const CONTROLLER = sorted(scenario('gas cone 10 reduction with controller events').points);

describe('the live path agrees with the report path', () => {
  it.each([['re-fired kiln', REFIRE], ['controller kiln', CONTROLLER], ['controller kiln, shuffled', shuffled(CONTROLLER, 7)]] as const)('%s: stepAll over each instant gives exactly what step() point by point gives', (_n, points) => {
    let a = initialState(), b = initialState();
    const ea: FiringEvent[] = [], eb: FiringEvent[] = [];
    // Messages as the live view gets them: runs of points, here 1 to 9 at a time, crossing instants.
    for (let i = 0, n = 1; i < points.length; i += n, n = (n % 9) + 1) {
      const batch = points.slice(i, i + n);
      const r = stepAll(a, batch);
      a = r.state; ea.push(...r.events);
      for (const p of batch) { const q = step(b, p); b = q.state; eb.push(...q.events); }
    }
    expect(a).toEqual(b);
    expect(ea).toEqual(eb);
    expect(ea.length).toBeGreaterThan(2);
  });

  it.each([['re-fired kiln', REFIRE], ['controller kiln', CONTROLLER]] as const)('%s: stepping point by point gives foldFirings', (_n, points) => {
    const { state, events } = live(points);
    expect(firingsFromEvents(events, state.firing)).toEqual(foldFirings(points));
  });

  it.each([0.1, 0.5, 0.77])('a restart from saved state at %s of the points gives the same events', (fraction) => {
    const cut = Math.round(REFIRE.length * fraction);
    const first = run(initialState(), REFIRE.slice(0, cut));
    const saved = JSON.parse(JSON.stringify(first.state)) as TrackerState; // as a service would store it
    expect(saved).toEqual(first.state);
    const rest = live(REFIRE.slice(cut), saved);
    expect([...first.events, ...rest.events]).toEqual(live(REFIRE).events);
  });

  it('points out of order inside the reorder window change nothing', () => {
    // 8 points span 20 s here (3 zones + gas every 10 s), inside the 30 s window.
    const r = live(shuffled(REFIRE, 8));
    expect(r.events).toEqual(live(REFIRE).events);
    expect(r.state.late_points).toBe(0);
  });

  it('a point older than the decided samples is counted and ignored', () => {
    const i = Math.round(REFIRE.length / 3);
    const stale = REFIRE[i - 400]; // ~17 min older than its neighbours
    if (!stale) throw new Error('fixture too short');
    const hot = { ...stale, fields: { ...stale.fields, temp_c: 1500 } }; // even a wild value changes nothing
    const r = live([...REFIRE.slice(0, i), hot, stale, ...REFIRE.slice(i)]);
    expect(r.events).toEqual(live(REFIRE).events);
    expect(r.state.late_points).toBe(2);
    expect(r.state.points_seen).toBe(REFIRE.length + 2);
  });

  it('a redelivered controller start does not start a second firing', () => {
    const start = CONTROLLER.find((p) => p.tags.type === 'firing_start');
    if (!start) throw new Error('no start event');
    const at = CONTROLLER.indexOf(start);
    const again = [...CONTROLLER.slice(0, at + 1), start, ...CONTROLLER.slice(at + 1)];
    expect(foldFirings(again).map((f) => f.id)).toEqual(['F-001']);
  });

  it('state is plain data: a single step survives a JSON round trip', () => {
    const [p] = REFIRE;
    if (!p) throw new Error('empty');
    const s = step(initialState(), p).state;
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
