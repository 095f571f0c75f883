// What the benchmark prints about the machine and the servers it started.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** First line of `cmd args` (stdout), e.g. a server's version. */
export function versionOf(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch (err) {
    // `mosquitto -h` prints its version and exits 3
    const e = err as { stdout?: string };
    return (e.stdout ?? '').split('\n')[0]!.trim() || 'unknown';
  }
}

/** The temporary folder of a server we started, from its command line (`-c <dir>/x.conf`), to remove it at the end. */
export function configDirOf(pid: number | undefined, flag: string, mustContain: string): string | undefined {
  if (!pid) return undefined;
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const conf = args[args.indexOf(flag) + 1];
  return conf?.includes(mustContain) ? dirname(conf) : undefined;
}

/** Version of an installed package, from node_modules/<name>/package.json (its exports may hide it). */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
