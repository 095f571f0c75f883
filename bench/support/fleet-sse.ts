// The dashboard's live stream as the benchmark sees it: one client on /api/live/stream (as the
// overview page opens it, with an admin's token) that notes, for each `kiln` event, its arrival
// time minus the device time of the newest reading it shows (newest_reading_ms): publish → SSE.
// The kilns publish in real time (device time = wall clock at the reading), so that difference is
// the reading's way through the broker, the service and the live view to the browser.
import { LatencyHistogram } from './latency-hist.ts';

export interface SseWatch {
  readonly all: LatencyHistogram;
  /** The same events split where the service took the message (the view's received_at_ms, on the
   *  same machine's clock): publish → the live view, and the live view → the stream's reader. */
  readonly toService: LatencyHistogram;
  readonly toReader: LatencyHistogram;
  /** Events after the first warm_s seconds: every kiln is known by then. */
  readonly steady: LatencyHistogram;
  /** Time events from here on (the first live reading): an event showing an older reading (a
   *  firing's controller events sent with their own past time at the start) is counted apart. */
  from(ms: number): void;
  /** Kiln events whose newest reading was older than from(): not a publish → SSE figure. */
  older(): number;
  events(): number;
  snapshots(): number;
  /** Kilns the last snapshot held plus those first seen in kiln events since. */
  kilns(): number;
  /** Kilns whose last event shows a firing running. */
  firing(): number;
  ended(): boolean;
  close(): Promise<void>;
}

const NEWEST = /"newest_reading_ms":(\d+)/;
const KEY = /"workshop":"([^"]*)","kiln":"([^"]*)"/;
const FIRING_NULL = /"firing":null/;
const RECEIVED = /"received_at_ms":(\d+)/;

export async function watchLiveStream(fetchWith: (path: string, init?: RequestInit) => Promise<Response>, warm_s: number): Promise<SseWatch> {
  const ac = new AbortController();
  const res = await fetchWith('/api/live/stream', { signal: ac.signal });
  if (!res.ok || !res.body) throw new Error(`/api/live/stream answered ${res.status}`);
  const all = new LatencyHistogram();
  const steady = new LatencyHistogram();
  const toService = new LatencyHistogram();
  const toReader = new LatencyHistogram();
  const firing = new Map<string, boolean>();
  let events = 0, snapshots = 0, older = 0, ended = false;
  let from_ms = Infinity;
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const onEvent = (frame: string, at_ms: number) => {
    const data = frame.slice(frame.indexOf('\ndata: ') + 7);
    if (frame.includes('\nevent: snapshot\n')) {
      snapshots++;
      // The kilns already known: counted, not timed (their readings may be old).
      for (const v of (JSON.parse(data) as { kilns: { workshop: string; kiln: string; firing: unknown }[] }).kilns) firing.set(`${v.workshop}/${v.kiln}`, v.firing !== null);
      return;
    }
    if (!frame.includes('\nevent: kiln\n')) return;
    events++;
    const k = KEY.exec(data);
    if (k) firing.set(`${k[1]}/${k[2]}`, !FIRING_NULL.test(data));
    const newest = NEWEST.exec(data);
    if (!newest) return;
    const reading_ms = Number(newest[1]);
    if (reading_ms < from_ms) { older++; return; }
    all.add(at_ms - reading_ms);
    const received = RECEIVED.exec(data);
    if (received) {
      toService.add(Math.max(0, Number(received[1]) - reading_ms));
      toReader.add(Math.max(0, at_ms - Number(received[1])));
    }
    if (at_ms - from_ms >= warm_s * 1000) steady.add(at_ms - reading_ms);
  };
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { ended = true; return; }
        const at_ms = Date.now();
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          onEvent(`\n${buf.slice(0, i)}`, at_ms);
          buf = buf.slice(i + 2);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    all, steady, toService, toReader,
    from: (ms) => { from_ms = ms; },
    older: () => older,
    events: () => events, snapshots: () => snapshots, kilns: () => firing.size,
    firing: () => [...firing.values()].filter(Boolean).length,
    ended: () => ended,
    close: async () => { ac.abort(); await pump; },
  };
}
