// npx tsx bench/series-cache.bench.ts — toLineProtocol's µs a reading for fleets of 8,000 to
// 12,000 kilns (10 series each: 4 zones, flow, totaliser, O₂, damper, two event types), every
// series in turn with tag strings made anew each time, as decoding makes them. The series part of
// a line is made anew for every reading (no cache: src/adapters/influx/line-protocol.ts), so the
// cost should not depend on the fleet's size. Each fleet runs in its own process.
import { fork } from 'node:child_process';
import { toLineProtocol } from '../src/adapters/influx/line-protocol.ts';
import type { Point } from '../src/domain/point.ts';
import { fmt, table, type Row } from './support/report.ts';

const PASSES = 5;

function pointsOf(kilns: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < kilns; i++) {
    const tags = { workshop: `ws${Math.floor(i / 20)}`, kiln: `K${i % 20}` };
    for (const channel of ['top', 'middle', 'bottom', 'door']) out.push({ measurement: 'temperature', tags: { ...tags, channel }, fields: { temp_c: 812.4, seq: 1 }, ts_ms: 1764140400000 });
    out.push({ measurement: 'gas_flow', tags: { ...tags, channel: 'main' }, fields: { flow_kg_h: 4.2, seq: 1 }, ts_ms: 1764140400000 });
    out.push({ measurement: 'gas_total', tags: { ...tags, channel: 'main' }, fields: { total_kg: 1204.5, seq: 1 }, ts_ms: 1764140400000 });
    out.push({ measurement: 'oxygen', tags: { ...tags, channel: 'flue' }, fields: { o2_pct: 6.1, seq: 1 }, ts_ms: 1764140400000 });
    out.push({ measurement: 'damper', tags: { ...tags, channel: 'flue' }, fields: { open_pct: 40, seq: 1 }, ts_ms: 1764140400000 });
    for (const type of ['firing_start', 'firing_stop']) out.push({ measurement: 'event', tags: { ...tags, channel: 'controller', type }, fields: { seq: 1 }, ts_ms: 1764140400000 });
  }
  return out;
}

/** In the child: µs a reading over PASSES passes, each with fresh tag strings. */
function child(kilns: number): void {
  const points = pointsOf(kilns);
  let bytes = 0;
  const t0 = performance.now();
  for (let pass = 0; pass < PASSES; pass++) {
    for (const p of points) {
      const t = p.tags;
      const tags = { workshop: (` ${t.workshop}`).slice(1), kiln: (` ${t.kiln}`).slice(1), channel: (` ${t.channel}`).slice(1), ...(t.type ? { type: (` ${t.type}`).slice(1) } : {}) };
      bytes += toLineProtocol({ ...p, tags }).length;
    }
  }
  const us = ((performance.now() - t0) * 1000) / (points.length * PASSES);
  process.send!({ series: points.length, us, bytes });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const kilns of [8000, 10_000, 12_000]) {
    const r = await new Promise<{ series: number; us: number }>((resolve, reject) => {
      const c = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, BENCH_KILNS: String(kilns) } });
      c.once('message', (m) => resolve(m as { series: number; us: number }));
      c.once('exit', (code) => { if (code !== 0) reject(new Error(`exit ${code}`)); });
    });
    rows.push({ what: `${fmt(kilns)} kilns, ${fmt(r.series)} series`, measured: `${fmt(r.us, 2)} µs a reading`, target: 'the same at every fleet size' });
  }
  process.stdout.write(`\nline protocol, the series made for every reading, node ${process.version}, this machine\n${table(rows)}\n`);
}

if (process.env.BENCH_KILNS) child(Number(process.env.BENCH_KILNS));
else main().catch((err: unknown) => { console.error(err); process.exit(1); });
