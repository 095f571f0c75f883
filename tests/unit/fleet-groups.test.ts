// The overview's grouping and search (dashboard/src/fleet-groups.ts): workshops in id order, each
// group's kilns needing attention first, the search blind to case and Vietnamese diacritics, and
// the rows of a windowed list that meet the screen.
import { describe, expect, it } from 'vitest';
import { fold, groupFleet, queryWords, visibleRows, type Attention, type FleetKiln } from '../../dashboard/src/fleet-groups.ts';

const kiln = (workshop: string, id: string, attention: Attention = 0): FleetKiln => ({ key: `${workshop}/${id}`, workshop, kiln: id, attention });
const FLEET = [
  kiln('xuong-b', 'k02'), kiln('xuong-a', 'Lò-Đỏ'), kiln('xuong-b', 'k01'), kiln('xuong-b', 'k03', 2),
  kiln('xuong-a', 'lo-1'), kiln('xuong-b', 'k10', 3), kiln('xuong-c', 'k01', 1),
];
const NAMES = new Map([['xuong-a', 'Xưởng Gốm Hạnh'], ['xuong-b', 'Lò Bầu Đức']]);

describe('fold', () => {
  it('drops case, tone marks and other diacritics, đ as d', () => {
    expect(fold('Lò Đỏ')).toBe('lo do');
    expect(fold('Xưởng Gốm Hạnh')).toBe('xuong gom hanh');
    expect(fold('BÁT TRÀNG')).toBe('bat trang');
    expect(fold('đ Đ')).toBe('d d');
    expect(fold('Lò'.normalize('NFD'))).toBe('lo'); // typed decomposed, as some keyboards do
    expect(queryWords('  Lò   ĐỎ ')).toEqual(['lo', 'do']);
  });
});

describe('groupFleet', () => {
  it('groups by workshop in id order; inside a group, kilns needing attention first (worst first), then by key', () => {
    const g = groupFleet(FLEET, NAMES);
    expect(g.map((x) => x.workshop)).toEqual(['xuong-a', 'xuong-b', 'xuong-c']);
    expect(g.map((x) => x.name)).toEqual(['Xưởng Gốm Hạnh', 'Lò Bầu Đức', 'xuong-c']); // no registry name: the id
    expect(g[0]!.keys).toEqual(['xuong-a/Lò-Đỏ', 'xuong-a/lo-1']); // code-unit order, as the overview always had it
    expect(g[1]!.keys).toEqual(['xuong-b/k10', 'xuong-b/k03', 'xuong-b/k01', 'xuong-b/k02']);
    expect(g[2]!.keys).toEqual(['xuong-c/k01']);
  });

  it('searches kiln ids, workshop ids and workshop names, without diacritics or case', () => {
    const keys = (q: string) => groupFleet(FLEET, NAMES, q).flatMap((x) => x.keys);
    expect(keys('lo do')).toEqual(['xuong-a/Lò-Đỏ']); // "lo" finds "Lò", "do" finds "Đỏ"
    expect(keys('LÒ-ĐỎ')).toEqual(['xuong-a/Lò-Đỏ']);
    expect(keys('gom hanh')).toEqual(['xuong-a/Lò-Đỏ', 'xuong-a/lo-1']); // the workshop's name
    expect(keys('bau duc k0')).toEqual(['xuong-b/k03', 'xuong-b/k01', 'xuong-b/k02']); // every word must match
    expect(keys('xuong-c')).toEqual(['xuong-c/k01']); // the workshop's id
    expect(keys('k01')).toEqual(['xuong-b/k01', 'xuong-c/k01']);
    expect(keys('   ')).toHaveLength(FLEET.length); // blank: everything
    expect(groupFleet(FLEET, NAMES, 'khong-co')).toEqual([]);
  });

  it('a workshop none of whose kilns match leaves no empty group', () => {
    expect(groupFleet(FLEET, NAMES, 'k10').map((x) => x.workshop)).toEqual(['xuong-b']);
  });
});

describe('visibleRows', () => {
  // 100 rows of 300 px, an 800 px screen, two rows more on each side.
  it('the rows meeting the screen, with the overscan, clamped to the list', () => {
    expect(visibleRows(100, 200, 300, 800, 2)).toEqual([0, 4]); // list starts 200 px down: rows 0–1 on screen
    expect(visibleRows(100, -3000, 300, 800, 2)).toEqual([8, 15]); // scrolled 3,000 px into it: rows 10–12 on screen
    expect(visibleRows(100, -29_900, 300, 800, 2)).toEqual([97, 100]); // at its end
    expect(visibleRows(100, 5000, 300, 800, 2)).toEqual([0, 0]); // below the screen
    expect(visibleRows(100, -40_000, 300, 800, 2)).toEqual([100, 100]); // above it
    expect(visibleRows(0, 0, 300, 800, 2)).toEqual([0, 0]);
  });
});
