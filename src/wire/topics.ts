// The MQTT topic tree (docs/mqtt.md). Shared by the service and the simulator.
// kiln/v1/{workshop}/{kiln}/{telemetry|status|event}; the service publishes .../alert.
export const TOPIC_ROOT = 'kiln/v1';
export const TOPIC_KINDS = ['telemetry', 'status', 'event'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** Workshop, kiln, device and channel ids: letters, digits, '_' and '-', 1 to 40 characters.
 *  No '/', '+', '#', '$', spaces or dots, so an id can never widen a subscription or a tag. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** ID_PATTERN, checked character by character: the decoder asks it for every channel of every
 *  reading, and a loop over a few characters is cheaper than the regular expression. */
export function isValidId(id: string): boolean {
  const n = id.length;
  if (n === 0 || n > 40) return false;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    // 0-9, A-Z, a-z, '_', '-'
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

export interface KilnTopic {
  readonly workshop: string;
  readonly kiln: string;
  readonly kind: TopicKind;
}

export type TopicParse =
  | { readonly ok: true; readonly topic: KilnTopic }
  | { readonly ok: false; readonly reason: 'unknown_topic' | 'bad_id'; readonly detail: string };

export function topicFor(workshop: string, kiln: string, kind: TopicKind | 'alert'): string {
  return `${TOPIC_ROOT}/${workshop}/${kiln}/${kind}`;
}

/** Subscription filter for everything devices send. */
export const DEVICE_TOPIC_FILTER = `${TOPIC_ROOT}/+/+/+`;

/** kiln/v1/{workshop}/{kiln}/alert: published by the service only (retained JSON of the kiln's active alerts). */
export function isAlertTopic(topic: string): boolean {
  // Asked of every message: the cheap test first, the split only for a topic ending in /alert.
  if (!topic.endsWith('/alert')) return false;
  const parts = topic.split('/');
  return parts.length === 5 && `${parts[0]}/${parts[1]}` === TOPIC_ROOT && parts[4] === 'alert';
}

const ROOT_PREFIX = `${TOPIC_ROOT}/`;
const NOT_A_KILN_TOPIC: TopicParse = Object.freeze({ ok: false, reason: 'unknown_topic', detail: `expected ${TOPIC_ROOT}/{workshop}/{kiln}/{telemetry|status|event}` });

/** Read by the positions of its slashes, not split(): asked of every message, the split and its
 *  array took 2 % of the service's busy time at full pace (a CPU profile of `npm run bench` phase
 *  C). The same answers as splitting it into five parts (tests/unit/wire-topics.test.ts). */
export function parseTopic(topic: string): TopicParse {
  const w = ROOT_PREFIX.length;
  const k = topic.indexOf('/', w) + 1;
  const t = k === 0 ? 0 : topic.indexOf('/', k) + 1;
  if (t === 0 || !topic.startsWith(ROOT_PREFIX) || topic.indexOf('/', t) >= 0) return NOT_A_KILN_TOPIC;
  const kind = topic.slice(t);
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, reason: 'unknown_topic', detail: `unknown message kind "${kind.slice(0, 40)}"` };
  }
  const workshop = topic.slice(w, k - 1);
  if (!isValidId(workshop)) return { ok: false, reason: 'bad_id', detail: 'workshop id must match [A-Za-z0-9_-]{1,40}' };
  const kiln = topic.slice(k, t - 1);
  if (!isValidId(kiln)) return { ok: false, reason: 'bad_id', detail: 'kiln id must match [A-Za-z0-9_-]{1,40}' };
  return { ok: true, topic: { workshop, kiln, kind: kind as TopicKind } };
}
