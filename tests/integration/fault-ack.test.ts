// A technician injects a fault the way docs/simulator.md shows (mosquitto_pub on the kiln's
// .../sim/fault topic): the simulator takes it and says so on the kiln's status topic, the service
// relays it to the kiln's live view, and the SSE stream carries "fault injected" within seconds,
// long before any alert could rise. The raw values per channel show the dropped thermocouple's
// age growing while the other zone keeps reading.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSession, type Session } from '../../simulator/session.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { openSse } from '../support/sse.ts';
import type { KilnLiveView } from '../../src/live/live-state.ts';
import { startTestMosquitto, type TestMosquitto } from '../support/mosquitto.ts';

const WS = 'ws-fack';
const run = promisify(execFile);

describe.each(['embedded', 'mosquitto'] as const)('fault command → simulator → status topic (%s broker) → service → live stream', (mode) => {
  let svc: InProcess;
  let mosq: TestMosquitto | undefined;
  let sim: Session;
  let base = '';
  let port = '';

  beforeAll(async () => {
    const db = uniqueDb(`fack_${mode}`);
    const env: Record<string, string> = { INFLUX_DATABASE: db };
    if (mode === 'mosquitto') {
      mosq = await startTestMosquitto();
      Object.assign(env, { MQTT_URL: mosq.url, MQTT_CLIENT_ID: `ingest-${db}` });
    }
    svc = await startInProcess(env, inject('influxUrl'));
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = svc.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    port = new URL(svc.mqttUrl).port;
    // One kiln firing for a few minutes, caught up fast, then reading every second in real time.
    sim = await startSession({
      url: svc.mqttUrl, workshop: WS, kilns: 1, seed: 5, speed: 100, qos: 1, catch_up: true,
      sim_start_ms: Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000, interval_s: 1, cool_until_c: 150, stagger_min: 0,
      kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    await waitFor(() => sim.runner.simNowMs() >= Date.now() - 3000, 30_000, 'simulator caught up');
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    await svc?.stop();
    await mosq?.stop();
  });

  it('says "fault injected" on the stream within seconds of mosquitto_pub; the open zone\'s raw value stops while the other reads on', async () => {
    const kiln = sim.fleet[0]!.id;
    const key = `${WS}/${kiln}`;
    const sse = await openSse(`${base}/api/live/stream`, { authorization: `Bearer ${svc.adminToken}` });
    try {
      const viewOf = (): KilnLiveView | null => {
        for (let i = sse.events.length - 1; i >= 0; i--) {
          const e = sse.events[i]!;
          if (e.event === 'kiln' && `${(e.data as KilnLiveView).workshop}/${(e.data as KilnLiveView).kiln}` === key) return e.data as KilnLiveView;
          if (e.event === 'snapshot') return (e.data as { kilns: KilnLiveView[] }).kilns.find((k) => `${k.workshop}/${k.kiln}` === key) ?? null;
        }
        return null;
      };
      await waitFor(() => Object.keys(viewOf()?.channels ?? {}).includes('temperature/top'), 10_000, 'raw channels on the stream');
      const before = viewOf()!;
      expect(before.fault_ack).toBeNull();
      expect(Object.keys(before.channels)).toEqual(expect.arrayContaining(['temperature/top', 'temperature/bottom']));
      expect(Object.keys(before.channels).some((k) => k.startsWith('gas_flow/'))).toBe(true);

      const t0 = performance.now();
      await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-q', '1', '-t', `kiln/v1/${WS}/${kiln}/sim/fault`, '-m', '{"type":"tc_open","zone":"top"}'], { timeout: 10_000 });
      await waitFor(() => (viewOf()?.fault_ack ?? null) !== null, 10_000, 'fault acknowledged on the stream')
        .catch(async (err: unknown) => { console.log(JSON.stringify(sim.link?.stats()), (await svc.app.inject({ method: 'GET', url: '/api/ingest/rejects' })).body); throw err; });
      const fault = viewOf()!.fault_ack!;
      const ms = performance.now() - t0;
      console.log(`fault ack (${mode}): mosquitto_pub → simulator → status → service → SSE in ${ms.toFixed(0)} ms`);
      expect(fault).toMatchObject({ type: 'tc_open', zone: 'top', of: null });
      expect(ms).toBeLessThan(5000);
      // Retained: a late subscriber (a page opened now) reads it from GET /api/live as well.
      const snap = (await svc.app.inject({ method: 'GET', url: '/api/live' })).json<{ kilns: KilnLiveView[] }>();
      expect(snap.kilns.find((k) => k.kiln === kiln)?.fault_ack).toMatchObject({ type: 'tc_open', zone: 'top' });

      // The open zone sends nothing more; the other goes on, so the top's age grows past the bottom's.
      const topAt = fault.ts_ms;
      await waitFor(() => { const v = viewOf(); return v !== null && v.channels['temperature/bottom']!.ts_ms >= topAt + 3000; }, 15_000, 'bottom reads on');
      const after = viewOf()!;
      expect(after.channels['temperature/top']!.ts_ms).toBeLessThanOrEqual(topAt + 1000);
      expect(after.channels['temperature/top']!.field).toBe('temp_c');
    } finally {
      await sse.close();
    }
  }, 60_000);
});
