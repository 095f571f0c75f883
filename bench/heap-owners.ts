// What holds the memory in a V8 heap snapshot (.heapsnapshot, as `npm run bench:fleet` writes
// with BENCH_HEAP_SNAPSHOT=dir): the dominator tree of the live objects, so each object's
// retained size is what would be freed with it. Prints the total, the largest owners under the
// roots (objects reachable only through them), the objects held from several places grouped by
// class and property names, and for each path given, its children summed over every match:
//   NODE_OPTIONS=--max-old-space-size=8000 npx tsx bench/heap-owners.ts file.heapsnapshot KilnLive KilnLive>tracker
// A path starts with a class name (KilnLive, Map, …) or "{a,b}", plain objects whose first
// properties are a and b, and goes on by property names (edges) with ">".
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[]; edges: number[]; strings: string[];
}

const [file, ...paths] = process.argv.slice(2);
if (!file) { console.error('usage: npx tsx bench/heap-owners.ts file.heapsnapshot [path ...]'); process.exit(2); }
const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const m = snap.snapshot.meta;
const NF = m.node_fields.length, EF = m.edge_fields.length;
const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => m.node_fields.indexOf(f)) as [number, number, number, number];
const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => m.edge_fields.indexOf(f)) as [number, number, number];
const { nodes, edges, strings } = snap;
const N = nodes.length / NF;
const nodeTypes = m.node_types[0], edgeTypes = m.edge_types[0];
const WEAK = edgeTypes.indexOf('weak'), SHORTCUT = edgeTypes.indexOf('shortcut');
const INDEXED = new Set([edgeTypes.indexOf('element'), edgeTypes.indexOf('hidden')]);

const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) { firstEdge[i] = e; e += nodes[i * NF + iEdges]! * EF; firstEdge[i + 1] = e; }
const kindOf = (v: number) => `${nodeTypes[nodes[v * NF + iType]!]}:${strings[nodes[v * NF + iName]!]!.slice(0, 40)}`;
const classOf = (v: number) => { const k = kindOf(v); return k.startsWith('object:') ? k.slice(7) : k; };
const strong = (e: number) => edges[e + eType] !== WEAK && edges[e + eType] !== SHORTCUT;
const edgeLabel = (e: number) => (INDEXED.has(edges[e + eType]!) ? '[]' : String(strings[edges[e + eName]!]).slice(0, 40));

// Post-order from the root (node 0), iteratively.
const post = new Int32Array(N).fill(-1), order = new Int32Array(N);
const seen = new Uint8Array(N), stack = new Int32Array(N), at = new Uint32Array(N);
let count = 0, sp = 1;
seen[0] = 1; at[0] = firstEdge[0]!;
while (sp) {
  const v = stack[sp - 1]!;
  let e = at[sp - 1]!, pushed = false;
  for (; e < firstEdge[v + 1]!; e += EF) {
    const to = edges[e + eTo]! / NF;
    if (!strong(e) || seen[to]) continue;
    seen[to] = 1; at[sp - 1] = e + EF; stack[sp] = to; at[sp] = firstEdge[to]!; sp++; pushed = true; break;
  }
  if (!pushed) { sp--; post[v] = count; order[count++] = v; }
}
// Predecessors, then dominators (Cooper, Harvey and Kennedy's iteration).
const predStart = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) if (seen[v]) for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (strong(e)) { const i = edges[e + eTo]! / NF + 1; predStart[i] = predStart[i]! + 1; }
for (let i = 0; i < N; i++) predStart[i + 1] = predStart[i + 1]! + predStart[i]!;
const preds = new Int32Array(predStart[N]!), fill = predStart.slice();
for (let v = 0; v < N; v++) if (seen[v]) for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (strong(e)) preds[fill[edges[e + eTo]! / NF]!++] = v;
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
for (let changed = true; changed;) {
  changed = false;
  for (let k = count - 2; k >= 0; k--) {
    const v = order[k]!;
    let d = -1;
    for (let p = predStart[v]!; p < predStart[v + 1]!; p++) {
      let u = preds[p]!;
      if (idom[u] === -1) continue;
      if (d === -1) { d = u; continue; }
      while (u !== d) { while (post[u]! < post[d]!) u = idom[u]!; while (post[d]! < post[u]!) d = idom[d]!; }
    }
    if (d !== idom[v]) { idom[v] = d; changed = true; }
  }
}
const retained = new Float64Array(N);
/** How many objects each one dominates (itself included): the collector marks each, so a count
 *  says more of its work than bytes do (a typed array's numbers are one object; a ring of pairs as
 *  objects, thousands). */
const objects = new Uint32Array(N);
const kids = new Map<number, number[]>();
for (let k = 0; k < count; k++) {
  const v = order[k]!;
  retained[v] = retained[v]! + nodes[v * NF + iSize]!;
  objects[v] = objects[v]! + 1;
  if (v === 0) continue;
  retained[idom[v]!] = retained[idom[v]!]! + retained[v]!;
  objects[idom[v]!] = objects[idom[v]!]! + objects[v]!;
  const list = kids.get(idom[v]!);
  if (list) list.push(v); else kids.set(idom[v]!, [v]);
}
/** The name of the edge from a dominator to a node it dominates, when it points there directly. */
function via(from: number, to: number): string {
  for (let e = firstEdge[from]!; e < firstEdge[from + 1]!; e += EF) if (edges[e + eTo]! / NF === to) return edgeLabel(e);
  return '?';
}
const propsOf = (v: number) => { const out: string[] = []; for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (edgeTypes[edges[e + eType]!] === 'property') out.push(strings[edges[e + eName]!]!); return out; };
const mb = (b: number) => (b / 1e6).toFixed(2).padStart(8);
const sum = (groups: Map<string, [number, number, number]>, key: string, v: number) => { const g = groups.get(key) ?? [0, 0, 0]; g[0] += retained[v]!; g[1]++; g[2] += objects[v]!; groups.set(key, g); };
const print = (groups: Map<string, [number, number, number]>, top: number) => {
  for (const [k, [b, n, o]] of [...groups].sort((a, b) => b[1][0] - a[1][0]).slice(0, top)) console.log(`${mb(b)} MB ${String(n).padStart(8)} ${String(o).padStart(10)} objects  ${k}`);
};

console.log(`${file}: ${count.toLocaleString('en-US')} live objects, ${(retained[0]! / 1e6).toFixed(1)} MB`);
const kObjects = (v: number) => `${(objects[v]! / 1000).toFixed(0).padStart(6)} k objects`;
const top = (kids.get(0) ?? []).sort((a, b) => retained[b]! - retained[a]!);
console.log('\nlargest owners (all they retain):');
for (const v of top.slice(0, 15)) {
  // Follow the largest child while it holds most of its owner: a path such as LiveHub>state>kilns.
  let path = classOf(v), u = v;
  for (let d = 0; d < 4; d++) {
    const c = (kids.get(u) ?? []).sort((a, b) => retained[b]! - retained[a]!)[0];
    if (c === undefined || retained[c]! < 0.8 * retained[u]!) break;
    path += `>${via(u, c)}`; u = c;
  }
  console.log(`${mb(retained[v]!)} MB ${kObjects(v)}  ${path}`);
}
const shared = new Map<string, [number, number, number]>();
for (const v of top.slice(15)) {
  const cls = classOf(v);
  sum(shared, cls === 'Object' ? `{${propsOf(v).slice(0, 4).join(',')}}` : cls, v);
}
console.log('\nheld from several places (grouped by class, or a plain object\'s first properties):');
print(shared, 12);

for (const path of paths) {
  const [start = '', ...steps] = path.split('>');
  let set: number[] = [];
  for (let k = 0; k < count; k++) {
    const v = order[k]!;
    if (start.startsWith('{') ? classOf(v) === 'Object' && propsOf(v).slice(0, start.slice(1, -1).split(',').length).join(',') === start.slice(1, -1) : classOf(v) === start) set.push(v);
  }
  for (const step of steps) set = set.flatMap((v) => (kids.get(v) ?? []).filter((c) => via(v, c) === step));
  const children = new Map<string, [number, number, number]>();
  let total = 0, owned = 0;
  for (const v of set) { total += retained[v]!; owned += objects[v]!; for (const c of kids.get(v) ?? []) sum(children, `${via(v, c)} (${classOf(c)})`, c); }
  console.log(`\n${path}: ${set.length.toLocaleString('en-US')} objects retaining ${(total / 1e6).toFixed(2)} MB (${set.length ? Math.round(total / set.length).toLocaleString('en-US') : 0} bytes and ${set.length ? Math.round(owned / set.length) : 0} objects each); their children:`);
  print(children, 15);
}
