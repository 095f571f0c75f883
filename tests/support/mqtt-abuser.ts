// A misbehaving MQTT.js client in a process of its own, so that its own buffers (a 20 MB payload)
// do not count in the memory of the service under test. Each message is published at QoS 1 and
// ends acknowledged (PUBACK) or closed (the broker dropped the connection); a closed connection
// is replaced for the next message.
//   node --import tsx tests/support/mqtt-abuser.ts <url> '<json AbusePlan>'   → JSON AbuseResult on stdout
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';

export interface AbuseStep {
  readonly topic: string; // {i} is replaced by the message's number
  readonly bytes: number;
  readonly retain: boolean;
  readonly count: number;
}
export interface AbuseResult {
  readonly acked: number;
  readonly closed: number;
}

/** Run a plan from a child process; resolves with what happened to the messages. */
export function abuse(url: string, steps: readonly AbuseStep[]): Promise<AbuseResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, url, JSON.stringify(steps)], { timeout: 120_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`abuser failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as AbuseResult);
    });
  });
}

async function connect(url: string): Promise<MqttClient> {
  const c = mqtt.connect(url, { clientId: `abuser-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, clean: true, reconnectPeriod: 0, protocolVersion: 4 });
  c.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('close', () => reject(new Error('connection refused')));
  });
  return c;
}

function publishOnce(c: MqttClient, topic: string, payload: Buffer, retain: boolean): Promise<'acked' | 'closed'> {
  return new Promise((resolve) => {
    const onClose = () => resolve('closed');
    c.once('close', onClose);
    c.publish(topic, payload, { qos: 1, retain }, (err) => {
      c.removeListener('close', onClose);
      resolve(err ? 'closed' : 'acked');
    });
  });
}

async function main(url: string, steps: AbuseStep[]): Promise<void> {
  let acked = 0;
  let closed = 0;
  let c: MqttClient | null = null;
  for (const s of steps) {
    const payload = Buffer.alloc(s.bytes, 0x6a);
    for (let i = 0; i < s.count; i++) {
      if (!c || !c.connected) { c?.end(true); c = await connect(url); }
      if ((await publishOnce(c, s.topic.replace('{i}', String(i)), payload, s.retain)) === 'acked') acked++;
      else closed++;
    }
  }
  await c?.endAsync(true);
  process.stdout.write(JSON.stringify({ acked, closed } satisfies AbuseResult));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2] ?? '', JSON.parse(process.argv[3] ?? '[]') as AbuseStep[]).then(
    () => process.exit(0),
    (err: unknown) => { process.stderr.write(`${(err as Error).message}\n`); process.exit(1); },
  );
}
