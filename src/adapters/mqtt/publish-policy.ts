// What the embedded broker takes from its clients (docs/mqtt.md, "What the broker refuses").
// Only the contract's topics, so that a client cannot use the service as a general broker; a
// retained message only on status, so that the broker's memory holds one small message per kiln.
import type { Aedes } from 'aedes';
import { isAlertTopic, isValidId, parseTopic, TOPIC_ROOT, type TopicKind } from '../../wire/topics.ts';

export type BrokerRejectReason = 'topic_not_allowed' | 'retain_not_allowed';

export interface PublishVerdict {
  /** false: acknowledged as usual (so a QoS 1 device does not send it again forever), counted,
   *  and neither relayed nor retained. */
  readonly allowed: boolean;
  /** Device data, or the simulator's control topic (relayed, not ingested). */
  readonly kind: TopicKind | 'sim_fault' | null;
  /** The retain flag to publish with: a retain flag where none is allowed is dropped and counted,
   *  the message itself kept (its readings are good). */
  readonly retain: boolean;
  readonly reject?: { readonly reason: BrokerRejectReason; readonly detail: string };
}

const refuse = (detail: string): PublishVerdict => ({ allowed: false, kind: null, retain: false, reject: { reason: 'topic_not_allowed', detail } });

/** kiln/v1/{workshop}/{kiln}/sim/fault: faults sent to a running simulator (docs/simulator.md). */
export function isSimFaultTopic(topic: string): boolean {
  const p = topic.split('/');
  return p.length === 6 && `${p[0]}/${p[1]}` === TOPIC_ROOT && isValidId(p[2] ?? '') && isValidId(p[3] ?? '') && p[4] === 'sim' && p[5] === 'fault';
}

export function publishPolicy(topic: string, retain: boolean): PublishVerdict {
  if (topic.startsWith('$')) return refuse('topics starting with $ are the broker\'s own ($SYS)');
  if (isAlertTopic(topic)) return refuse(`${TOPIC_ROOT}/+/+/alert is published by the service only`);
  const t = parseTopic(topic);
  const kind = t.ok ? t.topic.kind : isSimFaultTopic(topic) ? 'sim_fault' : null;
  if (kind === null) return refuse(t.ok ? '' : t.detail);
  if (!retain || kind === 'status') return { allowed: true, kind, retain };
  return { allowed: true, kind, retain: false, reject: { reason: 'retain_not_allowed', detail: 'retained only on .../status: the retain flag was dropped, the message kept' } };
}

/** A payload the broker keeps after the socket read it came in (a retained status): aedes's parser
 *  hands out slices of that read, and a slice keeps the whole read (up to 64 KB) alive as long as
 *  it is retained. At 10,000 kilns over 500 connections the retained statuses held 8.4 MB of reads
 *  this way (a heap snapshot of `npm run bench:fleet`); a copy of its own holds a few bytes. */
export function ownPayload(payload: Buffer): Buffer {
  if (payload.byteOffset === 0 && payload.buffer.byteLength === payload.length) return payload;
  const copy = Buffer.allocUnsafeSlow(payload.length);
  payload.copy(copy);
  return copy;
}

/** aedes 1.2 has no "drop" answer to authorizePublish: an error closes the connection. So a
 *  refused packet is authorized (acknowledged) and then not published: returns drop(packet). */
export function dropper(broker: Aedes): (packet: object) => void {
  const refused = new WeakSet<object>();
  const b = broker as unknown as { publish: (packet: object, ...rest: unknown[]) => void };
  const publish = b.publish.bind(broker);
  // aedes calls publish(packet, client, done) on the same packet object it gave authorizePublish.
  b.publish = (packet, ...rest) => {
    if (!refused.has(packet)) { publish(packet, ...rest); return; }
    const done = rest.find((r) => typeof r === 'function') as ((err?: Error) => void) | undefined;
    done?.();
  };
  return (packet) => refused.add(packet);
}
