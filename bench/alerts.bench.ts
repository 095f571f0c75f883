// npm run bench:alerts — the alert engine's cost per kept point, on this machine, over a realistic
// stream: simulated firings (simulator/model, every preset on three kiln sizes, 10 s readings:
// what the service keeps after thinning), decoded as the service decodes them, fed one message
// (one device instant) at a time as AlertService.fold() feeds the engine: point by point
// (stepAlerts, how the service folded before this benchmark) and the whole message at once
// (stepAlertsAll, how it folds now). Each is timed over the whole stream BENCH_RUNS times
// (after a warm-up run); prints median and best, and the transitions (both must agree).
// Env: BENCH_RUNS (7).
import { DEFAULT_ALERT_SETTINGS, flushAlerts, initialKilnAlerts, stepAlerts, stepAlertsAll, type AlertSettings, type KilnAlertState } from '../src/domain/alerts/index.ts';
import type { Point } from '../src/domain/point.ts';
import { simulate } from '../tests/fixtures/report/simulated.ts';
import { fmt } from './support/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FIRINGS = [
  { preset: 'k1', firing: 'bisque04' }, { preset: 'k1', firing: 'cone8ox' }, { preset: 'k3_5', firing: 'cone10ox' },
  { preset: 'k3_5', firing: 'cone10red' }, { preset: 'k6', firing: 'glaze6' }, { preset: 'k6', firing: 'cone10ox' },
] as const;
const say = (l: string) => process.stdout.write(`${l}\n`);

/** A kiln's points as messages: each run of one device instant (a logger's message, or an event). */
function messages(points: readonly Point[]): Point[][] {
  const out: Point[][] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last[0]!.ts_ms === p.ts_ms) last.push(p);
    else out.push([p]);
  }
  return out;
}

type Fold = (s: KilnAlertState, msg: readonly Point[], cfg: AlertSettings) => { state: KilnAlertState; transitions: number };

const FOLDS: Record<string, Fold> = {
  'stepAlerts, point by point': (s0, msg, cfg) => {
    let s = s0, transitions = 0;
    for (const p of msg) {
      const r = stepAlerts(s, p, cfg);
      s = r.state;
      transitions += r.transitions.length;
    }
    return { state: s, transitions };
  },
  'stepAlertsAll, a message at once': (s, msg, cfg) => {
    const r = stepAlertsAll(s, msg, cfg);
    return { state: r.state, transitions: r.transitions.length };
  },
};

function replayAll(kilns: readonly Point[][][], fold: Fold): number {
  let transitions = 0;
  for (const msgs of kilns) {
    let s = initialKilnAlerts('ws1', msgs[0]![0]!.tags.kiln);
    for (const m of msgs) {
      const r = fold(s, m, DEFAULT_ALERT_SETTINGS);
      s = r.state;
      transitions += r.transitions;
    }
    transitions += flushAlerts(s, DEFAULT_ALERT_SETTINGS).transitions.length;
  }
  return transitions;
}

/** Why the engine copies with Object.assign: on Node 20 a key added to an object cloned by spread
 *  takes V8's slow path. Times copying a 2-key record and adding a third key, both ways. */
function copyCost(): string {
  const base: Record<string, number> = { z1: 1, z2: 2 };
  const keys = ['z3', 'z4'];
  const time = (f: (k: string) => Record<string, number>) => {
    let n = 0;
    for (let i = 0; i < 200_000; i++) n += Object.keys(f(keys[i & 1]!)).length;
    const t = performance.now();
    for (let i = 0; i < 1_000_000; i++) n += Object.keys(f(keys[i & 1]!)).length;
    return n > 0 ? (performance.now() - t) / 1000 : NaN; // µs per copy
  };
  const spread = time((k) => ({ ...base, [k]: 3 }));
  const assign = time((k) => { const o = Object.assign({}, base); o[k] = 3; return o; });
  return `copy a 2-key record and add a key: { ...o, [k]: v } ${fmt(spread, 3)} µs, Object.assign then set ${fmt(assign, 3)} µs`;
}

function main(): void {
  const t0 = performance.now();
  const sims = simulate(FIRINGS, { interval_s: 10, seed: 3, max_h: 48 });
  const kilns = sims.map((s) => messages([...s.points].sort((a, b) => a.ts_ms - b.ts_ms)));
  const points = sims.reduce((n, s) => n + s.points.length, 0);
  const msgs = kilns.reduce((n, k) => n + k.length, 0);
  say(`alert engine benchmark: ${sims.length} simulated firings (${FIRINGS.map((f) => `${f.firing}/${f.preset}`).join(', ')}), 10 s readings`);
  say(`  ${fmt(points)} points in ${fmt(msgs)} messages (${fmt(points / msgs, 1)} points each), simulated in ${fmt((performance.now() - t0) / 1000, 1)} s; node ${process.version}; ${RUNS} runs each after a warm-up`);
  say(`  reference: ${copyCost()}`);
  const counts = new Set<number>();
  for (const [name, fold] of Object.entries(FOLDS)) {
    // Each run gets its own message arrays: the tracker remembers its last step of each array
    // (src/domain/firing/tracker.ts stepAll), so a run over the same arrays from the same initial
    // state would measure that memory, not the engine.
    const fresh = () => kilns.map((k) => k.map((m) => m.slice()));
    const transitions = replayAll(fresh(), fold); // warm-up (JIT)
    counts.add(transitions);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = fresh();
      const t = performance.now();
      replayAll(run, fold);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const med = times[Math.floor(times.length / 2)]!;
    const best = times[0]!;
    say(`  ${name.padEnd(34)} median ${fmt((1000 * med) / points, 2)} µs/point (${fmt(points / (med / 1000))} points/s), best ${fmt((1000 * best) / points, 2)} µs/point; ${transitions} transitions`);
  }
  // Both ways must judge alike, or the faster one is not a replacement.
  if (counts.size !== 1) throw new Error(`the folds disagree: ${[...counts].join(' vs ')} transitions`);
}

main();
