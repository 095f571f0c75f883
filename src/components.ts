// The parts of the service that start and stop (the runtime's, src/runtime.ts, and the process's,
// src/server.ts), as data: a list started in order, stopped in an order of its own.
import type { Logger } from './ports.ts';
import { componentLog } from './log.ts';

export interface Component {
  /** Also the `component` of the lines it logs. */
  readonly name: string;
  /** A start that fails cleans up what it opened itself: it is not stopped. */
  start(): Promise<void> | void;
  /** deadline_ms: how long writing what is left may take (0 while undoing a failed start). */
  stop(deadline_ms: number): Promise<void> | void;
}

/** Starts each in order. If one fails, those already started are stopped in reverse and its
 *  error is thrown: nothing is left open behind a service that did not start. */
export async function startAll(components: readonly Component[], log: Logger): Promise<void> {
  const started: Component[] = [];
  for (const c of components) {
    try {
      await c.start();
    } catch (err) {
      await stopAll(started.reverse(), 0, log);
      throw err;
    }
    started.push(c);
  }
}

/** Stops each in the order given. A stop that fails is logged and the next still stops:
 *  one broken part must not keep the spool open or the drainer from writing. */
export async function stopAll(components: readonly Component[], deadline_ms: number, log: Logger): Promise<void> {
  for (const c of components) {
    try {
      await c.stop(deadline_ms);
    } catch (err) {
      componentLog(log, c.name).error(`stop failed: ${(err as Error).message}`);
    }
  }
}

/** The components in the order `names` gives; it must name each exactly once. */
export function inOrder<C extends Component>(components: readonly C[], names: readonly string[]): C[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const out = names.map((n) => byName.get(n)).filter((c): c is C => c !== undefined);
  if (names.length !== components.length || new Set(names).size !== names.length || out.length !== names.length) {
    throw new Error(`stop order [${names.join(', ')}] does not name each of [${components.map((c) => c.name).join(', ')}] once`);
  }
  return out;
}
