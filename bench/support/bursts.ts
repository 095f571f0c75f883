// Phases G and H of npm run bench (burst.ts does one burst): the burst through Mosquitto, then
// through the embedded broker, each on a fresh service so that its VmHWM is the burst's peak.
import { freePort } from '../../tests/support/ports.ts';
import { AFTER_S, BURST_MESSAGES, runBurst, type BurstResult } from './burst.ts';
import { BURST_KILNS, READINGS_PER_MESSAGE } from './payload.ts';
import { fmt, type Row } from './report.ts';
import type { E2eSession } from './session.ts';

const TARGET_RSS_MB = 250;

export interface BurstPhaseOptions {
  readonly mosqUrl: string;
  readonly influxUrl: string;
  readonly window: number;
  readonly t0_ms: number;
  readonly say: (l: string) => void;
  readonly session: (name: string, env: Record<string, string | undefined>, mqttUrl: string, db: string) => Promise<E2eSession>;
}

async function one(o: BurstPhaseOptions, label: string, s: E2eSession, db: string): Promise<BurstResult> {
  try {
    return await runBurst({ label, pub: s.pub, pid: s.pid, influxUrl: o.influxUrl, db, t0_ms: o.t0_ms, window: o.window, say: o.say });
  } finally {
    await s.pub.endAsync();
    s.sampler.stop();
    await s.svc.stop();
  }
}

function rowsOf(label: string, path: string, r: BurstResult): Row[] {
  return [
    { what: `${label} burst (${path}): stored`, measured: `${fmt(r.stored_readings)} / ${fmt(r.acked_readings)}`, target: 'equal (zero loss)', pass: r.loss_free },
    { what: `${label} end to end`, measured: `${fmt(r.acked_readings / r.stored_s)} readings/s`, target: `(${fmt(r.stored_s, 1)} s)` },
    { what: `${label} service RSS idle / peak / ${AFTER_S.map((s) => `${s} s`).join(' / ')} after`, measured: `${[r.idle_rss_mb, r.peak_rss_mb, ...r.after_rss_mb].map((x) => fmt(x)).join(' / ')} MB`, target: `peak < ${TARGET_RSS_MB} MB`, pass: r.peak_rss_mb < TARGET_RSS_MB },
  ];
}

export async function burstPhases(o: BurstPhaseOptions): Promise<Row[]> {
  const what = `${fmt(BURST_MESSAGES)} messages x ${READINGS_PER_MESSAGE} readings = ${fmt(BURST_MESSAGES * READINGS_PER_MESSAGE)} readings across ${fmt(BURST_KILNS)} kilns`;
  const mq = await o.session('burst-mosquitto', { MQTT_URL: o.mosqUrl, MQTT_CLIENT_ID: `bench-burst-${process.pid}` }, o.mosqUrl, 'bench_burst');
  o.say(`\nphase G [Mosquitto path]: a burst of ${what}, published as fast as the window allows, on a fresh service`);
  const g = await one(o, 'G', mq, 'bench_burst');
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  const emb = await o.session('burst-embedded', { MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(port), MQTT_ALLOW_ANONYMOUS: 'true' }, url, 'bench_burst_embedded');
  o.say(`\nphase H [embedded path]: the same burst through the service's embedded broker, on a fresh service`);
  const h = await one(o, 'H', emb, 'bench_burst_embedded');
  return [{ what: `Bursts (${what}):`, measured: '' }, ...rowsOf('G', 'Mosquitto', g), ...rowsOf('H', 'embedded', h)];
}
