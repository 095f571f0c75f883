// The fleet benchmark's pure pieces: what each acknowledged message must leave in InfluxDB, the
// loss comparison, the latency histogram's percentiles, and the scenario list.
import { describe, expect, it } from 'vitest';
import { watchLiveStream } from '../../../bench/support/fleet-sse.ts';
import { lossOf, pointsOfMessage } from '../../../bench/support/fleet-count.ts';
import { parseScenarios } from '../../../bench/support/fleet-plan.ts';
import { LatencyHistogram } from '../../../bench/support/latency-hist.ts';
import { readKiln, newKiln } from '../../../simulator/model/kiln.ts';
import { FIRINGS, KILNS } from '../../../simulator/model/presets.ts';

describe('pointsOfMessage', () => {
  it('counts one point per zone, gas meter, O2 and damper value of a telemetry reading', () => {
    const payload = JSON.stringify({ v: 1, ts_ms: 1, seq: 1, temp_c: { top: 1, middle: 2, bottom: 3, door: 4 }, gas: { burner: { kind: 'flow', flow_kg_h: 3 }, meter: { kind: 'totalizer', total_kg: 9 } }, o2_pct: 2, damper_pct: 50 });
    expect(pointsOfMessage('kiln/v1/ws001/K01/telemetry', payload)).toEqual({ temperature: 4, gas_flow: 1, gas_total: 1, oxygen: 1, damper: 1 });
  });

  it('counts the simulator\'s own reading of a 4-zone kiln with a flow meter and a totalizer as 8 points', () => {
    const m = newKiln({ id: 'K01', spec: { ...KILNS.k18!, gas: ['flow', 'totalizer'] }, firing: FIRINGS.cone10red!, seed: 1, clock_ms: 0, start_ms: 0, cool_until_c: 200 });
    const counts = pointsOfMessage('kiln/v1/w/K01/telemetry', JSON.stringify({ v: 1, ts_ms: 1, seq: 1, ...readKiln(m) }));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('sums the readings of a batch, counts an event once and a status not at all', () => {
    const batch = JSON.stringify({ v: 1, device: 'K01', readings: [{ ts_ms: 1, seq: 1, temp_c: { a: 1 } }, { ts_ms: 2, seq: 2, temp_c: { a: 1, b: 2 }, gas: { s: { kind: 'scale', mass_kg: 40 } }, pressure_pa: 3 }] });
    expect(pointsOfMessage('kiln/v1/w/K01/telemetry', batch)).toEqual({ temperature: 3, gas_scale: 1, kiln_pressure: 1 });
    expect(pointsOfMessage('kiln/v1/w/K01/event', '{"v":1,"ts_ms":1,"seq":3,"type":"segment"}')).toEqual({ event: 1 });
    expect(pointsOfMessage('kiln/v1/w/K01/status', '{"v":1,"state":"online"}')).toEqual({});
  });
});

describe('lossOf', () => {
  it('is nothing lost when every measurement has what was acknowledged', () => {
    const r = lossOf({ temperature: 40, oxygen: 10 }, { temperature: 40, oxygen: 10 });
    expect(r).toMatchObject({ acked: 50, stored: 50, lost: 0, extra: 0, nothing_lost: true });
  });

  it('does not let an extra point in one measurement hide a missing one in another', () => {
    const r = lossOf({ temperature: 40, oxygen: 10 }, { temperature: 41, oxygen: 9 });
    expect(r).toMatchObject({ acked: 50, stored: 50, lost: 1, extra: 1, nothing_lost: false });
    expect(r.by_measurement).toEqual([{ measurement: 'oxygen', acked: 10, stored: 9 }, { measurement: 'temperature', acked: 40, stored: 41 }]);
  });

  it('counts a measurement missing from the database as lost', () => {
    expect(lossOf({ event: 3 }, {})).toMatchObject({ lost: 3, nothing_lost: false });
  });
});

describe('LatencyHistogram', () => {
  it('gives nearest-rank percentiles within a millisecond, and the exact max', () => {
    const h = new LatencyHistogram(1000);
    for (let i = 1; i <= 100; i++) h.add(i * 5 - 0.5); // 4.5, 9.5, ... 499.5
    expect(h.count).toBe(100);
    expect(h.percentile(50)).toBe(250); // the 50th value, 249.5, read as its bucket's upper edge
    expect(h.percentile(99)).toBe(495);
    expect(h.percentile(100)).toBe(499.5);
    expect(h.max_ms).toBe(499.5);
    expect(h.min_ms).toBe(4.5);
  });

  it('reads percentiles in the overflow as the max, and is NaN when empty', () => {
    const h = new LatencyHistogram(100);
    expect(h.percentile(99)).toBeNaN();
    for (let i = 0; i < 98; i++) h.add(10);
    h.add(5000);
    h.add(7000);
    expect(h.percentile(50)).toBe(10);
    expect(h.percentile(99)).toBe(7000);
    expect(h.percentile(98)).toBe(10);
  });

  it('puts a reading stamped after its arrival (clock granularity) in the first bucket', () => {
    const h = new LatencyHistogram(100);
    h.add(-2);
    h.add(0.4);
    expect(h.percentile(50)).toBeLessThanOrEqual(1);
    expect(h.percentile(100)).toBe(0.4);
    expect(h.min_ms).toBe(-2);
  });
});

describe('parseScenarios', () => {
  it('reads kilns (interval from the size) and kilns@seconds', () => {
    expect(parseScenarios('1000,10000')).toEqual([{ kilns: 1000, interval_s: 1 }, { kilns: 10000, interval_s: 10 }]);
    expect(parseScenarios(' 100@1 , 50@5')).toEqual([{ kilns: 100, interval_s: 1 }, { kilns: 50, interval_s: 5 }]);
  });

  it('refuses what is not a scenario', () => {
    for (const bad of ['x', '0', '100@0', '100@1@2', '30000', '100@1.5']) expect(() => parseScenarios(bad)).toThrow(/FLEET_SCENARIOS/);
  });
});

describe('watchLiveStream', () => {
  it('splits each kiln event\'s publish → SSE time where the service took the message (received_at_ms)', async () => {
    const now = Date.now();
    const view = (kiln: string, newest: number, received: number) => JSON.stringify({ workshop: 'w', kiln, newest_reading_ms: newest, received_at_ms: received, firing: null });
    const text = [
      `id: 1\nevent: snapshot\ndata: ${JSON.stringify({ kilns: [] })}\n\n`,
      `id: 2\nevent: kiln\ndata: ${view('a', now - 3000, now - 1000)}\n\n`, // 2 s to the service, ~1 s on to the reader
      `id: 3\nevent: kiln\ndata: ${view('b', now - 500, now - 400)}\n\n`,
    ].join('');
    // Sent a moment later, once from() has been set, as the service's events come after the bench's start.
    const body = new ReadableStream<Uint8Array>({ start(c) { setTimeout(() => { c.enqueue(new TextEncoder().encode(text)); c.close(); }, 20); } });
    const sse = await watchLiveStream(async () => new Response(body), 0);
    sse.from(now - 10_000);
    await new Promise((r) => setTimeout(r, 50));
    await sse.close();
    expect(sse.events()).toBe(2);
    expect(sse.toService.max_ms).toBe(2000);
    expect(sse.toService.percentile(50)).toBeCloseTo(100, -1);
    expect(sse.toReader.max_ms).toBeGreaterThanOrEqual(1000);
    expect(sse.toReader.max_ms).toBeLessThan(1500);
    expect(sse.all.max_ms).toBeGreaterThanOrEqual(3000); // the two parts add up to the whole
  });
});
