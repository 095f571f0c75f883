// The topic rules each device credential gets: its own kiln (a gateway: its workshop), never
// another kiln, never the service's alert topic, never '#' or $SYS.
import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe } from '../../../src/domain/access/devices.ts';

const logger = { workshop: 'bt01', kiln: 'K1' };
const gateway = { workshop: 'bt01', kiln: null };

describe('device topic rules', () => {
  it('a kiln logger publishes its own telemetry, status and event, and nothing else', () => {
    for (const kind of ['telemetry', 'status', 'event']) expect(mayPublish(logger, `kiln/v1/bt01/K1/${kind}`)).toEqual({ ok: true });
    expect(mayPublish(logger, 'kiln/v1/bt01/K2/telemetry')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(mayPublish(logger, 'kiln/v1/bt02/K1/telemetry')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(mayPublish(logger, 'kiln/v1/bt01/K1/alert')).toEqual({ ok: false, reason: 'alert_topic' });
    expect(mayPublish(logger, 'kiln/v1/bt01/K1/other')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(mayPublish(logger, '$SYS/broker/uptime')).toEqual({ ok: false, reason: 'sys_topic' });
    expect(mayPublish(logger, 'kiln/v1/bt01/K1')).toEqual({ ok: false, reason: 'not_own_topic' });
  });

  it('a gateway publishes for every kiln of its workshop, not another workshop, never an alert', () => {
    expect(mayPublish(gateway, 'kiln/v1/bt01/K7/telemetry')).toEqual({ ok: true });
    expect(mayPublish(gateway, 'kiln/v1/bt01/K7/sim/fault')).toEqual({ ok: true });
    expect(mayPublish(gateway, 'kiln/v1/bt02/K7/telemetry')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(mayPublish(gateway, 'kiln/v1/bt01/K7/alert')).toEqual({ ok: false, reason: 'alert_topic' });
    expect(mayPublish(gateway, 'kiln/v1/bt01/+/telemetry')).toEqual({ ok: false, reason: 'not_own_topic' });
  });

  it('subscriptions: only own control topics; no #, no $SYS, no other kiln', () => {
    expect(maySubscribe(logger, 'kiln/v1/bt01/K1/control')).toEqual({ ok: true });
    expect(maySubscribe(logger, 'kiln/v1/bt01/K1/sim/fault')).toEqual({ ok: true });
    expect(maySubscribe(logger, '#')).toEqual({ ok: false, reason: 'wildcard' });
    expect(maySubscribe(logger, '$SYS/#')).toEqual({ ok: false, reason: 'sys_topic' });
    expect(maySubscribe(logger, 'kiln/v1/bt01/+/control')).toEqual({ ok: false, reason: 'wildcard' });
    expect(maySubscribe(logger, 'kiln/v1/bt01/K2/control')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(maySubscribe(logger, 'kiln/v1/bt01/K1/telemetry')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(maySubscribe(logger, 'kiln/v1/bt01/K1/alert')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(maySubscribe(gateway, 'kiln/v1/bt01/+/sim/fault')).toEqual({ ok: true });
    expect(maySubscribe(gateway, 'kiln/v1/bt02/+/sim/fault')).toEqual({ ok: false, reason: 'wildcard' });
    expect(maySubscribe(gateway, 'kiln/v1/+/+/sim/fault')).toEqual({ ok: false, reason: 'wildcard' });
    expect(maySubscribe(gateway, 'kiln/v1/bt01/#')).toEqual({ ok: false, reason: 'wildcard' });
  });
});
