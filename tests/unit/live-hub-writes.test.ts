// The live hub writes each client the events of flush_ms together: at 1,000 kilns a socket write
// per event was a fifth of a core per open dashboard.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveHub, type SseSink } from '../../src/live/hub.ts';
import type { Point } from '../../src/domain/point.ts';
import { HEARTBEAT, ID_PER_MS } from '../../src/domain/live/sse.ts';

const reading = (ts_ms: number, kiln: string): Point[] => [{ measurement: 'temperature', tags: { workshop: 'w', kiln, channel: 'top' }, fields: { temp_c: 100, seq: 1 }, ts_ms }];

function sink(buffered = () => 0): SseSink & { writes: string[]; ended: boolean } {
  const s = { writes: [] as string[], ended: false, write: (c: string) => { s.writes.push(c); }, buffered, end: () => { s.ended = true; } };
  return s;
}
const ids = (chunks: readonly string[]) => chunks.join('').split('\n').filter((l) => l.startsWith('id: ')).map((l) => Number(l.slice(4)));

beforeEach(() => { vi.useFakeTimers({ now: 1_000_000 }); });
afterEach(() => { vi.useRealTimers(); });

describe('LiveHub writes', () => {
  it('sends the events of kilns due within flush_ms to each client in one write, in id order; not to a client gone or not reading', async () => {
    const warnings: string[] = [];
    const hub = new LiveHub({ coalesce_ms: 1000, max_client_buffer_bytes: 1000 }, undefined, Date.now, (m) => warnings.push(m));
    const a = sink(), b = sink(), gone = sink(), leaving = sink(), stuck = sink(() => 5000);
    let leave = () => {};
    // a is written first; as its batch goes out, `leaving` unsubscribes: its batch, already
    // queued, must not be written to it.
    const aWrite = a.write;
    a.write = (chunk) => { aWrite(chunk); if (a.writes.length === 2) leave(); };
    for (const c of [a, b, stuck]) hub.subscribe(c, null);
    hub.subscribe(gone, null)();
    leave = hub.subscribe(leaving, null);
    for (let k = 0; k < 100; k++) hub.offer(reading(Date.now(), `k${k}`));
    await vi.advanceTimersByTimeAsync(30);
    for (const c of [a, b]) {
      expect(c.writes.length).toBe(2); // the snapshot, then one write
      const got = ids(c.writes.slice(1));
      expect(got).toHaveLength(100);
      expect(got).toEqual([...got].sort((x, y) => x - y));
      expect(got[0]).toBe(1_000_000 * ID_PER_MS + 1); // this run's ids start at its start time
    }
    expect(gone.writes.length).toBe(1);
    expect(leaving.writes.length).toBe(1);
    expect(stuck.ended).toBe(true);
    expect(hub.sse.dropped).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/closed because it holds over 1000 bytes unsent/)]);
    expect(hub.clientCount()).toBe(2);
    hub.close();
  });

  it('writes the events of kilns that changed on different milliseconds within flush_ms together', async () => {
    const hub = new LiveHub({ coalesce_ms: 1000, flush_ms: 25 });
    const a = sink();
    hub.subscribe(a, null);
    for (let k = 0; k < 20; k++) {
      hub.offer(reading(Date.now(), `k${k}`));
      await vi.advanceTimersByTimeAsync(1); // each kiln's event on its own millisecond
    }
    await vi.advanceTimersByTimeAsync(30);
    expect(ids(a.writes.slice(1))).toHaveLength(20);
    expect(a.writes.length).toBe(2); // the snapshot, then one write
    hub.close();
  });

  it('keeps an idle stream open with a heartbeat every heartbeat_ms, only while a client is there', async () => {
    const hub = new LiveHub({ heartbeat_ms: 15_000, flush_ms: 25 });
    const a = sink(), b = sink();
    const leaveA = hub.subscribe(a, null);
    const leaveB = hub.subscribe(b, null);
    const beats = (c: { writes: string[] }) => c.writes.filter((w) => String(w) === HEARTBEAT).length;
    await vi.advanceTimersByTimeAsync(15_000 + 30);
    expect([beats(a), beats(b)]).toEqual([1, 1]);
    leaveA();
    await vi.advanceTimersByTimeAsync(15_000);
    expect([beats(a), beats(b)]).toEqual([1, 2]); // a left: nothing more to it
    leaveB();
    expect(vi.getTimerCount()).toBe(0); // no client: no heartbeat timer left running
    hub.close();
  });
});
