// Device credentials on the embedded broker: what they cost end to end. The same phase as F of
// `npm run bench` (publisher -> service's embedded aedes -> spool -> InfluxDB at full pace), run
// four times in A-B-B-A order, credentials off / on / on / off, each on a fresh service and
// database, so that a machine slowly getting busier (or InfluxDB compacting what the run before
// wrote) weighs on both sides alike. Prints every run and on ÷ off of the means; target >= 0.95.
// Environment: BENCH_SECONDS (each run, default 20), BENCH_WINDOW (QoS 1 in flight, default 1000).
import { loadavg } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startTestInflux } from '../tests/support/influx.ts';
import { freePort } from '../tests/support/ports.ts';
import { runE2e, type E2eResult } from './support/e2e.ts';
import { startSession } from './support/session.ts';
import { benchGateway, withLogin } from './support/device-auth.ts';
import { fmt, table } from './support/report.ts';
import { KILNS, READINGS_PER_MESSAGE, WORKSHOPS } from './support/payload.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 1000);
const ORDER = [false, true, true, false] as const; // credentials on?
const say = (l: string) => process.stdout.write(`${l}\n`);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');

async function main(): Promise<void> {
  // The gateway may publish for one workshop only: payload.ts publishes for one when this is set.
  if (WORKSHOPS !== 1) throw new Error('run it as npm run bench:device-auth (BENCH_DEVICE_AUTH=both)');
  say(`device credentials on the embedded broker: ${KILNS} kilns, ${READINGS_PER_MESSAGE} readings per message, QoS 1, window ${WINDOW}, ${SECONDS} s per run, order off-on-on-off`);
  const influx = await startTestInflux();
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bench-auth-'));
  const t0_ms = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
  const results: { on: boolean; r: E2eResult; load: string }[] = [];
  try {
    for (const [i, on] of ORDER.entries()) {
      const dir = join(dataDir, `run${i}`);
      mkdirSync(dir);
      const port = await freePort();
      const url = `mqtt://127.0.0.1:${port}`;
      const db = `bench_auth_${i}`;
      const s = await startSession({
        env: { MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(port), MQTT_ALLOW_ANONYMOUS: on ? 'false' : 'true', INFLUX_URL: influx.url, INFLUX_DATABASE: db, DATA_DIR: dir, LOG_LEVEL: 'warn' },
        httpPort: await freePort(), nodeFlags: [], logFile: process.env.BENCH_SERVICE_LOG,
        mqttUrl: on ? withLogin(url, benchGateway(dir)) : url, influxUrl: influx.url, db, t0_ms, pubId: `bench-auth-pub-${i}-${process.pid}`,
      });
      const before = load();
      say(`\nrun ${i + 1}: credentials ${on ? 'on (a gateway login, anonymous refused)' : 'off (anonymous allowed)'}; load ${before}`);
      try {
        const r = await runE2e({ pub: s.pub, svc: s.svc, sampler: s.sampler, pids: new Map([['bench', process.pid], ['service', s.pid]]), influxUrl: influx.url, db, t0_ms, window: WINDOW, say, label: on ? 'F*' : 'F', first_seq: 0, seconds: SECONDS });
        results.push({ on, r, load: before });
      } finally {
        await s.pub.endAsync();
        s.sampler.stop();
        await s.svc.stop();
      }
    }
  } finally {
    await influx.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const mean = (on: boolean) => { const xs = results.filter((x) => x.on === on).map((x) => x.r.e2e_readings_s); return xs.reduce((a, b) => a + b, 0) / xs.length; };
  const ratio = mean(true) / mean(false);
  const allWhole = results.every((x) => x.r.loss_free);
  say(`\nresults (machine load 1/5/15 min at the end: ${load()})`);
  say(table([
    ...results.map((x, i) => ({ what: `run ${i + 1} credentials ${x.on ? 'on ' : 'off'} end to end`, measured: `${fmt(x.r.e2e_readings_s)} readings/s`, target: `p50 / p99 ${fmt(x.r.p50_ms)} / ${fmt(x.r.p99_ms)} ms; load ${x.load}` })),
    { what: 'mean off / on', measured: `${fmt(mean(false))} / ${fmt(mean(true))} readings/s`, target: '' },
    { what: 'on / off', measured: fmt(ratio, 3), target: '>= 0.95', pass: ratio >= 0.95 },
    { what: 'zero loss in every run', measured: allWhole ? 'yes' : 'NO', target: 'yes', pass: allWhole },
  ]));
}

main().catch((err: Error) => { process.stderr.write(`${err.stack ?? err.message}\n`); process.exit(1); });
