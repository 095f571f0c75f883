// Server-Sent Events framing and resume, pure: the hub (src/live/hub.ts) owns the sockets.

export interface RingEvent { readonly id: number; readonly event: string; readonly data: string }

/** One SSE event; data is one JSON line (JSON.stringify never emits a raw newline). */
export function formatEvent(e: RingEvent): string {
  return `id: ${e.id}\nevent: ${e.event}\ndata: ${e.data}\n\n`;
}

export const HEARTBEAT = ': heartbeat\n\n';

/** A Last-Event-ID header as a sequence number; null when absent or not one of ours. */
export function parseLastEventId(v: string | string[] | undefined): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || !/^\d{1,15}$/.test(s.trim())) return null;
  return Number(s.trim());
}

/**
 * What a client that last saw `last_id` missed, when the ring still holds all of it: the events
 * after last_id (empty when it is up to date). null when the ring no longer reaches back that
 * far or the id is from the future (another server run): the client then needs a snapshot.
 * The ring is in id order with consecutive ids.
 */
export function missedSince<E extends RingEvent>(ring: readonly E[], last_id: number, newest_id: number): E[] | null {
  if (last_id > newest_id) return null;
  if (last_id === newest_id) return [];
  const first = ring[0];
  if (!first || first.id > last_id + 1) return null;
  return ring.slice(last_id + 1 - first.id);
}

/** A ring of events bounded by count and by the characters of their data, as an array oldest
 *  first: push, and drop from the front in chunks (amortised O(1)). The character bound keeps a
 *  large fleet's ring small (each kiln event is ~2 KB: 4,096 of them held 8 MB, for 4 s of
 *  events at 1,000 kilns); a small fleet keeps its events for minutes by the count. */
export class EventRing<E extends RingEvent> {
  readonly items: E[] = [];
  private chars = 0;

  constructor(private readonly max: number, private readonly max_chars: number) {}

  push(e: E): void {
    this.items.push(e);
    this.chars += e.data.length;
    const slack = Math.max(16, this.max >> 3);
    if (this.items.length <= this.max + slack && this.chars <= this.max_chars + (this.max_chars >> 3)) return;
    // Over by an eighth: drop down to the bounds at once (never the newest).
    const n = this.items.length;
    let drop = 0, freed = 0;
    while (drop < n - 1 && (n - drop > this.max || this.chars - freed > this.max_chars)) freed += this.items[drop++]!.data.length;
    this.chars -= freed;
    this.items.splice(0, drop);
  }
}
