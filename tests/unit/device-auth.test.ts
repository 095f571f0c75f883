// The embedded broker's credential rules (pure parts): who connects, what anonymous clients may
// subscribe to, where a new credential is told to connect, and that its sample reading decodes.
import { describe, expect, it, vi } from 'vitest';
import type { Client } from 'aedes';
import { anonymousMaySubscribe, BAD_USERNAME_OR_PASSWORD, DeviceAuth, NOT_AUTHORIZED } from '../../src/adapters/mqtt/device-auth.ts';
import { brokerAddress, sampleTelemetry, shellQuote } from '../../src/http/device-routes.ts';
import { decodeMessage } from '../../src/domain/decode.ts';
import { loadConfig } from '../../src/config.ts';

const client = () => ({ id: 'c' }) as unknown as Client;
const grants = new Map([['ws.K01', { workshop: 'ws', kiln: 'K01', secret: 's1' }]]);
const auth = (allow_anonymous: boolean, live = true) => new DeviceAuth({
  allow_anonymous,
  checkDevice: (u, s) => { const g = grants.get(u); return g && g.secret === s ? g : null; },
  isLive: () => live,
});

describe('DeviceAuth', () => {
  it('lets a device in with its own secret only; anonymous only when allowed', () => {
    const a = auth(false);
    expect(a.connect(client(), 'ws.K01', Buffer.from('s1'))).toBeNull();
    expect(a.connect(client(), 'ws.K01', Buffer.from('s2'))).toBe(BAD_USERNAME_OR_PASSWORD);
    expect(a.connect(client(), 'ws.K01', undefined)).toBe(BAD_USERNAME_OR_PASSWORD);
    expect(a.connect(client(), 'nobody', Buffer.from('s1'))).toBe(BAD_USERNAME_OR_PASSWORD);
    expect(a.connect(client(), undefined, undefined)).toBe(NOT_AUTHORIZED);
    expect(a.connect(client(), '', undefined)).toBe(NOT_AUTHORIZED);
    expect(auth(true).connect(client(), undefined, undefined)).toBeNull();
  });

  it('applies the credential\'s topics; a client it does not know has none', () => {
    const a = auth(true);
    const dev = client(), anon = client();
    a.connect(dev, 'ws.K01', Buffer.from('s1'));
    a.connect(anon, undefined, undefined);
    expect(a.publish(dev, 'kiln/v1/ws/K01/telemetry')).toEqual({ ok: true });
    expect(a.publish(dev, 'kiln/v1/ws/K02/telemetry')).toEqual({ ok: false, reason: 'not_own_topic' });
    expect(a.publish(anon, 'kiln/v1/ws/K02/telemetry')).toEqual({ ok: true }); // left to the publish policy
    expect(a.subscribe(dev, '#')).toMatchObject({ ok: false });
    expect(a.publish(client(), 'kiln/v1/ws/K01/telemetry')).toEqual({ ok: false, reason: 'unknown_client' });
    expect(a.describe(dev)).toBe('ws.K01');
  });

  it('takes the rights of a credential revoked while connected, within a second', () => {
    let live = true;
    const a = new DeviceAuth({ allow_anonymous: false, checkDevice: () => ({ workshop: 'ws', kiln: 'K01' }), isLive: () => live });
    const dev = client();
    a.connect(dev, 'ws.K01', Buffer.from('x'));
    live = false;
    expect(a.publish(dev, 'kiln/v1/ws/K01/telemetry')).toEqual({ ok: true }); // checked less than a second ago
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 1001);
    try {
      expect(a.publish(dev, 'kiln/v1/ws/K01/telemetry')).toEqual({ ok: false, reason: 'revoked' });
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses anonymous subscriptions to every topic and to $SYS, keeps the rest', () => {
    for (const f of ['#', '+/x', '+/+/#', '$SYS/#', '$share/g/kiln/v1/#']) expect(anonymousMaySubscribe(f).ok, f).toBe(false);
    for (const f of ['kiln/v1/+/+/alert', 'kiln/v1/ws/#', 'kiln/v1/ws/K01/sim/fault']) expect(anonymousMaySubscribe(f).ok, f).toBe(true);
  });
});

describe('a new credential\'s connection details', () => {
  const cfg = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/x', ...env });
  it('names the embedded broker by the request\'s host when it listens on every address', () => {
    expect(brokerAddress(cfg({ MQTT_EMBEDDED_PORT: '1884' }), { hostname: 'kiln.local:8080' })).toEqual({ scheme: 'mqtt', host: 'kiln.local', port: 1884 });
    expect(brokerAddress(cfg({}), { hostname: '[fd00::5]:8080' })).toEqual({ scheme: 'mqtt', host: 'fd00::5', port: 1883 });
    expect(brokerAddress(cfg({ MQTT_EMBEDDED_HOST: '192.168.1.20' }), { hostname: 'x' })).toEqual({ scheme: 'mqtt', host: '192.168.1.20', port: 1883 });
    expect(brokerAddress(cfg({ MQTT_URL: 'mqtts://broker.example:8883' }), { hostname: 'x' })).toEqual({ scheme: 'mqtts', host: 'broker.example', port: 8883 });
    expect(brokerAddress(cfg({ MQTT_URL: 'mqtt://10.0.0.2' }), { hostname: 'x' })).toEqual({ scheme: 'mqtt', host: '10.0.0.2', port: 1883 });
  });

  it('gives a sample reading the decoder takes whole', () => {
    const now = Date.now();
    const payload = JSON.stringify(sampleTelemetry(now));
    const d = decodeMessage('kiln/v1/ws/K01/telemetry', payload, payload.length, now, { max_payload_bytes: 262144, max_future_ms: 300_000, max_past_ms: 86_400_000 });
    expect(d.rejects).toEqual([]);
    expect(d.points.length).toBe(3);
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});
