// Phase A's subscriber, run as its own process like the service is in phase C: a plain MQTT.js
// client with a persistent session (clean: false) at QoS 1 that only counts what it receives.
// MQTT.js's default handler acknowledges each message at once. Talks to the parent over IPC.
import mqtt from 'mqtt';
import { DEVICE_TOPIC_FILTER } from '../../src/wire/topics.ts';

export interface SubscriberReport { received: number; bytes: number; first_ms: number; last_ms: number }

const [url, clientId] = process.argv.slice(2);
if (!url || !clientId || !process.send) throw new Error('usage: raw-subscriber.ts <mqtt url> <client id> (with an IPC channel)');
const send = process.send.bind(process);
const nowMs = () => performance.timeOrigin + performance.now();
const report: SubscriberReport = { received: 0, bytes: 0, first_ms: 0, last_ms: 0 };

const client = mqtt.connect(url, { clientId, clean: false, protocolVersion: 4, reconnectPeriod: 1000 });
client.on('message', (_topic, payload) => {
  const t = nowMs();
  if (report.received === 0) report.first_ms = t;
  report.received++;
  report.bytes += payload.length;
  report.last_ms = t;
});
client.once('connect', () => {
  client.subscribe(DEVICE_TOPIC_FILTER, { qos: 1 }, (err) => {
    if (err) throw err;
    send({ ready: true });
  });
});
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'report') send({ report });
  // Drop the subscription before leaving: a persistent session left subscribed would make
  // Mosquitto queue every phase C message for this absent client too.
  if (m.cmd === 'stop') client.unsubscribe(DEVICE_TOPIC_FILTER, () => client.end(false, {}, () => process.exit(0)));
});
process.on('disconnect', () => process.exit(0)); // the benchmark went away without a 'stop'
