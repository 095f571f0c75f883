// How the service's own connections to an external broker (storage, gap guard, cluster link)
// connect: MQTT 3.1.1, a reconnect each second, and a start that fails with a message naming
// MQTT_URL when the broker cannot be reached within 10 s (rather than waiting for ever).
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** Where the external broker is, and the service's own login there (none with anonymous access). */
export interface BrokerLogin {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

const CONNECT_TIMEOUT_MS = 10_000;

export function openBrokerClient(login: BrokerLogin, session: Pick<IClientOptions, 'clientId' | 'clean' | 'will'>): MqttClient {
  return mqtt.connect(login.url, {
    protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: CONNECT_TIMEOUT_MS,
    username: login.username, password: login.password, ...session,
  });
}

/** Resolves on the first CONNACK; otherwise closes the client and throws a readable error. */
export async function firstConnect(client: MqttClient, url: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`cannot reach the MQTT broker at ${url} within ${CONNECT_TIMEOUT_MS / 1000} s: check MQTT_URL`)), CONNECT_TIMEOUT_MS);
    client.once('connect', () => { clearTimeout(t); resolve(); });
  }).catch(async (err) => { await client.endAsync(true); throw err; });
}
