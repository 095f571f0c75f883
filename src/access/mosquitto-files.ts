// A Mosquitto password file and ACL file made from the access file (docs/mqtt.md, "Device
// credentials"), for a workshop that runs its own broker (MQTT_URL): the same rules as the
// embedded broker's (src/domain/access/devices.ts) in Mosquitto's words. Pure: the caller writes
// the files and tells Mosquitto to reload them (SIGHUP).
import type { DeviceRecord } from './store.ts';
import { TOPIC_KINDS, TOPIC_ROOT } from '../wire/topics.ts';
import { CLUSTER_ROOT } from '../wire/cluster.ts';

export interface ServiceUser {
  readonly username: string;
  /** A Mosquitto $7$ hash of its password (secrets.ts mosquittoHash); null: left out of the
   *  password file (add it with mosquitto_passwd), still given its ACL. */
  readonly mosquitto_hash: string | null;
}

export interface MosquittoFiles {
  /** password_file: `username:$7$…` a line. */
  readonly passwd: string;
  /** acl_file: a `user` block per credential. */
  readonly acl: string;
}

/** The kiln-level tails a device may subscribe to (and publish to, to drive a simulated kiln). */
const CONTROL_TAILS = ['control', 'sim/fault'];

export function mosquittoFiles(devices: readonly DeviceRecord[], service: ServiceUser | null, generated_at = new Date()): MosquittoFiles {
  const live = devices.filter((d) => d.revoked_at_ms === null).sort((a, b) => a.username.localeCompare(b.username));
  const head = `# Made by \`npm run users -- mosquitto-files\` at ${generated_at.toISOString()} from the access file.\n# Do not edit: make it again after adding or revoking a device, then reload Mosquitto (SIGHUP).\n`;
  const passwd = [
    ...(service?.mosquitto_hash ? [`${service.username}:${service.mosquitto_hash}`] : []),
    ...live.map((d) => `${d.username}:${d.mosquitto_hash}`),
  ].join('\n') + '\n';
  const blocks: string[] = [];
  if (service) {
    blocks.push([
      `# the kiln monitor service: reads what devices send, publishes alerts; several instances talk on ${CLUSTER_ROOT}`,
      `user ${service.username}`,
      `topic read ${TOPIC_ROOT}/+/+/+`,
      `topic write ${TOPIC_ROOT}/+/+/alert`,
      `topic readwrite ${CLUSTER_ROOT}/#`,
    ].join('\n'));
  }
  for (const d of live) {
    const kiln = d.kiln ?? '+';
    const base = `${TOPIC_ROOT}/${d.workshop}/${kiln}`;
    blocks.push([
      d.kiln === null ? `# gateway: every kiln of workshop ${d.workshop}` : `# kiln ${d.kiln} of workshop ${d.workshop}`,
      `user ${d.username}`,
      ...TOPIC_KINDS.map((k) => `topic write ${base}/${k}`),
      ...CONTROL_TAILS.map((t) => `topic readwrite ${base}/${t}`),
    ].join('\n'));
  }
  // No `pattern` lines and nothing for anonymous clients: a client that matches no block may
  // neither publish nor subscribe (so no '#', no '$SYS/#', no .../alert from a device).
  return { passwd, acl: `${head}\n${blocks.join('\n\n')}\n` };
}
