// Command-line flags of `npm run simulate`. Every flag is explained in HELP; bad values stop
// the program with one line naming the flag.
import { parseArgs } from 'node:util';
import { parseFaultFlag, type FaultSpec } from './model/faults.ts';
import { FIRINGS, GAS_KINDS, KILNS, type GasKind } from './model/presets.ts';

/** --speed's range: the help and docs/simulator.md say it (a test holds them to it). */
export const SPEED_MIN = 0.01;
export const SPEED_MAX = 1000;

export const HELP = `Kiln sensor simulator: LPG shuttle kilns publishing over MQTT (docs/simulator.md)

Usage: npm run simulate -- [flags]

Broker and fleet
  --url URL             MQTT broker (default mqtt://127.0.0.1:1883); may carry a device credential:
                        mqtt://USERNAME:SECRET@host:1883
  --username U          device credential (docs/mqtt.md, "Device credentials"): a gateway of the
                        workshop, since the simulator publishes for all its kilns
  --password SECRET     its secret; or leave it out and set KILNSIM_MQTT_PASSWORD (kept out of \`ps\`)
  --kilns N             number of kilns (default 3); each starts on its own, --stagger-min apart
  --workshop ID         workshop id in the topics kiln/v1/{workshop}/{kiln}/... (default bt01)
  --kiln PRESET         kiln size for all kilns: ${Object.keys(KILNS).join(', ')} (default k3_5)
  --firing PRESET       schedule for all kilns: ${Object.keys(FIRINGS).join(', ')}
                        (default: kilns cycle through them)
  --config FILE         kilns, custom kilns and schedules, faults from JSON or YAML (overrides --kilns)
  --connections N       MQTT connections (default: one per kiln, each with its own Last Will, up to 200;
                        more kilns share 8 connections and publish their offline status themselves)
  --qos 0|1             publish QoS (default 1)

Time
  --speed X             simulated seconds per second, 0.01 to 1000, or "max" (default 1)
  --start ISO           simulated start time, e.g. 2025-12-01T06:00:00+07:00 (default: now)
  --history-h H         start H hours ago and fast-forward (at --speed) to now, then run in real time
                        (a demo that shows firings in every stage within a minute); implies --start
  --seed N              random seed: same seed, start and flags give byte-identical messages (default 1)
  --interval-s S        seconds between readings of one kiln (default 10)
  --stagger-min M       minutes between kiln starts (default 45, plus up to 10 min seeded jitter)
  --cool-until-c C      a firing ends (the kiln can be unloaded) at the first reading after gas-off with
                        every zone below C (default 200)
  --gas KINDS           only these meter kinds on every kiln: flow, totalizer, scale, comma-separated
                        (default all three)
  --monitor-only        no controller: no firing_start, firing_stop, segment or atmosphere events

Faults (repeatable; also at run time as JSON on kiln/v1/{workshop}/{kiln}/sim/fault)
  --fault SPEC          e.g. type=flame_out,kiln=2,at_h=10,duration_min=30
                        types: tc_open (zone, mode=drop|upscale), tc_drift (zone, rate_c_h),
                        flame_out, gas_out, silent (zone, or the whole telemetry), net_cut,
                        duplicate (prob), reorder (prob), malformed (prob), clock_skew (offset_s, drift_ppm),
                        clear (of=TYPE); kiln = id or 1-based number (default all); at_h = simulated
                        hours after start (default now); duration_min (default until cleared)

Output
  --csv-out FILE        every telemetry reading as CSV (replayable with --replay)
  --truth-out FILE      exact fuel and energy books per firing, JSON, written on exit
  --record FILE         every message as JSON lines {topic, payload} (for byte-for-byte comparison)
  --no-mqtt             do not connect: simulate to the files above only
  --quiet               no live status line

Replay
  --replay FILE         publish a recorded CSV instead of simulating (at --speed; original timestamps)
  --replay-kiln ID      kiln id when the CSV has no kiln column (default K01)
  --rebase              shift the recording so that it starts now (or at --start)

  --list-presets        print kiln and firing presets and exit
  --help                this text
`;

export interface CliOptions {
  url: string; kilns: number; workshop: string; kiln?: string; firing?: string; config?: string;
  connections?: number; qos: 0 | 1; speed: number; start_ms: number; seed: number; interval_s: number;
  stagger_min: number; cool_until_c: number; faults: FaultSpec[]; csv_out?: string; truth_out?: string;
  record?: string; no_mqtt: boolean; quiet: boolean; replay?: string; replay_kiln: string; rebase: boolean;
  list_presets: boolean; help: boolean; catch_up: boolean; gas?: GasKind[]; monitor_only: boolean;
}

export function parseCli(argv: string[], now_ms: number, env: Readonly<Record<string, string | undefined>> = {}): CliOptions {
  const { values: v } = parseArgs({
    args: argv, strict: true, allowPositionals: false,
    options: {
      url: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' }, kilns: { type: 'string' }, workshop: { type: 'string' }, kiln: { type: 'string' },
      firing: { type: 'string' }, config: { type: 'string' }, connections: { type: 'string' }, qos: { type: 'string' },
      speed: { type: 'string' }, start: { type: 'string' }, seed: { type: 'string' }, 'interval-s': { type: 'string' },
      'stagger-min': { type: 'string' }, 'cool-until-c': { type: 'string' }, fault: { type: 'string', multiple: true },
      'csv-out': { type: 'string' }, 'truth-out': { type: 'string' }, record: { type: 'string' }, 'no-mqtt': { type: 'boolean' },
      quiet: { type: 'boolean' }, replay: { type: 'string' }, 'replay-kiln': { type: 'string' }, rebase: { type: 'boolean' },
      'list-presets': { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'history-h': { type: 'string' },
      gas: { type: 'string' }, 'monitor-only': { type: 'boolean' },
    },
  });
  const num = (flag: string, text: string | undefined, def: number, min: number, max: number, int = false): number => {
    if (text === undefined) return def;
    const x = Number(text);
    if (!Number.isFinite(x) || x < min || x > max || (int && !Number.isInteger(x))) throw new Error(`--${flag} "${text}": expected ${int ? 'an integer' : 'a number'} from ${min} to ${max}`);
    return x;
  };
  if (v.kiln !== undefined && !KILNS[v.kiln]) throw new Error(`--kiln "${v.kiln}": choose one of ${Object.keys(KILNS).join(', ')}`);
  if (v.firing !== undefined && !FIRINGS[v.firing]) throw new Error(`--firing "${v.firing}": choose one of ${Object.keys(FIRINGS).join(', ')}`);
  if (v.workshop !== undefined && !/^[A-Za-z0-9_-]{1,40}$/.test(v.workshop)) throw new Error(`--workshop "${v.workshop}": letters, digits, _ and - only (1 to 40)`);
  const history_h = v['history-h'] === undefined ? undefined : num('history-h', v['history-h'], 0, 0, 24 * 30);
  const start_ms = history_h !== undefined ? Math.floor((now_ms - history_h * 3_600_000) / 1000) * 1000
    : v.start === undefined ? Math.floor(now_ms / 1000) * 1000 : Date.parse(v.start);
  if (!Number.isFinite(start_ms)) throw new Error(`--start "${v.start}": expected an ISO date-time`);
  const kinds = v.gas?.split(',').map((x) => x.trim());
  if (kinds && (!kinds.length || kinds.some((k) => !GAS_KINDS.includes(k as GasKind)))) throw new Error(`--gas "${v.gas}": one or more of ${GAS_KINDS.join(', ')}`);
  const faults = (v.fault ?? []).map((f) => { const r = parseFaultFlag(f); if (!r.ok) throw new Error(r.error); return r.fault; });
  return {
    url: withCredentials(v.url ?? 'mqtt://127.0.0.1:1883', v.username, v.password ?? env.KILNSIM_MQTT_PASSWORD), kilns: num('kilns', v.kilns, 3, 1, 20000, true), workshop: v.workshop ?? 'bt01',
    kiln: v.kiln, firing: v.firing, config: v.config,
    connections: v.connections === undefined ? undefined : num('connections', v.connections, 1, 1, 1000, true),
    qos: num('qos', v.qos, 1, 0, 1, true) as 0 | 1,
    speed: v.speed === 'max' ? Number.POSITIVE_INFINITY : num('speed', v.speed, 1, SPEED_MIN, SPEED_MAX),
    start_ms, seed: num('seed', v.seed, 1, 0, 2 ** 32 - 1, true), interval_s: num('interval-s', v['interval-s'], 10, 1, 3600, true),
    stagger_min: num('stagger-min', v['stagger-min'], 45, 0, 100000), cool_until_c: num('cool-until-c', v['cool-until-c'], 200, 30, 1000),
    faults, csv_out: v['csv-out'], truth_out: v['truth-out'], record: v.record, no_mqtt: v['no-mqtt'] ?? false, quiet: v.quiet ?? false,
    replay: v.replay, replay_kiln: v['replay-kiln'] ?? 'K01', rebase: v.rebase ?? false,
    list_presets: v['list-presets'] ?? false, help: v.help ?? false, catch_up: history_h !== undefined,
    ...(kinds ? { gas: [...new Set(kinds)] as GasKind[] } : {}), monitor_only: v['monitor-only'] ?? false,
  };
}

/** The broker URL carrying the credential (mqtt.js reads it from there, for every connection). */
export function withCredentials(url: string, username: string | undefined, password: string | undefined): string {
  if (username === undefined) {
    if (password !== undefined && !/^[a-z]+:\/\/[^/]*@/.test(url)) throw new Error('--password needs --username');
    return url;
  }
  let u: URL;
  try { u = new URL(url); } catch { throw new Error(`--url "${url}": not a URL`); }
  u.username = username;
  if (password !== undefined) u.password = password;
  return u.toString().replace(/\/$/, '');
}

