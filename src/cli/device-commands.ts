// Device credentials from the command line, before the first start or on a box with its own
// Mosquitto (docs/mqtt.md, "Device credentials"):
//   device-add --workshop W [--kiln K]      a kiln logger (or, without --kiln, a gateway); prints the secret once
//   device-list [--workshop W]
//   device-revoke <username>
//   mosquitto-files --out DIR [--service-user U]   DIR/mosquitto-passwd and DIR/mosquitto-acl for Mosquitto
// A table of commands for `npm run users`; `tsx src/cli/device-commands.ts <command> …` runs one alone.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AccessError, AccessService } from '../access/service.ts';
import { mosquittoFiles } from '../access/mosquitto-files.ts';
import { mosquittoHash } from '../access/secrets.ts';
import { loadConfig, type Config } from '../config.ts';

export interface CliContext {
  readonly access: AccessService;
  readonly config: Config;
  /** A line for the person at the terminal (stdout). */
  readonly out: (line: string) => void;
}

export interface CliCommand {
  readonly usage: string;
  readonly summary: string;
  run(args: string[], ctx: CliContext): Promise<void> | void;
}

export const PASSWD_FILE = 'mosquitto-passwd';
export const ACL_FILE = 'mosquitto-acl';

export const deviceCommands: Record<string, CliCommand> = {
  'device-add': {
    usage: 'device-add --workshop W [--kiln K]',
    summary: 'a device credential for one kiln, or (without --kiln) a gateway for every kiln of the workshop; the secret is printed once',
    run(args, { access, out }) {
      const { values } = parseArgs({ args, options: { workshop: { type: 'string' }, kiln: { type: 'string' } } });
      if (!values.workshop) throw new AccessError('bad_request', '--workshop is required');
      const { device, secret } = access.createDevice(values.workshop, values.kiln ?? null);
      out(`username: ${device.username}`);
      out(`secret:   ${secret}`);
      out(`(shown once; ${device.kiln === null ? `may publish for every kiln of ${device.workshop}` : `may publish for kiln ${device.kiln} of ${device.workshop}`})`);
    },
  },
  'device-list': {
    usage: 'device-list [--workshop W]',
    summary: 'the device credentials, revoked ones marked',
    run(args, { access, out }) {
      const { values } = parseArgs({ args, options: { workshop: { type: 'string' } } });
      for (const d of access.devices(values.workshop)) {
        out(`${d.username}\t${d.workshop}\t${d.kiln ?? '(gateway)'}\tcreated ${new Date(d.created_at_ms).toISOString()}${d.revoked_at_ms === null ? '' : `\trevoked ${new Date(d.revoked_at_ms).toISOString()}`}`);
      }
    },
  },
  'device-revoke': {
    usage: 'device-revoke <username>',
    summary: 'revoke a device credential (on Mosquitto: make the files again and reload it)',
    run(args, { access, out }) {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new AccessError('bad_request', 'usage: device-revoke <username>');
      access.revokeDevice(positionals[0]!);
      out(`revoked ${positionals[0]}`);
    },
  },
  'mosquitto-files': {
    usage: 'mosquitto-files --out DIR [--service-user U]',
    summary: `write DIR/${PASSWD_FILE} and DIR/${ACL_FILE} for Mosquitto from every live device, plus the service's own user (MQTT_USERNAME; its password from MQTT_PASSWORD)`,
    run(args, { access, config, out }) {
      const { values } = parseArgs({ args, options: { out: { type: 'string' }, 'service-user': { type: 'string' } } });
      if (!values.out) throw new AccessError('bad_request', '--out DIR is required');
      const username = values['service-user'] ?? config.MQTT_USERNAME;
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

/** Run one command of a table; the exit code (0 ok, 1 refused, 2 usage). */
export async function runCommand(table: Record<string, CliCommand>, argv: string[], ctx: CliContext, err: (line: string) => void): Promise<number> {
  const [name, ...args] = argv;
  const cmd = name === undefined ? undefined : table[name];
  if (!cmd) {
    err(`commands:\n${Object.values(table).map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n')}`);
    return 2;
  }
  try {
    await cmd.run(args, ctx);
    return 0;
  } catch (e) {
    if (e instanceof AccessError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) { err(`${name}: ${(e as Error).message}`); return e instanceof AccessError ? 1 : 2; }
    throw e;
  }
}

export function cliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(env);
  return { config, access: AccessService.open(config.ACCESS_FILE ?? join(config.DATA_DIR, 'access.json')), out: (l) => process.stdout.write(`${l}\n`) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await runCommand(deviceCommands, process.argv.slice(2), cliContext(), (l) => process.stderr.write(`${l}\n`));
}
