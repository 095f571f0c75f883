// npm run bench:brotli — what one open brotli stream of GET /api/live (and
// /api/live/spark) holds, and how small it makes the body, with the service's window
// (src/http/compression.ts, lgwin 18) beside @fastify/compress's default (quality 4, brotli's own
// 4 MB window, lgwin 22). The bodies are the real ones: a live view (src/live/hub.ts) fed 10 min of
// readings every 10 s from BENCH_KILNS (10,000) kilns, 4 zones, a gas flow and a totaliser each.
// BENCH_STREAMS (10) streams of each are kept open at once, as when several phones open the
// overview together; the memory a stream holds is the peak rise of the process's RSS over the
// streams, divided by them. Each setting runs in a process of its own (memory freed by one would
// be reused by the next), the same body built in each.
import { fork } from 'node:child_process';
import { constants, createBrotliCompress, type BrotliOptions } from 'node:zlib';
import type { Readable } from 'node:stream';
import { LiveHub } from '../src/live/hub.ts';
import { BROTLI_LGWIN, BROTLI_OPTIONS } from '../src/http/compression.ts';
import type { Point } from '../src/domain/point.ts';
import { fmt, table, type Row } from './support/report.ts';

const KILNS = Number(process.env.BENCH_KILNS ?? 10_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10);
const say = (l: string) => process.stderr.write(`${l}\n`);

function feed(hub: LiveHub): void {
  const t0 = Date.now() - 10 * 60_000;
  for (let step = 0; step < 60; step++) {
    const ts_ms = t0 + step * 10_000;
    for (let i = 0; i < KILNS; i++) {
      const tags = { workshop: `ws${String(Math.floor(i / 20)).padStart(3, '0')}`, kiln: `K${String((i % 20) + 1).padStart(2, '0')}` };
      const base = 200 + ((i * 37) % 900) + step * 2;
      const points: Point[] = ['top', 'middle', 'bottom', 'door'].map((channel, z) => ({ measurement: 'temperature', tags: { ...tags, channel }, fields: { temp_c: base - z * 7 + Math.random() }, ts_ms }) as Point);
      points.push({ measurement: 'gas_flow', tags: { ...tags, channel: 'main' }, fields: { flow_kg_h: 4 + Math.random() }, ts_ms } as Point);
      points.push({ measurement: 'gas_total', tags: { ...tags, channel: 'main' }, fields: { total_kg: 1000 + step * 0.013 + i / 10 }, ts_ms } as Point);
      hub.offer(points);
    }
  }
}

interface Figures { bytes_in: number; bytes_out: number; rss_mb: number; ms: number }
type Setting = 'default' | 'service';
const OPTIONS: Record<Setting, BrotliOptions> = {
  default: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }, // @fastify/compress's own
  service: BROTLI_OPTIONS,
};

/** STREAMS bodies through STREAMS compressors at once; RSS sampled while they run. */
async function measure(body: () => Readable, options: BrotliOptions): Promise<Figures> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let bytes_in = 0, bytes_out = 0, peak = rss0;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  await Promise.all(Array.from({ length: STREAMS }, (_, s) => new Promise<void>((resolve, reject) => {
    const br = createBrotliCompress(options);
    br.on('data', (d: Buffer) => { if (s === 0) bytes_out += d.length; });
    br.on('end', resolve);
    br.on('error', reject);
    const src = body();
    src.on('data', (c: string | Buffer) => { if (s === 0) bytes_in += Buffer.byteLength(c); });
    src.pipe(br);
  })));
  clearInterval(timer);
  return { bytes_in, bytes_out, rss_mb: (Math.max(peak, process.memoryUsage().rss) - rss0) / 1e6 / STREAMS, ms: performance.now() - t0 };
}

/** In the child: one setting, both bodies; the figures go back to the parent. */
async function child(setting: Setting): Promise<void> {
  const hub = new LiveHub({ max_points_per_s: 1e12 });
  const t = performance.now();
  feed(hub);
  say(`  ${setting}: live view of ${fmt(KILNS)} kilns fed 60 messages each in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const live = await measure(() => hub.snapshotStream(), OPTIONS[setting]);
  const spark = await measure(() => hub.sparksStream(), OPTIONS[setting]);
  hub.close();
  process.send!({ live, spark });
}

function run(setting: Setting): Promise<{ live: Figures; spark: Figures }> {
  return new Promise((resolve, reject) => {
    const c = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, BENCH_ROLE: setting } });
    c.once('message', (m) => resolve(m as { live: Figures; spark: Figures }));
    c.once('exit', (code) => { if (code !== 0) reject(new Error(`${setting} run exited ${code}`)); });
  });
}

async function main(): Promise<void> {
  const d = await run('default');
  const s = await run('service');
  const rows: Row[] = [];
  for (const [name, k] of [['/api/live', 'live'], ['/api/live/spark', 'spark']] as const) {
    rows.push(
      { what: `${name}: body`, measured: `${fmt(d[k].bytes_in / 1e6, 1)} MB`, target: `${fmt(KILNS)} kilns` },
      { what: `${name}: compressed, default ; service`, measured: `${fmt(d[k].bytes_out / 1e3)} ; ${fmt(s[k].bytes_out / 1e3)} KB`, target: `lgwin 22 ; lgwin ${BROTLI_LGWIN}` },
      { what: `${name}: RSS a stream, default ; service`, measured: `${fmt(d[k].rss_mb, 1)} ; ${fmt(s[k].rss_mb, 1)} MB`, target: `peak rise with ${STREAMS} streams at once, divided by them` },
      { what: `${name}: time for ${STREAMS}, default ; service`, measured: `${fmt(d[k].ms)} ; ${fmt(s[k].ms)} ms`, target: '' },
    );
  }
  process.stdout.write(`\nbrotli window for the overview's bodies, node ${process.version}, this machine\n${table(rows)}\n`);
}

const role = process.env.BENCH_ROLE as Setting | undefined;
(role ? child(role) : main()).catch((err: unknown) => { console.error(err); process.exit(1); });
