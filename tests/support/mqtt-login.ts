// MQTT clients that log in (or try to) with a device credential, for the device-credential tests
// on aedes and on Mosquitto: connect, the reason a login is refused, a SUBACK's granted QoS.
import mqtt, { type IClientOptions, type MqttClient, type Packet } from 'mqtt';

/** Clients of the broker at `url()`, all ended by endAll(). */
export function loginClients(url: () => string) {
  const clients: MqttClient[] = [];
  const connect = async (username: string | undefined, password: string | undefined, extra: IClientOptions = {}): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(url(), {
      clientId: `c-${Math.random().toString(36).slice(2, 10)}`, clean: true, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4,
      ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...extra,
    });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  /** 'connected', or the broker's refusal as MQTT.js reports it. */
  const refusal = (username: string | undefined, password: string | undefined): Promise<string> =>
    connect(username, password).then(async (c) => { await c.endAsync(true); return 'connected'; }, (err: Error) => err.message);
  const endAll = async () => { for (const c of clients) await c.endAsync(true).catch(() => undefined); };
  return { connect, refusal, endAll };
}

/** The SUBACK's granted QoS per filter (mqtt.js rejects a SUBACK holding a 128, so read the packet). */
export async function grantedQos(c: MqttClient, filters: string[]): Promise<number[]> {
  const suback = new Promise<number[]>((resolve) => {
    const on = (p: Packet) => { if (p.cmd === 'suback') { c.off('packetreceive', on); resolve(p.granted as number[]); } };
    c.on('packetreceive', on);
  });
  c.subscribe(filters, { qos: 1 }, () => undefined);
  return suback;
}
