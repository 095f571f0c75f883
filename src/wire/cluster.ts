// The topics service instances use among themselves on a shared broker (docs/scaling.md):
//   kiln-cluster/v1/instances/{client id}   retained presence, cleared by the instance's Last Will
//   kiln-cluster/v1/index-notes             "these readings of this kiln are stored": for the kiln's owner
// Device messages are stored through the shared subscription $share/{group}/kiln/v1/+/+/+.
import { z } from 'zod';
import { DEVICE_TOPIC_FILTER } from './topics.ts';

export const CLUSTER_ROOT = 'kiln-cluster/v1';
export const INSTANCES_FILTER = `${CLUSTER_ROOT}/instances/+`;
export const INDEX_NOTES_TOPIC = `${CLUSTER_ROOT}/index-notes`;
/** A user saved a kiln's alert settings or acknowledged an alert on one instance: the others follow. */
export const CHANGES_TOPIC = `${CLUSTER_ROOT}/changes`;
/** Same rule as MQTT_CLIENT_ID and share group names: never widens a filter. */
export const CLUSTER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Published by an instance once its shared subscription is in place; its gap guard waits for it. */
export function guardMarkerTopic(client_id: string): string {
  return `${CLUSTER_ROOT}/guard/${client_id}`;
}

export function instanceTopic(client_id: string): string {
  return `${CLUSTER_ROOT}/instances/${client_id}`;
}

/** The client id in kiln-cluster/v1/instances/{id}, or null for any other topic. */
export function instanceOfTopic(topic: string): string | null {
  const prefix = `${CLUSTER_ROOT}/instances/`;
  if (!topic.startsWith(prefix)) return null;
  const id = topic.slice(prefix.length);
  return CLUSTER_ID_PATTERN.test(id) ? id : null;
}

/** Each device message goes to one subscriber of the group (MQTT 5 shared subscriptions; Mosquitto
 *  2.0 also takes them from MQTT 3.1.1 clients). */
export function sharedDeviceFilter(group: string): string {
  return `$share/${group}/${DEVICE_TOPIC_FILTER}`;
}

export const presenceSchema = z.object({ v: z.literal(1), id: z.string().regex(CLUSTER_ID_PATTERN), started_ms: z.number().int() });
export type Presence = z.infer<typeof presenceSchema>;

export const indexNoteSchema = z.object({
  v: z.literal(1), workshop: z.string().max(40), kiln: z.string().max(40), min_ms: z.number().int(), max_ms: z.number().int(),
});
export type IndexNote = z.infer<typeof indexNoteSchema>;

export const changeSchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(1), from: z.string(), kind: z.literal('settings'), workshop: z.string().max(40), kiln: z.string().max(40) }),
  z.object({
    v: z.literal(1), from: z.string(), kind: z.literal('ack'), workshop: z.string().max(40), kiln: z.string().max(40),
    alert_id: z.string().max(200), by: z.string().max(200), note: z.string().max(2000).nullable(), at_ms: z.number().int(),
  }),
]);
export type ClusterChange = z.infer<typeof changeSchema>;
