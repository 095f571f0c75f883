// Device credentials from the command line, before the first start or on a box with its own
// Mosquitto (docs/mqtt.md, "Device credentials"):
//   device-add --workshop W [--kiln K]      a kiln logger (or, without --kiln, a gateway); prints the secret once
//   device-list [--workshop W]
//   device-revoke <username>
//   mosquitto-files --out DIR [--service-user U]   DIR/mosquitto-passwd and DIR/mosquitto-acl for Mosquitto
// Part of the `npm run users` command table (src/cli/users.ts).
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mosquittoFiles } from '../access/mosquitto-files.ts';
import { mosquittoHash } from '../access/secrets.ts';
import { UsageError, type Command } from './command.ts';

export const PASSWD_FILE = 'mosquitto-passwd';
export const ACL_FILE = 'mosquitto-acl';

export const deviceCommands: Record<string, Command> = {
  'device-add': {
    usage: 'device-add --workshop W [--kiln K]',
    summary: 'a device credential for one kiln, or (without --kiln) a gateway for every kiln of the workshop; the secret is printed once',
    options: { workshop: { type: 'string' }, kiln: { type: 'string' } },
    args: 0,
    run({ access, values, out }) {
      if (typeof values.workshop !== 'string') throw new UsageError('--workshop is required');
      const { device, secret } = access.createDevice(values.workshop, typeof values.kiln === 'string' ? values.kiln : null);
      out(`username: ${device.username}`);
      out(`secret:   ${secret}`);
      out(`(shown once; ${device.kiln === null ? `may publish for every kiln of ${device.workshop}` : `may publish for kiln ${device.kiln} of ${device.workshop}`})`);
    },
  },
  'device-list': {
    usage: 'device-list [--workshop W]',
    summary: 'the device credentials, revoked ones marked',
    options: { workshop: { type: 'string' } },
    args: 0,
    run({ access, values, out }) {
      for (const d of access.devices(typeof values.workshop === 'string' ? values.workshop : undefined)) {
        out(`${d.username}\t${d.workshop}\t${d.kiln ?? '(gateway)'}\tcreated ${new Date(d.created_at_ms).toISOString()}${d.revoked_at_ms === null ? '' : `\trevoked ${new Date(d.revoked_at_ms).toISOString()}`}`);
      }
    },
  },
  'device-revoke': {
    usage: 'device-revoke <username>',
    summary: 'revoke a device credential (on Mosquitto: make the files again and reload it)',
    args: 1,
    run({ access, positionals, out }) {
      access.revokeDevice(positionals[0]!);
      out(`revoked ${positionals[0]}`);
    },
  },
  'mosquitto-files': {
    usage: 'mosquitto-files --out DIR [--service-user U]',
    summary: `write DIR/${PASSWD_FILE} and DIR/${ACL_FILE} for Mosquitto from every live device, plus the service's own user (MQTT_USERNAME; its password from MQTT_PASSWORD)`,
    options: { out: { type: 'string' }, 'service-user': { type: 'string' } },
    args: 0,
    run({ access, config, values, out }) {
      if (typeof values.out !== 'string') throw new UsageError('--out DIR is required');
      const serviceUser = values['service-user'];
      const username = typeof serviceUser === 'string' ? serviceUser : config.MQTT_USERNAME;
      const password = config.MQTT_PASSWORD;
      const files = mosquittoFiles(access.devices(), username ? { username, mosquitto_hash: password ? mosquittoHash(password) : null } : null);
      const dir = resolve(values.out);
      mkdirSync(dir, { recursive: true });
      // Written whole and renamed, so a Mosquitto reloading meanwhile never reads half a file;
      // readable by the broker's user only (chown it to mosquitto where it runs as one).
      for (const [name, text] of [[PASSWD_FILE, files.passwd], [ACL_FILE, files.acl]] as const) {
        const tmp = join(dir, `.${name}.tmp`);
        writeFileSync(tmp, text, { mode: 0o600 });
        chmodSync(tmp, 0o600);
        renameSync(tmp, join(dir, name));
      }
      const live = access.devices().filter((d) => d.revoked_at_ms === null).length;
      out(`wrote ${join(dir, PASSWD_FILE)} and ${join(dir, ACL_FILE)}: ${live} device(s)${username ? `, service user ${username}` : ' (no service user: set MQTT_USERNAME or --service-user)'}`);
      if (username && !password) out(`MQTT_PASSWORD is not set: add ${username} to the password file with mosquitto_passwd`);
      out('reload Mosquitto to apply them: kill -HUP $(pidof mosquitto)');
    },
  },
};
