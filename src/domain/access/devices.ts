// What an MQTT client may publish and subscribe to (docs/mqtt.md, "Device credentials"). A kiln
// logger publishes only its own kiln's telemetry, status and event topics and subscribes only to
// its own control topic; a gateway does the same for every kiln of its workshop. Nobody but the
// service publishes .../alert, and no client subscribes to '#', '$SYS/#' or another kiln.
import { TOPIC_KINDS, TOPIC_ROOT, isValidId } from '../../wire/topics.ts';

export interface DeviceGrant {
  readonly workshop: string;
  /** null: a gateway for every kiln of the workshop. */
  readonly kiln: string | null;
}

export type AclDecision = { readonly ok: true } | { readonly ok: false; readonly reason: 'not_own_topic' | 'alert_topic' | 'wildcard' | 'sys_topic' };

/** A control topic under a kiln: .../control, and .../sim/fault that the simulator listens to. */
const CONTROL_TAILS = ['control', 'sim/fault'];

const isOwn = (g: DeviceGrant, workshop: string | undefined, kiln: string | undefined) =>
  workshop === g.workshop && (g.kiln === null ? isValidId(kiln ?? '') : kiln === g.kiln);

/** kiln/v1/{workshop}/{kiln}/{telemetry|status|event} (or a control topic, to drive a simulated
 *  kiln) of the device's own kiln, or of any kiln of its workshop for a gateway. */
export function mayPublish(g: DeviceGrant, topic: string): AclDecision {
  if (topic.startsWith('$')) return { ok: false, reason: 'sys_topic' };
  const parts = topic.split('/');
  if (`${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts.length < 5) return { ok: false, reason: 'not_own_topic' };
  const tail = parts.slice(4).join('/');
  if (tail === 'alert') return { ok: false, reason: 'alert_topic' };
  if (!isOwn(g, parts[2], parts[3])) return { ok: false, reason: 'not_own_topic' };
  return (TOPIC_KINDS as readonly string[]).includes(tail) || CONTROL_TAILS.includes(tail) ? { ok: true } : { ok: false, reason: 'not_own_topic' };
}

/** Only control topics of its own kiln; a gateway may use '+' for the kiln. Never '#' or $SYS. */
export function maySubscribe(g: DeviceGrant, filter: string): AclDecision {
  if (filter.startsWith('$')) return { ok: false, reason: 'sys_topic' };
  const parts = filter.split('/');
  if (parts.includes('#')) return { ok: false, reason: 'wildcard' };
  if (`${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts.length < 5 || !CONTROL_TAILS.includes(parts.slice(4).join('/'))) {
    return { ok: false, reason: parts.includes('+') ? 'wildcard' : 'not_own_topic' };
  }
  const kiln = parts[3];
  if (kiln === '+') return g.kiln === null && parts[2] === g.workshop ? { ok: true } : { ok: false, reason: 'wildcard' };
  return isOwn(g, parts[2], kiln) ? { ok: true } : { ok: false, reason: 'not_own_topic' };
}
