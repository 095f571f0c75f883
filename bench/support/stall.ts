// Helpers for bench/stall.bench.ts: a health poller (how long /api/health takes to answer, every
// ~100 ms), a dense outbox replay (1,000 readings a message, 1 ms apart, QoS 1), and stored history
// written straight into InfluxDB with line protocol, with the firing index checkpoints the live
// view restores from after a restart.
import type { MqttClient } from 'mqtt';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { initialState, type ActiveFiring } from '../../src/domain/firing/index.ts';
import { FiringIndexStore } from '../../src/firings/index-store.ts';
import { RecordStore } from '../../src/records/store.ts';

export interface LoopFigures { p50_ms: number; p99_ms: number; max_ms: number; samples: number }

export async function healthOf(url: string, reset = false): Promise<{ event_loop: LoopFigures; ingest: Record<string, number> }> {
  return (await fetch(`${url}/api/health${reset ? '?event_loop_reset' : ''}`)).json() as never;
}

/** Polls GET /api/health every ~100 ms (one at a time); a poll that fails or times out counts as
 *  the time it took. */
export class HealthPoller {
  readonly latencies_ms: number[] = [];
  failures = 0;
  private running = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly url: string, private readonly timeout_ms = 60_000) {}

  start(): this {
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        const t = performance.now();
        try {
          const res = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(this.timeout_ms) });
          await res.arrayBuffer();
          if (!res.ok) this.failures++;
        } catch {
          this.failures++;
        }
        const took = performance.now() - t;
        this.latencies_ms.push(took);
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - took)));
      }
    })();
    return this;
  }

  async stop(): Promise<{ max_ms: number; p99_ms: number; polls: number; failures: number }> {
    this.running = false;
    await this.done;
    const xs = [...this.latencies_ms].sort((a, b) => a - b);
    return { max_ms: xs[xs.length - 1] ?? NaN, p99_ms: xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)] ?? NaN, polls: xs.length, failures: this.failures };
  }
}

export const ZONES = ['z1', 'z2', 'z3', 'z4'];
export const METERS = ['g1', 'g2'];

/** One replayed outbox message: `n` readings 1 ms apart from ts0_ms, each 4 zones + 2 flow meters. */
export function densePayload(ts0_ms: number, seq0: number, n: number): string {
  const readings = [];
  for (let i = 0; i < n; i++) {
    const temp_c: Record<string, number> = {};
    for (const z of ZONES) temp_c[z] = Math.round((600 + (seq0 + i) / 1000 + Math.sin(i / 50) * 2) * 100) / 100;
    const gas: Record<string, unknown> = {};
    for (const g of METERS) gas[g] = { kind: 'flow', flow_kg_h: 6 };
    readings.push({ ts_ms: ts0_ms + i, seq: seq0 + i, temp_c, gas });
  }
  return JSON.stringify({ v: 1, device: 'outbox', readings });
}

/** Publish `messages` dense messages as fast as `window` QoS 1 publishes in flight allow. */
export async function replayOutbox(client: MqttClient, topic: string, t0_ms: number, messages: number, per_message: number, window: number): Promise<{ acked: number; errors: number }> {
  let next = 0, acked = 0, errors = 0, inflight = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (inflight < window && next < messages) {
        const m = next++;
        inflight++;
        client.publish(topic, densePayload(t0_ms + m * per_message, m * per_message, per_message), { qos: 1 }, (err) => {
          inflight--;
          if (err) errors++; else acked++;
          if (acked + errors === messages) resolve(); else pump();
        });
      }
    };
    pump();
  });
  return { acked, errors };
}

export interface History { kilns: number; hours: number; zones: number; meters: number; end_ms: number; workshop: string }

const H = 3_600_000;

/** K kilns × hours of 1 Hz readings ending at end_ms (a firing climbing all the while), written
 *  with line protocol, `inflight` batches at a time; then each kiln's index checkpoint saying a
 *  firing is open since the first hour, as the indexer leaves it, so a restart restores them all. */
export async function writeHistory(influx_url: string, db: string, h: History, say: (l: string) => void): Promise<number> {
  const start_ms = h.end_ms - h.hours * H;
  let lines = 0;
  const t0 = performance.now();
  const post = async (body: string) => {
    for (let attempt = 1; ; attempt++) { // a busy influxd answers {"error":"timeout"} now and then: the write is idempotent
      const res = await fetch(`${influx_url}/write?db=${db}&precision=ms`, { method: 'POST', body });
      if (res.status === 204) return;
      const text = await res.text();
      if (attempt >= 5) throw new Error(`write failed ${res.status}: ${text}`);
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  };
  const zs = ZONES.slice(0, h.zones).concat(Array.from({ length: Math.max(0, h.zones - ZONES.length) }, (_, i) => `z${i + 5}`));
  const ms = METERS.slice(0, h.meters).concat(Array.from({ length: Math.max(0, h.meters - METERS.length) }, (_, i) => `g${i + 3}`));
  const inflight: Promise<void>[] = [];
  for (let k = 0; k < h.kilns; k++) {
    const kiln = `k${k}`;
    let batch: string[] = [];
    for (let t = start_ms, s = 0; t < h.end_ms; t += 1000, s++) {
      const temp = 20 + (1180 * (t - start_ms)) / (h.end_ms - start_ms);
      for (const z of zs) batch.push(`temperature,channel=${z},kiln=${kiln},workshop=${h.workshop} temp_c=${(temp + Math.sin(s / 30)).toFixed(2)},seq=${s} ${t}`);
      for (const g of ms) batch.push(`gas_flow,channel=${g},kiln=${kiln},workshop=${h.workshop} flow_kg_h=8,seq=${s} ${t}`);
      if (batch.length >= 20_000) {
        inflight.push(post(batch.join('\n')));
        lines += batch.length;
        batch = [];
        if (inflight.length >= 2) await inflight.shift();
      }
    }
    if (batch.length) { inflight.push(post(batch.join('\n'))); lines += batch.length; }
    if (k % 10 === 9) say(`  history: ${k + 1}/${h.kilns} kilns, ${(lines / 1e6).toFixed(1)} M points, ${Math.round(lines / ((performance.now() - t0) / 1000))} points/s`);
  }
  await Promise.all(inflight);
  const store = new InfluxStore({ url: influx_url, database: db, retention: 'INF', timeout_ms: 30_000 });
  const index = new FiringIndexStore(store, new RecordStore(store));
  for (let k = 0; k < h.kilns; k++) {
    const firing: ActiveFiring = {
      id: `k${k}-open`, start_ms: start_ms + H, by: 'detected', target_c: null, peak_c: 1200, peak_ms: h.end_ms, climb: [], atmosphere: null,
      cooling_since_ms: null, stop: null, stage: 'ramp_to_peak', stage_since_ms: start_ms + H, candidate: null,
    };
    await index.saveCheckpoint({ workshop: h.workshop, kiln: `k${k}` }, { until_ms: h.end_ms, since_ms: start_ms, state: { ...initialState(), firing }, open_events: [] });
  }
  store.close();
  return lines;
}
