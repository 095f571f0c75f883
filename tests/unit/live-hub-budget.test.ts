// The live view never takes the CPU that storing readings needs: past max_points_per_s, points
// are left out of the live view only, and counted.
import { describe, expect, it, vi } from 'vitest';
import { LiveHub } from '../../src/live/hub.ts';
import type { Point } from '../../src/domain/point.ts';

const pts = (n: number, ts_ms: number, kiln = 'k'): Point[] => Array.from({ length: n }, (_, i) => ({
  measurement: 'temperature', tags: { workshop: 'w', kiln, channel: `z${i}` }, fields: { temp_c: 100, seq: 1 }, ts_ms,
}));

describe('LiveHub budget', () => {
  it('skips and counts points beyond max_points_per_s, and takes them again a second later', () => {
    let now = 1_000_000;
    const hub = new LiveHub({ max_points_per_s: 10 }, undefined, () => now);
    hub.offer(pts(6, now)); // 10 tokens → 4 left
    hub.offer(pts(6, now)); // 4 < 6: skipped
    expect(hub.dropped_points).toBe(6);
    now += 1000; // refilled to 10 (capped at one second's worth)
    hub.offer(pts(6, now));
    expect(hub.dropped_points).toBe(6);
    expect(hub.snapshot().skipped_readings).toBe(6);
    hub.close();
  });

  it('re-reads a kiln whose readings it skipped, once the spool has stored them and the burst is over, and shows it incomplete until then', async () => {
    let now = 1_000_000;
    const hub = new LiveHub({ max_points_per_s: 10, maintenance_ms: 10 }, undefined, () => now);
    let stored = false;
    const reads: string[] = [];
    const all = [pts(6, now), pts(6, now + 1000)];
    hub.startMaintenance({
      read: async function* (k) { reads.push(`${k.workshop}/${k.kiln}`); yield all[0]!; yield all[1]!; },
      appendedPosition: () => ({ segment: 1, offset: 100 }),
      isStored: () => stored,
      warn: () => undefined,
    });
    hub.offer(all[0]!);
    hub.offer(all[1]!); // over budget: skipped
    await new Promise((r) => setTimeout(r, 30));
    expect(hub.state.view('w/k')?.complete).toBe(false);
    expect(reads).toEqual([]); // not before the spool has written what was skipped
    expect(hub.rebuildsWaiting()).toBe(1); // /metrics: kiln_live_rebuilds_waiting
    stored = true;
    await new Promise((r) => setTimeout(r, 30));
    expect(reads).toEqual([]); // nor while the burst may go on (nothing skipped for rebuild_quiet_ms)
    now += 10_000;
    // The maintenance timer's next turns re-read it (on a busy machine they may come late).
    await vi.waitFor(() => expect(hub.state.view('w/k')?.complete).toBe(true), { timeout: 5000, interval: 10 });
    expect(reads).toEqual(['w/k']);
    const v = hub.state.view('w/k')!;
    expect(v.newest_reading_ms).toBe(1_001_000);
    expect(hub.snapshot().rebuilt_kilns).toBe(1);
    expect(hub.rebuildsWaiting()).toBe(0);
    hub.close();
  });

  it('re-reads the kilns it skipped one after another, not one per maintenance tick', async () => {
    let now = 1_000_000;
    const tick_ms = 1000;
    const hub = new LiveHub({ max_points_per_s: 10, maintenance_ms: tick_ms }, undefined, () => now);
    const reads: string[] = [];
    hub.startMaintenance({
      read: async function* (k) { reads.push(k.kiln); yield pts(1, now - 5000, k.kiln); },
      appendedPosition: () => ({ segment: 1, offset: 100 }),
      isStored: () => true,
      warn: () => undefined,
    });
    const kilns = ['k1', 'k2', 'k3', 'k4', 'k5'];
    hub.offer(pts(10, now, 'k0')); // takes the second's budget
    for (const k of kilns) hub.offer(pts(2, now, k)); // over it: skipped
    now += 10_000; // the burst is over
    await new Promise((r) => setTimeout(r, tick_ms * 1.6)); // one maintenance tick
    expect(reads.sort()).toEqual(kilns);
    for (const k of kilns) expect(hub.state.view(`w/${k}`)?.complete).toBe(true);
    hub.close();
  });

  it('keeps the points folded while a kiln is re-read, and applies them on top of what was read', async () => {
    const t0 = 1_000_000;
    const hub = new LiveHub({ maintenance_ms: 10_000 }, undefined, () => t0 + 20_000);
    let release = () => {};
    const readStarted = new Promise<void>((started) => {
      hub.startMaintenance({
        read: async function* () {
          started();
          await new Promise<void>((r) => { release = r; });
          yield pts(2, t0); // what InfluxDB had
        },
        appendedPosition: () => ({ segment: 1, offset: 0 }),
        isStored: () => true,
        warn: () => undefined,
      });
    });
    const rebuilt = hub.rebuild({ workshop: 'w', kiln: 'k' });
    await readStarted;
    hub.offer(pts(2, t0 + 5_000)); // arrives while the read is under way
    release();
    await rebuilt;
    expect(hub.state.view('w/k')?.newest_reading_ms).toBe(t0 + 5_000);
    hub.close();
  });

  it('a kiln whose re-read failed is read again at a later tick, and the failure said', async () => {
    let now = 1_000_000;
    const hub = new LiveHub({ max_points_per_s: 10, maintenance_ms: 10, rebuild_quiet_ms: 0 }, undefined, () => now);
    let reads = 0;
    const warnings: string[] = [];
    hub.startMaintenance({
      read: async function* () {
        if (++reads === 1) throw new Error('InfluxDB 127.0.0.1:8086: ECONNREFUSED');
        yield pts(6, now - 1000);
      },
      appendedPosition: () => ({ segment: 1, offset: 0 }),
      isStored: () => true,
      warn: (m) => warnings.push(m),
    });
    hub.offer(pts(10, now));
    hub.offer(pts(6, now + 1)); // over the budget: skipped
    now += 1000;
    await vi.waitFor(() => expect(hub.state.view('w/k')?.complete).toBe(true), { timeout: 5000, interval: 10 });
    expect(reads).toBe(2);
    expect(warnings).toEqual([expect.stringMatching(/could not rebuild w\/k from InfluxDB \(InfluxDB 127.0.0.1:8086: ECONNREFUSED\); will try again/)]);
    expect(hub.rebuildsWaiting()).toBe(0);
    hub.close();
  });
});
