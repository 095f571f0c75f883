// Subscriber to an external broker (Mosquitto, EMQX...). A persistent session (clean: false,
// fixed client id) makes the broker keep QoS 1 messages while the service is down.
// MQTT.js sends the PUBACK only after handleMessage calls back, so a message is acknowledged
// only once its readings are spooled.
import mqtt, { type MqttClient } from 'mqtt';
import { DEVICE_TOPIC_FILTER, isAlertTopic } from '../../wire/topics.ts';
import type { Logger, MessageSource } from '../../ports.ts';

export interface ExternalOptions {
  readonly url: string;
  readonly client_id: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

export async function connectExternal(opts: ExternalOptions, onMessage: (topic: string, payload: Buffer) => boolean | void, log: Logger): Promise<MessageSource> {
  const client: MqttClient = mqtt.connect(opts.url, {
    clientId: opts.client_id,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    username: opts.username,
    password: opts.password,
  });
  let wasConnected = false;
  client.on('connect', (connack) => {
    log.info(`MQTT connected to ${opts.url} as ${opts.client_id} (session ${connack.sessionPresent ? 'resumed' : 'new'})`);
    wasConnected = true;
    // Subscribing again on a resumed session is harmless and covers a broker that lost it.
    client.subscribe(DEVICE_TOPIC_FILTER, { qos: 1 }, (err) => {
      if (err) log.error(`MQTT subscribe to ${DEVICE_TOPIC_FILTER} failed: ${err.message}`);
    });
  });
  client.on('close', () => { if (wasConnected) log.warn(`MQTT connection to ${opts.url} lost; reconnecting`); wasConnected = false; });
  client.on('error', (err) => log.warn(`MQTT ${opts.url}: ${err.message}`));

  let corked = false;
  client.handleMessage = (packet, callback) => {
    // Our own retained alert state (kiln/v1/+/+/alert) comes back through the wildcard: not a device message.
    if (isAlertTopic(packet.topic)) { callback(); return; }
    let yieldFirst: boolean | void;
    try {
      yieldFirst = onMessage(packet.topic, packet.payload as Buffer);
    } catch (err) {
      // The spool could not take it (disk error). Do not acknowledge: drop the connection so
      // the broker keeps the message in our session and sends it again after reconnecting.
      log.error(`cannot spool a message, not acknowledging it: ${(err as Error).message}`);
      client.stream.destroy();
      return;
    }
    // Batch the PUBACKs of a burst into one socket write: cork until the event loop turns.
    if (!corked && client.stream) {
      corked = true;
      const stream = client.stream;
      stream.cork();
      setImmediate(() => { corked = false; stream.uncork(); });
    }
    // The message is spooled either way; while InfluxDB is behind, acknowledge it on the next
    // event-loop turn so that the drainer's writes get their share (true = pipeline backlog).
    if (yieldFirst) setImmediate(callback);
    else callback();
  };

  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`cannot reach the MQTT broker at ${opts.url} within 10 s: check MQTT_URL`)), 10_000);
    client.once('connect', () => { clearTimeout(t); resolve(); });
  }).catch(async (err) => { await client.endAsync(true); throw err; });

  return {
    kind: 'external',
    connected: () => client.connected,
    publish: async (topic, payload, o) => { await client.publishAsync(topic, payload, o); },
    close: async () => { await client.endAsync(); },
  };
}
