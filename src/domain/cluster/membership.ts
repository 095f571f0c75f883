// The live instances as one instance sees them: each announces itself with a retained presence
// message, republished every heartbeat; its Last Will clears it when its connection dies. A member
// not heard for ttl_ms is dropped too: a presence left retained by an instance that died while the
// broker was down (no Will is sent then) must not own kilns for ever.
import { ownerOf } from './rendezvous.ts';

/** Member id → when it was last heard (this instance's clock). */
export type Membership = ReadonlyMap<string, number>;

export const EMPTY_MEMBERSHIP: Membership = new Map();

export function heard(m: Membership, id: string, now_ms: number): Membership {
  const out = new Map(m);
  out.set(id, now_ms);
  return out;
}

export function left(m: Membership, id: string): Membership {
  if (!m.has(id)) return m;
  const out = new Map(m);
  out.delete(id);
  return out;
}

/** Drop members not heard for ttl_ms; `expired` names them. */
export function expire(m: Membership, now_ms: number, ttl_ms: number): { membership: Membership; expired: string[] } {
  const expired = [...m].filter(([, at]) => now_ms - at > ttl_ms).map(([id]) => id);
  if (expired.length === 0) return { membership: m, expired };
  const out = new Map(m);
  for (const id of expired) out.delete(id);
  return { membership: out, expired };
}

export function memberIds(m: Membership): string[] {
  return [...m.keys()].sort();
}

/** The keys self wins and loses when the members change from `before` to `after`. */
export function ownershipChanges(keys: Iterable<string>, before: readonly string[], after: readonly string[], self: string): { gained: string[]; lost: string[] } {
  const gained: string[] = [];
  const lost: string[] = [];
  for (const k of keys) {
    const was = ownerOf(k, before) === self;
    const is = ownerOf(k, after) === self;
    if (is && !was) gained.push(k);
    else if (was && !is) lost.push(k);
  }
  return { gained, lost };
}
