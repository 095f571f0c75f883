// The service as its own process for the end-to-end phases (C and D through Mosquitto, F with
// its embedded broker): start it, connect the publisher to the broker the service listens to,
// and prove the path with one warm-up message an hour before t0 (outside every count) before
// the clock starts (a kiln of its own, w0, in the workshop a benchmark gateway may publish for). Then sample the service's memory and CPU.
import type { MqttClient } from 'mqtt';
import { connectPublisher } from './publisher.ts';
import { BENCH_WORKSHOP } from './payload.ts';
import { influxQuery } from './poller.ts';
import { ProcSampler } from './procstat.ts';
import { fmt } from './report.ts';
import { startService, writeMetrics, type BenchService } from './service.ts';
import { health } from './e2e.ts';

export interface E2eSession {
  readonly svc: BenchService;
  readonly pid: number;
  readonly pub: MqttClient;
  readonly sampler: ProcSampler;
}

export interface SessionOptions {
  readonly env: Record<string, string | undefined>;
  readonly httpPort: number;
  readonly nodeFlags: readonly string[];
  readonly logFile: string | undefined;
  readonly mqttUrl: string; // where the publisher connects: Mosquitto, or the service's embedded port
  readonly influxUrl: string;
  readonly db: string;
  readonly t0_ms: number;
  readonly pubId: string;
}

export async function startSession(o: SessionOptions): Promise<E2eSession> {
  const svc = startService(o.env, o.httpPort, o.nodeFlags, o.logFile);
  try {
    await svc.waitReady();
    const pub = await connectPublisher(o.mqttUrl, o.pubId);
    await pub.publishAsync(`kiln/v1/${BENCH_WORKSHOP}/w0/telemetry`, JSON.stringify({ v: 1, ts_ms: o.t0_ms - 3_600_000, seq: 0, temp_c: { z1: 20 } }), { qos: 1 });
    const stored = () => influxQuery(o.influxUrl, o.db, 'SELECT count("temp_c") FROM "temperature"').catch(() => []);
    for (let i = 0; i < 200 && (await stored()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const sampler = new ProcSampler(svc.proc.pid!);
    sampler.start();
    return { svc, pid: svc.proc.pid!, pub, sampler };
  } catch (err) {
    await svc.stop();
    throw err;
  }
}

/** The service's own account, after its phases: readings accepted vs sent, rejected, InfluxDB batches. */
export async function serviceSummary(svc: BenchService, sent_readings: number): Promise<{ line: string; rejected: number }> {
  const h = await health(svc);
  const wm = await writeMetrics(svc);
  const rejected = h.ingest.readings_rejected ?? NaN;
  return {
    rejected,
    line: `/api/health readings_accepted ${fmt(h.ingest.readings_accepted ?? NaN)} (sent ${fmt(sent_readings)}), readings_rejected ${rejected}; ` +
      `InfluxDB batches ${fmt(wm.batches)} (mean ${fmt((h.ingest.readings_stored ?? NaN) / wm.batches)} readings, ${fmt(wm.mean_ms, 1)} ms each, ${wm.over_250ms} over 250 ms, ${wm.errors} errors)`,
  };
}
