// Ingest benchmark (npm run bench). Prints, from one run on this machine, for both MQTT paths of
// the service: the end-to-end rate (publish until queryable in InfluxDB), latency, the service's
// peak RSS and a zero-loss check, each beside the raw rate of its broker alone, measured in the
// same run with the same publisher, payloads and window (QoS 1 publishes in flight).
//   Mosquitto path (MQTT_URL: the service subscribes to an external broker):
//   A  raw Mosquitto QoS 1: publisher -> Mosquitto -> plain MQTT.js subscriber (own process)
//   C  end to end at full pace: publisher -> Mosquitto -> service -> spool -> InfluxDB; C/A
//   D  end to end paced at the target load, where latency means something (at full pace the
//      broker queues what the service has not taken yet, and latency grows with the run)
//   A2, C2  as A and C with 2-reading messages (one zone + the burner's flow), C2 after D on the
//      same service: end to end / raw broker for small messages, in the same run
//   B  raw InfluxDB batched writes, the reference for the other end of both paths
//   Embedded path (the default, no MQTT_URL: the service is the broker, aedes in-process, and
//   spools in authorizePublish before the PUBACK, so nothing queues in a broker):
//   E  raw aedes QoS 1: publisher -> standalone aedes (own process, same package and version)
//      -> the same plain MQTT.js subscriber, as long as A
//   F  end to end at full pace: publisher -> service's embedded broker -> spool -> InfluxDB,
//      as long as C, into its own database; F/E
//   Bursts (bursts.ts), each on a fresh service, after F:
//   G  a burst through Mosquitto: BENCH_BURST_MESSAGES (default 200,000) six-reading messages
//      across 1,000 kilns, published as fast as the window allows; the service's RSS idle
//      before, its peak, RSS 30 and 120 s after all is queryable (BENCH_BURST_AFTER_S), and
//      stored = acknowledged
//   H  the same burst through the embedded broker
// The C/D service is stopped before E starts, and E's aedes before F. It is a benchmark, not a
// test: it exits 0 when a target is missed and says so.
//
// Environment: BENCH_SECONDS (phases C, D and F, default 60), BENCH_RAW_SECONDS (A, B and E,
// default 12), BENCH_WINDOW (QoS 1 publishes in flight, default 1000), BENCH_PACED_RATE
// (phase D, readings/s, default 20000), BENCH_CPU_PROF=dir (write V8 CPU profiles of the
// services there), BENCH_SERVICE_LOG=file (append the services' output there; BENCH_LOG_LEVEL=info for more than warnings),
// BENCH_NODE_FLAGS (more node flags for the services, e.g. "--trace-gc" or "--heap-prof"),
// BENCH_RSS_LOG=file (the services' RSS each second and each phase's start, to see when it peaks),
// BENCH_DEVICE_AUTH=both (C and F again with device credentials on, C* and F*: the publisher a
// gateway, Mosquitto with the password and ACL files, the embedded broker refusing anonymous
// clients; every phase then publishes for one workshop, payload.ts), BENCH_ONLY=burst (phases G
// and H alone; BENCH_ONLY=c2: phase C2 alone on a fresh service; BENCH_ONLY=c: phases A, B and C alone; BENCH_ONLY=f: E and F alone), BENCH_BURST_MESSAGES, BENCH_SERVICE_DIR=dir (build and run the service of another
// checkout there, e.g. an older commit, so two versions meet the same benchmark).
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestInflux } from '../tests/support/influx.ts';
import { startTestMosquitto } from '../tests/support/mosquitto.ts';
import { freePort } from '../tests/support/ports.ts';
import { KILNS, READINGS_PER_MESSAGE, SMALL_READINGS, ZONES } from './support/payload.ts';
import { rawBroker } from './support/raw-broker.ts';
import { RAW_BATCH_POINTS, rawInflux } from './support/raw-influx.ts';
import { childPids, memOf } from './support/procstat.ts';
import { runE2e, type E2eResult } from './support/e2e.ts';
import { serviceSummary, startSession, type E2eSession, type SessionOptions } from './support/session.ts';
import { startRawAedes, type RawAedes } from './support/aedes-broker.ts';
import { configDirOf, packageVersion, versionOf } from './support/machine.ts';
import { fmt, table, type Row } from './support/report.ts';
import { authMosquitto, benchGateway, DEVICE_AUTH, SERVICE_USER, withLogin } from './support/device-auth.ts';
import type { TestMosquitto } from '../tests/support/mosquitto.ts';
import { burstPhases } from './support/bursts.ts';

const E2E_SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS ?? 12);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 1000);
const PACED_READINGS_S = Number(process.env.BENCH_PACED_RATE ?? 20_000);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const RSS_LOG = process.env.BENCH_RSS_LOG;
const BURST_ONLY = process.env.BENCH_ONLY === 'burst';
const C2_ONLY = process.env.BENCH_ONLY === 'c2';
const C_ONLY = process.env.BENCH_ONLY === 'c';
const F_ONLY = process.env.BENCH_ONLY === 'f';
const TARGET = { readings_s: 20_000, ratio: 0.7, p99_ms: 1000, rss_mb: 250, seconds: 60 };
const DB = 'bench';
const DB_EMBEDDED = 'bench_embedded';
const AEDES_VERSION = packageVersion('aedes');

const say = (l: string) => {
  process.stdout.write(l + '\n');
  if (RSS_LOG && l.startsWith('\nphase')) appendFileSync(RSS_LOG, `${Date.now()} ${l.trim().slice(0, 40)}\n`);
};

async function main(): Promise<void> {
  say(`kiln-monitor ingest benchmark: ${ZONES} zones + 2 gas channels = ${READINGS_PER_MESSAGE} readings per message, ${KILNS} kilns, QoS 1, window ${WINDOW}`);
  say(`machine: ${availableParallelism()} cores (nproc), ${cpus()[0]?.model ?? 'unknown cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, node ${process.version}, ${versionOf('/usr/sbin/mosquitto', ['-h'])}, ${versionOf('influxd', ['version'])}, aedes ${AEDES_VERSION}`);
  const influx = await startTestInflux();
  const mosq = await startTestMosquitto();
  say(`influxd ${influx.url}, mosquitto ${mosq.url} (config/mosquitto.conf)`);
  const kids = childPids(process.pid);
  const tempDirs = [configDirOf(kids.get('influxd'), '-config', 'kiln-influx-'), configDirOf(kids.get('mosquitto'), '-c', 'kiln-mosq-')];
  const pidsOf = (...names: string[]) => new Map<string, number>([['bench', process.pid], ...names.map((n) => [n, kids.get(n) ?? NaN] as [string, number])]);
  // Device time: a day ago, so every reading is inside the service's past/future limits.
  const t0_ms = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
  const session = async (name: string, env: Record<string, string | undefined>, mqttUrl: string, db: string): Promise<E2eSession> => {
    const dir = join(dataDir, name);
    mkdirSync(dir, { recursive: true }); // may hold an access file already (device-auth.ts)
    const o: SessionOptions = {
      env: { ...env, INFLUX_URL: influx.url, INFLUX_DATABASE: db, DATA_DIR: dir, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' }, httpPort: await freePort(),
      nodeFlags: [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF)}`] : []), ...NODE_FLAGS], logFile: process.env.BENCH_SERVICE_LOG,
      mqttUrl, influxUrl: influx.url, db, t0_ms, pubId: `bench-e2e-pub-${name}-${process.pid}`,
    };
    return startSession(o);
  };
  // The two paths' services: through Mosquitto, and with the embedded broker (anonymous devices).
  const mosquittoSession = () => session('mosquitto', { MQTT_URL: mosq.url, MQTT_CLIENT_ID: `bench-ingest-${process.pid}` }, mosq.url, DB);
  const embeddedSession = async () => {
    const port = await freePort();
    return session('embedded', { MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(port), MQTT_ALLOW_ANONYMOUS: 'true' }, `mqtt://127.0.0.1:${port}`, DB_EMBEDDED);
  };
  const e2eOf = (s: E2eSession, db: string, ...names: string[]) => ({ pub: s.pub, svc: s.svc, sampler: s.sampler, pids: pidsOf(...names).set('service', s.pid), influxUrl: influx.url, db, t0_ms, window: WINDOW, say });
  let cd: E2eSession | undefined;
  let aedes: RawAedes | undefined;
  let emb: E2eSession | undefined;
  let cdAuth: E2eSession | undefined;
  let mosqAuth: TestMosquitto | undefined;
  let embAuth: E2eSession | undefined;
  const bursts = () => burstPhases({ mosqUrl: mosq.url, influxUrl: influx.url, window: WINDOW, t0_ms, say, session });
  try {
    if (F_ONLY) {
      // E and F alone: the embedded path's ratio F/E, for quick comparisons.
      aedes = await startRawAedes();
      const e = await rawBroker(aedes.url, t0_ms, RAW_SECONDS, WINDOW, pidsOf().set('aedes', aedes.pid), say, 'E');
      await aedes.stop();
      emb = await embeddedSession();
      say(`\nphase F [embedded path]: end to end at full pace, ${E2E_SECONDS} s (BENCH_ONLY=f)`);
      const f = await runE2e({ ...e2eOf(emb, DB_EMBEDDED, 'influxd'), label: 'F', first_seq: 0, seconds: E2E_SECONDS });
      await emb.pub.endAsync();
      emb.sampler.stop();
      say(table([
        { what: 'E raw aedes QoS 1 pub->sub', measured: `${fmt(e.readings_s)} readings/s`, target: `(${fmt(e.msgs_s)} msg/s)` },
        { what: 'F full pace: end to end', measured: `${fmt(f.e2e_readings_s)} readings/s`, target: `F/E ${fmt(f.e2e_readings_s / e.readings_s, 2)}`, pass: f.loss_free },
        { what: 'F latency p50 / p99 (full pace)', measured: `${fmt(f.p50_ms)} / ${fmt(f.p99_ms)} ms`, target: '(informative)' },
        { what: 'F service peak RSS (VmHWM)', measured: `${fmt(emb.sampler.hwm_mb)} MB`, target: `< ${TARGET.rss_mb} MB`, pass: emb.sampler.hwm_mb < TARGET.rss_mb },
      ]));
      return;
    }
    if (BURST_ONLY) {
      const rows = await bursts();
      say(`\nresults: ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}; bursts only (BENCH_ONLY=burst)`);
      say(table(rows));
      return;
    }
    if (C2_ONLY) {
      // Phase C2 alone, on a fresh service: what small messages at full pace cost, without C and D before.
      cd = await mosquittoSession();
      say(`\nphase C2 [Mosquitto path]: end to end at full pace with ${SMALL_READINGS}-reading messages, ${E2E_SECONDS} s, on a fresh service (BENCH_ONLY=c2)`);
      const idle_mb = memOf(cd.pid).rss_mb;
      const c2 = await runE2e({ ...e2eOf(cd, DB, 'mosquitto', 'influxd'), label: 'C2', first_seq: 0, seconds: E2E_SECONDS, readings: SMALL_READINGS });
      await cd.pub.endAsync();
      cd.sampler.stop();
      const sum = await serviceSummary(cd.svc, c2.run.acked * SMALL_READINGS + 1);
      say(`\nservice (C2): ${sum.line}`);
      say(table([
        { what: `C2 full pace, ${SMALL_READINGS}-reading: end to end`, measured: `${fmt(c2.e2e_readings_s)} readings/s`, target: `(${fmt(c2.e2e_readings_s / SMALL_READINGS)} msg/s)` },
        { what: 'C2 zero loss', measured: `${fmt(Object.values(c2.counts).reduce((x, y) => x + y, 0))}/${fmt(Object.values(c2.expected).reduce((x, y) => x + y, 0))}`, target: 'equal', pass: c2.loss_free },
        { what: 'C2 service RSS at start / peak (VmHWM)', measured: `${fmt(idle_mb)} / ${fmt(cd.sampler.hwm_mb)} MB`, target: `< ${TARGET.rss_mb} MB`, pass: cd.sampler.hwm_mb < TARGET.rss_mb },
      ]));
      return;
    }
    say(`\nphase A [Mosquitto path]: raw Mosquitto QoS 1, publisher -> broker -> plain MQTT.js subscriber (own process), ${RAW_SECONDS} s`);
    const a = await rawBroker(mosq.url, t0_ms, RAW_SECONDS, WINDOW, pidsOf('mosquitto'), say, 'A');
    say(`  ${fmt(a.received)} of ${fmt(a.run.acked)} acked messages received: ${fmt(a.msgs_s)} msg/s = ${fmt(a.readings_s)} readings/s (${fmt(a.mean_payload_bytes)} B payloads)`);
    say(`  ${a.cpu} (while publishing)`);
    if (C_ONLY) {
      // A, B and C alone: the 6-reading ratio C/A and its ceiling B/A, for quick comparisons.
      const b = await rawInflux(influx.url, 'bench_raw', t0_ms, RAW_SECONDS, pidsOf('influxd'), say);
      say(`\nphase B: raw InfluxDB: ${fmt(b.points_s)} points/s`);
      cd = await mosquittoSession();
      say(`\nphase C [Mosquitto path]: end to end at full pace, ${E2E_SECONDS} s (BENCH_ONLY=c)`);
      const c = await runE2e({ ...e2eOf(cd, DB, 'mosquitto', 'influxd'), label: 'C', first_seq: 0, seconds: E2E_SECONDS });
      await cd.pub.endAsync();
      cd.sampler.stop();
      const sum = await serviceSummary(cd.svc, c.run.acked * READINGS_PER_MESSAGE + 1);
      say(`\nservice (C): ${sum.line}`);
      say(table([
        { what: 'A raw Mosquitto QoS 1 pub->sub', measured: `${fmt(a.readings_s)} readings/s`, target: `(${fmt(a.msgs_s)} msg/s)` },
        { what: 'B raw InfluxDB', measured: `${fmt(b.points_s)} points/s`, target: `(B/A ${fmt(b.points_s / a.readings_s, 2)})` },
        { what: 'C full pace: end to end', measured: `${fmt(c.e2e_readings_s)} readings/s`, target: `C/A ${fmt(c.e2e_readings_s / a.readings_s, 2)} (>= 0.8)`, pass: c.e2e_readings_s / a.readings_s >= 0.8 && c.loss_free },
        { what: 'C service peak RSS (VmHWM)', measured: `${fmt(cd.sampler.hwm_mb)} MB`, target: `< ${TARGET.rss_mb} MB`, pass: cd.sampler.hwm_mb < TARGET.rss_mb },
      ]));
      return;
    }
    say(`\nphase A2 [Mosquitto path]: as A with ${SMALL_READINGS}-reading messages (one zone + the burner's flow), ${RAW_SECONDS} s`);
    const a2 = await rawBroker(mosq.url, t0_ms, RAW_SECONDS, WINDOW, pidsOf('mosquitto'), say, 'A2', SMALL_READINGS);
    say(`  ${fmt(a2.received)} of ${fmt(a2.run.acked)} acked messages received: ${fmt(a2.msgs_s)} msg/s = ${fmt(a2.readings_s)} readings/s (${fmt(a2.mean_payload_bytes)} B payloads)`);

    say(`\nphase B: raw InfluxDB, writePoints of ${fmt(RAW_BATCH_POINTS)} points (precision ms), one batch in flight, ${RAW_SECONDS} s`);
    const b = await rawInflux(influx.url, 'bench_raw', t0_ms, RAW_SECONDS, pidsOf('influxd'), say);
    say(`  ${fmt(b.points)} points in ${b.batches} batches: ${fmt(b.points_s)} points/s (mean batch ${fmt(b.mean_batch_ms, 1)} ms)`);
    say(`  ${b.cpu}`);

    // Phases C and D: end to end through Mosquitto and the service, as its own process.
    cd = await mosquittoSession();
    say(`\nphase C [Mosquitto path]: end to end at full pace, publisher -> Mosquitto -> service -> spool -> InfluxDB, ${E2E_SECONDS} s`);
    const c = await runE2e({ ...e2eOf(cd, DB, 'mosquitto', 'influxd'), label: 'C', first_seq: 0, seconds: E2E_SECONDS });
    const paced_msgs_s = PACED_READINGS_S / READINGS_PER_MESSAGE;
    say(`\nphase D [Mosquitto path]: end to end paced at ${fmt(PACED_READINGS_S)} readings/s (${fmt(paced_msgs_s)} msg/s), ${E2E_SECONDS} s`);
    // D starts on a fresh device second, so its counts (by device time) hold none of C's readings.
    const d = await runE2e({ ...e2eOf(cd, DB, 'mosquitto', 'influxd'), label: 'D', first_seq: Math.ceil(c.run.published / KILNS) * KILNS, seconds: E2E_SECONDS, rate_msgs_s: paced_msgs_s });
    const cdHwm_mb = memOf(cd.pid).hwm_mb; // C+D's peak, comparable with runs before C2 existed
    // C2 as C with 2-reading messages, on the same service after D (fresh device seconds again).
    say(`\nphase C2 [Mosquitto path]: end to end at full pace with ${SMALL_READINGS}-reading messages, ${E2E_SECONDS} s`);
    const c2First = Math.ceil((Math.ceil(c.run.published / KILNS) * KILNS + d.run.published) / KILNS) * KILNS;
    const c2 = await runE2e({ ...e2eOf(cd, DB, 'mosquitto', 'influxd'), label: 'C2', first_seq: c2First, seconds: E2E_SECONDS, readings: SMALL_READINGS });
    await cd.pub.endAsync();
    cd.sampler.stop();
    const cdSum = await serviceSummary(cd.svc, (c.run.acked + d.run.acked) * READINGS_PER_MESSAGE + c2.run.acked * SMALL_READINGS + 1); // + the warm-up reading
    say(`\nservice (C+D+C2): ${cdSum.line}`);
    await cd.svc.stop(); // it takes no CPU from E and F

    let cAuth: E2eResult | undefined;
    if (DEVICE_AUTH) {
      const dir = join(dataDir, 'mosquitto-auth');
      mkdirSync(dir);
      const gw = benchGateway(dir);
      mosqAuth = await authMosquitto(dir);
      cdAuth = await session('mosquitto-auth', { MQTT_URL: mosqAuth.url, MQTT_CLIENT_ID: `bench-ingest-auth-${process.pid}`, MQTT_USERNAME: SERVICE_USER.username, MQTT_PASSWORD: SERVICE_USER.password }, withLogin(mosqAuth.url, gw), `${DB}_auth`);
      say(`\nphase C* [Mosquitto path, device credentials]: as C, the publisher logged in as ${gw.username}, Mosquitto with password and ACL files, ${E2E_SECONDS} s`);
      cAuth = await runE2e({ ...e2eOf(cdAuth, `${DB}_auth`, 'influxd'), label: 'C*', first_seq: 0, seconds: E2E_SECONDS });
      await cdAuth.pub.endAsync();
      cdAuth.sampler.stop();
      await cdAuth.svc.stop();
      await mosqAuth.stop();
    }

    aedes = await startRawAedes();
    say(`\nphase E [embedded path]: raw aedes ${AEDES_VERSION} QoS 1, publisher -> standalone aedes (own process) -> plain MQTT.js subscriber (own process), ${RAW_SECONDS} s`);
    const e = await rawBroker(aedes.url, t0_ms, RAW_SECONDS, WINDOW, pidsOf().set('aedes', aedes.pid), say, 'E');
    say(`  ${fmt(e.received)} of ${fmt(e.run.acked)} acked messages received: ${fmt(e.msgs_s)} msg/s = ${fmt(e.readings_s)} readings/s (${fmt(e.mean_payload_bytes)} B payloads)`);
    say(`  ${e.cpu} (while publishing)`);
    await aedes.stop();

    emb = await embeddedSession();
    say(`\nphase F [embedded path]: end to end at full pace, publisher -> service (embedded aedes, PUBACK once spooled) -> spool -> InfluxDB, ${E2E_SECONDS} s`);
    const f = await runE2e({ ...e2eOf(emb, DB_EMBEDDED, 'influxd'), label: 'F', first_seq: 0, seconds: E2E_SECONDS });
    await emb.pub.endAsync();
    emb.sampler.stop();
    const fSum = await serviceSummary(emb.svc, f.run.acked * READINGS_PER_MESSAGE + 1);
    say(`\nservice (F): ${fSum.line}`);

    let fAuth: E2eResult | undefined;
    if (DEVICE_AUTH) {
      await emb.svc.stop();
      const gw = benchGateway(join(dataDir, 'embedded-auth'));
      const port = await freePort();
      embAuth = await session('embedded-auth', { MQTT_URL: undefined, MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(port), MQTT_ALLOW_ANONYMOUS: 'false' }, withLogin(`mqtt://127.0.0.1:${port}`, gw), `${DB_EMBEDDED}_auth`);
      say(`\nphase F* [embedded path, device credentials]: as F, the publisher logged in as ${gw.username}, anonymous clients refused, ${E2E_SECONDS} s`);
      fAuth = await runE2e({ ...e2eOf(embAuth, `${DB_EMBEDDED}_auth`, 'influxd'), label: 'F*', first_seq: 0, seconds: E2E_SECONDS });
      await embAuth.pub.endAsync();
      embAuth.sampler.stop();
      const sum = await serviceSummary(embAuth.svc, fAuth.run.acked * READINGS_PER_MESSAGE + 1);
      say(`\nservice (F*): ${sum.line}`);
    }
    await emb.svc.stop();
    await embAuth?.svc.stop();
    const burstRows = await bursts();

    const sustained = E2E_SECONDS >= TARGET.seconds;
    const ratioC = c.e2e_readings_s / a.readings_s;
    const ratioF = f.e2e_readings_s / e.readings_s;
    const lossLine = (r: E2eResult) => `${fmt(Object.values(r.counts).reduce((x, y) => x + y, 0))}/${fmt(Object.values(r.expected).reduce((x, y) => x + y, 0))}`;
    const rows: Row[] = [
      { what: 'B raw InfluxDB batched writes (both)', measured: `${fmt(b.points_s)} points/s`, target: `(batches of ${fmt(RAW_BATCH_POINTS)})` },
      { what: 'Mosquitto path (MQTT_URL):', measured: '' },
      { what: 'A raw Mosquitto QoS 1 pub->sub', measured: `${fmt(a.readings_s)} readings/s`, target: `(${fmt(a.msgs_s)} msg/s)` },
      { what: 'C full pace: acked by broker', measured: `${fmt(c.pub_readings_s)} readings/s`, target: `(${fmt(c.run.acked)} msgs, ${E2E_SECONDS} s)` },
      { what: 'C full pace: end to end', measured: `${fmt(c.e2e_readings_s)} readings/s`, target: `>= ${fmt(TARGET.readings_s)}`, pass: c.e2e_readings_s >= TARGET.readings_s && c.loss_free },
      { what: 'C/A end to end / raw Mosquitto', measured: fmt(ratioC, 2), target: `>= ${TARGET.ratio}`, pass: ratioC >= TARGET.ratio },
      { what: 'C latency p50 / p99 (overload)', measured: `${fmt(c.p50_ms)} / ${fmt(c.p99_ms)} ms`, target: '(informative)' },
      { what: 'C zero loss', measured: lossLine(c), target: 'equal', pass: c.loss_free },
      { what: `A2 raw Mosquitto, ${SMALL_READINGS}-reading messages`, measured: `${fmt(a2.readings_s)} readings/s`, target: `(${fmt(a2.msgs_s)} msg/s)` },
      { what: `C2 full pace, ${SMALL_READINGS}-reading: end to end`, measured: `${fmt(c2.e2e_readings_s)} readings/s`, target: `(${fmt(c2.e2e_readings_s / SMALL_READINGS)} msg/s)` },
      { what: `C2/A2 (${SMALL_READINGS}-reading) ; C/A (${READINGS_PER_MESSAGE}-reading)`, measured: `${fmt(c2.e2e_readings_s / a2.readings_s, 2)} ; ${fmt(ratioC, 2)}`, target: '>= 0.5 ; >= 0.8', pass: c2.e2e_readings_s / a2.readings_s >= 0.5 && ratioC >= 0.8 },
      // Every reading C carries is also written to InfluxDB on the same two cores: B/A shows how
      // near to the raw broker the database alone lets C/A come.
      { what: 'B/A raw InfluxDB / raw Mosquitto (6-reading)', measured: fmt(b.points_s / a.readings_s, 2), target: '(informative: a ceiling near C/A)' },
      { what: 'C2 zero loss', measured: lossLine(c2), target: 'equal', pass: c2.loss_free },
      { what: `D paced: end to end, ${E2E_SECONDS} s`, measured: `${fmt(d.e2e_readings_s)} readings/s`, target: `>= ${fmt(TARGET.readings_s)} for ${TARGET.seconds} s`, pass: d.e2e_readings_s >= TARGET.readings_s * 0.99 && sustained && d.loss_free },
      { what: 'D latency p50', measured: `${fmt(d.p50_ms)} ms` },
      { what: 'D latency p99', measured: `${fmt(d.p99_ms)} ms`, target: `< ${fmt(TARGET.p99_ms)} ms`, pass: d.p99_ms < TARGET.p99_ms },
      { what: 'D latency max', measured: `${fmt(d.max_ms)} ms` },
      { what: 'D zero loss', measured: lossLine(d), target: 'equal', pass: d.loss_free },
      { what: 'C+D+C2 readings_rejected (/api/health)', measured: String(cdSum.rejected), target: '0', pass: cdSum.rejected === 0 },
      { what: 'C+D service peak RSS (VmHWM)', measured: `${fmt(cdHwm_mb)} MB`, target: `< ${TARGET.rss_mb} MB`, pass: cdHwm_mb < TARGET.rss_mb },
      { what: 'C+D+C2 service peak RSS (VmHWM)', measured: `${fmt(cd.sampler.hwm_mb)} MB`, target: `< ${TARGET.rss_mb} MB`, pass: cd.sampler.hwm_mb < TARGET.rss_mb },
      { what: 'C / D service max sampled VmRSS', measured: `${fmt(c.rss_max_mb)} / ${fmt(d.rss_max_mb)} MB` },
      { what: 'Embedded path (default, no MQTT_URL):', measured: '' },
      { what: 'E raw aedes QoS 1 pub->sub', measured: `${fmt(e.readings_s)} readings/s`, target: `(${fmt(e.msgs_s)} msg/s)` },
      { what: 'F full pace: acked (= spooled)', measured: `${fmt(f.pub_readings_s)} readings/s`, target: `(${fmt(f.run.acked)} msgs, ${E2E_SECONDS} s)` },
      { what: 'F full pace: end to end', measured: `${fmt(f.e2e_readings_s)} readings/s`, target: `>= ${fmt(TARGET.readings_s)}`, pass: f.e2e_readings_s >= TARGET.readings_s && f.loss_free },
      { what: 'F/E end to end / raw aedes', measured: fmt(ratioF, 2), target: `>= ${TARGET.ratio}`, pass: ratioF >= TARGET.ratio },
      { what: 'F latency p50 / p99 (full pace)', measured: `${fmt(f.p50_ms)} / ${fmt(f.p99_ms)} ms`, target: '(informative)' },
      { what: 'F zero loss', measured: lossLine(f), target: 'equal', pass: f.loss_free },
      { what: 'F readings_rejected (/api/health)', measured: String(fSum.rejected), target: '0', pass: fSum.rejected === 0 },
      { what: 'F service peak RSS (VmHWM)', measured: `${fmt(emb.sampler.hwm_mb)} MB`, target: `< ${TARGET.rss_mb} MB`, pass: emb.sampler.hwm_mb < TARGET.rss_mb },
    ];
    rows.push(...burstRows);
    if (cAuth && fAuth) {
      // Device credentials cost at most 5 % of the end-to-end rate (on/off >= 0.95).
      const authRow = (what: string, off: E2eResult, on: E2eResult): Row[] => [
        { what: `${what} end to end, credentials off / on`, measured: `${fmt(off.e2e_readings_s)} / ${fmt(on.e2e_readings_s)} readings/s`, target: '(same run)' },
        { what: `${what} on / off`, measured: fmt(on.e2e_readings_s / off.e2e_readings_s, 3), target: '>= 0.95', pass: on.e2e_readings_s / off.e2e_readings_s >= 0.95 && on.loss_free },
        { what: `${what} latency p50 / p99 off; on`, measured: `${fmt(off.p50_ms)} / ${fmt(off.p99_ms)} ms; ${fmt(on.p50_ms)} / ${fmt(on.p99_ms)} ms`, target: '(informative)' },
        { what: `${what}* zero loss`, measured: lossLine(on), target: 'equal', pass: on.loss_free },
      ];
      rows.push({ what: 'Device credentials (BENCH_DEVICE_AUTH=both):', measured: '' }, ...authRow('C', c, cAuth), ...authRow('F', f, fAuth));
    }
    say(`\nresults: ${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}; phases A/B/E ${RAW_SECONDS} s, C/D/F ${E2E_SECONDS} s, window ${WINDOW}`);
    say(table(rows));
    // The 0.99: a paced publisher that starts on a timer lands a hair under its nominal rate.
    say('  D passes at >= 99 % of the paced rate with nothing lost; the rate, loss and p99 targets are read at the target load (D),');
    say('  the ratios at full pace (C/A, F/E), where Mosquitto queues what the service has not taken yet and latency grows with the run;');
    say('  the embedded broker acknowledges only what is spooled, so in F nothing queues in a broker and the publisher is held back instead.');
    const misses = rows.filter((r) => r.pass === false).map((r) => r.what);
    if (!sustained) say(`\nnote: BENCH_SECONDS=${E2E_SECONDS} is shorter than the ${TARGET.seconds} s the rate target asks for; run without it for the real figure.`);
    say(misses.length ? `\nMISSED ${misses.length} target(s): ${misses.join('; ')}` : '\nall targets met');
  } finally {
    await cd?.svc.stop();
    await aedes?.stop();
    await emb?.svc.stop();
    await cdAuth?.svc.stop();
    await mosqAuth?.stop();
    await embAuth?.svc.stop();
    await mosq.stop();
    await influx.stop();
    for (const dir of [dataDir, ...tempDirs, mosqAuth?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`benchmark failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
