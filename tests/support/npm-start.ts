// `npm start`'s command line (package.json scripts.start: "[KEY=VALUE ...] node <flags> dist/server.mjs"),
// taken apart: the deploy files must start the service the same way.
import { readFileSync } from 'node:fs';

export interface NpmStart {
  /** The environment settings before the command (KEY=VALUE). */
  readonly env: Readonly<Record<string, string>>;
  /** The command line itself, from `node`. */
  readonly command: string;
}

/** From this project's package.json, or another checkout's (a benchmark of an older version). */
export function npmStart(packageJson: string | URL = new URL('../../package.json', import.meta.url)): NpmStart {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  const node = words.indexOf('node');
  const env = Object.fromEntries(words.slice(0, node).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, command: words.slice(node).join(' ') };
}
