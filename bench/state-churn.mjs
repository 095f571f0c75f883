// What a kiln's state copied at every message costs in RSS, against the same state written in
// place, with the same live data: a model of the service at 10,000 kilns × one message every 10 s,
// in plain JavaScript (no service, no broker). Each kiln holds a long-lived part (60 small objects)
// and a state of 20 small objects that each message either copies (as a pure reducer does) or
// writes in place; each message also makes garbage that dies at once (parsing, formatting). A
// copied state lives until the kiln's next message, 10 s later: long enough to be promoted to V8's
// old generation and die there. Each way runs in its own process, with npm start's heap flags:
//   node bench/state-churn.mjs            (both ways, 90 s each)
//   CHURN_SECONDS=30 node bench/state-churn.mjs
// CHURN_OTHER=n: each message also leaves n small objects the kiln keeps until its next message,
// either way (the rest of what the service promotes: the tracker's copies, the readings in flight).
import { execFileSync } from 'node:child_process';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const KILNS = 10_000, LONG_OBJS = 60, STATE_OBJS = 20, PER_TICK = 100, TICK_MS = 100; // 1,000 messages/s
const SECONDS = Number(process.env.CHURN_SECONDS ?? 90);
const OTHER = Number(process.env.CHURN_OTHER ?? 0);

function model(mode) {
  const obj = (i) => ({ a: i, b: i * 2, c: [i, i + 1, i + 2], d: 'x' + (i % 100) });
  const kilns = [];
  for (let k = 0; k < KILNS; k++) {
    kilns.push({ long: Array.from({ length: LONG_OBJS }, (_, j) => obj(j)), state: Array.from({ length: STATE_OBJS }, (_, j) => obj(j)) });
  }
  let next = 0, peak = 0;
  const t0 = Date.now();
  const tick = () => {
    for (let n = 0; n < PER_TICK; n++) {
      const k = kilns[next];
      next = (next + 1) % KILNS;
      if (mode === 'copy') k.state = k.state.map((o) => ({ ...o, a: o.a + 1, c: [o.c[0] + 1, o.c[1], o.c[2]] }));
      else for (const o of k.state) { o.a += 1; o.c[0] += 1; }
      if (OTHER > 0) k.other = Array.from({ length: OTHER }, (_, j) => obj(j));
      globalThis.sink = Array.from({ length: 40 }, (_, j) => ({ j, s: 'y' + j, arr: [j, j] }));
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    if (Date.now() - t0 < SECONDS * 1000) { setTimeout(tick, TICK_MS); return; }
    const rss_end = process.memoryUsage().rss;
    globalThis.gc();
    const live = process.memoryUsage().heapUsed;
    console.log(JSON.stringify({ mode, peak_mb: peak / 1e6, end_mb: rss_end / 1e6, live_mb: live / 1e6 }));
  };
  tick();
}

if (process.argv[2]) model(process.argv[2]);
else {
  const me = fileURLToPath(import.meta.url);
  console.log(`${KILNS.toLocaleString('en')} kilns, ${(KILNS * TICK_MS / PER_TICK / 1000).toFixed(0)} s between a kiln's messages, ${SECONDS} s each way, ${OTHER} other objects a message kept until the next; node ${process.version}, --max-old-space-size=384 --max-semi-space-size=16`);
  console.log('way                          peak RSS   RSS at the end   live data after a full collection');
  for (const [mode, label] of [['copy', 'state copied a message'], ['inplace', 'state written in place']]) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=384', '--max-semi-space-size=16', me, mode], { encoding: 'utf8', env: process.env });
    const r = JSON.parse(out.trim().split('\n').pop());
    console.log(`${label.padEnd(27)} ${r.peak_mb.toFixed(0).padStart(6)} MB ${r.end_mb.toFixed(0).padStart(12)} MB ${r.live_mb.toFixed(0).padStart(16)} MB`);
  }
}
