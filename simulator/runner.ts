// Drives a fleet in real or compressed time and hands its messages to MQTT (and to any sink:
// CSV, record file, tests). Simulated time advances in whole 1 s steps, so what is published
// does not depend on timer jitter; if the broker falls behind, simulated time waits for it.
import { topicFor } from '../src/wire/topics.ts';
import type { Outgoing } from './model/device.ts';
import { faultSchema, type FaultSpec } from './model/faults.ts';
import { abortSimKiln, faultAckOf, hello, injectFault, isDone, stepFleet, type SimKiln } from './model/sim.ts';
import type { Link } from './link.ts';

export interface RunnerOptions {
  readonly fleet: readonly SimKiln[];
  readonly workshop: string;
  /** Simulated seconds per wall second; Infinity: as fast as the sink and broker take it. */
  readonly speed: number;
  readonly sim_start_ms: number;
  readonly link: Link | null;
  /** Kiln i has connection i of its own (Last Will works); otherwise kilns share a pool. */
  readonly dedicated: boolean;
  readonly sink?: (topic: string, out: Outgoing) => void;
  readonly log?: (line: string) => void;
  /** Pause simulated time while more than this many messages wait for the broker. */
  readonly max_queue?: number;
  /** Never run simulated time ahead of the wall clock: a run started in the past fast-forwards
   *  (at `speed`) until it reaches now, then goes on in real time. Device timestamps never lie
   *  in the future, which the service would refuse. */
  readonly catch_up?: boolean;
}

export interface Runner {
  readonly done: Promise<void>;
  simNowMs(): number;
  inject(kiln: number, spec: FaultSpec): void;
  stop(): Promise<void>;
}

const STEP_S = 1;

export function startRunner(o: RunnerOptions): Runner {
  let sim_ms = o.sim_start_ms;
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => { finish = r; });
  const max_queue = o.max_queue ?? 20_000;

  const emit = (i: number, out: Outgoing): void => {
    const k = o.fleet[i];
    if (!k) return;
    const kind = out.kind === 'link' ? 'status' : out.kind;
    const topic = topicFor(o.workshop, k.id, kind);
    o.sink?.(topic, out);
    if (!o.link) return;
    if (out.kind !== 'link') { o.link.publish(i, topic, out.payload, out.retain ?? false); return; }
    if (o.dedicated) {
      if (out.up) o.link.restore(i); else o.link.cut(i);
    } else if (!out.up) {
      // A shared connection has no Last Will of its own kiln: say offline on its behalf.
      o.link.publish(i, topic, JSON.stringify({ v: 1, state: 'offline', device: k.id }), true);
    }
  };

  o.fleet.forEach((k, i) => { for (const out of hello(k)) emit(i, out); });
  const wall0_ms = performance.now();
  let timer: NodeJS.Timeout | undefined;

  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const paced_ms = Number.isFinite(o.speed) ? o.sim_start_ms + (performance.now() - wall0_ms) * o.speed : Number.POSITIVE_INFINITY;
    const target_ms = o.catch_up ? Math.min(paced_ms, Date.now()) : paced_ms;
    const budget_end = performance.now() + 200; // stay responsive to signals and acks
    while (sim_ms + STEP_S * 1000 <= target_ms && performance.now() < budget_end) {
      if (o.link && o.link.stats().queued > max_queue) break;
      stepFleet(o.fleet, STEP_S, emit);
      sim_ms += STEP_S * 1000;
      if (o.fleet.every(isDone)) { stopped = true; finish(); return; }
    }
    timer = setTimeout(tick, Number.isFinite(o.speed) || o.catch_up ? 20 : 0);
  };
  timer = setTimeout(tick, 0);

  return {
    done,
    simNowMs: () => sim_ms,
    inject(i, spec) {
      const k = o.fleet[i];
      if (!k) return;
      injectFault(k, spec, o.sim_start_ms);
      // Acknowledged as taken, on the kiln's own status topic (a fault with at_h starts later).
      emit(i, faultAckOf(k, spec));
    },
    async stop() {
      if (timer) clearTimeout(timer);
      stopped = true;
      o.fleet.forEach((k, i) => {
        for (const out of abortSimKiln(k)) emit(i, out);
        emit(i, { kind: 'status', retain: true, payload: JSON.stringify({ v: 1, state: 'offline', ts_ms: Math.round(k.model.now_ms), device: k.id }) });
      });
      finish();
      if (o.link) {
        await o.link.drain(3000);
        await o.link.close();
      }
    },
  };
}

/** Control topic: kiln/v1/{ws}/{kiln}/sim/fault with a JSON fault; returns a one-line outcome. */
export function controlMessage(r: Runner, fleet: readonly SimKiln[], topic: string, payload: string): string {
  const kiln = topic.split('/')[3] ?? '';
  const i = fleet.findIndex((k) => k.id === kiln);
  if (i < 0) return `fault ignored: no kiln "${kiln.slice(0, 40)}"`;
  let json: unknown;
  try { json = JSON.parse(payload); } catch { return `fault ignored on ${kiln}: payload is not JSON`; }
  const f = faultSchema.safeParse(json);
  if (!f.success) {
    const is = f.error.issues[0];
    return `fault ignored on ${kiln}: ${is ? `${is.path.join('.') || 'fault'}: ${is.message}` : 'invalid'}`;
  }
  r.inject(i, f.data);
  return `fault ${f.data.type} on ${kiln} at sim ${new Date(r.simNowMs()).toISOString()}`;
}
