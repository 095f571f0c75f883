// Hardening through the real service (app.inject against a real broker and InfluxDB): security
// headers and the CSP on the dashboard and the API, login and write rate limits, CSRF on writes
// made with the session cookie, the body limit, records saying who saved them, the audit log,
// and webhook targets refused at config load and at send time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb, waitFor, quietLog } from '../support/influx.ts';
import { startInProcess, withDefaultToken, type InProcess } from '../support/service.ts';
import { indexOpenFiring } from '../support/firings.ts';
import { buildApp } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { RecordStore } from '../../src/records/store.ts';
import { WebhookSender, DEFAULT_WEBHOOK_OPTIONS } from '../../src/alerts/webhooks.ts';

const WS = 'ws-hard';
const LOAD = { ware_kg: 800, furniture_kg: 300, products: [{ product: 'cup', pieces: 400 }], recorded_at_ms: 1_600_000_000_000, by: 'Anh Tuấn' };
const PASSWORD = 'a-long-enough-password';
const LOGIN_LIMIT = 3;

interface Answer { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string; json<T = Record<string, unknown>>(): T }

/** `name=value; …` of the cookies a response sets, to send back as a Cookie header. */
const cookiesOf = (res: Answer) => [res.headers['set-cookie'] ?? []].flat().map((c) => String(c).split(';')[0]).join('; ');

describe('hardening: headers, rate limits, CSRF, body limit, who saved, audit log, webhook targets', () => {
  let svc: InProcess;
  let ownerToken: string;
  const login = (username: string, password: string, ip = '127.0.0.1') =>
    svc.app.inject({ method: 'POST', url: '/api/auth/login', headers: { authorization: '' }, remoteAddress: ip, payload: { username, password } }) as unknown as Promise<Answer>;

  beforeAll(async () => {
    svc = await startInProcess({
      INFLUX_DATABASE: uniqueDb('hard'), RATE_LIMIT_LOGIN_PER_MIN: String(LOGIN_LIMIT), RATE_LIMIT_WRITES_PER_MIN: '1000', HTTP_BODY_LIMIT_KB: '4',
    }, inject('influxUrl'));
    const access = svc.runtime.access;
    for (const username of ['lan', 'guessed', 'busy-ip-1', 'busy-ip-2', 'busy-ip-3', 'busy-ip-4']) await access.createUser({ username, role: 'admin', password: PASSWORD });
    const owner = (await access.createUser({ username: 'owner-hoa', role: 'owner', workshops: [WS], password: PASSWORD })).user;
    ownerToken = access.createToken(owner.id, 'test').token;
    await indexOpenFiring(svc.runtime.index, WS, 'k1', 'F1'); // a load is saved only for a firing that exists
  });
  afterAll(() => svc?.stop());

  it('sends security headers and a CSP without inline script on API answers, the dashboard and Swagger UI (its own, laxer for styles)', async () => {
    const api = await svc.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(api.headers['content-security-policy']);
    expect(csp).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
    expect(csp).toMatch(/script-src-attr 'none'/);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
    expect(api.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' });

    // The dashboard's own index.html, served as the built one is; it has no inline script to allow.
    const html = readFileSync(new URL('../../dashboard/index.html', import.meta.url), 'utf8');
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).every((tag) => / src="\/[^"]+"/.test(tag))).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dash-'));
    writeFileSync(join(dir, 'index.html'), html);
    const app: FastifyInstance = await buildApp(svc.runtime, { dashboard_dir: dir });
    withDefaultToken(app, svc.adminToken);
    try {
      const page = await app.inject({ method: 'GET', url: '/kilns/ws/k1' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/<main id="app"[ >]/);
      expect(page.headers['content-security-policy']).toBe(csp);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }

    const docs = await svc.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    const docsCsp = String(docs.headers['content-security-policy']);
    expect(docsCsp).toMatch(/script-src 'self';/);
    expect(docsCsp).toMatch(/style-src 'self' 'unsafe-inline'/);
  });

  it('limits login attempts per username and per address: 429 after the limit, even with the right password', async () => {
    // One username from many addresses: a guesser spreading out.
    for (let i = 0; i < LOGIN_LIMIT; i++) expect((await login('guessed', `wrong-${i}`, `10.1.0.${i + 1}`)).statusCode).toBe(401);
    const limited = await login('guessed', PASSWORD, '10.1.0.99');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/too many login attempts; try again in \d+ s/) as unknown });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // One address trying many usernames.
    for (let i = 1; i <= LOGIN_LIMIT; i++) expect((await login(`busy-ip-${i}`, 'wrong-password', '10.2.0.1')).statusCode).toBe(401);
    expect((await login('busy-ip-4', PASSWORD, '10.2.0.1')).statusCode).toBe(429);
    // Another user from another address is not held up.
    expect((await login('busy-ip-4', PASSWORD, '10.3.0.1')).statusCode).toBe(200);
  });

  it('a write with the session cookie needs x-csrf-token (403 without, 200 with); an API token needs none; records say the logged-in user', async () => {
    const session = cookiesOf(await login('lan', PASSWORD, '10.4.0.1'));
    expect(session).toMatch(/kiln_session=/);
    const url = `/api/workshops/${WS}/kilns/k1/firings/F1/load`;
    const without = await svc.app.inject({ method: 'PUT', url, headers: { cookie: session }, payload: LOAD });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error: 'csrf', message: expect.stringMatching(/x-csrf-token/) as unknown });

    const got = await svc.app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { cookie: session } }) as unknown as Answer;
    expect(got.statusCode).toBe(200);
    const { token } = got.json<{ token: string }>();
    const cookie = `${session}; ${cookiesOf(got)}`;
    const wrong = await svc.app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': `${token}x` }, payload: LOAD });
    expect(wrong.statusCode).toBe(403);
    const ok = await svc.app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': token }, payload: LOAD });
    expect(ok.statusCode, ok.body).toBe(200);
    // The body said "Anh Tuấn" at 2020-09-13: the record says who was logged in, and when it was saved.
    const saved = ok.json<{ by: string; saved_at_ms: number; load: { by: string; recorded_at_ms: number } }>();
    expect(saved.by).toBe('lan');
    expect(saved.load.by).toBe('lan');
    expect(saved.load.recorded_at_ms).toBeGreaterThan(Date.now() - 60_000);

    // An API token (the default admin one): no CSRF token, and the token's user is recorded.
    const byToken = await svc.app.inject({ method: 'PUT', url: '/api/prices', payload: { prices: [{ valid_from: '2020-01-01', vnd_per_kg: 30_000, source: 'test' }], by: 'Someone else' } });
    expect(byToken.statusCode, byToken.body).toBe(200);
    expect(byToken.json()).toMatchObject({ by: 'test-admin' });
    // Alert settings and acknowledgements too; the settings' history says who changed what.
    const settings = await svc.app.inject({ method: 'PUT', url: `/api/workshops/${WS}/kilns/k1/alert-settings`, headers: { cookie, 'x-csrf-token': token }, payload: { by: 'x', settings: { spread_c: 150 } } });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json()).toMatchObject({ by: 'lan', source: 'saved' });
    const hist = await svc.app.inject({ method: 'GET', url: `/api/workshops/${WS}/kilns/k1/alert-settings/history` });
    expect(hist.json()).toMatchObject({ versions: [{ by: 'lan', overrides: { spread_c: 150 } }] });
    // Logging out with the cookie is a change too; logging in is exempt (above: no token).
    expect((await svc.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(403);
  });

  it('still reads a record written by the previous version, with a free-text `by`', async () => {
    const ref = { kind: 'load' as const, workshop: WS, kiln: 'k2', key: 'OLD-1' };
    const old = { ...LOAD, by: 'Anh Tuấn (sổ cũ)' };
    await new RecordStore(svc.runtime.store).save(ref, old.by, old);
    const res = await svc.app.inject({ method: 'GET', url: `/api/workshops/${WS}/kilns/k2/firings/OLD-1/load` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ by: 'Anh Tuấn (sổ cũ)', load: old });
  });

  it('answers 413 in the shared error shape for a body over HTTP_BODY_LIMIT_KB', async () => {
    const big = { ...LOAD, products: Array.from({ length: 150 }, (_, i) => ({ product: `product number ${i} with a long name`, pieces: 1 })) };
    expect(JSON.stringify(big).length).toBeGreaterThan(4096);
    const res = await svc.app.inject({ method: 'PUT', url: `/api/workshops/${WS}/kilns/k1/firings/F1/load`, payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload_too_large', message: expect.stringMatching(/over the limit of 4 KiB/) as unknown });
  });

  it('keeps an audit log of writes and login attempts that an admin reads and an owner may not', async () => {
    type Entry = { kind: string; user: string | null; method: string; route: string; workshop: string | null; status: number; outcome: string; ip: string };
    let entries: Entry[] = [];
    await waitFor(async () => {
      const res = await svc.app.inject({ method: 'GET', url: '/api/audit?limit=500' });
      entries = res.json<{ entries: Entry[] }>().entries;
      return entries.some((e) => e.kind === 'write' && e.user === 'lan' && e.status === 200) && entries.some((e) => e.kind === 'login' && e.user === 'guessed' && e.outcome === 'limited');
    }, 10_000, 'audit entries');
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'write', user: 'lan', method: 'PUT', route: '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/load', workshop: WS, status: 200, outcome: 'ok' }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'write', user: 'lan', status: 403, outcome: 'failed' })); // the one without a CSRF token
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'write', user: 'test-admin', route: '/api/prices', workshop: null, status: 200 }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'login', user: 'guessed', status: 401, outcome: 'failed', ip: '10.1.0.1' }));
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'login', user: 'lan', status: 200, outcome: 'ok' }));
    expect(entries.filter((e) => e.kind === 'login' && e.user === 'guessed')).toHaveLength(LOGIN_LIMIT + 1);
    const times = entries.map((e) => (e as unknown as { at_ms: number }).at_ms);
    expect(times).toEqual([...times].sort((a, b) => b - a)); // newest first

    const owner = await svc.app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${ownerToken}` } });
    expect(owner.statusCode).toBe(403);
    expect((await svc.app.inject({ method: 'GET', url: '/api/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z' })).statusCode).toBe(400);
  });

  it('leaves reads, /metrics and /api/health unlimited', async () => {
    for (let i = 0; i < 30; i++) expect((await svc.app.inject({ method: 'GET', url: '/api/health', headers: { authorization: '' } })).statusCode).toBe(200);
    expect((await svc.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: '' } })).statusCode).toBe(200);
  });
});

describe('writes per caller', () => {
  it('answers 429 once a caller has made RATE_LIMIT_WRITES_PER_MIN changes in a minute; another caller goes on', async () => {
    const svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('hard_writes'), RATE_LIMIT_WRITES_PER_MIN: '3' }, inject('influxUrl'));
    try {
      const other = (await svc.runtime.access.createUser({ username: 'other', role: 'admin', password: PASSWORD })).user;
      const otherToken = svc.runtime.access.createToken(other.id, 'test').token;
      const put = (headers: Record<string, string> = {}) => svc.app.inject({ method: 'PUT', url: '/api/prices', headers, payload: { prices: [{ valid_from: '2020-01-01', vnd_per_kg: 1, source: 'x' }] } });
      for (let i = 0; i < 3; i++) expect((await put()).statusCode).toBe(200);
      const over = await put();
      expect(over.statusCode).toBe(429);
      expect(over.json()).toMatchObject({ error: 'too_many_requests' });
      expect((await put({ authorization: `Bearer ${otherToken}` })).statusCode).toBe(200);
      expect((await svc.app.inject({ method: 'GET', url: '/api/prices' })).statusCode).toBe(200); // reads go on
    } finally {
      await svc.stop();
    }
  });
});

describe('webhook targets', () => {
  it('refuses loopback, link-local and metadata URLs at config load unless ALERT_WEBHOOK_ALLOW_LOCAL; allows LAN ones', () => {
    for (const url of ['http://127.0.0.1:9000/hook', 'http://localhost/hook', 'http://169.254.169.254/latest/meta-data', 'http://169.254.10.1/x', 'http://[::1]:80/x', 'http://[fe80::1]/x', 'http://0.0.0.0/x', 'http://[::ffff:127.0.0.1]/x']) {
      let err: unknown = null;
      try { loadConfig({ ALERT_WEBHOOK_URLS: `https://chat.example.org/hook, ${url}` }); } catch (e) { err = e; }
      expect(err, url).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).lines.join('\n'), url).toMatch(/^ALERT_WEBHOOK_URLS: .*ALERT_WEBHOOK_ALLOW_LOCAL=true/);
    }
    expect(() => loadConfig({ ALERT_WEBHOOK_URLS: 'ftp://192.168.1.5/x' })).toThrow(ConfigError);
    expect(loadConfig({ ALERT_WEBHOOK_URLS: 'http://192.168.1.10:8080/hook,http://10.0.0.2/x,https://chat.example.org/h' }).ALERT_WEBHOOK_URLS).toContain('192.168.1.10');
    expect(loadConfig({ ALERT_WEBHOOK_URLS: 'http://127.0.0.1:9000/hook', ALERT_WEBHOOK_ALLOW_LOCAL: 'true' }).ALERT_WEBHOOK_ALLOW_LOCAL).toBe(true);
  });

  it('refuses at send time a name that resolves to loopback (dropped and counted at once, never retried); allowed with allow_local', async () => {
    const got: string[] = [];
    const server: Server = createServer((req, res) => { let b = ''; req.on('data', (d: Buffer) => { b += d.toString(); }); req.on('end', () => { got.push(b); res.end('ok'); }); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const warnings: string[] = [];
    const log = { ...quietLog, warn: (m: string) => { warnings.push(m); } };
    const opts = { ...DEFAULT_WEBHOOK_OPTIONS, base_delay_ms: 10, max_attempts: 5 };
    const refused = new WebhookSender({ ...opts, urls: [`http://localhost:${port}/hook`, `http://127.0.0.1:${port}/hook`, 'http://169.254.169.254/latest'] }, log);
    const allowed = new WebhookSender({ ...opts, urls: [`http://localhost:${port}/hook`], allow_local: true }, log);
    try {
      refused.send({ n: 1 });
      refused.send({ n: 2 });
      await waitFor(() => refused.stats().refused === 6, 5000, 'every send refused');
      expect(refused.stats()).toMatchObject({ delivered: 0, retries: 0, failed: 0, refused: 6, queued: 0 });
      expect(refused.stats().last_error).toMatch(/loopback|metadata/);
      expect(warnings.filter((w) => /refused/.test(w))).toHaveLength(1); // logged once, then counted
      allowed.send({ n: 3 });
      await waitFor(() => allowed.stats().delivered === 1, 5000, 'delivered with allow_local');
      expect(got).toEqual(['{"n":3}']);
    } finally {
      refused.close();
      allowed.close();
      server.close();
    }
  });
});
