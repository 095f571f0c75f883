// The shape of one `npm run users` command (src/cli/users.ts runs them; device-commands.ts adds some).
import type { ParseArgsConfig } from 'node:util';
import type { AccessService } from '../access/service.ts';
import type { Config } from '../config.ts';

/** Bad command-line input: the message is shown with the command's usage, exit 2. */
export class UsageError extends Error {}

export interface CommandContext {
  readonly access: AccessService;
  readonly config: Config;
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  /** One line to stdout. */
  out(line: string): void;
  /** All of stdin (a password piped in), without its final newline. */
  stdin(): Promise<string>;
}

export interface Command {
  readonly usage: string;
  readonly summary: string;
  readonly options?: ParseArgsConfig['options'];
  /** How many positionals it takes. */
  readonly args: number;
  run(c: CommandContext): Promise<void> | void;
}

