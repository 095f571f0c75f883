// Closes the gap a broker restart opens in a shared subscription (docs/scaling.md). Mosquitto 2.0
// keeps a persistent session's ordinary subscriptions and queued messages across a restart, but
// not its shared subscriptions (seen with 2.0.11, MQTT 3.1.1 and 5): until the first instance
// subscribes again, a device message matches no subscriber and is dropped, though the broker has
// acknowledged it. So each instance also keeps this persistent session with an ordinary
// subscription to every device topic. Normally it acknowledges what it gets without keeping it;
// from each (re)connect until the marker that the instance publishes once its shared subscription
// is back (the broker handles one publish after another, so every message it could not give the
// group is queued here before the marker), it keeps each message like the storage path does.
import type { MqttClient } from 'mqtt';
import { firstConnect, openBrokerClient, whenWritable, type BrokerLogin } from './connect.ts';
import { DEVICE_TOPIC_FILTER, isAlertTopic } from '../../wire/topics.ts';
import { guardMarkerTopic } from '../../wire/cluster.ts';
import type { Logger, OnMessage } from '../../ports.ts';

export interface GapGuardOptions extends BrokerLogin {
  /** The instance's MQTT_CLIENT_ID; this session is `<id>-guard`. */
  readonly instance_id: string;
}

export interface GapGuard {
  /** Publish the marker: the instance's shared subscription is in place (again). */
  subscribed(): void;
  /** Messages kept since start (each kept message may also be stored by the group: idempotent). */
  kept(): number;
  close(): Promise<void>;
}

export async function connectGapGuard(o: GapGuardOptions, keep: OnMessage, log: Logger): Promise<GapGuard> {
  const marker = guardMarkerTopic(o.instance_id);
  const client: MqttClient = openBrokerClient(o, { clientId: `${o.instance_id}-guard`, clean: false });
  let open = true;
  let kept = 0;
  client.on('connect', () => {
    open = true; // until the marker: what was queued meanwhile may have reached no group member
    // Ordinary subscriptions: the broker keeps them in the session, across its restart too.
    client.subscribe({ [DEVICE_TOPIC_FILTER]: { qos: 1 }, [marker]: { qos: 1 } }, (err) => {
      if (err) log.error(`gap guard: subscribe failed: ${err.message}`);
    });
  });
  client.on('error', (err) => log.warn(`gap guard ${o.url}: ${err.message}`));
  client.handleMessage = (packet, callback) => {
    if (packet.topic === marker) {
      if (open && kept > 0) log.info(`gap guard: the shared subscription is back; ${kept} message(s) kept meanwhile`);
      open = false;
      callback();
      return;
    }
    if (!open || isAlertTopic(packet.topic)) { callback(); return; }
    kept++;
    const stream = client.stream;
    try {
      keep(packet.topic, packet.payload as Buffer, { ack: () => whenWritable(stream, callback), alive: () => client.stream === stream && !stream.destroyed });
    } catch (err) {
      log.error(`gap guard: cannot keep a message, not acknowledging it: ${(err as Error).message}`);
      stream.destroy();
    }
  };
  await firstConnect(client, o.url);
  return {
    subscribed: () => { client.publish(marker, '', { qos: 1 }, () => undefined); },
    kept: () => kept,
    close: async () => { await client.endAsync(); },
  };
}
