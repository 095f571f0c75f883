// npx tsx bench/view-json.bench.ts — what a kiln event of the live stream costs to make: one k18
// kiln (four zones, flow, totaliser, scale) three hours into a simulated firing, its view written
// as JSON.stringify(view()) and as KilnLive.viewJson() (the same text, tests/unit/live-view-json.test.ts),
// alternately, four rounds of BENCH_N (100,000) each. Prints µs an event for both.
import { LiveState } from '../src/live/live-state.ts';
import { messagesOf, simulate } from '../tests/fixtures/report/simulated.ts';

const N = Number(process.env.BENCH_N ?? 100_000);
const [f] = simulate([{ preset: 'k18', firing: 'cone10ox' }], { interval_s: 10, seed: 7, max_h: 3 });
const state = new LiveState();
for (const m of messagesOf(f!.points)) state.apply(m, new Set(), m[0]!.ts_ms);
const key = `ws1/${f!.kiln}`;
const text = state.viewJson(key)!.json;
if (text !== JSON.stringify(state.view(key))) throw new Error('viewJson() and JSON.stringify(view()) differ');
console.log(`view-json benchmark: a k18 kiln 3 h into a firing, an event of ${text.length} characters; node ${process.version}`);
let sink = 0;
for (let r = 1; r <= 4; r++) {
  let t0 = performance.now();
  for (let i = 0; i < N; i++) sink += JSON.stringify(state.view(key)).length;
  const old_us = ((performance.now() - t0) * 1000) / N;
  t0 = performance.now();
  for (let i = 0; i < N; i++) sink += state.viewJson(key)!.json.length;
  const new_us = ((performance.now() - t0) * 1000) / N;
  console.log(`  round ${r}: JSON.stringify(view()) ${old_us.toFixed(2)} µs an event, viewJson() ${new_us.toFixed(2)} µs`);
}
if (sink === 0) console.log('nothing made');
