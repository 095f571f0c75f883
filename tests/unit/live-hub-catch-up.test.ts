// A client catching up with many kilns (a snapshot, or what changed while it was away) is written
// a slice at a time as its socket takes it, then joins the live stream without missing an event:
// at 10,000 kilns a snapshot built and written whole held the event loop and overflowed the
// client's buffer limit, so the page was closed and reconnected again and again.
import { describe, expect, it } from 'vitest';
import { LiveHub, type SseSink } from '../../src/live/hub.ts';
import type { Point } from '../../src/domain/point.ts';

const reading = (ts_ms: number, kiln: string, temp_c = 100): Point[] => [{ measurement: 'temperature', tags: { workshop: 'w', kiln, channel: 'top' }, fields: { temp_c, seq: 1 }, ts_ms }];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const turn = () => new Promise((r) => setImmediate(r));
/** Turns of the event loop until cond() holds (a loaded machine only makes it slower). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (const end = Date.now() + 10_000; !cond(); await turn()) if (Date.now() > end) throw new Error(`never: ${what}`);
}

interface Ev { id: number; event: string; data: string }
function sink(buffered = () => 0): SseSink & { writes: string[]; ended: boolean; events(): Ev[] } {
  const s = {
    writes: [] as string[], ended: false, buffered,
    write: (c: string) => { s.writes.push(c); },
    end: () => { s.ended = true; },
    events: () => s.writes.join('').split('\n\n').filter((b) => b.startsWith('id: ')).map((b) => {
      const [id, event, data] = b.split('\n');
      return { id: Number(id!.slice(4)), event: event!.slice(7), data: data!.slice(6) };
    }),
  };
  return s;
}

/** What a client knows of each kiln after its stream so far: the snapshot, then each kiln event. */
function known(events: readonly Ev[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of events) {
    if (e.event === 'snapshot') for (const v of (JSON.parse(e.data) as { kilns: { kiln: string }[] }).kilns) m.set(v.kiln, JSON.stringify(v));
    else m.set((JSON.parse(e.data) as { kiln: string }).kiln, e.data);
  }
  return m;
}

const kilns = (n: number) => Array.from({ length: n }, (_, i) => `k${String(i).padStart(4, '0')}`);

async function fleet(n: number, opts: ConstructorParameters<typeof LiveHub>[0] = {}, warn?: (m: string) => void) {
  const hub = new LiveHub({ coalesce_ms: 1, ...opts }, undefined, Date.now, warn);
  const t0 = Date.now();
  for (const k of kilns(n)) hub.offer(reading(t0, k));
  await sleep(30); // every kiln's first event sent
  return hub;
}

describe('LiveHub catching up a client', () => {
  it('sends 1,000 kilns\' snapshot over many turns of the event loop, and the client misses no change made meanwhile', async () => {
    const hub = await fleet(1000);
    const c = sink();
    let turns = 0;
    hub.subscribe(c, null);
    expect(c.writes).toHaveLength(0); // not built in this turn
    // Kilns keep changing while it catches up.
    let ts = Date.now();
    while (hub.clientCount() === 0) {
      await turn();
      turns++;
      ts += 1000;
      hub.offer(reading(ts, `k${String(turns % 1000).padStart(4, '0')}`, 100 + turns));
      if (turns > 10_000) throw new Error('never joined');
    }
    expect(turns).toBeGreaterThanOrEqual(9); // 1,000 kilns, 100 a turn: the first slice in the subscribing turn
    for (let i = 0; i < 5; i++) { ts += 1000; hub.offer(reading(ts, 'k0003', 500 + i)); }
    await sleep(30);
    const ev = c.events();
    expect(ev[0]!.event).toBe('snapshot');
    expect(ev.slice(1).every((e) => e.event === 'kiln')).toBe(true);
    expect(ev.every((e, i) => i === 0 || e.id > ev[i - 1]!.id)).toBe(true); // ids only increase
    const k = known(ev);
    expect(k.size).toBe(1000);
    for (const key of hub.state.keys()) expect(k.get(key.split('/')[1]!)).toBe(JSON.stringify(hub.state.view(key)));
    expect(hub.sse).toMatchObject({ snapshots: 1, resumes: 0, dropped: 0 });
    hub.close();
  });

  it('resumes a client away for thousands of events with each kiln changed since, once, newest view, oldest change first', async () => {
    const hub = await fleet(300);
    const a = sink();
    const leave = hub.subscribe(a, null);
    await until(() => hub.clientCount() === 1, 'the first client caught up');
    leave();
    const away = a.events().at(-1)!.id;
    // 5,000 events over kilns 0–149 (an old ring of 4,096 events would no longer reach back);
    // kilns 150–299 do not change.
    let ts = Date.now();
    for (let i = 0; i < 5000; i++) {
      ts += 10;
      hub.offer(reading(ts, `k${String(i % 150).padStart(4, '0')}`, 200 + i));
      if (i % 500 === 499) await sleep(5);
    }
    await sleep(30);
    const b = sink();
    hub.subscribe(b, away);
    let turns = 0;
    for (; hub.clientCount() === 0 && turns < 1000; turns++) await turn();
    expect(hub.clientCount()).toBe(1);
    expect(turns).toBeGreaterThanOrEqual(2); // 150 kilns: two slices, a turn each
    const ev = b.events();
    expect(ev.every((e) => e.event === 'kiln')).toBe(true);
    expect(ev.map((e) => (JSON.parse(e.data) as { kiln: string }).kiln).sort()).toEqual(kilns(150));
    expect(ev.every((e, i) => i === 0 ? e.id > away : e.id > ev[i - 1]!.id)).toBe(true);
    for (const e of ev) {
      const key = `w/${(JSON.parse(e.data) as { kiln: string }).kiln}`;
      expect(e.data).toBe(JSON.stringify(hub.state.view(key)));
    }
    expect(hub.sse).toMatchObject({ snapshots: 1, resumes: 1 });
    hub.close();
  });

  it('joins a client whose catch-up never settles (kilns changing every turn) without missing a change made before its last write', async () => {
    const hub = await fleet(300, { catch_up_low_bytes: 1000, max_points_per_s: 1e9 });
    const first = sink();
    const leave = hub.subscribe(first, null);
    await until(() => hub.clientCount() === 1, 'the first client caught up');
    leave();
    const since = first.events()[0]!.id;
    // A socket that is slow to take each slice (it holds 5,000 bytes for 5 ms after each write),
    // so the catch-up spans turns and timers. Kilns 0–149 change every turn: every pass finds
    // more than a slice changed, and after 8 passes the rest goes in one write. Kilns 150–299
    // change only while the hub waits for the socket, one each time it asks: a change made while
    // it waits before that last write must be in it.
    let writes = 0, ts = Date.now(), n = 0, b = 0;
    const pad = (i: number) => `k${String(i).padStart(4, '0')}`;
    const slow = sink(() => {
      if (writes % 2 === 0) return 0;
      hub.offer(reading((ts += 1), pad(150 + (b++ % 150)), 700 + b));
      return 5000;
    });
    const w = slow.write;
    slow.write = (chunk) => { w(chunk); writes++; setTimeout(() => { writes++; }, 5); };
    for (const kiln of kilns(300)) hub.offer(reading((ts += 1), kiln, 250)); // all 300 changed while it was away
    await sleep(20);
    hub.subscribe(slow, since);
    while (hub.clientCount() === 0) {
      for (let j = 0; j < 150; j++, n++) hub.offer(reading((ts += 1), pad(j), 300 + n));
      await turn();
      if (n > 3_000_000) throw new Error('never joined');
    }
    expect(b).toBeGreaterThan(0);
    // Nothing changes after it joined: what it knows (its first stream, then this one) must be
    // every kiln's state now.
    await sleep(50);
    const k = known([...first.events(), ...slow.events()]);
    for (const key of hub.state.keys()) expect(k.get(key.split('/')[1]!)).toBe(JSON.stringify(hub.state.view(key)));
    const ev = slow.events();
    expect(ev.every((e, i) => i === 0 || e.id > ev[i - 1]!.id)).toBe(true);
    hub.close();
  });

  it('gives a snapshot for an id of an earlier run: a restarted service\'s ids start above the old ones', () => {
    const t = { ms: 1_800_000_000_000 };
    const before = new LiveHub({ coalesce_ms: 1 }, undefined, () => t.ms);
    before.offer(reading(t.ms, 'k1'));
    const old = sink();
    before.subscribe(old, null);
    const old_id = old.events()[0]!.id;
    before.close();
    t.ms += 2000; // restarted two seconds later
    const after = new LiveHub({ coalesce_ms: 1 }, undefined, () => t.ms);
    after.offer(reading(t.ms, 'k1'));
    const c = sink();
    after.subscribe(c, old_id);
    expect(c.events()[0]!.event).toBe('snapshot');
    expect(c.events()[0]!.id).toBeGreaterThan(old_id);
    const ahead = sink();
    after.subscribe(ahead, c.events()[0]!.id + 1_000_000); // from the future: another run
    expect(ahead.events()[0]!.event).toBe('snapshot');
    after.close();
  });

  it('waits for a slow client\'s socket between slices, and closes one that reads nothing', async () => {
    const warnings: string[] = [];
    const hub = await fleet(300, { catch_up_low_bytes: 1000, catch_up_timeout_ms: 1000 }, (m) => warnings.push(m));
    const first = sink();
    const leave = hub.subscribe(first, null);
    await until(() => hub.clientCount() === 1, 'the first client caught up');
    leave();
    const since = first.events()[0]!.id - 300; // before every kiln's first event
    let held = 5000;
    const slow = sink(() => held);
    hub.subscribe(slow, since);
    await sleep(150);
    expect(slow.writes).toHaveLength(0); // its socket still holds 5,000 bytes
    held = 4000; // it reads a little
    await sleep(200);
    expect(slow.writes).toHaveLength(0);
    held = 0;
    await until(() => hub.clientCount() === 1, 'the slow client caught up');
    expect(known(slow.events()).size).toBe(300);
    expect(slow.ended).toBe(false);

    const stuck = sink(() => 5000);
    hub.subscribe(stuck, since);
    await sleep(1500);
    expect(stuck.ended).toBe(true);
    expect(stuck.writes).toHaveLength(0);
    expect(hub.sse.dropped).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/read nothing for 1 s while catching up/)]);
    hub.close();
  });
});
