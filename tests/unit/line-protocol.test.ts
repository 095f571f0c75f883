import { describe, expect, it } from 'vitest';
import { seriesCacheStats, toLineProtocol } from '../../src/adapters/influx/line-protocol.ts';

describe('toLineProtocol', () => {
  it.each([
    [{ measurement: 'temperature', tags: { workshop: 'bt01', kiln: 'k1', channel: 'top' }, fields: { temp_c: 812.4, seq: 7 }, ts_ms: 1764140400000 },
      'temperature,channel=top,kiln=k1,workshop=bt01 temp_c=812.4,seq=7 1764140400000'],
    // whole numbers stay floats (no i suffix), so a field's type never flips
    [{ measurement: 'gas_scale', tags: { workshop: 'w', kiln: 'k', channel: 's' }, fields: { mass_kg: 48, seq: 0 }, ts_ms: 1 },
      'gas_scale,channel=s,kiln=k,workshop=w mass_kg=48,seq=0 1'],
    // strings are quoted and escaped; an event's type tag is sorted in
    [{ measurement: 'event', tags: { workshop: 'w', kiln: 'k', channel: 'controller', type: 'firing_start' }, fields: { seq: 3, data_json: '{"a":"b c"}' }, ts_ms: 2 },
      'event,channel=controller,kiln=k,type=firing_start,workshop=w seq=3,data_json="{\\"a\\":\\"b c\\"}" 2'],
  ] as const)('%#', (point, line) => {
    expect(toLineProtocol(point)).toBe(line);
  });
});

describe('toLineProtocol series cache', () => {
  const pt = (workshop: string, kiln: string, channel: string, type?: string) =>
    ({ measurement: 'event' as const, tags: { workshop, kiln, channel, ...(type ? { type } : {}) }, fields: { seq: 1 }, ts_ms: 5 });

  it('never mixes up series whose tags differ in any one place, seen in any order, or past its bound', () => {
    const cases = [pt('a', 'b', 'c'), pt('a', 'b', 'c', 't'), pt('a', 'c', 'b'), pt('b', 'a', 'c'), pt('a b', 'k', 'c'), pt('a', 'b', 'c', 'u')];
    const want = (p: ReturnType<typeof pt>) =>
      `event,channel=${p.tags.channel},kiln=${p.tags.kiln}${p.tags.type ? `,type=${p.tags.type}` : ''},workshop=${p.tags.workshop.replace(' ', '\\ ')} seq=1 5`;
    for (let round = 0; round < 2; round++) for (const p of round ? [...cases].reverse() : cases) expect(toLineProtocol(p)).toBe(want(p));
    // 100,001 more series: the cache starts again instead of growing, and stays right.
    const before = seriesCacheStats();
    for (let i = 0; i <= 100_000; i++) toLineProtocol(pt('w', `k${i}`, 'c'));
    expect(seriesCacheStats().resets).toBe(before.resets + 1);
    for (const p of cases) expect(toLineProtocol(p)).toBe(want(p));
    expect(toLineProtocol(pt('w', 'k99999', 'c'))).toBe('event,channel=c,kiln=k99999,workshop=w seq=1 5');
    // More series than the bound, in turn (a fleet larger than it): it does not start again at
    // every miss; what it holds stays, and each series still gets its own key.
    for (let round = 0; round < 2; round++) for (let i = 0; i <= 120_000; i++) toLineProtocol(pt('v', `k${i}`, 'c'));
    expect(seriesCacheStats().resets).toBe(before.resets + 1);
    expect(seriesCacheStats().series).toBe(100_000);
    expect(toLineProtocol(pt('v', 'k120000', 'c'))).toBe('event,channel=c,kiln=k120000,workshop=v seq=1 5');
    for (const p of cases) expect(toLineProtocol(p)).toBe(want(p));
  });

  it('keeps apart measurements (and event types) that share a kiln and a channel', () => {
    const on = (measurement: 'gas_flow' | 'gas_total' | 'event', type?: string) =>
      ({ measurement, tags: { workshop: 'w', kiln: 'k', channel: 'main', ...(type ? { type } : {}) }, fields: { seq: 1 }, ts_ms: 9 });
    const cases = [on('gas_flow'), on('gas_total'), on('event', 'firing_start'), on('event', 'firing_stop'), on('event')];
    const want = (p: ReturnType<typeof on>) => `${p.measurement},channel=main,kiln=k${p.tags.type ? `,type=${p.tags.type}` : ''},workshop=w seq=1 9`;
    for (let round = 0; round < 3; round++) for (const p of round === 1 ? [...cases].reverse() : cases) expect(toLineProtocol(p)).toBe(want(p));
  });
});
