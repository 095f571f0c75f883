import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults with no settings at all', () => {
    const c = loadConfig({});
    expect(c.MQTT_URL).toBeUndefined();
    expect(c.INFLUX_URL).toBeUndefined();
    expect(c.MQTT_EMBEDDED_PORT).toBe(1883);
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.SPOOL_MAX_MB).toBe(1024);
  });

  it('reads numbers and booleans from strings', () => {
    const c = loadConfig({ HTTP_PORT: '9000', SPOOL_FSYNC: 'true', MQTT_URL: 'mqtt://10.0.0.5:1883' });
    expect(c.HTTP_PORT).toBe(9000);
    expect(c.SPOOL_FSYNC).toBe(true);
    expect(c.MQTT_URL).toBe('mqtt://10.0.0.5:1883');
  });

  it('gives one readable line per bad key, naming the key and the value', () => {
    let err: unknown;
    try {
      loadConfig({ HTTP_PORT: '99999', MQTT_URL: 'http://x', INFLUX_RETENTION: 'forever', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as ConfigError).lines;
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('HTTP_PORT:'))).toContain('"99999"');
    expect(lines.find((l) => l.startsWith('MQTT_URL:'))).toContain('mqtt:');
    expect(lines.find((l) => l.startsWith('INFLUX_RETENTION:'))).toContain('INF');
    expect(lines.some((l) => l.startsWith('LOG_LEVEL:'))).toBe(true);
  });

  it('MQTT_SHARE_GROUP needs an external broker: refused with the embedded one, saying why', () => {
    expect(() => loadConfig({ MQTT_SHARE_GROUP: 'kiln' })).toThrow(/^MQTT_SHARE_GROUP: needs MQTT_URL: the embedded broker has no shared subscriptions/);
    expect(loadConfig({ MQTT_SHARE_GROUP: 'kiln', MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_CLIENT_ID: 'kiln-1' }).MQTT_SHARE_GROUP).toBe('kiln');
    expect(() => loadConfig({ MQTT_SHARE_GROUP: 'a/#', MQTT_URL: 'mqtt://127.0.0.1:1883' })).toThrow(/MQTT_SHARE_GROUP: must be 1 to 64 letters/);
  });

  it('reads CONFIG_FILE, with the environment winning, and refuses unknown keys there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ HTTP_PORT: 7000, INFLUX_DATABASE: 'bt' }));
    const c = loadConfig({ CONFIG_FILE: file, HTTP_PORT: '7001' });
    expect(c.HTTP_PORT).toBe(7001);
    expect(c.INFLUX_DATABASE).toBe('bt');
    writeFileSync(file, JSON.stringify({ HTTP_PROT: 7000 }));
    expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/unknown keys HTTP_PROT/);
    expect(() => loadConfig({ CONFIG_FILE: join(dir, 'missing.json') })).toThrow(/CONFIG_FILE: cannot read/);
  });

  it('keeps raw readings for ever by default; READINGS_RAW_DAYS takes days or forever and must outlast late readings and InfluxDB\'s own retention', () => {
    expect(loadConfig({})).toMatchObject({ READINGS_RAW_DAYS: 0, READINGS_AGG_DAYS: 0 });
    expect(loadConfig({ READINGS_RAW_DAYS: 'forever', READINGS_AGG_DAYS: 'forever' })).toMatchObject({ READINGS_RAW_DAYS: 0, READINGS_AGG_DAYS: 0 });
    expect(loadConfig({ READINGS_RAW_DAYS: '90', READINGS_AGG_DAYS: '3650', INFLUX_RETENTION: '52w' })).toMatchObject({ READINGS_RAW_DAYS: 90, READINGS_AGG_DAYS: 3650 });
    expect(() => loadConfig({ READINGS_RAW_DAYS: '30' })).toThrow(/READINGS_RAW_DAYS: must be more than INGEST_MAX_PAST_DAYS \(30\)/);
    expect(() => loadConfig({ READINGS_RAW_DAYS: '90', READINGS_AGG_DAYS: '60' })).toThrow(/READINGS_AGG_DAYS: must be 0 \(for ever\) or at least READINGS_RAW_DAYS/);
    expect(() => loadConfig({ READINGS_RAW_DAYS: '90', INFLUX_RETENTION: '12w' })).toThrow(/INFLUX_RETENTION: must be INF or longer than READINGS_RAW_DAYS/);
    expect(() => loadConfig({ READINGS_RAW_DAYS: 'never' })).toThrow(/READINGS_RAW_DAYS/);
  });
});
