// The alert service judges every kiln's silence and clock once a second by its own clock. With
// thousands of kilns that tick is cut into slices of kilns, a turn of the event loop between
// them (at 10,000 kilns a whole tick held the loop ~80 ms a second): every kiln is still judged
// at the tick's time, once. A real InfluxDB stores the raises.
import { describe, expect, inject, it } from 'vitest';
import { uniqueDb, quietLog } from '../support/influx.ts';
import { decodeMessage } from '../../src/domain/decode.ts';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { RecordStore } from '../../src/records/store.ts';
import { AlertStore } from '../../src/alerts/store.ts';
import { AlertService } from '../../src/alerts/service.ts';
import { DEFAULT_WEBHOOK_OPTIONS, WebhookSender } from '../../src/alerts/webhooks.ts';

const KILNS = 2500;
const STEP_MS = 10_000;
const limits = { max_payload_bytes: 262_144, max_future_ms: 300_000, max_past_ms: 30 * 86_400_000 };

describe('alert tick over many kilns', () => {
  it('raises sensor_silent for each of 2,500 silent firing kilns once, over several turns of the event loop; one kiln that fails costs neither the others nor the next ticks', async () => {
    const db = uniqueDb('alert_tick');
    const influx = new InfluxStore({ url: inject('influxUrl'), database: db, retention: 'INF', timeout_ms: 10_000 });
    await influx.ensureDatabase();
    const clock = { ms: Date.now() };
    // Asked for each firing kiln at each tick: K7's answer throws.
    const offlineSince = (key: string): number | null => { if (key === 'ws0/K7') throw new Error('broken status'); return null; };
    const alerts = new AlertService(new AlertStore(influx, new RecordStore(influx)), () => null, new WebhookSender({ ...DEFAULT_WEBHOOK_OPTIONS, urls: [], max_attempts: 1 }, quietLog), offlineSince, quietLog, { tick_ms: 200 }, () => clock.ms);
    const t0 = clock.ms - 20 * STEP_MS;
    const feed = (topic: string, body: object) => {
      const payload = JSON.stringify(body);
      alerts.offer(decodeMessage(topic, payload, payload.length, clock.ms, limits).points);
    };
    for (let i = 0; i < KILNS; i++) {
      const kiln = `K${i}`;
      feed(`kiln/v1/ws${Math.floor(i / 20)}/${kiln}/event`, { v: 1, ts_ms: t0, seq: 0, type: 'firing_start', firing_id: `${kiln}-F1` });
      for (let step = 1; step <= 20; step++) {
        feed(`kiln/v1/ws${Math.floor(i / 20)}/${kiln}/telemetry`, { v: 1, ts_ms: t0 + step * STEP_MS, seq: step, temp_c: { z0: 100 + step * 2 }, gas: { burner: { kind: 'flow', flow_kg_h: 2.5 } } });
      }
    }
    await alerts.start();
    const silent = () => alerts.active().filter((a) => a.kind === 'sensor_silent').length;
    await new Promise((r) => setTimeout(r, 500));
    expect(silent()).toBe(0); // every kiln was heard just now

    clock.ms += 130_000; // 130 s of silence by the service clock (silent_after_s 120)
    // Watch the count between turns of the event loop while the next tick runs.
    const seen = new Set<number>();
    for (const until = Date.now() + 10_000; silent() < KILNS - 1 && Date.now() < until;) {
      await new Promise((r) => setImmediate(r));
      seen.add(silent());
    }
    expect([...seen].some((n) => n > 0 && n < KILNS - 1)).toBe(true); // part of the kilns judged, then the rest
    const errors = alerts.errors;
    await new Promise((r) => setTimeout(r, 600)); // more ticks: nothing raised twice
    expect(alerts.errors).toBeGreaterThan(errors); // K7 failed again: the ticks go on
    const raised = alerts.active().filter((a) => a.kind === 'sensor_silent');
    expect(raised).toHaveLength(KILNS - 1);
    expect(new Set(raised.map((a) => a.kiln)).size).toBe(KILNS - 1);
    expect(raised.some((a) => a.kiln === 'K7')).toBe(false);
    expect(raised.every((a) => a.raised_at_ms === t0 + 20 * STEP_MS)).toBe(true); // dated by the kiln's last reading
    await alerts.close();
  }, 60_000);
});
