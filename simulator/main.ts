// `npm run simulate -- --help`. Runs kilns (or replays a CSV) against an MQTT broker, with a
// live status line on stderr, a summary on exit and a clean stop on Ctrl-C / SIGTERM.
import { createWriteStream, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { HELP, parseCli, type CliOptions } from './cli.ts';
import { csvSink } from './csv.ts';
import { loadConfig } from './fleet.ts';
import { openLink } from './link.ts';
import type { Outgoing } from './model/device.ts';
import { FIRINGS, KILNS } from './model/presets.ts';
import { replayCsv } from './replay.ts';
import { startSession } from './session.ts';
import { statusLine, summaryLines } from './status.ts';

const err = (line: string) => process.stderr.write(`${line}\n`);

async function replay(o: CliOptions, file: string): Promise<void> {
  const link = await openLink({ url: o.url, connections: 1, qos: o.qos, inflight: 200, client_prefix: `kilnsim-replay-${process.pid}` });
  let stop = false;
  const onSignal = () => { stop = true; };
  process.on('SIGINT', onSignal); // on, not once: tsx exits when no listener is left
  process.on('SIGTERM', onSignal);
  const r = await replayCsv({ text: readFileSync(file, 'utf8'), link, speed: o.speed, workshop: o.workshop, kiln: o.replay_kiln, rebase_ms: o.rebase ? o.start_ms : undefined, shouldStop: () => stop });
  await link.drain(10_000);
  const st = link.stats();
  await link.close();
  err(`replayed ${r.published} readings from ${file}; acked ${st.acked}`);
}

async function simulate(o: CliOptions): Promise<void> {
  const config = o.config ? loadConfig(o.config) : undefined;
  const streams: WriteStream[] = [];
  const sinks: ((topic: string, out: Outgoing) => void)[] = [];
  if (o.record) {
    const w = createWriteStream(o.record);
    streams.push(w);
    sinks.push((topic, out) => { w.write(`${JSON.stringify(out.kind === 'link' ? { topic, link: out.up ? 'up' : 'down' } : { topic, payload: out.payload })}\n`); });
  }
  const session = await startSession({
    url: o.no_mqtt ? null : o.url, workshop: config?.workshop ?? o.workshop, speed: o.speed, qos: o.qos, connections: o.connections,
    faults: o.faults, kilns: o.kilns, seed: o.seed, sim_start_ms: o.start_ms, interval_s: o.interval_s, cool_until_c: o.cool_until_c,
    stagger_min: o.stagger_min, kiln_preset: o.kiln, firing: o.firing, config, log: err, catch_up: o.catch_up,
    ...(o.gas ? { gas: o.gas } : {}), monitor_only: o.monitor_only,
    sink: (topic, out) => { for (const s of sinks) s(topic, out); },
  });
  if (o.csv_out) {
    const w = createWriteStream(o.csv_out);
    streams.push(w);
    const zones = [...new Set(session.fleet.flatMap((k) => k.model.opt.spec.zones))];
    sinks.push(csvSink(zones, (line) => w.write(`${line}\n`)));
  }
  const tty = process.stderr.isTTY;
  const timer = o.quiet ? undefined : setInterval(() => { process.stderr.write(tty ? `\r\x1b[K${statusLine(session).slice(0, (process.stderr.columns || 200) - 1)}` : `${statusLine(session)}\n`); }, tty ? 500 : 10_000);
  const stop = () => { err(tty ? '\nstopping…' : 'stopping…'); void session.stop(); };
  process.on('SIGINT', stop); // on, not once: tsx exits when no listener is left
  process.on('SIGTERM', stop);
  await session.runner.done;
  await session.stop();
  if (timer) clearInterval(timer);
  if (!o.quiet && tty) err('');
  await Promise.all(streams.map((w) => new Promise((r) => w.end(r))));
  const truth = session.truth();
  if (o.truth_out) writeFileSync(o.truth_out, `${JSON.stringify({ seed: o.seed, sim_start: new Date(o.start_ms).toISOString(), firings: truth }, null, 2)}\n`);
  for (const line of summaryLines(truth)) err(line);
  const st = session.link?.stats();
  if (st) err(`messages sent ${st.sent}, acked ${st.acked}, errors ${st.errors}`);
}

async function main(): Promise<void> {
  const o = parseCli(process.argv.slice(2), Date.now(), process.env);
  if (o.help) { process.stdout.write(HELP); return; }
  if (o.list_presets) {
    for (const [n, k] of Object.entries(KILNS)) process.stdout.write(`kiln ${n}: ${k.volume_m3} m³, ware ${k.ware_kg} kg, furniture ${k.furniture_kg} kg, burners ${k.max_flow_kg_h} kg/h, zones ${k.zones.join('/')}\n`);
    for (const f of Object.values(FIRINGS)) process.stdout.write(`firing ${f.name}: ${f.description}: ${f.schedule.segments.map((s) => `${s.rate_c_h}°C/h→${s.target_c}${s.hold_min ? ` hold ${s.hold_min}` : ''}`).join(', ')}\n`);
    return;
  }
  if (o.replay) await replay(o, o.replay);
  else await simulate(o);
}

main().then(() => process.exit(0), (e: unknown) => { err(`simulate: ${(e as Error).message}`); process.exit(1); });
