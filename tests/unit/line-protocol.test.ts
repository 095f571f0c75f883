import { describe, expect, it } from 'vitest';
import { toLineProtocol } from '../../src/adapters/influx/line-protocol.ts';

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

describe('toLineProtocol series', () => {
  const pt = (workshop: string, kiln: string, channel: string, type?: string) =>
    ({ measurement: 'event' as const, tags: { workshop, kiln, channel, ...(type ? { type } : {}) }, fields: { seq: 1 }, ts_ms: 5 });

  it('never mixes up series whose tags differ in any one place, seen in any order, and escapes what is not an id', () => {
    const cases = [pt('a', 'b', 'c'), pt('a', 'b', 'c', 't'), pt('a', 'c', 'b'), pt('b', 'a', 'c'), pt('a b', 'k', 'c'), pt('a', 'b', 'c', 'u'), pt('w', 'k,1', 'c=d')];
    const esc = (s: string) => s.replace(/([ ,=])/g, '\\$1');
    const want = (p: ReturnType<typeof pt>) =>
      `event,channel=${esc(p.tags.channel)},kiln=${esc(p.tags.kiln)}${p.tags.type ? `,type=${p.tags.type}` : ''},workshop=${esc(p.tags.workshop)} seq=1 5`;
    for (let round = 0; round < 2; round++) for (const p of round ? [...cases].reverse() : cases) expect(toLineProtocol(p)).toBe(want(p));
    expect(toLineProtocol(pt('a b', 'k', 'c'))).toBe('event,channel=c,kiln=k,workshop=a\\ b seq=1 5');
    expect(toLineProtocol(pt('w', 'k', 'c', ''))).toBe('event,channel=c,kiln=k,workshop=w seq=1 5');
  });

  it('keeps apart measurements (and event types) that share a kiln and a channel', () => {
    const on = (measurement: 'gas_flow' | 'gas_total' | 'event', type?: string) =>
      ({ measurement, tags: { workshop: 'w', kiln: 'k', channel: 'main', ...(type ? { type } : {}) }, fields: { seq: 1 }, ts_ms: 9 });
    const cases = [on('gas_flow'), on('gas_total'), on('event', 'firing_start'), on('event', 'firing_stop'), on('event')];
    const want = (p: ReturnType<typeof on>) => `${p.measurement},channel=main,kiln=k${p.tags.type ? `,type=${p.tags.type}` : ''},workshop=w seq=1 9`;
    for (let round = 0; round < 3; round++) for (const p of round === 1 ? [...cases].reverse() : cases) expect(toLineProtocol(p)).toBe(want(p));
  });
});
