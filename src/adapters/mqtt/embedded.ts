// The embedded broker (aedes) for a workshop with no broker of its own. Devices connect to it
// directly; the service takes telemetry and events in authorizePublish, which runs before
// aedes writes the PUBACK, so a device's QoS 1 publish is acknowledged only once spooled.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { isAlertTopic, parseTopic } from '../../wire/topics.ts';
import type { Logger, MessageSource, OnMessage } from '../../ports.ts';

export interface EmbeddedOptions {
  readonly host: string;
  readonly port: number;
}

export class PortInUseError extends Error {}

export async function startEmbedded(opts: EmbeddedOptions, onMessage: OnMessage, log: Logger): Promise<MessageSource> {
  const broker = await Aedes.createBroker({
    authorizePublish(client, packet, callback) {
      // Statuses are taken from the 'publish' event below, so that Last Wills count too.
      const t = parseTopic(packet.topic);
      if (t.ok && t.topic.kind === 'status') { callback(null); return; }
      // The alert topic is the service's: a device's publish there is counted (unknown_topic) and refused.
      const refuse = isAlertTopic(packet.topic) ? new Error('kiln/v1/+/+/alert is reserved for the service') : null;
      // aedes reads nothing more from this client until the callback runs: a message the spool
      // cannot take yet waits here, unacknowledged, and the client's later packets wait in TCP.
      const delivery = { ack: () => callback(refuse), alive: () => !client?.closed };
      try {
        onMessage(packet.topic, packet.payload as Buffer, delivery);
      } catch (err) {
        log.error(`cannot take a message from ${client?.id ?? '?'}, not acknowledging it: ${(err as Error).message}`);
        callback(err as Error); // aedes closes the connection; the device sends it again
      }
    },
  });
  broker.on('publish', (packet, _client) => {
    const t = parseTopic(packet.topic);
    if (t.ok && t.topic.kind === 'status') onMessage(packet.topic, packet.payload as Buffer, { ack: () => undefined, alive: () => true });
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? new PortInUseError(`port ${opts.port} is already in use, so the embedded MQTT broker cannot start. Set MQTT_EMBEDDED_PORT to a free port, or MQTT_URL=mqtt://127.0.0.1:${opts.port} to use the broker already there.`)
        : err);
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  log.info(`embedded MQTT broker listening on ${opts.host}:${opts.port}`);
  return {
    kind: 'embedded',
    connected: () => !broker.closed,
    publish: (topic, payload, o) => new Promise((resolve, reject) => {
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: o.qos, retain: o.retain, dup: false }, (err) => (err ? reject(err) : resolve()));
    }),
    close: async () => {
      // Close the broker first: it disconnects the clients that would keep the server open.
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
