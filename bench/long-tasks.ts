// Where a V8 CPU profile (.cpuprofile, as `npm run bench:fleet` writes with BENCH_CPU_PROF=dir)
// kept the main thread busy without a break: the longest runs of consecutive non-idle samples,
// each with the functions that took its time (self time) and the call paths it came from. A run
// can span several turns of the event loop, so it bounds a stall from above; the share of the
// garbage collector in it says whether the stall was the program's or the heap's.
//   npx tsx bench/long-tasks.ts file.cpuprofile [how many, default 8]
// Also prints the whole profile's split: JavaScript, garbage collector, native (program), idle.
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

const [file, howMany = '8'] = process.argv.slice(2);
if (!file) { console.error('usage: npx tsx bench/long-tasks.ts file.cpuprofile [how many]'); process.exit(2); }
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const fn = (n: ProfileNode) => n.callFrame.functionName || '(anonymous)';
const where = (n: ProfileNode) => `${fn(n)} ${n.callFrame.url.split('/').at(-1) ?? ''}:${n.callFrame.lineNumber + 1}`;
const stackOf = (id: number): ProfileNode[] => {
  const out: ProfileNode[] = [];
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) out.push(byId.get(x)!);
  return out.reverse(); // root first
};

// Each sample's instant (µs) and how long it stands for (until the next one).
const at_us: number[] = [];
let t = p.startTime;
for (const d of p.timeDeltas) at_us.push((t += d));
const dur_us = (i: number) => (at_us[i + 1] ?? at_us[i]!) - at_us[i]!;
const isIdle = (i: number) => fn(byId.get(p.samples[i]!)!) === '(idle)';

const split = new Map<string, number>();
for (let i = 0; i < p.samples.length; i++) {
  const name = fn(byId.get(p.samples[i]!)!);
  const kind = ['(idle)', '(garbage collector)', '(program)'].includes(name) ? name : 'JavaScript';
  split.set(kind, (split.get(kind) ?? 0) + dur_us(i));
}
const all_us = [...split.values()].reduce((a, b) => a + b, 0);
console.log(`${file}: ${(all_us / 1e6).toFixed(1)} s profiled`);
for (const [k, v] of split) console.log(`  ${k.padEnd(20)} ${(v / 1e6).toFixed(1).padStart(7)} s  ${((100 * v) / all_us).toFixed(1).padStart(5)} %`);

const runs: { from: number; to: number; ms: number }[] = [];
for (let i = 0, start = -1; i <= p.samples.length; i++) {
  const busy = i < p.samples.length && !isIdle(i);
  if (busy && start < 0) start = i;
  if (!busy && start >= 0) {
    runs.push({ from: start, to: i, ms: (at_us[i - 1]! - at_us[start]! + dur_us(i - 1)) / 1000 });
    start = -1;
  }
}
runs.sort((a, b) => b.ms - a.ms);
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n      ');
for (const r of runs.slice(0, Number(howMany))) {
  const self = new Map<string, number>(), from = new Map<string, number>();
  for (let i = r.from; i < r.to; i++) {
    const stack = stackOf(p.samples[i]!);
    const leaf = where(stack.at(-1)!);
    self.set(leaf, (self.get(leaf) ?? 0) + dur_us(i));
    const path = stack.slice(1, 7).map(fn).join(' > ');
    from.set(path, (from.get(path) ?? 0) + dur_us(i));
  }
  console.log(`\nbusy ${r.ms.toFixed(0)} ms from ${((at_us[r.from]! - p.startTime) / 1e6).toFixed(1)} s into the profile`);
  console.log(`  self: ${top(self, 8)}`);
  console.log(`  from: ${top(from, 5)}`);
}
