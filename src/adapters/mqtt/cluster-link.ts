// The second connection of an instance that shares the broker with others (docs/scaling.md): a
// clean session, not shared, so that this instance sees every device message (for its live view,
// alerts and kiln status; storing is the shared subscription's job, external.ts), the instances'
// presence, and the firing-index notes. Its Last Will clears this instance's retained presence.
import type { MqttClient } from 'mqtt';
import { firstConnect, openBrokerClient, whenWritable, type BrokerLogin } from './connect.ts';
import { DEVICE_TOPIC_FILTER, isAlertTopic } from '../../wire/topics.ts';
import { CHANGES_TOPIC, INDEX_NOTES_TOPIC, INSTANCES_FILTER, instanceTopic } from '../../wire/cluster.ts';
import type { Logger } from '../../ports.ts';

export interface ClusterLinkOptions extends BrokerLogin {
  /** The instance's MQTT_CLIENT_ID; this connection is `<id>-view`. */
  readonly instance_id: string;
}

export interface ClusterHandlers {
  device(topic: string, payload: Buffer): void;
  /** A presence message (its payload; empty: the instance left). */
  presence(topic: string, payload: Buffer): void;
  indexNote(payload: Buffer): void;
  change(payload: Buffer): void;
  /** The connection is up and subscribed (again), or went down. */
  link(up: boolean): void;
}

export interface ClusterLink {
  connected(): boolean;
  publish(topic: string, payload: string, retain: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function connectClusterLink(o: ClusterLinkOptions, h: ClusterHandlers, log: Logger): Promise<ClusterLink> {
  const client: MqttClient = openBrokerClient(o, {
    clientId: `${o.instance_id}-view`, clean: true,
    // An empty retained Will deletes the retained presence: every instance learns this one is gone.
    will: { topic: instanceTopic(o.instance_id), payload: Buffer.alloc(0), retain: true, qos: 1 },
  });
  client.on('message', (topic, payload) => {
    try {
      if (topic === INDEX_NOTES_TOPIC) h.indexNote(payload);
      else if (topic === CHANGES_TOPIC) h.change(payload);
      else if (topic.startsWith('kiln-cluster/')) h.presence(topic, payload);
      else if (!isAlertTopic(topic)) h.device(topic, payload);
    } catch (err) {
      log.error(`cluster link: a message handler failed: ${(err as Error).message}`);
    }
  });
  // Every device message comes here too: its PUBACK waits for the socket as the storing connection's does.
  client.handleMessage = (_packet, callback) => whenWritable(client.stream, callback);
  client.on('connect', () => {
    // Presence first: retained, it tells this instance who else is there before any reading.
    client.subscribe({ [INSTANCES_FILTER]: { qos: 1 }, [INDEX_NOTES_TOPIC]: { qos: 1 }, [CHANGES_TOPIC]: { qos: 1 }, [DEVICE_TOPIC_FILTER]: { qos: 1 } }, (err) => {
      if (err) log.error(`cluster link: subscribe failed: ${err.message}`);
      else h.link(true);
    });
  });
  let wasUp = false;
  client.on('connect', () => { wasUp = true; });
  client.on('close', () => {
    if (wasUp) { log.warn(`cluster link to ${o.url} lost: this instance owns no kiln until it is back`); h.link(false); }
    wasUp = false;
  });
  client.on('error', (err) => log.warn(`cluster link ${o.url}: ${err.message}`));
  await firstConnect(client, o.url);
  return {
    connected: () => client.connected,
    publish: async (topic, payload, retain) => { await client.publishAsync(topic, payload, { qos: 1, retain }); },
    close: async () => { await client.endAsync(); },
  };
}
