// Where the service allocates, and what of it outlives V8's young generation. Two uses:
//
// 1. Loaded into the service (`--import`), it samples allocations with the inspector's heap
//    profiler from ALLOC_FROM_S to ALLOC_TO_S seconds after start and writes the profile to
//    ALLOC_OUT. ALLOC_YOUNG=0 leaves out what a young-generation collection freed, so the profile
//    holds what was promoted or allocated old from the start (what the full collections must
//    free); by default everything allocated is kept.
//      ALLOC_OUT=/tmp/alloc.json ALLOC_FROM_S=90 ALLOC_TO_S=150 ALLOC_YOUNG=0 \
//      BENCH_NODE_FLAGS="--import=$PWD/bench/alloc-sites.mjs" FLEET_SCENARIOS=10000 FLEET_MINUTES=4 npm run bench:fleet
// 2. Run on such a profile, it prints bytes a message by function (own and with callees):
//      node bench/alloc-sites.mjs /tmp/alloc.json 1000     (1000: the run's messages a second)
// Plain JavaScript, not TypeScript: the service runs built, without tsx.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

function sample() {
  const from_s = Number(process.env.ALLOC_FROM_S ?? 60), to_s = Number(process.env.ALLOC_TO_S ?? 120);
  const session = new Session();
  session.connect();
  const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  setTimeout(async () => {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.ALLOC_YOUNG !== '0',
    });
    setTimeout(async () => {
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(process.env.ALLOC_OUT, JSON.stringify({ seconds: to_s - from_s, profile }));
    }, (to_s - from_s) * 1000).unref();
  }, from_s * 1000).unref();
}

function summarise(file, msgs_s) {
  const { seconds, profile } = JSON.parse(readFileSync(file, 'utf8'));
  const own = new Map(), withCallees = new Map();
  let total = 0;
  const walk = (node, above) => {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    total += node.selfSize;
    own.set(key, (own.get(key) ?? 0) + node.selfSize);
    const here = new Set(above).add(key); // a recursive function counts once
    for (const k of here) withCallees.set(k, (withCallees.get(k) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, here);
  };
  walk(profile.head, new Set());
  const per_msg = (b) => b / seconds / msgs_s;
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 30)
    .map(([k, v]) => `${(100 * v / total).toFixed(1).padStart(6)} % ${per_msg(v).toFixed(0).padStart(7)} B  ${k}`).join('\n');
  console.log(`${(total / 1e6).toFixed(1)} MB sampled over ${seconds} s: ${(total / 1e6 / seconds).toFixed(1)} MB/s, ${(per_msg(total) / 1000).toFixed(1)} KB a message at ${msgs_s} messages/s`);
  console.log(`\nby function, own allocations (share, bytes a message):\n${top(own)}`);
  console.log(`\nby function, with what it calls:\n${top(withCallees)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) { console.error('usage: node bench/alloc-sites.mjs profile.json [messages a second]'); process.exit(2); }
  summarise(process.argv[2], Number(process.argv[3] ?? 1));
} else if (process.env.ALLOC_OUT) sample();
