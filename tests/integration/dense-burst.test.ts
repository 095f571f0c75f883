// Dense readings and long folds against the real service process, its embedded broker and a real
// InfluxDB: an outbox replay of 1,000-reading messages 1 ms apart is stored whole and the live
// view is whole again afterwards; a restart on a kiln-day of history restores the live view, and
// SIGTERM during that restore is handled promptly. (Stall figures are the benchmark's,
// npm run bench:stall; here only that health keeps answering, with a generous bound.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDevice } from '../support/device.ts';
import { influxClient, countPoints, uniqueDb, waitFor } from '../support/influx.ts';
import { freePort } from '../support/ports.ts';
import { startChild, type ChildService } from '../support/service.ts';
import { writeSyntheticFiring } from '../support/synthetic-firing.ts';
import { InfluxStore } from '../../src/adapters/influx/store.ts';
import { FiringIndexStore } from '../../src/firings/index-store.ts';
import { RecordStore } from '../../src/records/store.ts';
import { initialState } from '../../src/domain/firing/index.ts';
import type { LiveSnapshot } from '../../src/live/hub.ts';

const H = 3_600_000;
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'kiln-dense-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function liveOf(svc: ChildService): Promise<LiveSnapshot> {
  return (await svc.fetch('/api/live')).json() as Promise<LiveSnapshot>;
}

/** SIGTERM; resolves with the ms until the process exited and its exit code. */
async function sigterm(svc: ChildService): Promise<{ ms: number; code: number | null }> {
  const t = Date.now();
  const code = await svc.stop();
  return { ms: Date.now() - t, code };
}

describe('dense readings and long folds', () => {
  it('50 messages × 1,000 readings 1 ms apart: all stored, the live view whole again, health answering meanwhile; a restart on that dense history restores it', async () => {
    const db = uniqueDb('dense');
    const mqttPort = await freePort();
    // The firing index every 2 s (not 30), so that the restart below need not wait long for it.
    const env = { INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: db, DATA_DIR: tmp(), MQTT_EMBEDDED_HOST: '127.0.0.1', LOG_LEVEL: 'warn', FIRING_INDEX_INTERVAL_S: '2' };
    const svc = startChild({ ...env, MQTT_EMBEDDED_PORT: String(mqttPort) }, await freePort());
    try {
      await svc.waitReady();
      const device = await connectDevice(`mqtt://127.0.0.1:${mqttPort}`, `dense-${process.pid}`);
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 20 * 60_000;
      const MESSAGES = 50, PER = 1000;
      let healthFailures = 0;
      let polling = true;
      const polls = (async () => {
        while (polling) {
          // Generous: before slicing, health went unanswered for ~30 s during such a burst.
          await fetch(`${svc.httpUrl}/api/health`, { signal: AbortSignal.timeout(15_000) }).then((r) => r.arrayBuffer(), () => { healthFailures++; });
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      for (let m = 0; m < MESSAGES; m++) {
        const readings = Array.from({ length: PER }, (_, i) => ({
          ts_ms: t0 + m * PER + i, seq: m * PER + i, temp_c: { z1: 600 + i / 100, z2: 590 + i / 100, z3: 580, z4: 570 }, gas: { g1: { kind: 'flow', flow_kg_h: 6 } },
        }));
        await device.client.publishAsync('kiln/v1/ws-dense/k1/telemetry', JSON.stringify({ v: 1, device: 'outbox', readings }), { qos: 1 });
      }
      const influx = influxClient(inject('influxUrl'), db);
      await waitFor(async () => (await countPoints(influx, 'temperature', 'temp_c')) === MESSAGES * PER * 4, 120_000, 'every temperature stored');
      expect(await countPoints(influx, 'gas_flow', 'flow_kg_h')).toBe(MESSAGES * PER);
      const last = t0 + MESSAGES * PER - 1;
      await waitFor(async () => {
        const k = (await liveOf(svc)).kilns.find((x) => x.kiln === 'k1');
        return k !== undefined && k.complete && k.newest_reading_ms === last;
      }, 120_000, 'the live view whole again');
      polling = false;
      await polls;
      expect(healthFailures).toBe(0);
      // Once the firing index has folded the burst, a restart on this dense history restores it.
      const store = new InfluxStore({ url: inject('influxUrl'), database: db, retention: 'INF', timeout_ms: 30_000 });
      await waitFor(async () => ((await new FiringIndexStore(store, new RecordStore(store)).checkpoint({ workshop: 'ws-dense', kiln: 'k1' }).catch(() => null))?.until_ms ?? 0) > last, 180_000, 'the burst indexed');
      store.close();
      await device.client.endAsync();
      const stop = await sigterm(svc);
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(15_000);
      const again = startChild({ ...env, MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort());
      try {
        await again.waitReady();
        await waitFor(async () => {
          const s = await liveOf(again);
          const k = s.kilns.find((x) => x.kiln === 'k1');
          return s.rebuilt_kilns >= 1 && k !== undefined && k.complete && k.newest_reading_ms === last;
        }, 180_000, 'the live view restored from the dense history');
        const restarted = await sigterm(again);
        expect(restarted.code).toBe(0);
        expect(restarted.ms).toBeLessThan(15_000);
      } finally {
        await again.stop();
      }
    } finally {
      await svc.stop();
    }
  }, 420_000);

  it('a restart on a kiln-day of 1 Hz history restores the live view; SIGTERM during the restore is handled within 15 s', async () => {
    const db = uniqueDb('dense_restart');
    const workshop = 'ws-restart', kiln = 'k1';
    const start_ms = Math.floor(Date.now() / 1000) * 1000 - 24 * H;
    await fetch(`${inject('influxUrl')}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
    const written = await writeSyntheticFiring(inject('influxUrl'), db, { workshop, kiln, firing_id: 'F-day', start_ms, duration_h: 24, interval_s: 1, zones: 4 });
    // The index checkpoint an indexer would have left: a firing open since the start, so a
    // restart re-reads the whole day for the live view.
    const store = new InfluxStore({ url: inject('influxUrl'), database: db, retention: 'INF', timeout_ms: 30_000 });
    const firing = { id: 'F-day', start_ms, by: 'controller' as const, target_c: 1250, peak_c: 1250, peak_ms: start_ms, climb: [], atmosphere: null, cooling_since_ms: null, stop: null, stage: 'cooling' as const, stage_since_ms: start_ms, candidate: null };
    await new FiringIndexStore(store, new RecordStore(store)).saveCheckpoint({ workshop, kiln }, { until_ms: written.end_ms, since_ms: start_ms, state: { ...initialState(), firing }, open_events: [] });
    store.close();
    const env = { INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: db, MQTT_EMBEDDED_HOST: '127.0.0.1', LOG_LEVEL: 'warn' };

    const first = startChild({ ...env, DATA_DIR: tmp(), MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort());
    try {
      await first.waitReady();
      await waitFor(async () => {
        const s = await liveOf(first);
        const k = s.kilns.find((x) => x.kiln === kiln);
        return s.rebuilt_kilns >= 1 && k !== undefined && k.complete && k.newest_reading_ms === written.end_ms;
      }, 180_000, 'the live view restored');
      const k = (await liveOf(first)).kilns.find((x) => x.kiln === kiln)!;
      expect(k.points_seen).toBeGreaterThanOrEqual(written.lines - 10); // the whole day was folded
    } finally {
      await first.stop();
    }

    const second = startChild({ ...env, DATA_DIR: tmp(), MQTT_EMBEDDED_PORT: String(await freePort()) }, await freePort());
    try {
      await second.waitReady(); // the restore starts with the service: SIGTERM lands in it (or just after)
      const stop = await sigterm(second);
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(15_000);
    } finally {
      await second.stop();
    }
  }, 300_000);
});
