// Programmatic API: the service (or a demo) starts a few simulated kilns that talk to it
// only over MQTT, exactly as real kilns would.
import { startSession } from './session.ts';
import type { FiringTruth } from './model/truth.ts';

export type { FiringTruth } from './model/truth.ts';
export type { FaultSpec } from './model/faults.ts';
export { FIRINGS, KILNS } from './model/presets.ts';

export interface SimulationOptions {
  url: string;
  kilns: number;
  /** Simulated seconds per wall second (1 = real time, up to 1,000). */
  speed: number;
  seed?: number;
  workshop?: string;
  log?: (line: string) => void;
  /** Simulated start (default: now). */
  start_ms?: number;
  interval_s?: number;
  stagger_min?: number;
  /** With start_ms in the past: fast-forward to now at `speed`, then go on in real time. */
  catch_up?: boolean;
}

export interface Simulation {
  /** Ends running firings as aborted, publishes offline status, waits for acks, disconnects. */
  stop(): Promise<void>;
  /** Exact fuel and energy books of each kiln's firing so far. */
  truth(): FiringTruth[];
}

export async function startSimulation(opts: SimulationOptions): Promise<Simulation> {
  const s = await startSession({
    url: opts.url, kilns: opts.kilns, speed: opts.speed, seed: opts.seed ?? 1, workshop: opts.workshop ?? 'demo',
    log: opts.log, qos: 1, faults: [], sim_start_ms: opts.start_ms ?? Math.floor(Date.now() / 1000) * 1000,
    interval_s: opts.interval_s ?? 10, cool_until_c: 200, stagger_min: opts.stagger_min ?? 45, catch_up: opts.catch_up ?? false,
  });
  void s.runner.done.then(() => opts.log?.('simulation: all kilns done'));
  return { stop: () => s.stop(), truth: () => s.truth() };
}
