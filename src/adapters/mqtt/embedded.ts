// The embedded broker (aedes) for a workshop with no broker of its own. Devices connect to it
// directly; the service takes telemetry and events in authorizePublish, which runs before
// aedes writes the PUBACK, so a device's QoS 1 publish is acknowledged only once spooled.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { parseTopic } from '../../wire/topics.ts';
import type { Logger, MessageSource, OnMessage } from '../../ports.ts';
import type { RejectReason } from '../../domain/point.ts';
import { dropper, ownPayload, publishPolicy } from './publish-policy.ts';
import { guardSocket } from './packet-size-guard.ts';
import { TurnQueue } from './turn-queue.ts';
import { ReadBudget } from './read-budget.ts';
import { DeviceAuth, type BrokerAccess } from './device-auth.ts';

export interface EmbeddedOptions {
  readonly host: string;
  readonly port: number;
  /** Whole MQTT packet, header included: a client sending a longer one is disconnected. */
  readonly max_packet_bytes: number;
  /** Something the broker refused (publish-policy.ts, packet-size-guard.ts), for the caller to count. */
  readonly onRefused: (topic: string, payload: Buffer | null, reason: RejectReason, detail: string) => void;
  /** Device credentials (device-auth.ts). */
  readonly access: BrokerAccess;
}

export class PortInUseError extends Error {}

/** What the read budget uses of an aedes 1.x client (not in its types). */
interface AedesClientInternals {
  _parsingBatch: number;
  _nextBatch(): void;
  readonly _parser: { parse(buf: Buffer): unknown };
}

export async function startEmbedded(opts: EmbeddedOptions, onMessage: OnMessage, log: Logger): Promise<MessageSource> {
  const turns = new TurnQueue();
  const reads = new ReadBudget();
  const auth = new DeviceAuth(opts.access);
  const refusedLogins = new Set<string>();
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, callback) {
      const code = auth.connect(client, username, password);
      if (code === null) { callback(null, true); return; }
      // Logged once per address and username (a logger with an old secret retries forever).
      const key = `${(client.conn as { remoteAddress?: string }).remoteAddress ?? '?'} ${(username ?? '').slice(0, 100)}`;
      if (refusedLogins.size < 1000 && !refusedLogins.has(key)) {
        refusedLogins.add(key);
        log.warn(`MQTT connect refused: ${username ? `unknown username or wrong secret for "${key.slice(key.indexOf(' ') + 1)}"` : 'no username (MQTT_ALLOW_ANONYMOUS is off)'} from ${key.split(' ')[0]}`);
      }
      callback(Object.assign(new Error(username ? 'bad user name or password' : 'not authorized'), { returnCode: code }), false);
    },
    authorizeSubscribe(client, sub, callback) {
      const d = auth.subscribe(client, sub.topic);
      if (d.ok) { callback(null, sub); return; }
      log.debug?.(`MQTT subscription to ${sub.topic} refused for ${auth.describe(client)}: ${d.reason}`);
      callback(null, null); // granted 128: refused, the connection kept
    },
    authorizePublish(client, packet, callback) {
      // The credential's own topics first (acl_denied names the device and why), then for
      // everyone only the contract's topics (not .../alert, the service's), retained only on status.
      // A refusal is acknowledged and dropped, never an error: aedes would close the connection
      // without a PUBACK, and a QoS 1 device would send the same message again after every reconnect.
      const acl = auth.publish(client, packet.topic);
      if (!acl.ok) {
        opts.onRefused(packet.topic, packet.payload as Buffer, 'acl_denied', `${auth.describe(client)}: ${acl.reason}`);
        drop(packet);
        callback(null);
        return;
      }
      const verdict = publishPolicy(packet.topic, packet.retain);
      if (verdict.reject) opts.onRefused(packet.topic, packet.payload as Buffer, verdict.reject.reason, verdict.reject.detail);
      if (!verdict.allowed) { drop(packet); callback(null); return; }
      packet.retain = verdict.retain;
      if (packet.retain && Buffer.isBuffer(packet.payload)) packet.payload = ownPayload(packet.payload);
      // Statuses are taken from the 'publish' event below, so that Last Wills count too; the
      // simulator's control topic is relayed as it is.
      if (verdict.kind !== 'telemetry' && verdict.kind !== 'event') { callback(null); return; }
      // aedes reads nothing more from this client until the callbacks of one socket read have
      // run: a message the spool cannot take yet waits, unacknowledged, and TCP holds the rest.
      // Messages are taken in turns (turn-queue.ts), so one read of big messages never holds the loop.
      turns.push(() => {
        if (client?.closed) return; // never acknowledged: the device sends it again
        const delivery = { ack: () => callback(null), alive: () => !client?.closed };
        try {
          onMessage(packet.topic, packet.payload as Buffer, delivery);
        } catch (err) {
          log.error(`cannot take a message from ${client?.id ?? '?'}, not acknowledging it: ${(err as Error).message}`);
          callback(err as Error); // aedes closes the connection; the device sends it again
        }
      });
    },
  });
  broker.on('publish', (packet, _client) => {
    const t = parseTopic(packet.topic);
    if (t.ok && t.topic.kind === 'status') onMessage(packet.topic, packet.payload as Buffer, { ack: () => undefined, alive: () => true });
  });
  const drop = dropper(broker);
  const warned = new Set<string>();
  const server: Server = createServer((socket) => {
    guardSocket(socket, opts.max_packet_bytes, (packet_bytes) => {
      const from = `${socket.remoteAddress ?? '?'}`;
      const detail = `${Number.isFinite(packet_bytes) ? `${packet_bytes} byte packet` : 'malformed packet length'} from ${from} > ${opts.max_packet_bytes} bytes: connection closed`;
      opts.onRefused('', null, 'packet_too_large', detail);
      if (warned.size < 1000 && !warned.has(from)) { warned.add(from); log.warn(`MQTT ${detail} (logged once per address, all counted)`); }
    });
    // aedes's own flow control (private, aedes 1.x): a client parses each read with its parser and
    // reads again once every packet of it is handled; a read the budget put off asks for that again
    // on a later turn.
    const client = broker.handle(socket) as unknown as AedesClientInternals;
    const parser = client._parser;
    const parse = parser.parse.bind(parser);
    parser.parse = (buf) => reads.timed(() => parse(buf));
    reads.wrap(socket, () => { if (client._parsingBatch <= 0) client._nextBatch(); });
  });
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
