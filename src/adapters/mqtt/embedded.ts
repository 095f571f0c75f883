// The embedded broker (aedes) for a workshop with no broker of its own. Devices connect to it
// directly; the service takes telemetry and events in authorizePublish, which runs before
// aedes writes the PUBACK, so a device's QoS 1 publish is acknowledged only once spooled.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { isAlertTopic, parseTopic } from '../../wire/topics.ts';
import type { Logger, MessageSource } from '../../ports.ts';
import { TurnQueue } from './turn-queue.ts';

export interface EmbeddedOptions {
  readonly host: string;
  readonly port: number;
}

export class PortInUseError extends Error {}

export async function startEmbedded(opts: EmbeddedOptions, onMessage: (topic: string, payload: Buffer) => boolean | void, log: Logger): Promise<MessageSource> {
  const turns = new TurnQueue();
  const broker = await Aedes.createBroker({
    authorizePublish(client, packet, callback) {
      turns.push(() => {
        // Statuses are taken from the 'publish' event below, so that Last Wills count too.
        const t = parseTopic(packet.topic);
        let yieldFirst: boolean | void = false;
        if (!t.ok || t.topic.kind !== 'status') {
          try {
            yieldFirst = onMessage(packet.topic, packet.payload as Buffer);
            // The alert topic is the service's: a device's publish there is counted (unknown_topic) and refused.
            if (isAlertTopic(packet.topic)) { callback(new Error('kiln/v1/+/+/alert is reserved for the service')); return; }
          } catch (err) {
            log.error(`cannot spool a message from ${client?.id ?? '?'}, not acknowledging it: ${(err as Error).message}`);
            callback(err as Error); // aedes closes the connection; the device sends it again
            return;
          }
        }
        // Spooled either way; while InfluxDB is behind, let the event loop turn before the PUBACK.
        if (yieldFirst) setImmediate(() => callback(null));
        else callback(null);
      });
    },
  });
  broker.on('publish', (packet, _client) => {
    const t = parseTopic(packet.topic);
    if (t.ok && t.topic.kind === 'status') onMessage(packet.topic, packet.payload as Buffer);
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
