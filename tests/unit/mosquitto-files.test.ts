// The Mosquitto password and ACL files made from the access file: live devices only, the
// service's own user, and the shipped example in step with what is made.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mosquittoFiles } from '../../src/access/mosquitto-files.ts';
import type { DeviceRecord } from '../../src/access/store.ts';

const dev = (username: string, workshop: string, kiln: string | null, revoked = false): DeviceRecord => ({
  username, workshop, kiln, sha256: 'x', mosquitto_hash: `$7$101$salt$${username}`, created_at_ms: 0, revoked_at_ms: revoked ? 1 : null,
});
const body = (acl: string) => acl.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();

describe('mosquittoFiles', () => {
  const devices = [dev('bt-minh-long.K01', 'bt-minh-long', 'K01'), dev('bt-minh-long.gateway', 'bt-minh-long', null), dev('bt-minh-long.K02', 'bt-minh-long', 'K02', true)];

  it('lists every live device and the service in the password file, no revoked one', () => {
    const f = mosquittoFiles(devices, { username: 'kiln-monitor', mosquitto_hash: '$7$101$s$h' });
    expect(f.passwd.trim().split('\n')).toEqual(['kiln-monitor:$7$101$s$h', 'bt-minh-long.gateway:$7$101$salt$bt-minh-long.gateway', 'bt-minh-long.K01:$7$101$salt$bt-minh-long.K01']);
    expect(f.acl).not.toContain('K02');
  });

  it('makes what config/mosquitto-acl.example shows', () => {
    const f = mosquittoFiles(devices, { username: 'kiln-monitor', mosquitto_hash: null });
    const example = readFileSync(new URL('../../config/mosquitto-acl.example', import.meta.url), 'utf8');
    expect(body(f.acl)).toBe(body(example));
    expect(f.passwd).not.toContain('kiln-monitor'); // no password given: added by hand with mosquitto_passwd
  });

  it('gives a device nothing outside its own kiln, and no one # or $SYS', () => {
    const { acl } = mosquittoFiles(devices, null);
    expect(acl).not.toMatch(/^topic .*(#|\$SYS)/m);
    expect(acl).not.toMatch(/^pattern /m);
    expect(acl).not.toMatch(/^user kiln-monitor/m);
    expect(acl).toMatch(/^user bt-minh-long\.K01\ntopic write kiln\/v1\/bt-minh-long\/K01\/telemetry$/m);
  });
});
