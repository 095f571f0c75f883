// The kiln's data logger: stamps readings and events with its own clock and sequence number,
// and misbehaves on demand (faults.ts). Pure: messages come out as data, the MQTT shell sends them.
// During a network cut it keeps an outbox and, on reconnect, replays it as batches with the
// original timestamps and seq numbers — what a logger with local flash does.
import type { TelemetryReading } from '../../src/wire/telemetry.ts';
import {
  activeAt, DEFAULT_DRIFT_C_H, DEFAULT_PROB, DEFAULT_SKEW_S, UPSCALE_READING_C, type ActiveFault,
} from './faults.ts';
import type { ModelEvent, ModelReading } from './kiln.ts';
import { uniform, type Rng } from './rng.ts';

export type Outgoing =
  | { kind: 'telemetry' | 'event' | 'status'; payload: string; retain?: boolean }
  /** The link went down (the shell drops the connection) or came back. */
  | { kind: 'link'; up: boolean };

export const OUTBOX_MAX_READINGS = 20_000; // ~2.3 days at one reading per 10 s
export const BATCH_READINGS = 500; // under MAX_READINGS_PER_MESSAGE (1,000)

export interface DeviceState {
  readonly id: string;
  readonly rng: Rng;
  seq: number;
  faults: ActiveFault[];
  link_up: boolean;
  outbox: Outgoing[];
  outbox_readings: TelemetryReading[];
  dropped_readings: number;
  held: Outgoing | null;
}

export function newDevice(id: string, rng: Rng): DeviceState {
  return { id, rng, seq: 0, faults: [], link_up: true, outbox: [], outbox_readings: [], dropped_readings: 0, held: null };
}

/** Device clock: simulated time plus any skew fault (offset, and drift since the fault began). */
export function deviceTime(d: DeviceState, now_ms: number): number {
  let ts = now_ms;
  for (const f of activeAt(d.faults, now_ms, 'clock_skew')) {
    ts += (f.spec.offset_s ?? DEFAULT_SKEW_S) * 1000 + ((f.spec.drift_ppm ?? 0) * (now_ms - f.start_ms)) / 1e6;
  }
  return Math.max(0, Math.round(ts));
}

function applySensorFaults(d: DeviceState, now_ms: number, r: ModelReading): ModelReading | null {
  if (activeAt(d.faults, now_ms, 'silent').some((f) => f.spec.zone === undefined)) return null;
  const temp_c = { ...r.temp_c };
  const first = Object.keys(temp_c)[0] ?? 'top';
  for (const f of activeAt(d.faults, now_ms, 'tc_drift')) {
    const z = f.spec.zone ?? first;
    const v = temp_c[z];
    if (v !== undefined) temp_c[z] = Math.round((v + ((f.spec.rate_c_h ?? DEFAULT_DRIFT_C_H) * (now_ms - f.start_ms)) / 3_600_000) * 10) / 10;
  }
  for (const f of activeAt(d.faults, now_ms, 'tc_open')) {
    const z = f.spec.zone ?? first;
    if (f.spec.mode === 'upscale') temp_c[z] = UPSCALE_READING_C;
    else delete temp_c[z];
  }
  for (const f of activeAt(d.faults, now_ms, 'silent')) if (f.spec.zone) delete temp_c[f.spec.zone];
  return { ...r, temp_c };
}

function chance(d: DeviceState, now_ms: number, type: 'duplicate' | 'reorder' | 'malformed'): boolean {
  const p = activeAt(d.faults, now_ms, type).reduce((acc, f) => Math.max(acc, f.spec.prob ?? DEFAULT_PROB), 0);
  return p > 0 && uniform(d.rng) < p;
}

/** Three ways a payload arrives broken: cut short, a NaN literal, a wrong type. */
function corrupt(d: DeviceState, payload: string): string {
  const k = Math.floor(uniform(d.rng) * 3);
  if (k === 0) return payload.slice(0, Math.floor(payload.length / 2));
  if (k === 1) return payload.replace(/"seq":\d+/, '"seq":NaN');
  return payload.replace(/"ts_ms":(\d+)/, '"ts_ms":"$1"');
}

/** Send through the link faults: malformed, duplicated, held back one message (reorder). */
function send(d: DeviceState, now_ms: number, msg: Outgoing, out: Outgoing[]): void {
  if (!d.link_up) { d.outbox.push(msg); return; }
  let m = msg;
  if (m.kind !== 'link' && m.kind !== 'status' && chance(d, now_ms, 'malformed')) m = { ...m, payload: corrupt(d, m.payload) };
  if (m.kind !== 'link' && m.kind !== 'status' && d.held === null && chance(d, now_ms, 'reorder')) { d.held = m; return; }
  out.push(m);
  if (m.kind !== 'link' && m.kind !== 'status' && chance(d, now_ms, 'duplicate')) out.push(m);
  if (d.held) { out.push(d.held); d.held = null; }
}

function flushReadings(d: DeviceState): void {
  for (let i = 0; i < d.outbox_readings.length; i += BATCH_READINGS) {
    const readings = d.outbox_readings.slice(i, i + BATCH_READINGS);
    d.outbox.push({ kind: 'telemetry', payload: JSON.stringify({ v: 1, device: d.id, readings }) });
  }
  d.outbox_readings = [];
}

export function onlineStatus(d: DeviceState, now_ms: number): Outgoing {
  return { kind: 'status', retain: true, payload: JSON.stringify({ v: 1, state: 'online', ts_ms: deviceTime(d, now_ms), device: d.id }) };
}

/** The retained online status with the fault command just taken, so that whoever watches the
 *  kiln (the service, its dashboard) learns of it at once, before any reading shows its effect. */
export function faultAck(d: DeviceState, now_ms: number, spec: { type: string; of?: string; zone?: string }): Outgoing {
  const fault = { type: spec.type, ...(spec.of ? { of: spec.of } : {}), ...(spec.zone ? { zone: spec.zone } : {}), ts_ms: deviceTime(d, now_ms) };
  return { kind: 'status', retain: true, payload: JSON.stringify({ v: 1, state: 'online', ts_ms: deviceTime(d, now_ms), device: d.id, fault }) };
}

/** One device step: link transitions, then events, then a reading (null: none due now). */
export function deviceStep(d: DeviceState, now_ms: number, events: readonly ModelEvent[], reading: ModelReading | null): Outgoing[] {
  const out: Outgoing[] = [];
  const cut = activeAt(d.faults, now_ms, 'net_cut').length > 0;
  if (cut && d.link_up) { d.link_up = false; out.push({ kind: 'link', up: false }); }
  if (!cut && !d.link_up) {
    d.link_up = true;
    flushReadings(d);
    out.push({ kind: 'link', up: true }, onlineStatus(d, now_ms));
    const backlog = d.outbox;
    d.outbox = [];
    for (const m of backlog) send(d, now_ms, m, out);
  }
  const ts_ms = deviceTime(d, now_ms);
  for (const e of events) {
    send(d, now_ms, { kind: 'event', payload: JSON.stringify({ v: 1, ts_ms, seq: d.seq++, ...e }) }, out);
  }
  const r = reading && applySensorFaults(d, now_ms, reading);
  if (r) {
    const stamped: TelemetryReading = { ts_ms, seq: d.seq++, ...r };
    if (d.link_up) send(d, now_ms, { kind: 'telemetry', payload: JSON.stringify({ v: 1, ...stamped }) }, out);
    else if (d.outbox_readings.push(stamped) > OUTBOX_MAX_READINGS) { d.outbox_readings.shift(); d.dropped_readings += 1; }
  }
  return out;
}
