// A device-side MQTT.js client that publishes at QoS 1 as fast as a fixed window of in-flight
// publishes allows (a new publish for every PUBACK), recording when each seq was published and
// whether the broker acknowledged it. The same publisher feeds phase A and phase C.
import mqtt, { type MqttClient } from 'mqtt';
import { payloadOf, topicOf } from './payload.ts';

export interface PublishRun {
  readonly published: number;
  readonly acked: number;
  readonly errors: number;
  readonly start_ms: number; // epoch ms (sub-ms precision) of the first publish
  readonly end_ms: number; // epoch ms of the last PUBACK
  readonly first_seq: number;
  /** publish time (epoch ms) of every seq, index = seq - first_seq */
  readonly sent_at_ms: Float64Array;
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

export async function connectPublisher(url: string, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export interface PublishOptions {
  readonly duration_s: number;
  readonly window: number; // QoS 1 publishes in flight
  readonly first_seq?: number;
  readonly rate_msgs_s?: number; // pace; unlimited when absent
  readonly kilns?: number; // the fleet the messages go to (payload.ts), KILNS when absent
  readonly readings?: number; // readings per message (payload.ts), READINGS_PER_MESSAGE when absent
  readonly max_messages?: number; // stop after this many publishes (a burst), even before duration_s
  readonly progress?: (sent: number, acked: number, elapsed_s: number) => void;
}

/** Publish for duration_s with `window` QoS 1 publishes in flight; resolves when all are acknowledged. */
export function publishFor(client: MqttClient, t0_ms: number, opts: PublishOptions): Promise<PublishRun> {
  const { duration_s, window, first_seq = 0, rate_msgs_s, progress, kilns, readings, max_messages = Infinity } = opts;
  let sent_at = new Float64Array(1 << 16);
  let published = 0;
  let acked = 0;
  let errors = 0;
  let inflight = 0;
  let paced = false;
  const start_ms = nowMs();
  const until_ms = start_ms + duration_s * 1000;
  let end_ms = start_ms;
  return new Promise((resolve) => {
    const tick = progress ? setInterval(() => progress(published, acked, (nowMs() - start_ms) / 1000), 5000) : undefined;
    const finishIfDone = () => {
      if (inflight > 0 || (nowMs() < until_ms && published < max_messages)) return false;
      clearInterval(tick);
      resolve({ published, acked, errors, start_ms, end_ms, first_seq, sent_at_ms: sent_at.subarray(0, published) });
      return true;
    };
    const onAck = (err?: Error) => {
      inflight--;
      if (err) errors++;
      else acked++;
      end_ms = nowMs();
      if (!finishIfDone()) pump();
    };
    const pump = () => {
      while (inflight < window) {
        const t = nowMs();
        if (t >= until_ms || published >= max_messages) { finishIfDone(); return; }
        if (rate_msgs_s && published >= ((t - start_ms) / 1000) * rate_msgs_s) {
          if (!paced) { paced = true; setTimeout(() => { paced = false; pump(); }, 2); }
          return;
        }
        const i = published++;
        if (i >= sent_at.length) { const grown = new Float64Array(sent_at.length * 2); grown.set(sent_at); sent_at = grown; }
        sent_at[i] = t;
        inflight++;
        client.publish(topicOf(first_seq + i, kilns), payloadOf(t0_ms, first_seq + i, kilns, readings), { qos: 1 }, onAck);
      }
    };
    pump();
  });
}
