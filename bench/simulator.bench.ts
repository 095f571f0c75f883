// npm run bench:simulator — 10,000 simulated kilns at 1 reading/s each from one process,
// QoS 1 over a handful of connections, against the local Mosquitto (127.0.0.1:1883).
// Prints achieved msgs/s (acknowledged by the broker) vs the 10,000/s target, CPU time and peak RSS.
// Env: BENCH_URL, BENCH_KILNS (10000), BENCH_SECONDS (40), BENCH_CONNECTIONS (8), BENCH_INFLIGHT (1000).
import { openLink } from '../simulator/link.ts';
import { startSession } from '../simulator/session.ts';

const url = process.env.BENCH_URL ?? 'mqtt://127.0.0.1:1883';
const kilns = Number(process.env.BENCH_KILNS ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 40);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 1000);
const WARMUP_S = 5;

let peak_rss_mb = 0;
const sampleRss = () => { peak_rss_mb = Math.max(peak_rss_mb, process.memoryUsage().rss / 1e6); };

async function main(): Promise<void> {
  const build0 = performance.now();
  const s = await startSession({
    url, workshop: 'bench', speed: 1, qos: 1, connections, inflight, faults: [], kilns, seed: 1,
    sim_start_ms: Math.floor(Date.now() / 1000) * 1000, interval_s: 1, cool_until_c: 200, stagger_min: 0,
  });
  const link = s.link;
  if (!link) throw new Error('no link');
  process.stderr.write(`bench: ${kilns} kilns, 1 reading/s each, QoS 1, ${connections} connections, in-flight ${inflight}/connection; setup ${((performance.now() - build0) / 1000).toFixed(1)} s\n`);
  const rssTimer = setInterval(sampleRss, 250);
  const per_s: number[] = [];
  let last = link.stats().acked;
  let cpu0 = process.cpuUsage();
  let t0_ms = performance.now();
  let acked0 = 0;
  for (let i = 1; i <= WARMUP_S + seconds; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const st = link.stats();
    per_s.push(st.acked - last);
    last = st.acked;
    if (i === WARMUP_S) { cpu0 = process.cpuUsage(); t0_ms = performance.now(); acked0 = st.acked; }
    if (i % 5 === 0) process.stderr.write(`  t=${i}s acked ${st.acked} (${per_s[per_s.length - 1]}/s) queued ${st.queued} in flight ${st.inflight} sim lag ${((Date.now() - s.runner.simNowMs()) / 1000).toFixed(1)} s\n`);
  }
  const wall_s = (performance.now() - t0_ms) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const acked = link.stats().acked - acked0;
  clearInterval(rssTimer);
  sampleRss();
  const steady = per_s.slice(WARMUP_S);
  const rate = acked / wall_s;
  const result = {
    kilns, target_msgs_s: kilns, achieved_msgs_s: Math.round(rate), ratio: Math.round((rate / kilns) * 1000) / 1000,
    min_1s_msgs_s: Math.min(...steady), max_1s_msgs_s: Math.max(...steady), measured_s: Math.round(wall_s),
    cpu_user_s: +(cpu.user / 1e6).toFixed(1), cpu_system_s: +(cpu.system / 1e6).toFixed(1),
    cpu_pct_of_one_core: Math.round(((cpu.user + cpu.system) / 1e6 / wall_s) * 100), peak_rss_mb: Math.round(peak_rss_mb),
    errors: link.stats().errors,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`achieved ${result.achieved_msgs_s} msgs/s vs target ${kilns}/s (${(result.ratio * 100).toFixed(1)} %), CPU ${result.cpu_user_s + result.cpu_system_s} s in ${result.measured_s} s, peak RSS ${result.peak_rss_mb} MB\n`);
  await s.stop();
  // Leave no 10,000 retained status messages behind on a shared broker: clear them.
  const clean = await openLink({ url, connections: 1, qos: 1, inflight: 1000, client_prefix: `kilnsim-bench-clean-${process.pid}` });
  for (const k of s.fleet) clean.publish(0, `kiln/v1/bench/${k.id}/status`, '', true);
  await clean.drain(30_000);
  await clean.close();
}

main().then(() => process.exit(0), (e: unknown) => { process.stderr.write(`bench: ${(e as Error).message}\n`); process.exit(1); });
