// How the service's own connections to an external broker (storage, gap guard, cluster link)
// connect: MQTT 3.1.1, a reconnect each second, and a start that fails with a message naming
// MQTT_URL when the broker cannot be reached within 10 s (rather than waiting for ever).
import type { Duplex } from 'node:stream';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** Where the external broker is, and the service's own login there (none with anonymous access). */
export interface BrokerLogin {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** MQTT.js logs each packet it sends and reads through the `debug` package, which formats nothing
 *  unless DEBUG names it but is still called: ~0.8 % of the service's busy time at full pace
 *  (a CPU profile of `npm run bench` phase C). With DEBUG set, its own logging is left on. */
const mqttLog = (): IClientOptions['log'] => (process.env.DEBUG ? undefined : () => {});

export function openBrokerClient(login: BrokerLogin, session: Pick<IClientOptions, 'clientId' | 'clean' | 'will'>): MqttClient {
  return mqtt.connect(login.url, {
    protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: CONNECT_TIMEOUT_MS,
    username: login.username, password: login.password, log: mqttLog(), ...session,
  });
}

/** Resolves on the first CONNACK; otherwise closes the client and throws a readable error. */
export async function firstConnect(client: MqttClient, url: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`cannot reach the MQTT broker at ${url} within ${CONNECT_TIMEOUT_MS / 1000} s: check MQTT_URL`)), CONNECT_TIMEOUT_MS);
    client.once('connect', () => { clearTimeout(t); resolve(); });
  }).catch(async (err) => { await client.endAsync(true); throw err; });
}

/** Calls `then` (MQTT.js then writes the PUBACK and reads the next message) once the connection
 *  can take more writes. MQTT.js waits for 'drain' only when a packet's write reports a full
 *  buffer, and mqtt-packet reports every PUBACK as written: without this, a broker that sends
 *  faster than it reads our PUBACKs (Mosquitto under a burst of small messages) had them pile up
 *  in the socket's buffer, ~6 MB of heap a second, until the service ran out of heap. Waiting
 *  here leaves the rest queued at the broker. A connection that drops meanwhile never drains:
 *  the broker sends its unacknowledged messages again after the reconnect. */
export function whenWritable(stream: Duplex, then: () => void): void {
  if (stream.writableNeedDrain && !stream.destroyed) stream.once('drain', then);
  else then();
}
