// Where a process's memory is, every HEAP_SPACES_EVERY_S (5) seconds: RSS split into anonymous and
// file-backed pages (/proc/self/status), the V8 heap (committed and used) by space, and what lies
// outside it (external, array buffers), one line each, appended to HEAP_SPACES_OUT
// (/tmp/heap-spaces.txt). Loaded into the service by the fleet bench:
//   BENCH_NODE_FLAGS="--import $PWD/bench/heap-spaces.mjs" FLEET_SCENARIOS=10000 FLEET_MINUTES=4 npm run bench:fleet
// Plain JavaScript, not TypeScript: the service runs built, without tsx.
import { appendFileSync, readFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import v8 from 'node:v8';

const out = process.env.HEAP_SPACES_OUT ?? '/tmp/heap-spaces.txt';
const every_ms = Number(process.env.HEAP_SPACES_EVERY_S ?? 5) * 1000;
const t0 = Date.now();
const mb = (bytes) => (bytes / 1e6).toFixed(0);
const statusKb = (status, name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))?.[1] ?? 0);

setInterval(() => {
  const m = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const spaces = v8.getHeapSpaceStatistics().map((s) => `${s.space_name.replace('_space', '')}=${mb(s.space_size)}`).join(' ');
  appendFileSync(out, `${((Date.now() - t0) / 1000).toFixed(0)} s: rss=${mb(m.rss)} anon=${mb(statusKb(status, 'RssAnon') * 1000)} file=${mb(statusKb(status, 'RssFile') * 1000)}`
    + ` heap_committed=${mb(m.heapTotal)} heap_used=${mb(m.heapUsed)} external=${mb(m.external)} array_buffers=${mb(m.arrayBuffers)} MB; spaces (MB): ${spaces}\n`);
}, every_ms).unref();
