// The overview's usual gas at fleet size: the running firings come from the live state without
// building every kiln's view, and the firing index is read in batches of kilns, one after the
// other, once per kiln and firing while cached (the index store's query itself is checked against
// InfluxDB in tests/integration/overview-extras.test.ts).
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../simulator/fleet.ts';
import { FIRINGS } from '../../simulator/model/presets.ts';
import { stepFleet } from '../../simulator/model/sim.ts';
import { decodeMessage } from '../../src/domain/decode.ts';
import { topicFor } from '../../src/wire/topics.ts';
import { LiveState } from '../../src/live/live-state.ts';
import { BATCH_KILNS, UsualGasSource, type UsualAsk } from '../../src/firings/usual-gas.ts';
import type { FiringIndexStore, IndexedFiring } from '../../src/firings/index-store.ts';
import type { KilnRef } from '../../src/firings/service.ts';
import { recordOf } from '../../src/domain/firing/fold.ts';
import type { FiringSummary } from '../../src/domain/report/index.ts';

const H = 3_600_000;

describe('LiveState.running', () => {
  it('lists exactly the firings the kilns\' views show, in their order, filtered by workshop', () => {
    const state = new LiveState();
    const start_ms = Date.UTC(2026, 0, 5, 6);
    const firings = Object.keys(FIRINGS);
    for (const ws of ['wa', 'wb']) {
      // Kiln 0 starts at once, kiln 1 after 3 h, kiln 2 never within the run: some firing, some not.
      const kilns = [0, 3, 50].map((start_h, j) => ({ preset: 'k18', firing: firings[j % firings.length], start_h }));
      const { fleet } = buildFleet({ kilns: 3, seed: 7, sim_start_ms: start_ms, interval_s: 60, cool_until_c: 200, stagger_min: 0, gas: ['flow'], config: { kilns } });
      for (let t = start_ms; t < start_ms + 2 * H; t += 60_000) {
        stepFleet(fleet, 60, (i, out) => {
          if (out.kind !== 'telemetry' && out.kind !== 'event') return;
          const d = decodeMessage(topicFor(ws, fleet[i]!.id, out.kind), out.payload, out.payload.length, t + 60_000, { max_payload_bytes: 1 << 20, max_future_ms: 60_000, max_past_ms: 1e12 });
          if (d.points.length) state.apply(d.points);
        });
      }
    }
    const fromViews = (sees?: (w: string) => boolean) => state.views().filter((v) => v.firing !== null && (!sees || sees(v.workshop)))
      .map((v) => ({ workshop: v.workshop, kiln: v.kiln, firing_id: v.firing!.id, schedule_name: v.firing!.schedule_name }));
    expect(fromViews().length).toBeGreaterThan(0);
    expect(fromViews().length).toBeLessThan(state.views().length);
    expect(state.running()).toEqual(fromViews());
    const onlyB = (w: string) => w === 'wb';
    expect(state.running(onlyB)).toEqual(fromViews(onlyB));
  });
});

/** The index store's batched read, over firings held here, counting its calls. */
function indexOf(firings: Map<string, IndexedFiring[]>) {
  const calls: number[] = [];
  let open = 0, most_open = 0;
  const index = {
    async listMany(ks: readonly KilnRef[]): Promise<Map<string, IndexedFiring[]>> {
      calls.push(ks.length);
      most_open = Math.max(most_open, ++open);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      return new Map(ks.flatMap((k) => { const l = firings.get(`${k.workshop}/${k.kiln}`); return l ? [[`${k.workshop}/${k.kiln}`, l] as const] : []; }));
    },
  } as unknown as FiringIndexStore;
  return { index, calls, mostOpen: () => most_open };
}

const closed = (id: string, start_ms: number, fuel_kg: number, schedule_name: string): IndexedFiring => ({
  record: recordOf({ id, by: 'controller', start_ms, end_ms: start_ms + 20 * H, reason: 'complete', target_c: 1000, peak_c: 1000, peak_ms: null, last100_rate_c_h: null, cone: null, stages: [], gaps: [] }),
  summary: { fuel: { fuel_kg } } as unknown as FiringSummary, schedule_name, prices_key: '', computed_at_ms: 0,
});

describe('UsualGasSource.ofMany', () => {
  const N = 2 * BATCH_KILNS + 50;
  const now_ms = Date.UTC(2026, 5, 1);
  const asks: UsualAsk[] = Array.from({ length: N }, (_, i) => ({ workshop: `w${i % 7}`, kiln: `k${i}`, firing_id: `run-${i}`, schedule_name: 'bisque' }));
  // Kiln i has i % 4 finished firings of fuel 40, 50, 60 (every fourth none).
  const firings = new Map(asks.map((a, i) => [`${a.workshop}/${a.kiln}`, [40, 50, 60].slice(0, i % 4).map((kg, j) => closed(`${a.kiln}-${j}`, now_ms - (j + 1) * 72 * H, kg, 'bisque'))]));

  it('reads the index once per batch of kilns, one batch at a time, and gives each kiln its own usual gas', async () => {
    const { index, calls, mostOpen } = indexOf(firings);
    let now = now_ms;
    const src = new UsualGasSource(index, () => now);
    const got = await src.ofMany(asks);
    expect(calls).toEqual([BATCH_KILNS, BATCH_KILNS, 50]);
    expect(mostOpen()).toBe(1);
    // The same figures as one kiln at a time.
    got.forEach((u, i) => expect(u).toEqual({ fuel_kg: [null, 40, 40, 50][i % 4], of_n: i % 4, reason: expect.any(String) }));
    // Cached: no read within the few minutes; a new firing of one kiln is one read of one kiln.
    await src.ofMany(asks);
    expect(calls.length).toBe(3);
    await src.ofMany([...asks.slice(1), { ...asks[0]!, firing_id: 'next' }]);
    expect(calls).toEqual([BATCH_KILNS, BATCH_KILNS, 50, 1]);
    // Expired: read again, in batches.
    now += 6 * 60_000;
    await src.ofMany(asks);
    expect(calls.length).toBe(7);
  });

  it('does not read a kiln again while another request is reading it', async () => {
    const { index, calls } = indexOf(firings);
    const src = new UsualGasSource(index, () => now_ms);
    const [a, b] = await Promise.all([src.ofMany(asks), src.ofMany(asks.slice(0, 10))]);
    expect(calls).toEqual([BATCH_KILNS, BATCH_KILNS, 50]);
    expect(b).toEqual(a.slice(0, 10));
    expect((await src.ofMany([asks[1]!]))[0]).toEqual(a[1]);
  });

  it('fails the answer when a batch cannot be read, keeps nothing of it, and reads it again next time', async () => {
    const { index, calls } = indexOf(firings);
    let down = true;
    const flaky = { listMany: (ks: readonly KilnRef[], from: number, to: number) => (down ? Promise.reject(new Error('InfluxDB down')) : index.listMany(ks, from, to)) } as unknown as FiringIndexStore;
    const src = new UsualGasSource(flaky, () => now_ms);
    await expect(src.ofMany(asks)).rejects.toThrow('InfluxDB down');
    down = false;
    const got = await src.ofMany(asks);
    // Every kiln read once since (the failed request's later batches may have gone on meanwhile).
    expect(calls.reduce((a, b) => a + b, 0)).toBe(N);
    got.forEach((u, i) => expect(u.of_n).toBe(i % 4));
  });
});
