// Every payload the simulator publishes validates against the wire schemas (src/wire/*),
// in normal running and under every fault that is not meant to break the payload.
import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../../simulator/model/faults.ts';
import { runFleet } from './fleet-helpers.ts';
import { wireError } from './helpers.ts';

function errors(faults: FaultSpec[] = [], hours = 3): string[] {
  const { msgs } = runFleet({ kilns: 2, seed: 9, hours, faults, interval_s: 30 });
  const errs: string[] = [];
  for (const m of msgs) {
    if (m.out.kind === 'link') continue;
    const e = wireError(m.topic, m.out.payload);
    if (e) errs.push(`${m.topic}: ${e}`);
  }
  return errs;
}

describe('wire schemas', () => {
  it('a whole firing of every kind (telemetry, events, status) validates', () => {
    const { msgs } = runFleet({ kilns: 5, seed: 3, hours: 26, interval_s: 120 });
    const kinds = new Set(msgs.map((m) => m.topic.split('/')[4]));
    expect([...kinds].sort()).toEqual(['event', 'status', 'telemetry']);
    const types = new Set(msgs.filter((m) => m.out.kind === 'event').map((m) => JSON.parse((m.out as { payload: string }).payload).type));
    expect([...types].sort()).toEqual(['atmosphere', 'firing_start', 'firing_stop', 'segment']);
    for (const m of msgs) if (m.out.kind !== 'link') expect(wireError(m.topic, m.out.payload)).toBeNull();
  });
  const valid: FaultSpec[][] = [
    [{ type: 'tc_open', at_h: 1 }], [{ type: 'tc_drift', at_h: 1 }], [{ type: 'flame_out', at_h: 1, duration_min: 20 }],
    [{ type: 'gas_out', at_h: 0.5 }], [{ type: 'silent', at_h: 1, duration_min: 20 }], [{ type: 'silent', zone: 'bottom', at_h: 1 }],
    [{ type: 'net_cut', at_h: 1, duration_min: 40 }], [{ type: 'duplicate', at_h: 1 }], [{ type: 'reorder', at_h: 1 }],
    [{ type: 'clock_skew', at_h: 1, offset_s: -3600, drift_ppm: 500 }],
  ];
  for (const faults of valid) {
    it(`under ${faults.map((f) => f.type + (f.zone ? `(${f.zone})` : '')).join('+')} every payload still validates`, () => {
      expect(errors(faults)).toEqual([]);
    });
  }
  it('tc_open upscale and malformed are the only faults that break payloads, on purpose', () => {
    expect(errors([{ type: 'tc_open', mode: 'upscale', at_h: 1 }]).length).toBeGreaterThan(0);
    expect(errors([{ type: 'malformed', at_h: 1, prob: 0.5 }]).length).toBeGreaterThan(0);
  });
});
