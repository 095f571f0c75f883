// MQTT connections for the simulator: one per kiln (each with its own Last Will on its status
// topic, as a real logger has) or a small pool shared by many kilns (the benchmark). QoS 1
// publishes go through a bounded in-flight window per connection; the rest wait in a local queue.
import mqtt, { type MqttClient } from 'mqtt';

export interface LinkOptions {
  readonly url: string;
  readonly client_prefix: string;
  readonly connections: number;
  readonly qos: 0 | 1;
  /** Unacknowledged QoS 1 publishes allowed per connection. */
  readonly inflight: number;
  /** Per connection: a status topic and its offline payload for the Last Will (dedicated mode). */
  readonly wills?: readonly { topic: string; payload: string }[];
  readonly connect_timeout_ms?: number;
  /** Called with each QoS 1 publish the broker acknowledged (a benchmark counts what it must find stored). */
  readonly on_ack?: (topic: string, payload: string) => void;
}

interface Pending { topic: string; payload: string; retain: boolean }

export interface Link {
  publish(conn: number, topic: string, payload: string, retain?: boolean): void;
  /** Drop a connection abruptly (the broker then publishes its Last Will), or bring it back. */
  cut(conn: number): void;
  restore(conn: number): void;
  subscribe(filter: string, onMessage: (topic: string, payload: string) => void): Promise<void>;
  stats(): { sent: number; acked: number; queued: number; inflight: number; errors: number };
  /** Wait until every queued and in-flight message is acknowledged (or timeout_ms passes). */
  drain(timeout_ms: number): Promise<boolean>;
  close(): Promise<void>;
}

const RECONNECT_MS = 1000;

/** A URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}

export async function openLink(o: LinkOptions): Promise<Link> {
  const clients: MqttClient[] = [];
  const queues: Pending[][] = [];
  const inflight: number[] = [];
  let sent = 0, acked = 0, errors = 0;
  let control: MqttClient | null = null;
  const connecting: Promise<void>[] = [];
  for (let i = 0; i < o.connections; i++) {
    const will = o.wills?.[i];
    const c = mqtt.connect(o.url, {
      // clean: false, as docs/mqtt.md asks of devices: unacknowledged QoS 1 messages survive a reconnect.
      clientId: `${o.client_prefix}-${i}`, clean: false, reconnectPeriod: RECONNECT_MS,
      connectTimeout: o.connect_timeout_ms ?? 10_000,
      ...(will ? { will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true } } : {}),
    });
    c.on('error', () => { errors += 1; });
    clients.push(c);
    queues.push([]);
    inflight.push(0);
    connecting.push(new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cannot connect to ${redactUrl(o.url)} within ${(o.connect_timeout_ms ?? 10_000) / 1000} s`)), o.connect_timeout_ms ?? 10_000);
      c.once('connect', () => { clearTimeout(timer); resolve(); });
      // A refused credential (CONNACK 4 or 5) is said at once rather than retried until the timeout.
      c.on('error', (err: Error & { code?: number }) => {
        if (err.code !== 4 && err.code !== 5) return;
        clearTimeout(timer);
        reject(new Error(`${redactUrl(o.url)} refused the connection (${err.message}): check --username and --password`));
      });
    }));
  }
  try {
    await Promise.all(connecting);
  } catch (err) {
    for (const c of clients) c.end(true);
    throw err;
  }

  const pump = (i: number): void => {
    const c = clients[i], q = queues[i];
    if (!c || !q) return;
    while (q.length > 0 && (o.qos === 0 || (inflight[i] ?? 0) < o.inflight)) {
      const m = q.shift() as Pending;
      inflight[i] = (inflight[i] ?? 0) + 1;
      sent += 1;
      c.publish(m.topic, m.payload, { qos: o.qos, retain: m.retain }, (err) => {
        inflight[i] = (inflight[i] ?? 1) - 1;
        if (err) errors += 1; else { acked += 1; o.on_ack?.(m.topic, m.payload); }
        pump(i);
      });
    }
  };

  const stats = () => ({ sent, acked, errors, queued: queues.reduce((a, q) => a + q.length, 0), inflight: inflight.reduce((a, b) => a + b, 0) });
  return {
    publish(conn, topic, payload, retain = false) {
      const i = conn % clients.length;
      queues[i]?.push({ topic, payload, retain });
      pump(i);
    },
    // A cut drops the TCP connection without DISCONNECT, so the broker sends the Last Will.
    // The device model holds its readings in its outbox until the cut ends; MQTT.js reconnects
    // on its own and sends its in-flight QoS 1 messages again (end() would close its stores
    // and strand those messages with no callback, ever).
    // MQTT.js would reconnect by itself a second later: held off until the cut ends, so that a
    // cut in real time keeps the kiln off the broker for its whole length.
    cut(conn) {
      const c = clients[conn % clients.length];
      if (!c) return;
      c.options.reconnectPeriod = 0;
      c.stream?.destroy();
    },
    restore(conn) {
      const c = clients[conn % clients.length];
      if (!c) return;
      c.options.reconnectPeriod = RECONNECT_MS; // a close still to come reconnects on its own
      // reconnect() with no stores would start new empty ones and strand the QoS 1 messages in flight.
      if (!c.connected && !c.reconnecting) c.reconnect({ incomingStore: c.incomingStore, outgoingStore: c.outgoingStore });
    },
    // Control messages come on a connection of their own: on a kiln's connection they would wait
    // out that kiln's network cut (measured: a fault sent to another kiln arrived 11 s late).
    async subscribe(filter, onMessage) {
      control ??= await mqtt.connectAsync(o.url, { clientId: `${o.client_prefix}-ctl`, clean: true, reconnectPeriod: RECONNECT_MS, connectTimeout: o.connect_timeout_ms ?? 10_000 });
      control.on('message', (topic, buf) => onMessage(topic, buf.toString('utf8')));
      await control.subscribeAsync(filter, { qos: 1 });
    },
    stats,
    async drain(timeout_ms) {
      const until = Date.now() + timeout_ms;
      while (Date.now() < until) {
        const s = stats();
        if (s.queued === 0 && s.inflight === 0) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    },
    async close() {
      // A client that lost messages in a cut may never settle: give a clean DISCONNECT 2 s, then force.
      await Promise.all([...clients, ...(control ? [control] : [])].map((c) => Promise.race([
        c.endAsync(false).catch(() => undefined),
        new Promise<void>((r) => setTimeout(() => { c.end(true); r(); }, 2000).unref()),
      ])));
    },
  };
}
