// The telemetry the benchmark publishes: a fleet of gas shuttle kilns, each message one reading
// of 4 thermocouple zones + 2 gas channels (a burner flow meter and a cylinder scale) = 6
// readings. Message number `seq` goes to kiln seq % KILNS and carries device time
// t0 + floor(seq / KILNS) s, so every point has its own (series, timestamp) and a COUNT() in
// InfluxDB equals what was sent; a redelivery would overwrite itself, never add.
import { topicFor } from '../../src/wire/topics.ts';

export const ZONES = 4;
export const READINGS_PER_MESSAGE = ZONES + 2;
/** One workshop when device credentials are compared (BENCH_DEVICE_AUTH): a gateway publishes for
 *  the kilns of its own workshop only, and the runs without credentials publish the same topics. */
export const WORKSHOPS = process.env.BENCH_DEVICE_AUTH ? 1 : 5;
export const BENCH_WORKSHOP = 'bt-0';
export const KILNS = 100; // 20 per workshop (100 in one with BENCH_DEVICE_AUTH): 600 series per measurement set, like a small village
/** What COUNT(field) per measurement must equal, per message sent. */
export const EXPECTED_PER_MESSAGE = { temperature: ZONES, gas_flow: 1, gas_scale: 1 } as const;
/** The small message of phases A2 and C2: one zone + the burner's flow = 2 readings. */
export const SMALL_READINGS = 2;
export const SMALL_EXPECTED_PER_MESSAGE = { temperature: 1, gas_flow: 1, gas_scale: 0 } as const;
export const expectedPerMessage = (readings: number): Record<keyof typeof EXPECTED_PER_MESSAGE, number> =>
  readings === SMALL_READINGS ? SMALL_EXPECTED_PER_MESSAGE : EXPECTED_PER_MESSAGE;
export const COUNT_FIELDS = { temperature: 'temp_c', gas_flow: 'flow_kg_h', gas_scale: 'mass_kg' } as const;

/** The burst phase's fleet: 1,000 kilns (a whole village), 200 per workshop. */
export const BURST_KILNS = 1000;

const topicsOf = (kilns: number) => Array.from({ length: kilns }, (_, k) => topicFor(`bt-${k % WORKSHOPS}`, `k${String(k).padStart(3, '0')}`, 'telemetry'));
const topics = new Map<number, string[]>([[KILNS, topicsOf(KILNS)]]);

export function topicOf(seq: number, kilns = KILNS): string {
  let t = topics.get(kilns);
  if (!t) topics.set(kilns, (t = topicsOf(kilns)));
  return t[seq % kilns]!;
}

/** Device timestamp of message `seq`: each kiln reports once a second, from t0_ms on. */
export function tsOf(t0_ms: number, seq: number, kilns = KILNS): number {
  return t0_ms + Math.floor(seq / kilns) * 1000;
}

/** A realistic reading: zone temperatures of a firing around 900 °C, LPG flow, cylinder mass
 *  (430–480 kg over the fleet, however many kilns: a negative mass would be refused). */
export function payloadOf(t0_ms: number, seq: number, kilns = KILNS, readings = READINGS_PER_MESSAGE): string {
  const step = Math.floor(seq / kilns);
  const kiln = seq % kilns;
  const base_c = 600 + ((step + kiln * 37) % 600) * 0.9;
  const temp_c: Record<string, number> = {};
  for (let z = 0; z < ZONES; z++) temp_c[`z${z + 1}`] = Math.round((base_c + z * 11.3 + ((seq * 7 + z) % 10) * 0.1) * 100) / 100;
  const burner = { kind: 'flow', flow_kg_h: Math.round((8 + ((step + kiln) % 40) * 0.1) * 1000) / 1000 };
  if (readings === SMALL_READINGS) return JSON.stringify({ v: 1, ts_ms: tsOf(t0_ms, seq, kilns), seq, temp_c: { z1: temp_c.z1 }, gas: { burner } });
  return JSON.stringify({
    v: 1,
    ts_ms: tsOf(t0_ms, seq, kilns),
    seq,
    temp_c,
    gas: {
      burner,
      cylinders: { kind: 'scale', mass_kg: Math.round((480 - step * 0.002 - ((kiln * 0.5 * KILNS) / kilns)) * 10) / 10 },
    },
  });
}
