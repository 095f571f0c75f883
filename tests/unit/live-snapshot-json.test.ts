// GET /api/live and /api/live/spark hold every kiln: the hub makes them as streams of JSON text a
// slice of kilns per turn of the event loop (slices.ts jsonArrayStream; the SSE snapshot event
// with jsonArraySliced), so an overview opening neither holds the loop nor makes one string for
// the whole body. The JSON must be what the objects would have been.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveHub } from '../../src/live/hub.ts';
import { jsonArraySliced, jsonArrayStream } from '../../src/slices.ts';
import type { Readable } from 'node:stream';
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

/** A stream's text, and how many chunks it came in. */
async function read(r: Readable): Promise<{ text: string; chunks: number }> {
  let text = '', chunks = 0;
  for await (const c of r) { text += String(c); chunks++; }
  return { text, chunks };
}

let hub: LiveHub | null = null;
afterEach(() => { hub?.close(); hub = null; });

describe('the bodies of every kiln, as sliced and streamed JSON', () => {
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

  it('jsonArrayStream gives the same JSON inside its head and tail, a chunk per slice, the loop turning between them', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `k${i}`);
    const item = (k: string) => (k.endsWith('7') ? null : { k, n: Number(k.slice(1)) / 3, s: 'côn 6' });
    const c = turnCounter();
    const { text, chunks } = await read(jsonArrayStream('{"a":1,"kilns":', keys, item, '}', 100));
    c.stop();
    expect(text).toBe(JSON.stringify({ a: 1, kilns: keys.map(item).filter((x) => x !== null) }));
    expect(chunks).toBe(5); // head, 3 slices, tail
    expect(c.turns()).toBeGreaterThanOrEqual(2);
    expect((await read(jsonArrayStream('{"kilns":', [], item, '}'))).text).toBe('{"kilns":[]}');
    expect((await read(jsonArrayStream('{"kilns":', ['k7', 'k17'], item, '}'))).text).toBe('{"kilns":[]}'); // every item left out
  });

  it('jsonArrayStream makes a chunk only when the reader takes one: a reader that stops stops the making', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}`);
    let made = 0;
    const s = jsonArrayStream('{"kilns":', keys, (k) => { made++; return { k, pad: 'x'.repeat(2000) }; }, '}', 100);
    const first = await new Promise<Buffer>((resolve) => s.once('data', resolve));
    s.pause();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(first.length).toBeGreaterThan(0);
    expect(made).toBeLessThan(1000); // a paused reader holds a chunk or two (the stream's buffer), not the body
    s.destroy();
    const at = made;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(made).toBe(at);
  });

  it("snapshotJson and snapshotStream are the snapshot (of the workshops a caller sees), last_event_id taken before the kilns; sparksStream the sparklines", async () => {
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
    expect(JSON.parse((await read(hub.snapshotStream())).text)).toEqual(JSON.parse(JSON.stringify(now)));
    expect(JSON.parse((await read(hub.snapshotStream(sees))).text)).toEqual(mine);

    const state = hub.state;
    const sparks = state.keys().map((k) => state.spark(k));
    expect(sparks).toHaveLength(250);
    expect(JSON.parse((await read(hub.sparksStream())).text)).toEqual(JSON.parse(JSON.stringify({ kilns: sparks })));
    const mySparks = JSON.parse((await read(hub.sparksStream(sees))).text) as { kilns: { workshop: string }[] };
    expect(mySparks.kilns.length).toBe(now.kilns.filter((v) => v.workshop === 'w1').length);
    expect(mySparks.kilns.every((x) => x.workshop === 'w1')).toBe(true);
  });
});
