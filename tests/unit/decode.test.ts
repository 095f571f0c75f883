// The decoder is pure: table-driven tests, no mocks, the clock passed in.
import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeLimits } from '../../src/domain/decode.ts';
import { badInputs } from '../fixtures/bad-inputs.ts';
import { gasChannelSchema, seqSchema, tsSchema } from '../../src/wire/telemetry.ts';

const NOW = Date.UTC(2026, 10, 26, 8, 0, 0);
const LIMITS: DecodeLimits = { max_payload_bytes: 256 * 1024, max_future_ms: 300_000, max_past_ms: 30 * 86_400_000 };
const T = 'kiln/v1/bt01/k1/telemetry';
const decode = (topic: string, payload: string | Buffer) => {
  const buf = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return decodeMessage(topic, buf.toString('utf8'), buf.length, NOW, LIMITS);
};

describe('decodeMessage: good messages', () => {
  it('maps one reading to one point per channel, keyed by the device timestamp', () => {
    const d = decode(T, JSON.stringify({
      v: 1, ts_ms: NOW - 1000, seq: 7,
      temp_c: { top: 812.4, bottom: 798 },
      gas: {
        burner: { kind: 'flow', flow_kg_h: 3.2 },
        meter: { kind: 'totalizer', total_m3: 1234.5, ref_temp_c: 15, ref_pressure_kpa: 101.325, rollover_at: 100000 },
        cyl: { kind: 'scale', mass_kg: 61.5 },
      },
      pressure_pa: 12, o2_pct: 3.1, damper_pct: 40,
    }));
    expect(d.rejects).toEqual([]);
    expect(d.points).toHaveLength(8);
    const byKey = Object.fromEntries(d.points.map((p) => [`${p.measurement}/${p.tags.channel}`, p]));
    expect(byKey['temperature/top']).toEqual({ measurement: 'temperature', tags: { workshop: 'bt01', kiln: 'k1', channel: 'top' }, fields: { temp_c: 812.4, seq: 7 }, ts_ms: NOW - 1000 });
    expect(byKey['gas_flow/burner']?.fields).toEqual({ flow_kg_h: 3.2, seq: 7 });
    expect(byKey['gas_total/meter']?.fields).toEqual({ total_m3: 1234.5, ref_temp_c: 15, ref_pressure_kpa: 101.325, rollover_at: 100000, seq: 7 });
    expect(byKey['gas_scale/cyl']?.fields).toEqual({ mass_kg: 61.5, seq: 7 });
    expect(byKey['kiln_pressure/main']?.fields).toEqual({ pressure_pa: 12, seq: 7 });
    expect(byKey['oxygen/main']?.fields).toEqual({ o2_pct: 3.1, seq: 7 });
    expect(byKey['damper/main']?.fields).toEqual({ damper_pct: 40, seq: 7 });
  });

  it('takes a batch of readings, each with its own timestamp and seq', () => {
    const readings = [0, 1, 2].map((i) => ({ ts_ms: NOW - 3000 + i * 1000, seq: 100 + i, temp_c: { z1: 100 + i } }));
    const d = decode(T, JSON.stringify({ v: 1, device: 'ctrl-1', readings }));
    expect(d.rejects).toEqual([]);
    expect(d.points.map((p) => [p.ts_ms, p.fields.seq, p.fields.temp_c])).toEqual(readings.map((r) => [r.ts_ms, r.seq, r.temp_c.z1]));
  });

  it('keeps the good values of a reading when one value is bad (an open thermocouple)', () => {
    const d = decode(T, JSON.stringify({ v: 1, ts_ms: NOW, seq: 1, temp_c: { top: 1250, bottom: 5000 }, gas: { burner: { kind: 'flow', flow_kg_h: 4 } } }));
    expect(d.points.map((p) => p.tags.channel).sort()).toEqual(['burner', 'top']);
    expect(d.rejects).toEqual([expect.objectContaining({ reason: 'out_of_range', readings: 1 })]);
    expect(d.rejects[0]?.detail).toContain('temp_c.bottom');
  });

  it('keeps the good readings of a batch when one reading is bad', () => {
    const d = decode(T, JSON.stringify({ v: 1, readings: [
      { ts_ms: NOW - 2000, seq: 1, temp_c: { top: 20 } },
      { ts_ms: 'yesterday', seq: 2, temp_c: { top: 21, bottom: 22 } },
      { ts_ms: NOW, seq: 3, temp_c: { top: 22 } },
    ] }));
    expect(d.points.map((p) => p.fields.seq)).toEqual([1, 3]);
    expect(d.rejects).toEqual([expect.objectContaining({ reason: 'bad_timestamp', readings: 2 })]);
  });

  it('stores controller events with their data and reads device status', () => {
    const ev = decode('kiln/v1/bt01/k1/event', JSON.stringify({ v: 1, ts_ms: NOW, seq: 9, type: 'firing_start', firing_id: 'f-001', schedule: { segments: [{ rate_c_h: 100, target_c: 600, hold_min: 0 }] } }));
    expect(ev.rejects).toEqual([]);
    expect(ev.points[0]).toMatchObject({ measurement: 'event', tags: { type: 'firing_start' }, fields: { seq: 9 } });
    expect(JSON.parse(String(ev.points[0]?.fields.data_json))).toMatchObject({ firing_id: 'f-001' });
    const st = decode('kiln/v1/bt01/k1/status', JSON.stringify({ v: 1, state: 'offline' }));
    expect(st.status?.state).toBe('offline');
    expect(st.points).toEqual([]);
  });

  it('reads a test rig\'s fault acknowledgement on the status topic, and refuses a malformed one', () => {
    const ack = decode('kiln/v1/bt01/k1/status', JSON.stringify({ v: 1, state: 'online', ts_ms: NOW, fault: { type: 'tc_open', zone: 'top', ts_ms: NOW } }));
    expect(ack.rejects).toEqual([]);
    expect(ack.status?.fault).toEqual({ type: 'tc_open', zone: 'top', ts_ms: NOW });
    const bad = decode('kiln/v1/bt01/k1/status', JSON.stringify({ v: 1, state: 'online', fault: { type: 'TC OPEN!', ts_ms: NOW } }));
    expect(bad.status).toBeUndefined();
    expect(bad.rejects).toEqual([expect.objectContaining({ reason: 'bad_status' })]);
  });

  it('accepts flow in m³/h with its reference conditions and a kg totalizer', () => {
    const d = decode(T, JSON.stringify({ v: 1, ts_ms: NOW, seq: 1, gas: { a: { kind: 'flow', flow_m3_h: 1.6, ref_temp_c: 20, ref_pressure_kpa: 101.325 }, b: { kind: 'totalizer', total_kg: 5.5 } } }));
    expect(d.rejects).toEqual([]);
    expect(d.points).toHaveLength(2);
  });
});

describe('decodeMessage: the bad-input corpus', () => {
  const corpus = badInputs(NOW);
  it('has at least 30 distinct bad inputs', () => {
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });
  it.each(corpus.map((c) => [c.name, c] as const))('%s → rejected', (_name, c) => {
    const d = decode(c.topic, c.payload);
    expect(d.points).toEqual([]);
    expect(d.rejects.map((r) => r.reason)).toEqual([c.reason]);
    expect(d.rejects[0]!.readings > 0).toBe(c.scope === 'readings');
    expect(d.rejects[0]!.detail.length).toBeGreaterThan(0);
  });
});

describe('fast paths for the usual leaves agree with the wire schemas', () => {
  // The decoder takes a flow in kg/h, a scale, ts_ms and seq without zod when they are plainly
  // valid; whatever they take, the schemas must take with the same fields, and what they refuse
  // goes to zod, which must refuse it too.
  const gasLeaves: unknown[] = [
    { kind: 'flow', flow_kg_h: 5.25 }, { kind: 'flow', flow_kg_h: 0 }, { kind: 'flow', flow_kg_h: 1000 }, { kind: 'flow', flow_kg_h: 1000.01 },
    { kind: 'flow', flow_kg_h: -0.1 }, { kind: 'flow', flow_kg_h: '5' }, { kind: 'flow', flow_kg_h: 5, extra: 1 }, { kind: 'flow' },
    { kind: 'flow', flow_m3_h: 2 }, { kind: 'flow', flow_m3_h: 2, ref_temp_c: 15, ref_pressure_kpa: 101.325 }, { flow_kg_h: 5, kind: 'flow' },
    { kind: 'scale', mass_kg: 48 }, { kind: 'scale', mass_kg: 10_001 }, { kind: 'scale', mass_kg: null }, { kind: 'scale', mass_kg: 4, tare: 1 },
    { kind: 'totalizer', total_kg: 12 }, { kind: 'meter', flow_kg_h: 5 }, [], null, 5,
  ];
  it.each(gasLeaves.map((leaf) => [JSON.stringify(leaf), leaf]))('gas %s', (_name, leaf) => {
    const d = decode(T, JSON.stringify({ v: 1, ts_ms: NOW - 1000, seq: 3, gas: { g1: leaf } }));
    const ref = gasChannelSchema.safeParse(leaf);
    expect(d.points.length).toBe(ref.success ? 1 : 0);
    if (ref.success) {
      const { kind, ...fields } = ref.data;
      expect(d.points[0]!.fields).toEqual({ ...fields, seq: 3 });
      expect(Object.keys(d.points[0]!.fields)).toEqual([...Object.keys(fields), 'seq']); // the line protocol's field order
      expect(d.points[0]!.measurement).toBe({ flow: 'gas_flow', totalizer: 'gas_total', scale: 'gas_scale' }[kind]);
    } else expect(d.rejects.map((r) => r.reason)).not.toEqual([]);
  });

  const stamps: unknown[] = [NOW - 1000, 1.5, -1, '1', null, 8.64e15 + 1, Number.MAX_SAFE_INTEGER + 2];
  it.each(stamps.map((v) => [String(v), v]))('ts_ms and seq %s', (_name, v) => {
    const asTs = decode(T, JSON.stringify({ v: 1, ts_ms: v, seq: 1, temp_c: { z1: 500 } }));
    expect(asTs.points.length > 0).toBe(tsSchema.safeParse(v).success);
    const asSeq = decode(T, JSON.stringify({ v: 1, ts_ms: NOW - 1000, seq: v, temp_c: { z1: 500 } }));
    expect(asSeq.points.length > 0).toBe(seqSchema.safeParse(v).success);
    if (!seqSchema.safeParse(v).success) expect(asSeq.rejects[0]!.reason).toBe('bad_seq');
  });
});

describe('a message that is its own single reading', () => {
  // The decoder reads such a message in place: its envelope keys (v, device) are no values of the
  // reading, are not counted as readings when it is refused, and are never "unknown fields".
  it('keeps a device id beside the reading without calling it a field', () => {
    const d = decode(T, JSON.stringify({ v: 1, device: 'gw-7', ts_ms: NOW - 1000, seq: 2, temp_c: { z1: 700 } }));
    expect(d.rejects).toEqual([]);
    expect(d.points.map((p) => [p.measurement, p.tags.channel, p.fields])).toEqual([['temperature', 'z1', { temp_c: 700, seq: 2 }]]);
  });

  it('counts only its values when it is refused whole', () => {
    const late = decode(T, JSON.stringify({ v: 1, device: 'gw-7', ts_ms: NOW + 3_600_000, seq: 2, temp_c: { z1: 700, z2: 710 }, o2_pct: 4 }));
    expect(late.rejects.map((r) => [r.reason, r.readings])).toEqual([['ts_future', 3]]);
    const noSeq = decode(T, JSON.stringify({ v: 1, device: 'gw-7', ts_ms: NOW - 1000, seq: -1 }));
    expect(noSeq.rejects.map((r) => [r.reason, r.readings])).toEqual([['bad_seq', 1]]);
  });

  it('is empty when it holds nothing but its envelope and stamps', () => {
    const d = decode(T, JSON.stringify({ v: 1, device: 'gw-7', ts_ms: NOW - 1000, seq: 2 }));
    expect(d.rejects.map((r) => [r.reason, r.detail])).toEqual([['empty_reading', 'readings[0] has no values']]);
  });

  it('names the reading of a refused value in a batch, and finds an empty one beside a refused one', () => {
    const d = decode(T, JSON.stringify({ v: 1, readings: [
      { ts_ms: NOW - 2000, seq: 1, temp_c: { z1: 9000 } },
      { ts_ms: NOW - 1000, seq: 2 },
      { ts_ms: NOW - 500, seq: 3, temp_c: { z1: 700 }, v: 1 },
    ] }));
    expect(d.points.map((p) => p.fields.seq)).toEqual([3]);
    // In a batch, v inside a reading is a field it does not know: only the envelope has one.
    expect(d.rejects.map((r) => [r.reason, r.detail.split(':')[0]])).toEqual([
      ['out_of_range', 'readings[0].temp_c.z1'], ['empty_reading', 'readings[1] has no values'], ['unknown_field', 'readings[2].v is not a known field'],
    ]);
  });
});
