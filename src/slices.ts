// Long folds (a kiln's live state rebuilt from InfluxDB, the firing index catching up, a report
// over days of readings) are cut into slices with a turn of the event loop between them, so no
// fold holds the loop for long: the embedded broker, HTTP and the spool keep running meanwhile,
// and a stop is noticed between slices. SLICE_POINTS is ~5–10 ms of folding here (the live view
// folds a point in ~2–5 µs, the tracker alone in ~1–2 µs).
import { stepAll, type FiringEvent, type StepResult, type TrackerState } from './domain/firing/index.ts';
import type { Point } from './domain/point.ts';
import { Readable } from 'node:stream';

export const SLICE_POINTS = 2000;

/** Let timers, I/O and other callbacks run (setImmediate: after I/O, unlike a microtask). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Thrown out of a sliced fold when the service is stopping: what was folded so far is not whole. */
export class Stopped extends Error {
  constructor() {
    super('stopping');
  }
}

/** fn over items in slices of at most `size`, a turn of the event loop before each; throws Stopped
 *  as soon as stop() says so. */
export async function eachSlice<T>(items: readonly T[], fn: (slice: readonly T[]) => void, stop: () => boolean, size = SLICE_POINTS): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await nextTurn();
    if (stop()) throw new Stopped();
    fn(i === 0 && items.length <= size ? items : items.slice(i, i + size));
  }
}

/** The tracker folded over points (fold.ts run(), through stepAll: the same state and events) in slices. */
export async function runSliced(state: TrackerState, points: readonly Point[], stop: () => boolean): Promise<StepResult> {
  let s = state;
  const events: FiringEvent[] = [];
  await eachSlice(points, (slice) => {
    const r = stepAll(s, slice);
    s = r.state;
    events.push(...r.events);
  }, stop);
  return { state: s, events };
}

/** A value already written as JSON (a kiln's view, KilnLive.viewJson): put in as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** `${head}[item(key),…]${tail}` for each key (null: left out), in chunks: the head, then one per
 *  `size` keys (skipped when every item of it is left out), then the tail, with a turn of the event
 *  loop between slices. Made one chunk at a time as the caller pulls them, so a body holding every
 *  kiln (~15 MB at 10,000 kilns) is made without holding the loop, and each slice's objects die
 *  young. */
async function* jsonArrayChunks<T>(head: string, keys: readonly string[], item: (key: string) => T | null, tail: string, size: number): AsyncGenerator<string> {
  yield head;
  let sep = '[';
  for (let i = 0; i < keys.length; i += size) {
    if (i > 0) await nextTurn(); // a fast reader would otherwise take every slice in one turn
    let text = '';
    for (let j = i; j < Math.min(keys.length, i + size); j++) {
      const v = item(keys[j]!);
      if (v === null) continue;
      text += sep + (v instanceof JsonText ? v.text : JSON.stringify(v));
      sep = ',';
    }
    if (text) yield text;
  }
  yield `${sep === '[' ? '[]' : ']'}${tail}`;
}

/** The JSON array as one string (a live stream's snapshot event must be one). Throws Stopped as
 *  soon as stop() says so, checked before each slice. */
export async function jsonArraySliced<T>(keys: readonly string[], item: (key: string) => T | null, size = 100, stop: () => boolean = () => false): Promise<string> {
  let text = '';
  const chunks = jsonArrayChunks('', keys, item, '', size);
  for (;;) {
    if (stop()) throw new Stopped();
    const c = await chunks.next();
    if (c.done) return text;
    text += c.value;
  }
}

/** `${head}[…]${tail}` as a stream of text, each chunk made only when the reader takes it
 *  (Readable.from waits while the socket, or the compressor before it, is full). The service then
 *  holds a chunk or two per client, never the whole body as one string, and a client that goes
 *  away stops the making of the rest. */
export function jsonArrayStream<T>(head: string, keys: readonly string[], item: (key: string) => T | null, tail: string, size = 100): Readable {
  return Readable.from(jsonArrayChunks(head, keys, item, tail, size), { objectMode: false });
}
