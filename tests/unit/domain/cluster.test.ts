// Which instance owns a kiln (rendezvous hashing) and who is there (presence, Will, time-out).
import { describe, expect, it } from 'vitest';
import { ownerOf, weight } from '../../../src/domain/cluster/rendezvous.ts';
import { EMPTY_MEMBERSHIP, expire, heard, left, memberIds, ownershipChanges } from '../../../src/domain/cluster/membership.ts';

const kilns = Array.from({ length: 3000 }, (_, i) => `ws${i % 37}/k${i}`);

describe('rendezvous ownership', () => {
  it('every instance computes the same owner, whatever order it lists the members in', () => {
    for (const k of kilns.slice(0, 200)) expect(ownerOf(k, ['kiln-a', 'kiln-b', 'kiln-c'])).toBe(ownerOf(k, ['kiln-c', 'kiln-a', 'kiln-b']));
  });

  it('no members: no owner; one member owns everything', () => {
    expect(ownerOf('ws/k1', [])).toBeNull();
    for (const k of kilns.slice(0, 50)) expect(ownerOf(k, ['only'])).toBe('only');
  });

  it('spreads kilns evenly over similar ids (each within 15 % of a fair share)', () => {
    const members = ['kiln-1', 'kiln-2', 'kiln-3', 'kiln-4'];
    const counts = new Map<string, number>();
    for (const k of kilns) counts.set(ownerOf(k, members)!, (counts.get(ownerOf(k, members)!) ?? 0) + 1);
    const fair = kilns.length / members.length;
    for (const m of members) expect(Math.abs((counts.get(m) ?? 0) - fair) / fair).toBeLessThan(0.15);
  });

  it('a member leaving moves only its own kilns, and a member joining takes only kilns it wins', () => {
    const three = ['a', 'b', 'c'];
    const two = ['a', 'c'];
    for (const k of kilns) {
      const before = ownerOf(k, three)!;
      const after = ownerOf(k, two)!;
      if (before !== 'b') expect(after).toBe(before);
    }
    const four = [...three, 'd'];
    for (const k of kilns) {
      const after = ownerOf(k, four)!;
      if (after !== 'd') expect(after).toBe(ownerOf(k, three));
    }
  });

  it('weights are 32-bit unsigned and depend on both the member and the key', () => {
    const w = weight('kiln-a', 'ws/k1');
    expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    expect(weight('kiln-b', 'ws/k1')).not.toBe(w);
    expect(weight('kiln-a', 'ws/k2')).not.toBe(w);
  });
});

describe('membership', () => {
  it('presence adds, the Will (empty presence) removes, and silence past the time-out expires', () => {
    let m = heard(heard(EMPTY_MEMBERSHIP, 'b', 1000), 'a', 2000);
    expect(memberIds(m)).toEqual(['a', 'b']);
    m = left(m, 'b');
    expect(memberIds(m)).toEqual(['a']);
    expect(left(m, 'zz')).toBe(m);
    m = heard(m, 'c', 3000);
    const e = expire(m, 22_500, 20_000);
    expect(e.expired).toEqual(['a']);
    expect(memberIds(e.membership)).toEqual(['c']);
    expect(expire(e.membership, 22_500, 20_000).membership).toBe(e.membership);
  });

  it('names exactly the kilns self gains and loses when the members change', () => {
    const before = ['a', 'b'];
    const after = ['a'];
    const { gained, lost } = ownershipChanges(kilns, before, after, 'a');
    expect(lost).toEqual([]);
    expect(gained).toEqual(kilns.filter((k) => ownerOf(k, before) === 'b'));
    expect(gained.length).toBeGreaterThan(0);
    const back = ownershipChanges(kilns, after, before, 'a');
    expect(back.gained).toEqual([]);
    expect(back.lost).toEqual(gained);
    // Joining from nothing: every kiln self wins is gained.
    expect(ownershipChanges(kilns, [], before, 'a').gained).toEqual(kilns.filter((k) => ownerOf(k, before) === 'a'));
  });
});
