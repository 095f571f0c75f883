// Subscriber to an external broker (Mosquitto, EMQX...). A persistent session (clean: false,
// fixed client id) makes the broker keep QoS 1 messages while the service is down.
// MQTT.js sends the PUBACK only after handleMessage calls back, so a message is acknowledged
// only once its readings are spooled, however long that takes.
import type { ISubscriptionMap, MqttClient } from 'mqtt';
import { firstConnect, openBrokerClient, whenWritable, type BrokerLogin } from './connect.ts';
import { DEVICE_TOPIC_FILTER, isAlertTopic } from '../../wire/topics.ts';
import type { Logger, MessageSource, OnMessage } from '../../ports.ts';

export interface ExternalOptions extends BrokerLogin {
  readonly client_id: string;
  /** What to subscribe to: every device topic, or one instance's share of it (docs/scaling.md). */
  readonly filter?: string | undefined;
  /** Called each time the subscription is in place (after every connect). */
  readonly onSubscribed?: (() => void) | undefined;
}

export async function connectExternal(opts: ExternalOptions, onMessage: OnMessage, log: Logger): Promise<MessageSource> {
  const client: MqttClient = openBrokerClient(opts, { clientId: opts.client_id, clean: false });
  let wasConnected = false;
  client.on('connect', (connack) => {
    log.info(`MQTT connected to ${opts.url} as ${opts.client_id} (session ${connack.sessionPresent ? 'resumed' : 'new'})`);
    wasConnected = true;
    // A resumed session keeps an ordinary subscription, and MQTT.js sends no SUBSCRIBE for it
    // again (nor do retained messages come again). A shared one is subscribed again on every
    // connect: Mosquitto 2.0 forgets it across its restart (docs/scaling.md).
    const filter = opts.filter ?? DEVICE_TOPIC_FILTER;
    client.subscribe(opts.filter ? forceSubscribe({ [filter]: { qos: 1 } }) : { [filter]: { qos: 1 } }, (err) => {
      if (err) log.error(`MQTT subscribe to ${filter} failed: ${err.message}`);
      else opts.onSubscribed?.();
    });
  });
  client.on('close', () => { if (wasConnected) log.warn(`MQTT connection to ${opts.url} lost; reconnecting`); wasConnected = false; });
  client.on('error', (err) => log.warn(`MQTT ${opts.url}: ${err.message}`));

  let corked = false;
  client.handleMessage = (packet, callback) => {
    // Our own retained alert state (kiln/v1/+/+/alert) comes back through the wildcard: not a device message.
    if (isAlertTopic(packet.topic)) { callback(); return; }
    // MQTT.js reads nothing more from the broker until callback() runs, and sends the PUBACK
    // then: a message the spool cannot take yet waits unacknowledged, and the broker keeps the
    // rest of our session queued. A connection that drops meanwhile gets the message again.
    const stream = client.stream;
    const alive = () => client.stream === stream && !stream.destroyed;
    const ack = () => {
      // Batch the PUBACKs of a burst into one socket write: cork until the event loop turns.
      if (!corked) {
        corked = true;
        stream.cork();
        setImmediate(() => { corked = false; stream.uncork(); });
      }
      whenWritable(stream, callback);
    };
    try {
      onMessage(packet.topic, packet.payload as Buffer, { ack, alive });
    } catch (err) {
      // A bug, not a full disk (that is held above): do not acknowledge; drop the connection so
      // the broker keeps the message in our session and sends it again after reconnecting.
      log.error(`cannot take a message, not acknowledging it: ${(err as Error).message}`);
      stream.destroy();
    }
  };

  await firstConnect(client, opts.url);

  return {
    kind: 'external',
    connected: () => client.connected,
    publish: async (topic, payload, o) => { await client.publishAsync(topic, payload, o); },
    close: async () => { await client.endAsync(); },
  };
}

/** A subscription map that MQTT.js sends even for topics it believes subscribed (its resubscribe flag). */
export function forceSubscribe(topics: Record<string, { qos: 0 | 1 }>): ISubscriptionMap {
  return Object.assign(topics, { resubscribe: true }) as unknown as ISubscriptionMap;
}
