// Phase B: the raw InfluxDB reference. Batches of 5,000 points of the same shapes the service
// writes (measurement, tags workshop/kiln/channel, float fields + seq), through the `influx`
// package's writePoints at ms precision, one batch in flight as the drainer does. The next batch
// is built while the current one is being written, so the rate is InfluxDB's and the client's.
import { InfluxDB, type IPoint } from 'influx';
import { KILNS, WORKSHOPS, ZONES, tsOf } from './payload.ts';
import { fmt } from './report.ts';
import { nowMs } from './publisher.ts';
import { CpuMeter } from './procstat.ts';

export const RAW_BATCH_POINTS = 5000;

export interface RawInfluxResult { readonly points: number; readonly batches: number; readonly points_s: number; readonly mean_batch_ms: number; readonly cpu: string }

function pointsOf(t0_ms: number, seq: number, out: IPoint[]): void {
  const kiln = seq % KILNS;
  const tags = { workshop: `bt-${kiln % WORKSHOPS}`, kiln: `k${String(kiln).padStart(3, '0')}` };
  const timestamp = tsOf(t0_ms, seq);
  for (let z = 0; z < ZONES; z++) {
    out.push({ measurement: 'temperature', tags: { ...tags, channel: `z${z + 1}` }, fields: { temp_c: 600 + ((seq + z) % 6000) / 10, seq }, timestamp });
  }
  out.push({ measurement: 'gas_flow', tags: { ...tags, channel: 'burner' }, fields: { flow_kg_h: 8 + (seq % 40) / 10, seq }, timestamp });
  out.push({ measurement: 'gas_scale', tags: { ...tags, channel: 'cylinders' }, fields: { mass_kg: 480 - (seq % 1000) / 10, seq }, timestamp });
}

export async function rawInflux(url: string, database: string, t0_ms: number, seconds: number, pids: ReadonlyMap<string, number>, say: (l: string) => void): Promise<RawInfluxResult> {
  const u = new URL(url);
  const client = new InfluxDB({ host: u.hostname, port: Number(u.port), database });
  await client.query(`CREATE DATABASE "${database}"`);
  let seq = 0;
  const build = () => {
    const batch: IPoint[] = [];
    while (batch.length < RAW_BATCH_POINTS) pointsOf(t0_ms, seq++, batch);
    return batch;
  };
  let points = 0;
  let batches = 0;
  let write_ms = 0;
  const cpu = new CpuMeter(pids).start();
  const start = nowMs();
  let lastSay = start;
  let next = build();
  while (nowMs() - start < seconds * 1000) {
    const t = nowMs();
    const writing = client.writePoints(next, { precision: 'ms' });
    const n = next.length;
    next = build();
    await writing;
    write_ms += nowMs() - t;
    points += n;
    batches++;
    if (nowMs() - lastSay >= 5000) {
      lastSay = nowMs();
      say(`  [B ${((lastSay - start) / 1000).toFixed(0)} s] ${fmt(points)} points written (${fmt(points / ((lastSay - start) / 1000))} points/s)`);
    }
  }
  const elapsed_s = (nowMs() - start) / 1000;
  const cpuLine = cpu.stop();
  await client.query(`DROP DATABASE "${database}"`); // free influxd's cache before phase C
  return { points, batches, points_s: points / elapsed_s, mean_batch_ms: write_ms / batches, cpu: cpuLine };
}
