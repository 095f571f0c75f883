// One simulation run: fleet + MQTT link + runner + control topic. Used by the CLI and by the
// programmatic API (index.ts); talks to the outside world only over MQTT.
import { buildFleet, faultTargets, type FleetOptions } from './fleet.ts';
import { openLink, type Link } from './link.ts';
import type { Outgoing } from './model/device.ts';
import type { FaultSpec } from './model/faults.ts';
import { injectFault, truthOf, type SimKiln } from './model/sim.ts';
import type { FiringTruth } from './model/truth.ts';
import { controlMessage, startRunner, type Runner } from './runner.ts';

export interface SessionOptions extends FleetOptions {
  /** null: no broker (files only). */
  readonly url: string | null;
  readonly workshop: string;
  readonly speed: number;
  readonly qos: 0 | 1;
  readonly connections?: number;
  /** Unacknowledged QoS 1 messages per connection (default 200). */
  readonly inflight?: number;
  readonly faults: readonly FaultSpec[];
  readonly sink?: (topic: string, out: Outgoing) => void;
  readonly log?: (line: string) => void;
  readonly catch_up?: boolean;
}

export interface Session {
  readonly fleet: readonly SimKiln[];
  readonly runner: Runner;
  readonly link: Link | null;
  truth(): FiringTruth[];
  stop(): Promise<void>;
}

export const MAX_DEDICATED_CONNECTIONS = 200;

export async function startSession(o: SessionOptions): Promise<Session> {
  const { fleet, faults: fileFaults } = buildFleet(o);
  for (const f of [...fileFaults, ...o.faults]) for (const i of faultTargets(fleet, f)) { const k = fleet[i]; if (k) injectFault(k, f, o.sim_start_ms); }
  const dedicated = o.connections === undefined ? fleet.length <= MAX_DEDICATED_CONNECTIONS : o.connections >= fleet.length;
  let link: Link | null = null;
  if (o.url !== null) {
    const n = dedicated ? fleet.length : Math.min(o.connections ?? 8, fleet.length);
    link = await openLink({
      url: o.url, connections: n, qos: o.qos, inflight: o.inflight ?? 200,
      client_prefix: `kilnsim-${o.workshop}-${o.seed}-${process.pid}`,
      wills: dedicated ? fleet.map((k) => ({ topic: `kiln/v1/${o.workshop}/${k.id}/status`, payload: JSON.stringify({ v: 1, state: 'offline', device: k.id }) })) : undefined,
    });
  }
  // Subscribe to the control topic before simulated time starts: at full speed a network-cut
  // fault could otherwise close the connection the subscription is still waiting on.
  const started: { runner?: Runner } = {};
  if (link) {
    await link.subscribe(`kiln/v1/${o.workshop}/+/sim/fault`, (topic, payload) => {
      // Taken whether or not there is a log (an optional call would skip evaluating its argument).
      const outcome = started.runner ? controlMessage(started.runner, fleet, topic, payload) : 'fault ignored: the simulation has not started';
      o.log?.(outcome);
    });
  }
  const runner = startRunner({ fleet, workshop: o.workshop, speed: o.speed, sim_start_ms: o.sim_start_ms, link, dedicated, sink: o.sink, log: o.log, catch_up: o.catch_up });
  started.runner = runner;
  let stopping: Promise<void> | null = null;
  return {
    fleet, runner, link,
    truth: () => fleet.map(truthOf),
    stop: () => (stopping ??= runner.stop()),
  };
}
