// The access file: secrets kept only as hashes, changes seen by a second process's store, the
// last admin kept, one-time passwords to change, tokens revocable.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessService, AccessError } from '../../../src/access/service.ts';
import { AccessStore, AccessFileError } from '../../../src/access/store.ts';

const dirs: string[] = [];
const fresh = () => { const d = mkdtempSync(join(tmpdir(), 'kiln-access-')); dirs.push(d); return join(d, 'access.json'); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('access file', () => {
  it('first admin: one-time password that works once checked, must be changed, never stored in clear', async () => {
    const file = fresh();
    const svc = AccessService.open(file);
    const first = await svc.ensureFirstAdmin();
    expect(first?.username).toBe('admin');
    expect(await svc.ensureFirstAdmin()).toBeNull(); // only once
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(first!.one_time_password);
    const u = await svc.checkLogin('admin', first!.one_time_password);
    expect(u?.must_change_password).toBe(true);
    expect(await svc.checkLogin('admin', 'wrong-password')).toBeNull();
    expect(await svc.checkLogin('nobody', 'whatever-password')).toBeNull();
    await svc.setPassword(u!.id, 'a-new-password-1');
    expect((await svc.checkLogin('admin', 'a-new-password-1'))?.must_change_password).toBe(false);
    expect(await svc.checkLogin('admin', first!.one_time_password)).toBeNull();
  });

  it('a second store on the same file (another instance) sees a revoked token within its reload time', async () => {
    const file = fresh();
    const a = new AccessService(new AccessStore(file, 0));
    const b = new AccessService(new AccessStore(file, 0));
    const { user } = await a.createUser({ username: 'owner1', role: 'owner', workshops: ['bt01'], password: 'owner1-password' });
    const { token, record } = a.createToken(user.id, 'script');
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(b.checkToken(token)?.user.username).toBe('owner1');
    a.revokeToken(record.id);
    expect(b.checkToken(token)).toBeNull();
    expect(b.checkToken('kt_not-a-token')).toBeNull();
  });

  it('a token or device made elsewhere works at once, though the file is otherwise re-read once a second', async () => {
    const file = fresh();
    const a = new AccessService(new AccessStore(file, 60_000));
    const b = new AccessService(new AccessStore(file, 60_000)); // would not look again for a minute
    expect(b.users()).toEqual([]); // b reads the file before anyone exists, and keeps it...
    const { user } = await a.createUser({ username: 'ops', role: 'admin', password: 'ops-password-1' });
    expect(b.users()).toEqual([]); // ...for its reload time
    const { token } = a.createToken(user.id, 'script');
    const { device, secret } = a.createDevice('bt01', 'K1');
    await new Promise((r) => setTimeout(r, 150));
    expect(b.checkToken(token)?.user.username).toBe('ops'); // ...but a miss looks again
    expect(b.checkDevice(device.username, secret)?.kiln).toBe('K1');
  });

  it('refuses a taken username, a short password, and removing the last admin', async () => {
    const svc = AccessService.open(fresh());
    await svc.ensureFirstAdmin();
    await expect(svc.createUser({ username: 'Admin', role: 'owner' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(svc.createUser({ username: 'x1', role: 'owner', password: 'short' })).rejects.toBeInstanceOf(AccessError);
    const admin = svc.userByName('admin')!;
    expect(() => svc.updateUser(admin.id, { role: 'owner' })).toThrow(/last admin/);
    expect(() => svc.updateUser(admin.id, { disabled: true })).toThrow(/last admin/);
    expect(svc.userByName('admin')?.role).toBe('admin'); // nothing written on a refused change
  });

  it('device credentials: secret checked by hash, a Mosquitto $7$ hash beside it, revocable', () => {
    const svc = AccessService.open(fresh());
    const { device, secret } = svc.createDevice('bt01', 'K1');
    expect(device.username).toBe('bt01.K1');
    expect(device.mosquitto_hash).toMatch(/^\$7\$101\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}$/);
    expect(svc.checkDevice('bt01.K1', secret)?.kiln).toBe('K1');
    expect(svc.checkDevice('bt01.K1', secret + 'x')).toBeNull();
    expect(svc.createDevice('bt01', 'K1').device.username).toBe('bt01.K1.2');
    expect(svc.createDevice('bt01', null).device.username).toBe('bt01.gateway');
    svc.revokeDevice('bt01.K1');
    expect(svc.checkDevice('bt01.K1', secret)).toBeNull();
  });

  it('a damaged access file is a clear error, not a silent empty one', () => {
    const file = fresh();
    writeFileSync(file, '{"version":1,"users":"oops"}');
    expect(() => new AccessStore(file).get()).toThrow(AccessFileError);
    expect(() => new AccessStore(file).get()).toThrow(/not valid/);
  });
});
