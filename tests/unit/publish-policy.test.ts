// Which client publishes the embedded broker relays, retains or refuses.
import { describe, expect, it } from 'vitest';
import { ownPayload, publishPolicy } from '../../src/adapters/mqtt/publish-policy.ts';

describe('publishPolicy', () => {
  it('takes the contract topics; retained only on status', () => {
    for (const kind of ['telemetry', 'event', 'status'] as const) {
      expect(publishPolicy(`kiln/v1/bt-1/K_01/${kind}`, false)).toEqual({ allowed: true, kind, retain: false });
    }
    expect(publishPolicy('kiln/v1/bt-1/K01/status', true)).toEqual({ allowed: true, kind: 'status', retain: true });
  });

  it('keeps a retained telemetry or event message but drops its retain flag, counted', () => {
    for (const kind of ['telemetry', 'event'] as const) {
      const v = publishPolicy(`kiln/v1/bt-1/K01/${kind}`, true);
      expect(v).toMatchObject({ allowed: true, kind, retain: false, reject: { reason: 'retain_not_allowed' } });
    }
  });

  it('relays the simulator control topic, never retained', () => {
    expect(publishPolicy('kiln/v1/bt-1/K01/sim/fault', false)).toEqual({ allowed: true, kind: 'sim_fault', retain: false });
    expect(publishPolicy('kiln/v1/bt-1/K01/sim/fault', true)).toMatchObject({ allowed: true, retain: false, reject: { reason: 'retain_not_allowed' } });
  });

  it('refuses everything else, $ topics and the service\'s alert topic included', () => {
    for (const topic of [
      'junk/1', '$SYS/broker/clients', '$share/x', '$', 'kiln/v1/bt-1/K01/alert', 'kiln/v2/bt-1/K01/telemetry',
      'kiln/v1/bt-1/K01/readings', 'kiln/v1/bt-1/K01/zone/telemetry', 'kiln/v1//K01/telemetry', 'kiln/v1/$SYS/K01/telemetry',
      'kiln/v1/bt 1/K.1/telemetry', 'kiln/v1/bt-1/K01/sim/fault/x', 'kiln/v1/bt-1/K01/sim/other', 'kiln/v1/b.t/K01/sim/fault',
      'kiln/v1/bt-1/K01/telemetry/', '/kiln/v1/bt-1/K01/telemetry',
    ]) {
      for (const retain of [false, true]) {
        expect(publishPolicy(topic, retain), topic).toMatchObject({ allowed: false, retain: false, reject: { reason: 'topic_not_allowed' } });
      }
    }
  });
});

describe('ownPayload', () => {
  it('copies a slice of a larger read into a buffer of its own, so the read is not kept with it', () => {
    const read = Buffer.alloc(64 * 1024, 0x61);
    read.write('{"state":"online"}', 40_000);
    const slice = read.subarray(40_000, 40_018);
    const kept = ownPayload(slice);
    expect(kept.toString()).toBe('{"state":"online"}');
    expect(kept.buffer).not.toBe(read.buffer);
    expect(kept.buffer.byteLength).toBe(18);
    read.fill(0); // the read's memory reused: what is kept does not change
    expect(kept.toString()).toBe('{"state":"online"}');
  });

  it('keeps a buffer that already owns its memory as it is', () => {
    const own = Buffer.allocUnsafeSlow(5);
    own.write('hello');
    expect(ownPayload(own)).toBe(own);
    expect(ownPayload(Buffer.alloc(0)).length).toBe(0);
  });
});
