// Phases A and E: the raw broker references. The same publisher and window as phases C and F,
// through the broker alone (A: the same Mosquitto, shipped config; E: a standalone aedes in its
// own process), to a plain MQTT.js subscriber at QoS 1 in its own process. The rate counts what
// the subscriber received, from the first publish to the last receipt.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectPublisher, publishFor, type PublishRun } from './publisher.ts';
import type { SubscriberReport } from './raw-subscriber.ts';
import { READINGS_PER_MESSAGE } from './payload.ts';
import { fmt } from './report.ts';
import { CpuMeter } from './procstat.ts';

export interface RawBrokerResult {
  readonly run: PublishRun;
  readonly received: number;
  readonly msgs_s: number;
  readonly readings_s: number;
  readonly mean_payload_bytes: number;
  readonly cpu: string;
}

export async function rawBroker(mqttUrl: string, t0_ms: number, seconds: number, window: number, pids: ReadonlyMap<string, number>, say: (l: string) => void, label = 'A', readings = READINGS_PER_MESSAGE): Promise<RawBrokerResult> {
  const child = fork(fileURLToPath(new URL('./raw-subscriber.ts', import.meta.url)), [mqttUrl, `bench-raw-sub-${label}-${process.pid}`], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: ((m: { ready?: boolean; report?: SubscriberReport }) => void)[] = [];
  child.on('message', (m: { ready?: boolean; report?: SubscriberReport }) => replies.shift()?.(m));
  const next = () => new Promise<{ ready?: boolean; report?: SubscriberReport }>((r) => replies.push(r));
  const ask = async () => { const p = next(); child.send({ cmd: 'report' }); return (await p).report!; };
  await next(); // ready: subscribed
  const cpu = new CpuMeter(new Map([...pids, ['subscriber', child.pid!]])).start();
  const pub = await connectPublisher(mqttUrl, `bench-raw-pub-${label}-${process.pid}`);
  const run = await publishFor(pub, t0_ms, {
    duration_s: seconds, window, readings,
    progress: (sent, acked, elapsed_s) => say(`  [${label} ${elapsed_s.toFixed(0)} s] ${fmt(sent)} published, ${fmt(acked)} acked by the broker (${fmt(acked / elapsed_s)} msg/s)`),
  });
  const cpuLine = cpu.stop();
  await pub.endAsync();
  // Wait for the subscriber to receive everything that was acknowledged (or to stop progressing).
  let rep = await ask();
  for (let stalled = 0; rep.received < run.acked && stalled < 50;) {
    await new Promise((r) => setTimeout(r, 100));
    const before = rep.received;
    rep = await ask();
    stalled = rep.received === before ? stalled + 1 : 0;
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ cmd: 'stop' });
  await exited;
  const dur_s = (rep.last_ms - run.start_ms) / 1000;
  const msgs_s = rep.received / dur_s;
  return { run, received: rep.received, msgs_s, readings_s: msgs_s * readings, mean_payload_bytes: rep.bytes / Math.max(1, rep.received), cpu: cpuLine };
}
