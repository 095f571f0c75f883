// `npm run users`: the real command in a child process on a fresh DATA_DIR (no service has run
// there yet), then the service started on that same access file takes what it made: the
// token, the user's workshops, the registry.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';

interface Run { code: number | null; stdout: string; stderr: string }

function run(dataDir: string, args: string[], opts: { stdin?: string; npm?: boolean } = {}): Promise<Run> {
  const [cmd, argv] = opts.npm ? ['npm', ['run', '-s', 'users', '--', ...args]] as const : [process.execPath, ['--import', 'tsx', 'src/cli/users.ts', ...args]] as const;
  const p = spawn(cmd, [...argv], { env: { ...process.env, DATA_DIR: dataDir, ACCESS_FILE: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  p.stdin.end(opts.stdin ?? '');
  return new Promise((r) => p.once('exit', (code) => r({ code, stdout, stderr })));
}

describe('npm run users', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-users-'));
  let svc: InProcess;
  let token = '';
  let lanPassword = '';

  beforeAll(async () => {
    const admin = await run(dataDir, ['add', 'boss', '--role', 'admin', '--password-stdin'], { stdin: 'boss-password-1\n' });
    expect(admin, admin.stderr).toMatchObject({ code: 0, stdout: '' });
    const lan = await run(dataDir, ['add', 'lan', '--role', 'owner', '--workshop', 'bt01', '--workshop', 'bt02']);
    expect(lan.code, lan.stderr).toBe(0);
    lanPassword = lan.stdout.trim(); // the one-time password, alone on stdout
    expect(lanPassword).toMatch(/^\S{12,}$/);
    expect((await run(dataDir, ['workshop', 'bt01', '--name', 'Lò Lan', '--village', 'Bát Tràng'])).code).toBe(0);
    const t = await run(dataDir, ['token', 'lan', '--name', 'pi'], { npm: true });
    expect(t.code, t.stderr).toBe(0);
    token = t.stdout.trim();
    expect(token).toMatch(/^kt_\S+$/);
    svc = await startInProcess({ DATA_DIR: dataDir, INFLUX_DATABASE: uniqueDb('users_cli') }, inject('influxUrl'));
  }, 60_000);
  afterAll(async () => {
    await svc?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes users, tokens and workshops the service takes', async () => {
    const me = await svc.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'lan', role: 'owner', workshops: ['bt01', 'bt02'], must_change_password: true, via: 'token' });
    const ws = await svc.app.inject({ method: 'GET', url: '/api/workshops', headers: { authorization: `Bearer ${token}` } });
    expect(ws.json()).toEqual({ workshops: [{ id: 'bt01', name: 'Lò Lan', village: 'Bát Tràng' }] });
    const login = await svc.app.inject({ method: 'POST', url: '/api/auth/login', headers: { authorization: '' }, payload: { username: 'boss', password: 'boss-password-1' } });
    expect(login.statusCode).toBe(200);
    const list = await run(dataDir, ['list']);
    expect(list.stdout).toMatch(/^boss\s+admin\s.*active/m);
    expect(list.stdout).toMatch(/^lan\s+owner\s+workshops=bt01,bt02\s.*one-time password/m);
  });

  it('revokes a token and disables a user, and the service stops taking them within a second', async () => {
    const tokens = await run(dataDir, ['tokens', 'lan']);
    const id = tokens.stdout.split(/\s+/)[0]!;
    expect(id).toMatch(/^t-/);
    expect((await run(dataDir, ['revoke-token', id])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the access file is re-read at most once a second
    expect((await svc.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    const t2 = (await run(dataDir, ['token', 'lan'])).stdout.trim();
    expect((await run(dataDir, ['disable', 'lan'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await svc.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${t2}` } })).statusCode).toBe(401);
    const reset = await run(dataDir, ['passwd', 'boss']);
    expect(reset.stdout.trim()).toMatch(/^\S{12,}$/);
  });

  it('refuses bad input with one line and exit 2, never a stack trace', async () => {
    for (const args of [['add', 'x', '--role', 'boss'], ['add', 'lan', '--role', 'owner'], ['frob'], ['disable', 'nobody'], ['workshop', 'w 1', '--name', 'n', '--village', 'v'], ['token'], ['add', 'y', '--role', 'owner', '--bogus']]) {
      const r = await run(dataDir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: /);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('never disables the last admin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-users-'));
    try {
      expect((await run(dir, ['add', 'solo', '--role', 'admin'])).code).toBe(0);
      const r = await run(dir, ['disable', 'solo']);
      expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/last admin/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
