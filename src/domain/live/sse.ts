// Server-Sent Events framing and resume, pure: the hub (src/live/hub.ts) owns the sockets.

export interface SseEvent { readonly id: number; readonly event: string; readonly data: string }

/** One SSE event; data is one JSON line (JSON.stringify never emits a raw newline). */
export function formatEvent(e: SseEvent): string {
  return `id: ${e.id}\nevent: ${e.event}\ndata: ${e.data}\n\n`;
}

export const HEARTBEAT = ': heartbeat\n\n';

/** A Last-Event-ID header as a sequence number; null when absent or not one of ours. */
export function parseLastEventId(v: string | string[] | undefined): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || !/^\d{1,15}$/.test(s.trim())) return null;
  return Number(s.trim());
}

/** Event ids start, for each run of the service, at its start time × ID_PER_MS: an id from an
 *  earlier run is then below this run's first, so a client reconnecting across a restart gets a
 *  snapshot, never a resume against another run's ids. It holds while a run sends fewer than 100
 *  events per ms on average (the hub sends at most one event a second per kiln: 100,000 kilns).
 *  15 digits, as parseLastEventId takes, until the year 2286. */
export const ID_PER_MS = 100;

/**
 * The kilns a client resuming after `after` must be sent, each with its newest event's id, oldest
 * change first: those whose newest event is later. Each kiln's event carries its whole view, so
 * the newest view of each kiln changed since is all the client missed, however many events that
 * was. null when `after` is not an id of this run (before `first_id` or after `newest_id`): the
 * client then needs a snapshot.
 */
export function changedSince(newest_of: ReadonlyMap<string, number>, after: number, first_id: number, newest_id: number): [key: string, id: number][] | null {
  if (after < first_id || after > newest_id) return null;
  const changed: [string, number][] = [];
  for (const [key, id] of newest_of) if (id > after) changed.push([key, id]);
  return changed.sort((a, b) => a[1] - b[1]);
}
