// npm run bench:analytics — the two analytics figures (docs/benchmarks.md), measured on this machine against a
// real influxd, beside the references that explain them:
//   1. The summary of a 24 h firing at 1 Hz with 4 zones (+ gas flow: 432,000 points), through
//      GET .../firings/:id as a user opens it, and its size in bytes (under 50 KB). The firing index keeps each closed firing's summary
//      (computed from InfluxDB once, by the indexer, when the firing ends or late readings land);
//      the report serves it. Printed beside: the indexer's pass over that firing (the background
//      cost), and the summary computed from the raw readings on request (no index).
//   2. The adviser's roll-up over 100 kilns × a year of firings (one every 2 days per kiln, the
//      fastest a 22 h firing plus cooling allows: 18,000 firings), each indexed as the indexer
//      keeps it (with ware and good kg from its load and grading, which are stored too), and a
//      coal baseline per workshop, through GET /api/rollup, by kiln and month.
// Prints median and max of BENCH_RUNS (9) runs. A benchmark, not a test: it exits 0 on a miss.
// Env: BENCH_RUNS (9), BENCH_KILNS (100), BENCH_FIRINGS_PER_KILN (180).
import { escape } from 'influx';
import { startTestInflux, uniqueDb } from '../tests/support/influx.ts';
import { startInProcess } from '../tests/support/service.ts';
import { writeSyntheticFiring } from '../tests/support/synthetic-firing.ts';
import { ReadingsReader } from '../src/adapters/influx/readings.ts';
import { FiringService } from '../src/firings/service.ts';
import type { FiringFigures } from '../src/domain/savings/firing-figures.ts';
import { fmt, table, timed, type Row } from './support/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const KILNS = Number(process.env.BENCH_KILNS ?? 100);
const PER_KILN = Number(process.env.BENCH_FIRINGS_PER_KILN ?? 180);
const WORKSHOPS = 10;
const TARGET = { summary_ms: 300, rollup_ms: 500, report_bytes: 50_000 };
const H = 3_600_000;
const say = (l: string) => process.stderr.write(`${l}\n`);

const ms = (r: { median_ms: number; max_ms: number }) => `${r.median_ms.toFixed(0)} / ${r.max_ms.toFixed(0)} ms`;

async function write(url: string, db: string, lines: string[], rp?: string): Promise<void> {
  for (let i = 0; i < lines.length; i += 5000) {
    const res = await fetch(`${url}/write?db=${db}&precision=ms${rp ? `&rp=${rp}` : ''}`, { method: 'POST', body: lines.slice(i, i + 5000).join('\n') });
    if (!res.ok) throw new Error(`write ${res.status}: ${await res.text()}`);
  }
}

async function main(): Promise<void> {
  const influx = await startTestInflux();
  const rows: Row[] = [];
  try {
    // 1. The 24 h × 1 Hz firing.
    const db = uniqueDb('anabench');
    const svc = await startInProcess({ INFLUX_DATABASE: db, FIRING_INDEX_INTERVAL_S: '3600' }, influx.url);
    try {
      const ws = 'bench', kiln = 'k1', id = 'bench-f1';
      const start_ms = Math.floor((Date.now() - 30 * H) / 60_000) * 60_000;
      const w = await writeSyntheticFiring(influx.url, db, { workshop: ws, kiln, firing_id: id, start_ms, duration_h: 24, interval_s: 1, zones: 4 });
      say(`wrote ${fmt(w.lines)} points: 24 h × 1 Hz × 4 zones + gas flow`);
      const fresh = new FiringService({ readings: new ReadingsReader(influx.url, db), records: svc.runtime.records });
      const cold = await timed(3, () => fresh.firingReport({ workshop: ws, kiln, firing_id: id }));
      if (cold.last?.end_ms === undefined) throw new Error('the synthetic firing was not found');
      // The indexer's pass, as after the firing's last readings were stored.
      svc.runtime.indexer.note([{ measurement: 'temperature', tags: { workshop: ws, kiln, channel: 'z1' }, fields: {}, ts_ms: w.end_ms }]);
      const t = performance.now();
      await svc.runtime.indexer.pass();
      const pass_ms = performance.now() - t;
      const st = svc.runtime.indexer.stats;
      if (st.errors || st.firings_stored < 1) throw new Error(`indexer: ${JSON.stringify(st)}`);
      const url = `/api/workshops/${ws}/kilns/${kiln}/firings/${id}`;
      const served = await timed(RUNS, () => svc.app.inject({ method: 'GET', url }));
      const rep = served.last.json<{ stored: boolean; fuel: { fuel_kg: number }; peak_c: number }>();
      if (!rep.stored) throw new Error('the report did not come from the firing index');
      say(`report: fuel ${rep.fuel.fuel_kg.toFixed(2)} kg (computed afresh: ${cold.last.fuel.fuel_kg!.toFixed(2)} kg), peak ${rep.peak_c} °C`);
      rows.push({ what: '24 h × 1 Hz firing: GET report (summary kept in the index)', measured: ms(served), target: `< ${TARGET.summary_ms} ms`, pass: served.max_ms < TARGET.summary_ms });
      // What the browser downloads: totals per meter, per hour and per stage, no per-interval segment.
      const bytes = Buffer.byteLength(served.last.body);
      rows.push({ what: '  its size (JSON bytes, as served)', measured: `${fmt(bytes)} B`, target: `< ${fmt(TARGET.report_bytes)} B`, pass: bytes < TARGET.report_bytes });
      rows.push({ what: '  the indexer computing it from InfluxDB (once, background)', measured: `${pass_ms.toFixed(0)} ms`, target: 'reference' });
      rows.push({ what: '  computed from the raw readings on request (no index, 3 runs)', measured: ms(cold), target: 'reference' });
    } finally {
      await svc.stop();
    }

    // 2. The roll-up: 100 kilns × a year.
    const db2 = uniqueDb('rollbench');
    const svc2 = await startInProcess({ INFLUX_DATABASE: db2, FIRING_INDEX_INTERVAL_S: '3600' }, influx.url);
    try {
      await svc2.runtime.records.currentPrices(); // creates the database and the `records` retention policy
      const year0 = Date.parse('2025-01-01T00:00:00+07:00');
      const firing: string[] = [], recs: string[] = [];
      let n = 0;
      for (let k = 0; k < KILNS; k++) {
        const workshop = `ws${k % WORKSHOPS}`, kilnId = `k${k}`;
        for (let i = 0; i < PER_KILN; i++, n++) {
          const start = year0 + i * 2 * 24 * H + k * 60_000;
          const fuel = 150 + ((n * 37) % 100);
          // As the index keeps them: with ware and good kg from the load and grading below (all cups: good = ware × first / pieces).
          const ware_kg = 700 + (n % 200), first = 340 + (n % 40);
          const f: FiringFigures = {
            firing_id: `F${i}`, workshop, kiln: kilnId, started_at_ms: start, ware_kg, good_kg: (ware_kg * first) / 400,
            lpg_kg: fuel, energy_mj: fuel * 47.3, cost_vnd: fuel * 30_000, co2_kg: fuel * 2.985, duration_h: 20 + (n % 6), confidence: 'H',
          };
          firing.push(`firing,kiln=${kilnId},workshop=${workshop} id=${escape.quoted(f.firing_id)},closed=true,figures_json=${escape.quoted(JSON.stringify(f))},summary_json="",record_json="{}",schedule_name="",prices_key="",computed_at_ms=${start} ${start}`);
          const tags = (kind: string) => `record,key=${f.firing_id},kind=${kind},kiln=${kilnId},workshop=${workshop}`;
          const load = { ware_kg, furniture_kg: 300, products: [{ product: 'cup', pieces: 400, ware_kg }], recorded_at_ms: start, by: 'bench' };
          const grading = { products: [{ product: 'cup', first, second: 20, reject: 40 - (n % 40) }], recorded_at_ms: start, by: 'bench' };
          recs.push(`${tags('load')} by="bench",json=${escape.quoted(JSON.stringify(load))} ${start + H}`);
          recs.push(`${tags('grading')} by="bench",json=${escape.quoted(JSON.stringify(grading))} ${start + 30 * H}`);
        }
      }
      const t = performance.now();
      await write(influx.url, db2, firing, 'records');
      await write(influx.url, db2, recs, 'records');
      const s = (v: number) => ({ value: v, source: 'bench', confidence: 'M' as const });
      for (let w = 0; w < WORKSHOPS; w++) {
        await svc2.runtime.records.addBaseline({
          workshop: `ws${w}`, period: { from: '2004-01-01', to: '2004-12-31' }, coal_kg_per_firing: s(2000), ware_kg_per_firing: s(1500), yield_pct: s(70),
          duration_h: s(30), coal_ncv_mj_per_kg: s(26.7), coal_price_vnd_per_kg: s(3000), co2_kg_per_kg_coal: s(2.6), recorded_at_ms: year0, by: 'bench',
        } as never);
      }
      say(`wrote ${fmt(n)} indexed firings, ${fmt(recs.length)} loads and gradings and ${WORKSHOPS} baselines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const url = '/api/rollup?level=kiln&period=month&from=2025-01-01&to=2025-12-31';
      const first = await svc2.app.inject({ method: 'GET', url });
      const body = first.json<{ rows: { firings: number; savings: { energy_mj: { avoided: number } } | null }[] }>();
      const counted = body.rows.reduce((a, r) => a + r.firings, 0);
      if (counted !== n) throw new Error(`roll-up counted ${counted} firings of ${n}`);
      say(`roll-up: ${fmt(body.rows.length)} rows (kiln × month), ${fmt(counted)} firings, avoided energy ${fmt(body.rows.reduce((a, r) => a + (r.savings?.energy_mj.avoided ?? 0), 0) / 1000)} GJ`);
      const roll = await timed(RUNS, () => svc2.app.inject({ method: 'GET', url }));
      rows.push({ what: `roll-up, ${KILNS} kilns × a year (${fmt(n)} firings), by kiln and month`, measured: ms(roll), target: `< ${TARGET.rollup_ms} ms`, pass: roll.max_ms < TARGET.rollup_ms });
      const village = await timed(RUNS, () => svc2.app.inject({ method: 'GET', url: '/api/rollup?level=village&period=all&from=2025-01-01&to=2025-12-31' }));
      rows.push({ what: '  the same firings, village total', measured: ms(village), target: `< ${TARGET.rollup_ms} ms`, pass: village.max_ms < TARGET.rollup_ms });
      const from = Date.parse('2025-01-01T00:00:00+07:00'), to = Date.parse('2026-01-01T00:00:00+07:00');
      const figs = await timed(RUNS, () => svc2.runtime.index.figures(from, to));
      rows.push({ what: '  of which: the firings\' figures from the index', measured: ms(figs), target: 'reference' });
      const one = await timed(RUNS, () => svc2.app.inject({ method: 'GET', url: '/api/rollup?level=kiln&period=month&from=2025-01-01&to=2025-12-31&workshop=ws3' }));
      rows.push({ what: `  one workshop (${fmt(n / WORKSHOPS)} firings)`, measured: ms(one), target: 'reference' });
    } finally {
      await svc2.stop();
    }
    process.stdout.write(`\nanalytics benchmark, median / max of ${RUNS} runs (this machine, real influxd 1.6)\n${table(rows)}\n`);
  } finally {
    await influx.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
