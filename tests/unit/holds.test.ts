// Held messages: tried in arrival order, taken only while the spool takes them, dropped (never
// acknowledged) once their connection is gone, and intake paused until none is left.
import { describe, expect, it } from 'vitest';
import { Holds } from '../../src/ingest/holds.ts';

const delivery = (acks: string[], name: string, alive = () => true) => ({ ack: () => { acks.push(name); }, alive });

describe('Holds', () => {
  it('retries in arrival order and stops at the first message the spool still refuses', () => {
    const h = new Holds<string>();
    const acks: string[] = [];
    h.hold('a', delivery(acks, 'a'), 'spool_full', 1000);
    h.hold('b', delivery(acks, 'b'), 'spool_full', 1100);
    h.hold('c', delivery(acks, 'c'), 'spool_full', 1200);
    expect(h.paused).toEqual({ reason: 'spool_full', since_ms: 1000 });
    const tried: string[] = [];
    let room = 2;
    expect(h.retry((x) => { tried.push(x.item); return room-- > 0; })).toBe(2);
    expect(tried).toEqual(['a', 'b', 'c']);
    expect(h.size).toBe(1);
    expect(h.retry(() => true)).toBe(1);
    expect(h.size).toBe(0);
    expect(h.resume(4000)).toBe(3000);
    expect(h.paused).toBeNull();
    expect(h.held_total.get('spool_full')).toBe(3);
  });

  it('drops a held message whose connection is gone without trying it', () => {
    const h = new Holds<string>();
    const acks: string[] = [];
    let open = true;
    h.hold('gone', delivery(acks, 'gone', () => open), 'disk_full', 0);
    h.hold('here', delivery(acks, 'here'), 'disk_full', 0);
    open = false;
    const tried: string[] = [];
    h.retry((x) => { tried.push(x.item); return true; });
    expect(tried).toEqual(['here']);
    expect(h.abandoned_total).toBe(1);
  });

  it('still() reports a change of reason once', () => {
    const h = new Holds<string>();
    h.hold('a', delivery([], 'a'), 'spool_full', 5);
    expect(h.still('spool_full')).toBe(false);
    expect(h.still('disk_full')).toBe(true);
    expect(h.still('disk_full')).toBe(false);
    expect(h.paused).toEqual({ reason: 'disk_full', since_ms: 5 });
  });
});
