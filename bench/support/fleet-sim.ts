// The fleet benchmark's kilns, as their own process (node --import tsx, forked): the real
// simulator's kilns (simulator/fleet.ts, model/*) over its MQTT link (simulator/link.ts), in real
// time (speed 1), so that device timestamps are the wall clock and publish → SSE latency can be
// read off the dashboard's stream. Its CPU is its own, not the benchmark's nor the service's.
//
// The kilns are grouped into workshops of `per_workshop`, each workshop one gateway connection
// (with its device credential when `logins` has one, as on the embedded broker by default).
// Every kiln is mid-firing when publishing starts: the fleet starts `history_h` hours ago (kiln
// starts spread over that time) and is fast-forwarded silently to now; the service then meets
// kilns already heating, as after it restarts, with each firing's controller events (firing_start,
// segment, ...) of the fast-forward sent first, so that it knows them as firings under way (the
// readings of the fast-forward are not sent: that would be a burst). Readings are spread over each kiln's interval
// (kiln j reads at second j mod interval_s) and each workshop at its own phase within the second,
// as loggers switched on at different times are (all at the same instant would be a burst a second).
//
// IPC: { cmd: 'start', config } → { phase } lines while it prepares, then { live: { start_ms } };
// { cmd: 'stats' } → { stats }; { cmd: 'stop' } → stops stepping, waits until every message is
// acknowledged, → { stats, drained }, and exits.
import { buildFleet, type FleetConfig } from '../../simulator/fleet.ts';
import { openLink, type Link } from '../../simulator/link.ts';
import type { Outgoing } from '../../simulator/model/device.ts';
import { FIRINGS } from '../../simulator/model/presets.ts';
import { hello, stepFleet, type SimKiln } from '../../simulator/model/sim.ts';
import { topicFor } from '../../src/wire/topics.ts';
import { addCounts, pointsOfMessage, type Counts } from './fleet-count.ts';

export interface FleetSimConfig {
  readonly url: string;
  readonly kilns: number;
  readonly interval_s: number;
  readonly per_workshop: number;
  readonly history_h: number;
  readonly seed: number;
  /** Unacknowledged QoS 1 publishes per connection. */
  readonly inflight: number;
  /** Workshop → gateway login (username, secret); none: anonymous. */
  readonly logins: Readonly<Record<string, { username: string; secret: string }>> | null;
}

export interface FleetSimStats {
  readonly sent: number;
  readonly acked: number;
  readonly queued: number;
  readonly inflight: number;
  readonly errors: number;
  /** Points the acknowledged messages must leave in InfluxDB, by measurement (fleet-count.ts). */
  readonly acked_points: Counts;
  readonly telemetry_acked: number;
  /** How far simulated time is behind the wall clock (it should stay under a second). */
  readonly lag_ms: number;
  readonly cpu_s: number;
  readonly rss_mb: number;
}

/** A workshop: its kilns, its gateway connection, its model time (the second it last stepped,
 *  plus its phase within the second) and whether its first messages went out. */
interface Workshop { readonly id: string; readonly fleet: SimKiln[]; readonly phase_ms: number; t_ms: number; link: Link | null; started: boolean }

export const workshopId = (w: number, count: number): string => `ws${String(w + 1).padStart(Math.max(3, String(count).length), '0')}`;
const FF_STEP_S = 10; // fast-forward step: kiln time constants are hours
const CONNECT_BATCH = 50;

// Only when forked as this file (the benchmark imports its types and workshopId).
if (process.send && process.argv[1]?.endsWith('fleet-sim.ts')) {
  const send = process.send.bind(process);
  const groups: Workshop[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const acked_points: Counts = {};
  let telemetry_acked = 0;
  const cpu0 = process.cpuUsage();

  const stats = (): FleetSimStats => {
    const s = { sent: 0, acked: 0, queued: 0, inflight: 0, errors: 0 };
    for (const g of groups) {
      const l = g.link?.stats();
      if (l) for (const k of Object.keys(s) as (keyof typeof s)[]) s[k] += l[k];
    }
    const cpu = process.cpuUsage(cpu0);
    // A workshop's step is due once its second has passed (t_ms: the last one stepped).
    const behind_ms = groups.reduce((a, g) => Math.max(a, Date.now() - g.t_ms - 1000), 0);
    return { ...s, acked_points: { ...acked_points }, telemetry_acked, lag_ms: behind_ms, cpu_s: (cpu.user + cpu.system) / 1e6, rss_mb: process.memoryUsage().rss / 1e6 };
  };

  const start = async (c: FleetSimConfig): Promise<void> => {
    const n_ws = Math.ceil(c.kilns / c.per_workshop);
    const firings = Object.keys(FIRINGS);
    const start_ms = Math.floor(Date.now() / 1000) * 1000 - Math.round(c.history_h * 3600) * 1000;
    for (let w = 0; w < n_ws; w++) {
      const n = Math.min(c.per_workshop, c.kilns - w * c.per_workshop);
      // Kiln j (over the whole fleet) started at 5 % .. 95 % of the history: every one is firing.
      const kilns: FleetConfig['kilns'] = Array.from({ length: n }, (_, i) => {
        const j = w * c.per_workshop + i;
        return { preset: 'k18', firing: firings[j % firings.length], start_h: c.history_h * (0.05 + (0.9 * j) / c.kilns) };
      });
      // Workshops read at their own phase within the second, as loggers switched on at different times do.
      const phase_ms = Math.floor((w * 1000) / n_ws);
      const { fleet } = buildFleet({ kilns: n, seed: c.seed + w, sim_start_ms: start_ms + phase_ms, interval_s: c.interval_s, cool_until_c: 200, stagger_min: 0, gas: ['flow', 'totalizer'], config: { kilns } });
      groups.push({ id: workshopId(w, n_ws), fleet, phase_ms, t_ms: start_ms + phase_ms, link: null, started: false });
    }
    // Silent fast-forward: no readings taken (next read never due), controller events kept.
    for (const g of groups) for (const k of g.fleet) k.next_read_ms = Infinity;
    let ff_ms = start_ms;
    const history = new Map<Workshop, { i: number; out: Outgoing }[]>(groups.map((g) => [g, []]));
    const forward = (until_ms: number, step_s: number) => {
      while (ff_ms < until_ms) {
        for (const g of groups) {
          stepFleet(g.fleet, step_s, (i, out) => { if (out.kind === 'event') history.get(g)!.push({ i, out }); });
          g.t_ms += step_s * 1000;
        }
        ff_ms += step_s * 1000;
      }
    };
    send({ phase: `fast-forwarding ${c.kilns} kilns through ${c.history_h} h of firing` });
    const ff0 = performance.now();
    forward(Date.now() - 60_000, FF_STEP_S);
    send({ phase: `fast-forward took ${((performance.now() - ff0) / 1000).toFixed(1)} s; connecting ${groups.length} gateway connections` });
    for (let i = 0; i < groups.length; i += CONNECT_BATCH) {
      await Promise.all(groups.slice(i, i + CONNECT_BATCH).map(async (g) => {
        const login = c.logins?.[g.id];
        const url = login ? withLogin(c.url, login) : c.url;
        g.link = await openLink({
          url, connections: 1, qos: 1, inflight: c.inflight, client_prefix: `fleet-${g.id}-${process.pid}`, connect_timeout_ms: 30_000,
          on_ack: (topic, payload) => {
            addCounts(acked_points, pointsOfMessage(topic, payload));
            if (topic.endsWith('/telemetry')) telemetry_acked++;
          },
        });
      }));
    }
    // Catch up to a whole second a little ahead, wait for the wall clock to reach it, then run in real time.
    forward(Date.now() + 1500, 1);
    const live_ms = ff_ms;
    groups.forEach((g, w) => g.fleet.forEach((k, i) => {
      const j = w * c.per_workshop + i;
      k.next_read_ms = g.t_ms + ((j % c.interval_s) + 1) * 1000;
    }));
    await new Promise((r) => setTimeout(r, Math.max(0, live_ms - Date.now())));
    const tick = (): void => {
      if (stopped) return;
      const now = Date.now();
      let next_ms = Infinity;
      for (const g of groups) {
        if (!g.started && now >= g.t_ms) {
          // Its first messages at its own phase too: the online status, then its firings so far.
          g.started = true;
          g.fleet.forEach((k, i) => { for (const out of hello(k)) emit(g, i, out); });
          for (const { i, out } of history.get(g)!) emit(g, i, out);
          history.delete(g);
        }
        while (g.t_ms + 1000 <= now) {
          stepFleet(g.fleet, 1, (i, out) => emit(g, i, out));
          g.t_ms += 1000;
        }
        next_ms = Math.min(next_ms, g.started ? g.t_ms + 1000 : g.t_ms);
      }
      timer = setTimeout(tick, Math.max(1, next_ms - Date.now()));
    };
    tick();
    send({ live: { start_ms: live_ms } });
  };

  const emit = (g: Workshop, i: number, out: Outgoing): void => {
    const k = g.fleet[i];
    if (!k || !g.link || out.kind === 'link') return; // no faults here, so no network cuts
    g.link.publish(i, topicFor(g.id, k.id, out.kind), out.payload, out.retain ?? false);
  };

  const stop = async (): Promise<void> => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const results = await Promise.all(groups.map((g) => g.link?.drain(120_000) ?? true));
    const final = stats();
    send({ stats: final, drained: results.every(Boolean) });
    await Promise.all(groups.map((g) => g.link?.close()));
    process.exit(0);
  };

  process.on('message', (m: { cmd: string; config?: FleetSimConfig }) => {
    if (m.cmd === 'start' && m.config) start(m.config).catch((err: Error) => { send({ error: err.message }); process.exit(1); });
    else if (m.cmd === 'stats') send({ stats: stats() });
    else if (m.cmd === 'stop') void stop();
  });
  process.on('disconnect', () => process.exit(0)); // the benchmark went away
  send({ ready: true });
}

function withLogin(url: string, login: { username: string; secret: string }): string {
  const u = new URL(url);
  u.username = login.username;
  u.password = login.secret;
  return u.toString().replace(/\/$/, '');
}
