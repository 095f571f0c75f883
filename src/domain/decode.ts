// Turn one MQTT message into stored points and counted rejects. Pure: the caller passes
// the clock (now_ms) and the limits. Leaves are checked one by one so that one bad value
// (an open thermocouple reading 5,000 °C) never costs the good values sent beside it.
import type { z } from 'zod';
import { isValidId, parseTopic, type KilnTopic } from '../wire/topics.ts';
import {
  WIRE_VERSION, MAX_READINGS_PER_MESSAGE, MAX_CHANNELS_PER_KIND, LIMITS, auxSchemas,
  gasChannelSchema, seqSchema, tempSchema, tsSchema, type AuxField,
} from '../wire/telemetry.ts';
import { eventSchema, statusSchema, type DeviceStatus, type KilnEvent } from '../wire/events.ts';
import type { Measurement, Point, Reject, RejectReason } from './point.ts';

export interface DecodeLimits {
  readonly max_payload_bytes: number;
  /** Readings stamped further ahead of the service clock than this are rejected (device clock wrong). */
  readonly max_future_ms: number;
  /** Readings older than this are rejected (must stay inside the InfluxDB retention policy). */
  readonly max_past_ms: number;
}

export interface Decoded {
  readonly topic?: KilnTopic;
  readonly points: Point[];
  readonly rejects: Reject[];
  readonly status?: DeviceStatus;
  readonly event?: KilnEvent;
  /** Telemetry only: the newest well-formed ts_ms in the message, kept or refused for its time, and
   *  whether it came live (one reading) or as an outbox batch (old by design). The alert shell
   *  compares it with the service clock to tell a device clock that is wrong (alerts/clock.ts). */
  readonly clock?: { readonly device_ts_ms: number; readonly live: boolean };
}

const AUX_MEASUREMENT = { pressure_pa: 'kiln_pressure', o2_pct: 'oxygen', damper_pct: 'damper' } as const;
const READING_KEYS = new Set(['ts_ms', 'seq', 'temp_c', 'gas', 'pressure_pa', 'o2_pct', 'damper_pct']);
const ENVELOPE_KEYS = new Set(['v', 'device', 'readings']);

const reject = (reason: RejectReason, detail: string, readings = 0): Reject => ({ reason, detail: detail.slice(0, 200), readings });

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Name the reason for a leaf that failed its schema. */
function leafReason(value: unknown, issues: readonly z.core.$ZodIssue[]): RejectReason {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'not_finite';
  switch (issues[0]?.code) {
    case 'too_big':
    case 'too_small':
      return 'out_of_range';
    case 'invalid_type':
      return 'wrong_type';
    case 'unrecognized_keys':
      return 'unknown_field';
    default:
      return 'bad_gas_channel'; // no or unknown kind, or a rule between a gas channel's fields
  }
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function decodeMessage(topicName: string, payload: string, payloadBytes: number, now_ms: number, limits: DecodeLimits): Decoded {
  const parsedTopic = parseTopic(topicName);
  if (!parsedTopic.ok) return { points: [], rejects: [reject(parsedTopic.reason, parsedTopic.detail)] };
  const topic = parsedTopic.topic;
  const fail = (reason: RejectReason, detail: string): Decoded => ({ topic, points: [], rejects: [reject(reason, detail)] });

  if (payloadBytes > limits.max_payload_bytes) return fail('payload_too_large', `${payloadBytes} bytes > ${limits.max_payload_bytes}`);
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (err) {
    return fail('bad_json', (err as Error).message);
  }
  if (!isObject(json)) return fail('bad_envelope', 'payload must be a JSON object');
  if (json.v !== WIRE_VERSION) return fail('unsupported_version', `v must be ${WIRE_VERSION}`);

  if (topic.kind === 'status') {
    const s = statusSchema.safeParse(json);
    return s.success ? { topic, points: [], rejects: [], status: s.data } : fail('bad_status', describe(s.error.issues));
  }
  if (topic.kind === 'event') return decodeEvent(topic, json, now_ms, limits);
  return decodeTelemetry(topic, json, now_ms, limits);
}

function checkTime(ts_ms: number, now_ms: number, limits: DecodeLimits): Reject | undefined {
  if (ts_ms > now_ms + limits.max_future_ms) return reject('ts_future', `ts_ms ${ts_ms} is ${Math.round((ts_ms - now_ms) / 1000)} s ahead of the service clock`);
  if (ts_ms < now_ms - limits.max_past_ms) return reject('ts_past', `ts_ms ${ts_ms} is older than the ${Math.round(limits.max_past_ms / 86400000)} day limit`);
  return undefined;
}

function decodeEvent(topic: KilnTopic, json: Record<string, unknown>, now_ms: number, limits: DecodeLimits): Decoded {
  const e = eventSchema.safeParse(json);
  if (!e.success) return { topic, points: [], rejects: [reject('bad_event', describe(e.error.issues))] };
  const late = checkTime(e.data.ts_ms, now_ms, limits);
  if (late) return { topic, points: [], rejects: [late] };
  const { v: _v, ts_ms, seq, type, ...data } = e.data;
  const point: Point = {
    measurement: 'event',
    tags: { workshop: topic.workshop, kiln: topic.kiln, channel: 'controller', type },
    fields: { seq, data_json: JSON.stringify(data) },
    ts_ms,
  };
  return { topic, points: [point], rejects: [], event: e.data };
}

function decodeTelemetry(topic: KilnTopic, json: Record<string, unknown>, now_ms: number, limits: DecodeLimits): Decoded {
  let readings: unknown[];
  let single = false;
  if ('readings' in json) {
    const extra = Object.keys(json).filter((k) => !ENVELOPE_KEYS.has(k));
    if (extra.length) return { topic, points: [], rejects: [reject('bad_envelope', `unknown envelope keys: ${extra.join(', ')}`)] };
    if (json.device !== undefined && !(typeof json.device === 'string' && isValidId(json.device))) {
      return { topic, points: [], rejects: [reject('bad_envelope', 'device must match [A-Za-z0-9_-]{1,40}')] };
    }
    if (!Array.isArray(json.readings)) return { topic, points: [], rejects: [reject('bad_envelope', 'readings must be an array')] };
    if (json.readings.length > MAX_READINGS_PER_MESSAGE) {
      return { topic, points: [], rejects: [reject('too_many_readings', `${json.readings.length} readings > ${MAX_READINGS_PER_MESSAGE}`)] };
    }
    readings = json.readings;
  } else {
    // One reading in the envelope itself: read in place, its v and device skipped (no copy without them).
    readings = [json];
    single = true;
  }
  const points: Point[] = [];
  const rejects: Reject[] = [];
  for (let i = 0; i < readings.length; i++) decodeReading(topic, readings[i], i, now_ms, limits, points, rejects, single);
  const device_ts_ms = newestTs(readings);
  return device_ts_ms === null ? { topic, points, rejects } : { topic, points, rejects, clock: { device_ts_ms, live: !('readings' in json) } };
}

function newestTs(readings: readonly unknown[]): number | null {
  let newest: number | null = null;
  for (const r of readings) {
    const ts = isObject(r) ? r.ts_ms : undefined;
    if (typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0 && (newest === null || ts > newest)) newest = ts;
  }
  return newest;
}

/** Envelope keys of a message that is its own single reading: not values of the reading. */
const isEnvelopeKey = (k: string, single: boolean) => single && (k === 'v' || k === 'device');

function countLeaves(r: Record<string, unknown>, single: boolean): number {
  let n = 0;
  for (const [k, v] of Object.entries(r)) {
    if (k === 'ts_ms' || k === 'seq' || isEnvelopeKey(k, single)) continue;
    n += (k === 'temp_c' || k === 'gas') && isObject(v) ? Object.keys(v).length : 1;
  }
  return Math.max(n, 1);
}

// Fast paths for the usual leaves (thousands a second): they take only what the zod schemas take,
// with the same result, and leave everything else to zod, which names the reason.
const inRange = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && v >= min && v <= max;
const isMsOrSeq = (v: unknown, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** A point of one channel. Its tags are always made as this one literal shape: spread from a
 *  shared base they were objects on which the line protocol's map lookups ran several times slower. */
function pointOf(measurement: Measurement, workshop: string, kiln: string, channel: string, fields: Point['fields'], ts_ms: number): Point {
  return { measurement, tags: { workshop, kiln, channel }, fields, ts_ms };
}

/** A flow meter in kg/h or a scale, with nothing else: its point; else null (zod decides). */
function usualGas(leaf: unknown, workshop: string, kiln: string, channel: string, seq: number, ts_ms: number): Point | null {
  if (!isObject(leaf)) return null;
  let n = 0;
  for (const _ in leaf) if (++n > 2) return null;
  const { kind, flow_kg_h, mass_kg } = leaf;
  if (kind === 'flow' && inRange(flow_kg_h, LIMITS.flow_kg_h.min, LIMITS.flow_kg_h.max)) return pointOf('gas_flow', workshop, kiln, channel, { flow_kg_h, seq }, ts_ms);
  if (kind === 'scale' && inRange(mass_kg, LIMITS.mass_kg.min, LIMITS.mass_kg.max)) return pointOf('gas_scale', workshop, kiln, channel, { mass_kg, seq }, ts_ms);
  return null;
}

function decodeReading(topic: KilnTopic, r: unknown, i: number, now_ms: number, limits: DecodeLimits, points: Point[], rejects: Reject[], single: boolean): void {
  // The reading's place, for reject details only: made when something is refused, not for every reading.
  const at = () => `readings[${i}]`;
  if (!isObject(r)) { rejects.push(reject('bad_envelope', `${at()} must be an object`, 1)); return; }
  let ts_ms: number;
  if (isMsOrSeq(r.ts_ms, 8.64e15)) ts_ms = r.ts_ms;
  else {
    const ts = tsSchema.safeParse(r.ts_ms);
    if (!ts.success) { rejects.push(reject('bad_timestamp', `${at()}.ts_ms must be integer ms since 1970`, countLeaves(r, single))); return; }
    ts_ms = ts.data;
  }
  let seq: number;
  if (isMsOrSeq(r.seq, Number.MAX_SAFE_INTEGER)) seq = r.seq;
  else {
    const sq = seqSchema.safeParse(r.seq);
    if (!sq.success) { rejects.push(reject('bad_seq', `${at()}.seq must be a non-negative integer`, countLeaves(r, single))); return; }
    seq = sq.data;
  }
  const late = checkTime(ts_ms, now_ms, limits);
  if (late) { rejects.push({ ...late, readings: countLeaves(r, single) }); return; }

  const { workshop, kiln } = topic;
  const before = points.length;
  let refused = false;
  const bad = (reason: RejectReason, detail: string, n = 1) => { refused = true; rejects.push(reject(reason, `${at()}.${detail}`, n)); };

  // for..in, not Object.entries: the same keys in the same order for a parsed JSON object, without
  // an array of pairs a key (this runs for every reading).
  for (const key in r) {
    if (key === 'ts_ms' || key === 'seq' || isEnvelopeKey(key, single)) continue;
    const value = r[key];
    if (!READING_KEYS.has(key)) { bad('unknown_field', `${key.slice(0, 40)} is not a known field`); continue; }
    if (key === 'temp_c' || key === 'gas') {
      if (!isObject(value)) { bad('wrong_type', `${key} must be an object of channels`); continue; }
      let channels = 0;
      for (const _ in value) channels++;
      if (channels > MAX_CHANNELS_PER_KIND) { bad('too_many_channels', `${key} has ${channels} channels > ${MAX_CHANNELS_PER_KIND}`, channels); continue; }
      for (const ch in value) {
        const leaf = value[ch];
        if (!isValidId(ch)) { bad('bad_channel_name', `${key}: channel "${ch.slice(0, 40)}" must match [A-Za-z0-9_-]{1,40}`); continue; }
        if (key === 'temp_c') {
          // Fast path for the common case (hot: thousands a second); zod names the reason otherwise.
          let temp_c: number;
          if (inRange(leaf, LIMITS.temp_c.min, LIMITS.temp_c.max)) temp_c = leaf;
          else {
            const t = tempSchema.safeParse(leaf);
            if (!t.success) { bad(leafReason(leaf, t.error.issues), `temp_c.${ch}: ${describe(t.error.issues)}`); continue; }
            temp_c = t.data;
          }
          points.push(pointOf('temperature', workshop, kiln, ch, { temp_c, seq }, ts_ms));
        } else {
          const usual = usualGas(leaf, workshop, kiln, ch, seq, ts_ms);
          if (usual) { points.push(usual); continue; }
          const g = gasChannelSchema.safeParse(leaf);
          if (!g.success) { bad(leafReason(leaf, g.error.issues), `gas.${ch}: ${describe(g.error.issues)}`); continue; }
          const { kind, ...fields } = g.data;
          const measurement = kind === 'flow' ? 'gas_flow' : kind === 'totalizer' ? 'gas_total' : 'gas_scale';
          points.push(pointOf(measurement, workshop, kiln, ch, { ...fields, seq }, ts_ms));
        }
      }
      continue;
    }
    const aux = key as AuxField;
    const a = auxSchemas[aux].safeParse(value);
    if (!a.success) { bad(leafReason(value, a.error.issues), `${aux}: ${describe(a.error.issues)}`); continue; }
    points.push(pointOf(AUX_MEASUREMENT[aux], workshop, kiln, 'main', { [aux]: a.data, seq }, ts_ms));
  }
  if (points.length === before && !refused) {
    rejects.push(reject('empty_reading', `${at()} has no values`, 1));
  }
}
