// GET /api/live and /api/live/spark hold every kiln: the hub builds them as JSON a slice of kilns
// per turn of the event loop (slices.ts jsonArraySliced), so an overview opening does not hold
// the loop for the whole body. The JSON must be what the objects would have been.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveHub } from '../../src/live/hub.ts';
import { jsonArraySliced } from '../../src/slices.ts';
import type { Point } from '../../src/domain/point.ts';

const T0 = Date.UTC(2026, 0, 5, 8);
const message = (workshop: string, kiln: string, t: number): Point[] => [
  { measurement: 'temperature', tags: { workshop, kiln, channel: 'top' }, fields: { temp_c: 600 + t }, ts_ms: T0 + t * 1000 },
  { measurement: 'gas_flow', tags: { workshop, kiln, channel: 'main' }, fields: { flow_kg_h: 5 }, ts_ms: T0 + t * 1000 },
];

/** Count turns of the event loop until stopped. */
function turnCounter(): { turns: () => number; stop: () => void } {
  let n = 0, on = true;
  const spin = () => { if (on) { n++; setImmediate(spin); } };
  setImmediate(spin);
  return { turns: () => n, stop: () => { on = false; } };
}

let hub: LiveHub | null = null;
afterEach(() => { hub?.close(); hub = null; });

describe('the bodies of every kiln, as sliced JSON', () => {
  it('jsonArraySliced gives JSON.stringify of the items it keeps, letting the loop turn between slices', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `k${i}`);
    const item = (k: string) => (k.endsWith('7') ? null : { k, n: Number(k.slice(1)) / 3, s: 'côn 6' });
    const c = turnCounter();
    const json = await jsonArraySliced(keys, item, 100);
    c.stop();
    expect(json).toBe(JSON.stringify(keys.map(item).filter((x) => x !== null)));
    expect(c.turns()).toBeGreaterThanOrEqual(2); // 3 slices: the loop turned between them
    expect(await jsonArraySliced([], item)).toBe('[]');
  });

  it("snapshotJson is the snapshot (of the workshops a caller sees), its last_event_id taken before the kilns; sparksJson the sparklines", async () => {
    hub = new LiveHub({ max_points_per_s: 1e9 });
    for (let t = 0; t < 3; t++) for (let k = 0; k < 250; k++) hub.offer(message(`w${k % 3}`, `k${k}`, t));
    const c = turnCounter();
    const json = JSON.parse(await hub.snapshotJson()) as ReturnType<LiveHub['snapshot']>;
    c.stop();
    expect(c.turns()).toBeGreaterThanOrEqual(2);
    const now = hub.snapshot();
    expect(json.kilns).toHaveLength(250);
    expect(json.kilns).toEqual(JSON.parse(JSON.stringify(now.kilns)));
    expect(json.last_event_id).toBeLessThanOrEqual(now.last_event_id); // events sent meanwhile come after it
    expect({ ...json, kilns: [], last_event_id: 0 }).toEqual({ ...now, kilns: [], last_event_id: 0 });

    const sees = (w: string) => w === 'w1';
    const mine = JSON.parse(await hub.snapshotJson(sees)) as ReturnType<LiveHub['snapshot']>;
    expect(mine.kilns.map((v) => v.kiln)).toEqual(now.kilns.filter((v) => v.workshop === 'w1').map((v) => v.kiln));

    const state = hub.state;
    const sparks = state.keys().map((k) => state.spark(k));
    expect(sparks).toHaveLength(250);
    expect(JSON.parse(await hub.sparksJson())).toEqual(JSON.parse(JSON.stringify({ kilns: sparks })));
    expect((JSON.parse(await hub.sparksJson(sees)) as { kilns: { workshop: string }[] }).kilns.every((x) => x.workshop === 'w1')).toBe(true);
  });
});
