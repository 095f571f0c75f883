// Which live instance owns a kiln's side effects (alert webhooks and records, the retained alert
// topic, the firing index): rendezvous (highest random weight) hashing. Every instance computes
// the same owner from the same member list with no coordination, and when a member joins or
// leaves only the kilns it wins or held move (about 1/n of them), not all.

/** 32-bit FNV-1a over the string's UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's finalizer: FNV alone leaves similar ids (kiln-a, kiln-b) with similar scores. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The weight of member for key: the owner is the member with the highest. */
export function weight(member: string, key: string): number {
  return mix32(fnv1a(`${member}\u0000${key}`));
}

/** The owner of key among members (ties: the smaller id), or null when there are none. */
export function ownerOf(key: string, members: readonly string[]): string | null {
  let best: string | null = null;
  let bestW = -1;
  for (const m of members) {
    const w = weight(m, key);
    if (w > bestW || (w === bestW && best !== null && m < best)) {
      best = m;
      bestW = w;
    }
  }
  return best;
}
