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
