// npm run bench:curve — the firing curve route (GET .../firings/:id/curve) over a 24 h firing at
// 1 Hz with 4 zones + gas flow (432,000 points) in a test influxd, beside reading the same firing's
// raw points with ReadingsReader (what the route did before it asked InfluxDB for aggregates).
// Prints median and max of BENCH_RUNS (7) runs per points value, on this machine.
// Env: BENCH_RUNS (7), BENCH_HOURS (24), BENCH_INTERVAL_S (1).
import { startTestInflux, uniqueDb } from '../tests/support/influx.ts';
import { startInProcess } from '../tests/support/service.ts';
import { writeSyntheticFiring } from '../tests/support/synthetic-firing.ts';
import { ReadingsReader } from '../src/adapters/influx/readings.ts';
import { fmt, table, timed, type Row } from './support/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 1);
const TARGET_MS = 500;
const WS = 'bench', KILN = 'k1', ID = 'bench-f1';

const say = (l: string) => process.stderr.write(`${l}\n`);


async function main(): Promise<void> {
  const influx = await startTestInflux();
  const db = uniqueDb('curvebench');
  const svc = await startInProcess({ INFLUX_DATABASE: db }, influx.url);
  try {
    const start_ms = Math.floor((Date.now() - (HOURS + 6) * 3_600_000) / 60_000) * 60_000;
    let t = performance.now();
    const w = await writeSyntheticFiring(influx.url, db, { workshop: WS, kiln: KILN, firing_id: ID, start_ms, duration_h: HOURS, interval_s: INTERVAL_S, zones: 4 });
    say(`wrote ${fmt(w.lines)} points (${HOURS} h × ${INTERVAL_S} s × 4 zones + flow) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // The first report computes the summary from the raw points and stores it in the firing index,
    // as when anyone first opens the report; the curve then finds the firing there.
    t = performance.now();
    const rep = await svc.app.inject({ method: 'GET', url: `/api/workshops/${WS}/kilns/${KILN}/firings/${ID}` });
    if (rep.statusCode !== 200) throw new Error(`report ${rep.statusCode}: ${rep.body}`);
    const report = rep.json<{ fuel: { fuel_kg: number | null }; stored: boolean; end: string | null }>();
    say(`first report (raw read + summary + index) ${((performance.now() - t) / 1000).toFixed(1)} s; fuel ${report.fuel.fuel_kg} kg, stored ${report.stored}, end ${report.end}`);

    const rows: Row[] = [];
    const result: Record<string, unknown> = { points_written: w.lines, runs: RUNS };
    for (const points of [1500, 2000, 20_000]) {
      const url = `/api/workshops/${WS}/kilns/${KILN}/firings/${ID}/curve?points=${points}`;
      await svc.app.inject({ method: 'GET', url }); // warm-up
      const r = await timed(RUNS, () => svc.app.inject({ method: 'GET', url }));
      const c = r.last.json<{ bucket_s: number; kiln_c: unknown[]; fuel_kg: [number, number][] }>();
      const fuelLast = c.fuel_kg[c.fuel_kg.length - 1]?.[1];
      say(`curve points=${points}: bucket ${c.bucket_s} s, ${c.kiln_c.length} buckets, ${fmt(r.last.body.length / 1024)} kB, last cumulative fuel ${fuelLast} kg`);
      rows.push({ what: `curve route, points=${points} (median / max)`, measured: `${r.median_ms.toFixed(0)} / ${r.max_ms.toFixed(0)} ms`, ...(points <= 2000 ? { target: `< ${TARGET_MS} ms`, pass: r.max_ms < TARGET_MS } : { target: '(5 s buckets)' }) });
      result[`curve_${points}`] = { median_ms: Math.round(r.median_ms), max_ms: Math.round(r.max_ms), bucket_s: c.bucket_s, buckets: c.kiln_c.length, bytes: r.last.body.length };
    }
    const reader = new ReadingsReader(influx.url, db);
    const raw = await timed(Math.min(RUNS, 3), () => reader.read({ workshop: WS, kiln: KILN, from_ms: start_ms, to_ms: w.end_ms + 1 }));
    rows.push({ what: `raw points, ReadingsReader (median / max of ${Math.min(RUNS, 3)})`, measured: `${raw.median_ms.toFixed(0)} / ${raw.max_ms.toFixed(0)} ms`, target: 'reference' });
    result.raw_read = { median_ms: Math.round(raw.median_ms), max_ms: Math.round(raw.max_ms), points: raw.last.length };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n${table(rows)}\n`);
  } finally {
    await svc.stop();
    await influx.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
