// `npm run users -- <command>`: users, API tokens and the workshops registry on the access file
// (docs/access.md), with or without the service running: it needs only DATA_DIR or ACCESS_FILE,
// and the service picks up a change within a second. Secrets (a one-time password, a token) are
// printed once, alone on stdout, so a script can take them: TOKEN=$(npm run -s users -- token admin).
// Bad input exits 2 with one line saying why; the command table is exported so other commands
// (device credentials, src/cli/device-commands.ts) are added in one place.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config.ts';
import { AccessError, AccessService, type PublicUser } from '../access/service.ts';
import { AccessFileError, accessFile } from '../access/store.ts';
import { ROLES, type Role } from '../domain/access/roles.ts';
import { UsageError, type Command, type CommandContext } from './command.ts';
import { deviceCommands } from './device-commands.ts';

const userOf = (access: AccessService, username: string): PublicUser => {
  const u = access.userByName(username);
  if (!u) throw new AccessError('not_found', `no user "${username}" (npm run users -- list)`);
  return u;
};
const strings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
const describeUser = (u: PublicUser) => [
  u.username.padEnd(20), u.role.padEnd(10),
  `workshops=${u.workshops.join(',') || '-'}`, `villages=${u.villages.join(',') || '-'}`,
  u.disabled_at_ms !== null ? 'DISABLED' : u.must_change_password ? 'one-time password' : 'active', u.id,
].join('  ');

export const COMMANDS: Record<string, Command> = {
  add: {
    usage: 'add <username> --role owner|technician|adviser|admin [--workshop W]... [--village V]... [--password-stdin]',
    summary: 'add a user; without --password-stdin a one-time password is printed (changed at first login)',
    options: { role: { type: 'string' }, workshop: { type: 'string', multiple: true }, village: { type: 'string', multiple: true }, 'password-stdin': { type: 'boolean' } },
    args: 1,
    async run({ access, positionals, values, out, stdin }) {
      const role = values.role;
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const password = values['password-stdin'] ? await stdin() : undefined;
      const r = await access.createUser({ username: positionals[0]!, role: role as Role, workshops: strings(values.workshop), villages: strings(values.village), ...(password === undefined ? {} : { password }) });
      process.stderr.write(`added ${describeUser(r.user)}\n`);
      if (r.one_time_password) out(r.one_time_password);
    },
  },
  list: {
    usage: 'list', summary: 'every user: role, workshops, villages, state, id', args: 0,
    run({ access, out }) { for (const u of access.users()) out(describeUser(u)); },
  },
  passwd: {
    usage: 'passwd <username> [--password-stdin]',
    summary: 'reset a password: a one-time one is printed (or the one piped in is set); their sessions end',
    options: { 'password-stdin': { type: 'boolean' } }, args: 1,
    async run({ access, positionals, values, out, stdin }) {
      const u = userOf(access, positionals[0]!);
      const r = await access.setPassword(u.id, values['password-stdin'] ? await stdin() : null);
      if (r.one_time_password) out(r.one_time_password);
      else process.stderr.write(`password of ${u.username} set\n`);
    },
  },
  disable: {
    usage: 'disable <username>', summary: 'disable a user: their sessions and tokens stop working (never the last admin)', args: 1,
    run({ access, positionals }) { access.updateUser(userOf(access, positionals[0]!).id, { disabled: true }); process.stderr.write(`${positionals[0]} disabled\n`); },
  },
  enable: {
    usage: 'enable <username>', summary: 'enable a disabled user again', args: 1,
    run({ access, positionals }) { access.updateUser(userOf(access, positionals[0]!).id, { disabled: false }); process.stderr.write(`${positionals[0]} enabled\n`); },
  },
  token: {
    usage: 'token <username> [--name N]', summary: 'make an API token for the user and print it (only once)',
    options: { name: { type: 'string' } }, args: 1,
    run({ access, positionals, values, out }) {
      const u = userOf(access, positionals[0]!);
      const name = typeof values.name === 'string' && values.name.trim() ? values.name.trim() : `cli ${new Date().toISOString().slice(0, 10)}`;
      const { token, record } = access.createToken(u.id, name);
      process.stderr.write(`token ${record.id} ("${record.name}") for ${u.username}\n`);
      out(token);
    },
  },
  tokens: {
    usage: 'tokens [<username>]', summary: 'API tokens (id, user, name, made, revoked); never the tokens themselves', args: -1,
    run({ access, positionals, out }) {
      const names = new Map(access.users().map((u) => [u.id, u.username]));
      const owner = positionals[0] === undefined ? undefined : userOf(access, positionals[0]).id;
      for (const t of access.tokens(owner)) {
        out([t.id, (names.get(t.user_id) ?? t.user_id).padEnd(20), new Date(t.created_at_ms).toISOString(), t.revoked_at_ms === null ? 'live' : `revoked ${new Date(t.revoked_at_ms).toISOString()}`, t.name].join('  '));
      }
    },
  },
  'revoke-token': {
    usage: 'revoke-token <id>', summary: 'revoke an API token (its id: npm run users -- tokens)', args: 1,
    run({ access, positionals }) { access.revokeToken(positionals[0]!); process.stderr.write(`token ${positionals[0]} revoked\n`); },
  },
  workshop: {
    usage: 'workshop <id> --name N --village V', summary: 'add or rename a workshop in the registry (its village makes it an adviser\'s)',
    options: { name: { type: 'string' }, village: { type: 'string' } }, args: 1,
    run({ access, positionals, values }) {
      if (typeof values.name !== 'string' || !values.name.trim()) throw new UsageError('--name is required');
      if (typeof values.village !== 'string' || !values.village.trim()) throw new UsageError('--village is required');
      const w = access.putWorkshop({ id: positionals[0]!, name: values.name.trim(), village: values.village.trim() });
      process.stderr.write(`workshop ${w.id}: ${w.name} (${w.village})\n`);
    },
  },
  workshops: {
    usage: 'workshops', summary: 'the workshops registry', args: 0,
    run({ access, out }) { for (const w of access.workshops()) out(`${w.id.padEnd(20)}  ${w.village.padEnd(20)}  ${w.name}`); },
  },
  ...deviceCommands,
};

function help(): string {
  return ['usage: npm run users -- <command>', '', ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`), '',
    'The access file: ACCESS_FILE, else DATA_DIR/access.json (docs/access.md).'].join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Run one command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process[name === undefined ? 'stderr' : 'stdout'].write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command "${name}"`);
    let parsed: { values: CommandContext['values']; positionals: string[] };
    try {
      parsed = parseArgs({ args: [...rest], options: cmd.options ?? {}, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message.split('\n')[0]!);
    }
    if (cmd.args >= 0 && parsed.positionals.length !== cmd.args) throw new UsageError(`expected ${cmd.args === 0 ? 'no arguments' : cmd.args === 1 ? 'one argument' : `${cmd.args} arguments`}`);
    if (cmd.args < 0 && parsed.positionals.length > 1) throw new UsageError('expected at most one argument');
    const config = loadConfig(process.env);
    const access = AccessService.open(accessFile(config));
    await cmd.run({ access, config, positionals: parsed.positionals, values: parsed.values, out: (l) => process.stdout.write(`${l}\n`), stdin: readStdin });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\nusage: npm run users -- ${cmd?.usage ?? '<command> (npm run users -- help)'}\n`);
      return 2;
    }
    if (err instanceof ConfigError) { process.stderr.write(`Bad configuration (see .env.example):\n  ${err.lines.join('\n  ')}\n`); return 2; }
    if (err instanceof AccessError) { process.stderr.write(`error: ${err.message}\n`); return 2; }
    if (err instanceof AccessFileError) { process.stderr.write(`error: ${err.message}\n`); return 1; }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
