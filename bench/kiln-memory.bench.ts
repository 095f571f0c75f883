// npm run bench:kiln-memory — what a kiln costs in memory once it has been firing for hours, not
// minutes: the fleet bench runs a few minutes, so every window that fills over an hour (a gas
// meter's kept readings, the rate histories) is still short there. One simulated firing (simulator/
// model, k18: four zones, a flow meter, a totaliser and a cylinder scale), decoded as the service
// decodes it, is folded into BENCH_KILNS copies of the kiln side by side, by the live view
// (LiveState) and by the alert engine (stepAlertsAll, thinned as the alert service thins), as the
// service holds them; after each stretch of device time the heap is collected and measured.
// Prints bytes per kiln (the heap and typed arrays' storage) for each holder alone, and for both together as the service holds them
// (where they step the same state with the same message they share one tracker state).
// Env: BENCH_KILNS (300), BENCH_INTERVAL_S (10: the loggers' interval; 1 for a 1 Hz kiln),
// BENCH_HEAP_SNAPSHOT=file (a heap snapshot of the live view at the end, for bench/heap-owners.ts),
// BENCH_DROP (measurements left out, comma-separated: gas_scale for a kiln as the fleet bench's,
// a flow meter and a totaliser).
// Run with --expose-gc (the npm script does).
import { writeHeapSnapshot } from 'node:v8';
import { DEFAULT_ALERT_SETTINGS, followTracker, initialKilnAlerts, stepAlertsAll } from '../src/domain/alerts/index.ts';
import { DEFAULT_ALERT_SERVICE_OPTIONS } from '../src/alerts/service.ts';
import type { Point } from '../src/domain/point.ts';
import { DEFAULT_LIVE_OPTIONS, LiveState } from '../src/live/live-state.ts';
import { messagesOf, simulate } from '../tests/fixtures/report/simulated.ts';

const KILNS = Number(process.env.BENCH_KILNS ?? 300);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 10);
const MARKS_MIN = [5, 10, 30, 60, 120, 240];
const say = (l: string) => process.stdout.write(`${l}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:kiln-memory does)');

/** The heap after a full collection, and the typed arrays' storage beside it: an array of over 64
 *  bytes (a ring of pairs, a sparkline) keeps its numbers outside the V8 heap, still in RSS. */
function heapMb(): number {
  gc!(); gc!();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

const DROP = new Set((process.env.BENCH_DROP ?? '').split(',').filter(Boolean));
say(`kiln-memory benchmark: ${KILNS} kilns (k18, flow + totaliser + scale${DROP.size ? `, without ${[...DROP].join(', ')}` : ''}), readings every ${INTERVAL_S} s; node ${process.version}`);
const [firing] = simulate([{ preset: 'k18', firing: 'cone10ox' }], { interval_s: INTERVAL_S, seed: 7, max_h: MARKS_MIN.at(-1)! / 60 + 0.6 });
const points = firing!.points.filter((p) => !DROP.has(p.measurement));
const t0 = points[0]!.ts_ms;
// One message per device instant, as a logger sends them.
const messages = messagesOf(points);
say(`  ${points.length.toLocaleString('en')} points in ${messages.length.toLocaleString('en')} messages over ${((messages.at(-1)![0]!.ts_ms - t0) / 3_600_000).toFixed(1)} h of device time`);

const retag = (msg: readonly Point[], kiln: string): Point[] => msg.map((p) => ({ ...p, tags: { ...p.tags, kiln } }));
const trackerJson = (s: unknown) => JSON.stringify(s).length.toLocaleString('en');

/** Folds the messages into every copy, in stretches of device time, and measures after each. */
function run(holder: string, fold: (msg: readonly Point[], i: number) => void, tracker: () => unknown): number[] {
  const base = heapMb();
  const perKiln: number[] = [];
  let m = 0;
  for (const mark of MARKS_MIN) {
    const until = t0 + mark * 60_000;
    for (; m < messages.length && messages[m]![0]!.ts_ms < until; m++) for (let i = 0; i < KILNS; i++) fold(retag(messages[m]!, `K${i}`), i);
    const bytes = ((heapMb() - base) * 1e6) / KILNS;
    perKiln.push(bytes);
    say(`  ${holder.padEnd(12)} ${String(mark).padStart(4)} min of device time: ${Math.round(bytes).toLocaleString('en').padStart(7)} bytes a kiln (its tracker as JSON: ${trackerJson(tracker())} B)`);
  }
  return perKiln;
}

/** Kiln 0's tracker state in the live view (a private field). */
const liveTracker0 = (l: LiveState | null) => (l as unknown as { kilns: Map<string, { tracker: unknown }> } | null)?.kilns.get('ws1/K0')?.tracker;
let live: LiveState | null = new LiveState(DEFAULT_LIVE_OPTIONS);
const liveBytes = run('live view', (msg) => live!.apply(msg), () => liveTracker0(live));
if (process.env.BENCH_HEAP_SNAPSHOT) say(`  heap snapshot (live view): ${writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)}`);
live = null;

// Thinned as the alert service thins (min_sample_s): one instant per kiln per 10 s, events always;
// the message itself when nothing is thinned out (as the service hands it on).
const min_ms = DEFAULT_ALERT_SERVICE_OPTIONS.min_sample_s * 1000;
function thinner(): (msg: readonly Point[], i: number) => readonly Point[] {
  const accepted_ms = new Array<number>(KILNS).fill(-Infinity);
  return (msg, i) => {
    const kept = msg.filter((p) => p.measurement === 'event' || p.ts_ms <= accepted_ms[i]! || p.ts_ms >= accepted_ms[i]! + min_ms);
    for (const p of kept) if (p.measurement !== 'event' && p.ts_ms > accepted_ms[i]!) accepted_ms[i] = p.ts_ms;
    return kept.length === msg.length ? msg : kept;
  };
}
const newAlerts = () => Array.from({ length: KILNS }, (_, i) => initialKilnAlerts('ws1', `K${i}`));
let alerts = newAlerts();
let thin = thinner();
const alertBytes = run('alert engine', (msg, i) => {
  const kept = thin(msg, i);
  if (kept.length) alerts[i] = stepAlertsAll(alerts[i]!, kept, DEFAULT_ALERT_SETTINGS).state;
}, () => alerts[0]!.tracker);

// Both, as the service holds them: each message to the live view, then to the alert engine. Where
// the engine steps the live view's tracker state with the same message, the two share one state
// (src/domain/firing/tracker.ts stepAll); a message thinned out for the rules (1 Hz) is followed
// by the engine's tracker through the live view's step (followTracker), so they share it there too.
alerts = newAlerts();
thin = thinner();
live = new LiveState(DEFAULT_LIVE_OPTIONS);
let shared = 0;
const bothBytes = run('both', (msg, i) => {
  live!.apply(msg);
  const kept = thin(msg, i);
  if (kept.length) alerts[i] = stepAlertsAll(alerts[i]!, kept, DEFAULT_ALERT_SETTINGS).state;
  else alerts[i] = followTracker(alerts[i]!, msg, DEFAULT_ALERT_SETTINGS) ?? alerts[i]!; // as the alert service does
  if (i === 0) shared = alerts[0]!.tracker === liveTracker0(live) ? 1 : 0;
}, () => alerts[0]!.tracker);
const apart = liveBytes.at(-1)! + alertBytes.at(-1)!;
const sum = bothBytes.at(-1)!;
say(`  after ${MARKS_MIN.at(-1)} min: ${Math.round(sum).toLocaleString('en')} bytes a kiln for both together (${Math.round(apart).toLocaleString('en')} measured apart; one tracker state shared at the end: ${shared ? 'yes' : 'no'}), ${((sum * 1000) / 1e6).toFixed(0)} MB at 1,000 kilns, ${((sum * 10_000) / 1e6).toFixed(0)} MB at 10,000`);
