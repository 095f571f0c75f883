// Who may call what, and who sees what. The matrix is generated from the routes the app
// registered, each with the access it declares, so a new route is in it the day it is added:
// without a login a non-public route answers 401, a role without the permission 403, a role
// with it anything but 401/403 (fake parameters may well give 400 or 404). Then two workshops
// with real readings through the embedded broker: workshop A's owner never sees B's kilns,
// alerts, figures or rejects, not in lists, not on the streams, not by naming B in a URL.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registeredRoutes } from '../../src/app.ts';
import { may, ROLES, type Permission, type Role } from '../../src/domain/access/roles.ts';
import { connectDevice, type Device } from '../support/device.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { openSse } from '../support/sse.ts';
import type { LiveSnapshot } from '../../src/live/hub.ts';
import type { Alert } from '../../src/domain/alerts/types.ts';

const A = 'ws-a', B = 'ws-b', KA = 'ka', KB = 'kb';
const MATRIX_WS = 'ws-matrix'; // nobody's workshop: an admin's handler runs, the others get the scope's 404

describe('access control', () => {
  let svc: InProcess;
  let base = '';
  let device: Device;
  const tokens = {} as Record<Role, string>;
  const bearer = (role: Role | null): Record<string, string> => role ? { authorization: `Bearer ${tokens[role]}` } : {};
  const call = async (role: Role | null, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method, headers: { ...bearer(role), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000),
    });
    const text = url.endsWith('/stream') ? '' : await res.text();
    if (url.endsWith('/stream')) await res.body?.cancel();
    return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
  };

  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('access') }, inject('influxUrl'));
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = svc.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const access = svc.runtime.access;
    access.putWorkshop({ id: A, name: 'Lò Minh Long', village: 'Bát Tràng' });
    access.putWorkshop({ id: B, name: 'Lò Phúc Lợi', village: 'Phù Lãng' });
    const who: Record<Role, { workshops: string[]; villages: string[] }> = {
      owner: { workshops: [A], villages: [] }, technician: { workshops: [A], villages: [] },
      adviser: { workshops: [], villages: ['Bát Tràng'] }, admin: { workshops: [], villages: [] },
    };
    for (const role of ROLES) {
      const { user } = await access.createUser({ username: `t-${role}`, role, ...who[role], password: `${role}-password-1` });
      tokens[role] = access.createToken(user.id, 'tests').token;
    }
    device = await connectDevice(svc.mqttUrl, `access-test-${process.pid}`, { clean: true });
  });
  afterAll(async () => {
    await device?.close();
    await svc?.stop();
  });

  describe('every route × every role (from the app\'s own route list)', () => {
    const fill = (url: string) => url
      .replace(':workshop', MATRIX_WS).replace(':kiln', 'k-none').replace(':firing_id', 'f-none')
      .replace(/:[a-z_]+/g, 'x-none').replace(/\*$/, 'index.html');

    it('answers 401 without a login, 403 to a role without the permission, and lets the others through', async () => {
      const routes = registeredRoutes.get(svc.app)!.filter((r) => r.method !== 'HEAD');
      expect(routes.length).toBeGreaterThan(30);
      const wrong: string[] = [];
      for (const r of routes) {
        const access = r.access ?? 'public'; // only the docs' and dashboard's files are left unmarked (the auth plugin marks them public)
        const url = fill(r.url);
        const anon = await call(null, r.method, url);
        if (access === 'public' ? [401, 403].includes(anon.status) : anon.status !== 401) wrong.push(`${r.method} ${r.url} no login → ${anon.status}`);
        for (const role of ROLES) {
          const allowed = access === 'public' || access === 'user' || may({ user_id: '', username: '', role, workshops: [], villages: [] }, access as Permission);
          const res = await call(role, r.method, url);
          if (allowed ? [401, 403].includes(res.status) : res.status !== 403) wrong.push(`${r.method} ${r.url} ${role} (${access}) → ${res.status} ${res.text.slice(0, 100)}`);
        }
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  });

  describe('users, tokens and the workshops registry', () => {
    it('adds a user with a one-time password, changes and resets them; a taken name is 409', async () => {
      const made = await call('admin', 'POST', '/api/users', { username: 'hoa', role: 'technician', workshops: [A] });
      expect(made.status).toBe(201);
      const { user, one_time_password } = made.json<{ user: { id: string; must_change_password: boolean }; one_time_password: string }>();
      expect(one_time_password).toMatch(/\S{12,}/);
      expect(user.must_change_password).toBe(true);
      expect(made.text).not.toMatch(/password_hash|scrypt/);
      expect((await call('admin', 'POST', '/api/users', { username: 'hoa', role: 'owner' })).status).toBe(409);
      expect((await call('admin', 'POST', '/api/users', { username: 'Bad Name', role: 'owner' })).json()).toMatchObject({ error: 'bad_request' });
      const patched = await call('admin', 'PATCH', `/api/users/${user.id}`, { role: 'owner', workshops: [A, B] });
      expect(patched.json()).toMatchObject({ user: { role: 'owner', workshops: [A, B] } });
      expect((await call('admin', 'PATCH', '/api/users/u-none', { disabled: true })).status).toBe(404);
      const reset = await call('admin', 'POST', `/api/users/${user.id}/password-reset`);
      expect(reset.json<{ one_time_password: string }>().one_time_password).not.toBe(one_time_password);
      const users = (await call('admin', 'GET', '/api/users')).json<{ users: { username: string }[] }>().users.map((u) => u.username);
      expect(users).toEqual(expect.arrayContaining(['hoa', 't-owner', 't-admin']));
      expect((await call('owner', 'GET', '/api/users')).status).toBe(403);
    });

    it('never disables or demotes the last admin (409)', async () => {
      const access = svc.runtime.access;
      // Every admin but one disabled through the API, then that one refused both ways.
      const admins = access.users().filter((u) => u.role === 'admin' && u.disabled_at_ms === null);
      const keep = admins.find((u) => u.username === 't-admin')!;
      for (const u of admins) if (u.id !== keep.id) expect((await call('admin', 'PATCH', `/api/users/${u.id}`, { disabled: true })).status).toBe(200);
      const demote = await call('admin', 'PATCH', `/api/users/${keep.id}`, { role: 'owner' });
      expect(demote.status).toBe(409);
      expect(demote.json()).toMatchObject({ error: 'conflict', message: expect.stringMatching(/last admin/) });
      expect((await call('admin', 'PATCH', `/api/users/${keep.id}`, { disabled: true })).status).toBe(409);
      for (const u of admins) if (u.id !== keep.id) expect((await call('admin', 'PATCH', `/api/users/${u.id}`, { disabled: false })).status).toBe(200);
    });

    it('shows each their own tokens; the token itself only once; another\'s token is 404 to revoke', async () => {
      const made = await call('owner', 'POST', '/api/tokens', { name: 'pi script' });
      expect(made.status).toBe(201);
      const t = made.json<{ id: string; token: string }>();
      expect(t.token).toMatch(/^kt_/);
      const own = (await call('owner', 'GET', '/api/tokens')).json<{ tokens: { id: string; user_id: string }[] }>().tokens;
      expect(own.map((x) => x.id)).toContain(t.id);
      expect(new Set(own.map((x) => x.user_id)).size).toBe(1);
      expect(JSON.stringify(own)).not.toContain(t.token);
      const adminId = svc.runtime.access.userByName('t-admin')!.id;
      const asked = (await call('owner', 'GET', `/api/tokens?user_id=${adminId}`)).json<{ tokens: { user_id: string }[] }>().tokens;
      expect(asked.every((x) => x.user_id !== adminId)).toBe(true); // an owner's question about another user answers with their own
      expect((await call('admin', 'GET', `/api/tokens?user_id=${own[0]!.user_id}`)).json<{ tokens: { id: string }[] }>().tokens.map((x) => x.id)).toContain(t.id);
      const adminTokenId = svc.runtime.access.tokens(adminId)[0]!.id;
      expect((await call('owner', 'DELETE', `/api/tokens/${adminTokenId}`)).status).toBe(404);
      const second = (await call('owner', 'POST', '/api/tokens', { name: 'to revoke' })).json<{ id: string; token: string }>();
      expect((await call('owner', 'DELETE', `/api/tokens/${second.id}`)).status).toBe(200);
      expect((await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${second.token}` } })).status).toBe(401);
    });

    it('adds, renames and removes registry entries (manage_users)', async () => {
      expect((await call('admin', 'PUT', '/api/workshops/ws-tmp', { name: 'Tạm', village: 'Bát Tràng' })).json()).toEqual({ id: 'ws-tmp', name: 'Tạm', village: 'Bát Tràng' });
      expect((await call('adviser', 'GET', '/api/workshops')).json<{ workshops: { id: string }[] }>().workshops.map((w) => w.id)).toEqual([A, 'ws-tmp']);
      expect((await call('technician', 'PUT', '/api/workshops/ws-tmp', { name: 'x', village: 'y' })).status).toBe(403);
      expect((await call('admin', 'DELETE', '/api/workshops/ws-tmp')).status).toBe(200);
      expect((await call('admin', 'DELETE', '/api/workshops/ws-tmp')).status).toBe(404);
    });
  });

  describe('workshop A\'s owner and workshop B', () => {
    let seq = 0;
    const now = () => Date.now();
    const telemetryAt = (ts_ms: number) => JSON.stringify({ v: 1, ts_ms, seq: ++seq, temp_c: { z0: 850, z1: 840 }, gas: { burner: { kind: 'flow', flow_kg_h: 5 } } });
    const publish = (ws: string, kiln: string, kind: string, payload: string) => device.publish(`kiln/v1/${ws}/${kiln}/${kind}`, payload, seq);
    const s = (value: number) => ({ value, source: 'coal book', confidence: 'M' });
    const baseline = (workshop: string) => ({
      workshop, period: { from: '2004-01-01', to: '2004-12-31' },
      coal_kg_per_firing: s(2000), ware_kg_per_firing: s(1500), yield_pct: s(70), duration_h: s(30),
      coal_ncv_mj_per_kg: s(26.7), coal_price_vnd_per_kg: s(3000), co2_kg_per_kg_coal: s(2.6), recorded_at_ms: 1_700_000_000_000, by: 'Minh',
    });
    const firing = (ws: string, kiln: string) => `/api/workshops/${ws}/kilns/${kiln}/firings`;
    let liveA: Awaited<ReturnType<typeof openSse>>, alertsA: Awaited<ReturnType<typeof openSse>>;

    beforeAll(async () => {
      // Streams opened first: everything below must reach them filtered, not only their snapshots.
      liveA = await openSse(`${base}/api/live/stream`, bearer('owner'));
      alertsA = await openSse(`${base}/api/alerts/stream`, bearer('owner'));
      for (const [ws, kiln] of [[A, KA], [B, KB]] as const) {
        // Silent after 2 s: each kiln raises sensor_silent soon after its readings stop.
        expect((await call('admin', 'PUT', `/api/workshops/${ws}/kilns/${kiln}/alert-settings`, { by: 'test', settings: { silent_after_s: 2 } })).status).toBe(200);
        expect((await call('admin', 'POST', `/api/workshops/${ws}/baselines`, baseline(ws))).status).toBe(201);
        await publish(ws, kiln, 'status', JSON.stringify({ v: 1, state: 'online' }));
        const t0 = now() - 60_000;
        await publish(ws, kiln, 'event', JSON.stringify({ v: 1, ts_ms: t0, seq: ++seq, type: 'firing_start', firing_id: 'F1' }));
        for (let i = 0; i <= 6; i++) await publish(ws, kiln, 'telemetry', telemetryAt(t0 + i * 10_000));
        await publish(ws, kiln, 'telemetry', '{"not json');
      }
      await device.publish('kiln/v1/bad$id/k1/telemetry', telemetryAt(now()), ++seq); // names no valid workshop
      await waitFor(() => svc.runtime.live.snapshot().kilns.length === 2 && svc.runtime.pipeline.kilnStatus.size === 2, 10_000, 'both kilns live');
      await waitFor(() => new Set(svc.runtime.alerts.active().map((a) => a.workshop)).size === 2, 30_000, 'an alert in each workshop');
      await waitFor(() => svc.runtime.stats.recentRejects(10).length >= 3, 10_000, 'the rejects');
    }, 60_000);
    afterAll(async () => {
      await liveA?.close();
      await alertsA?.close();
    });

    it('answers 404 for B\'s firings, report, readings CSV, curve, alerts, alert settings, baselines and figures, which an admin gets', async () => {
      await waitFor(async () => (await call('admin', 'GET', `${firing(B, KB)}/F1`)).status === 200, 20_000, 'B\'s firing stored');
      const urls = [
        firing(B, KB), `${firing(B, KB)}/F1`, `${firing(B, KB)}/F1/readings.csv`, `${firing(B, KB)}/F1/curve`,
        `/api/workshops/${B}/alerts`, `/api/workshops/${B}/kilns/${KB}/alert-settings`, `/api/workshops/${B}/baselines`, `/api/workshops/${B}/firings-figures`,
      ];
      for (const url of urls) {
        expect((await call('admin', 'GET', url)).status, url).toBe(200);
        for (const role of ['owner', 'technician', 'adviser'] as const) {
          const res = await call(role, 'GET', url);
          expect(res.status, `${role} ${url}`).toBe(404);
          expect(res.text, url).not.toMatch(/Phúc Lợi/);
        }
        expect((await call('owner', 'GET', url.replaceAll(B, A).replaceAll(KB, KA))).status, url).toBe(200);
      }
      expect((await call('owner', 'PUT', `/api/workshops/${B}/kilns/${KB}/alert-settings`, { by: 'x', settings: { silent_after_s: 5 } })).status).toBe(404);
      expect((await call('owner', 'POST', `/api/workshops/${B}/kilns/${KB}/alerts/x/ack`, { by: 'x' })).status).toBe(404);
    });

    it('lists only A\'s kiln, alerts and registry entry in /api/live, /api/alerts, /api/workshops and health', async () => {
      const live = (await call('owner', 'GET', '/api/live')).json<LiveSnapshot>();
      expect(live.kilns.map((k) => k.workshop)).toEqual([A]);
      expect((await call('admin', 'GET', '/api/live')).json<LiveSnapshot>().kilns.map((k) => k.workshop).sort()).toEqual([A, B]);
      const alerts = (await call('owner', 'GET', '/api/alerts')).json<{ active: Alert[] }>().active;
      expect(alerts.length).toBeGreaterThan(0);
      expect(new Set(alerts.map((a) => a.workshop))).toEqual(new Set([A]));
      expect((await call('owner', 'GET', '/api/workshops')).json()).toEqual({ workshops: [{ id: A, name: 'Lò Minh Long', village: 'Bát Tràng' }] });
      expect((await call('adviser', 'GET', '/api/workshops')).json<{ workshops: { id: string }[] }>().workshops.map((w) => w.id)).toEqual([A]);
      expect((await call('admin', 'GET', '/api/workshops')).json<{ workshops: unknown[] }>().workshops).toHaveLength(2);
      const health = await call('owner', 'GET', '/api/health');
      const kilns = health.json<{ kilns: { workshop: string }[] }>().kilns;
      expect(kilns.map((k) => k.workshop)).toEqual([A]);
      expect(kilns[0]).toEqual({ workshop: A, kiln: KA, state: 'online', since_ms: expect.any(Number) });
      expect((await call(null, 'GET', '/api/health')).json<{ kilns: unknown[] }>().kilns).toEqual([]);
    });

    it('keeps B off both streams: snapshots and every event after them', async () => {
      await publish(A, KA, 'telemetry', telemetryAt(now()));
      await publish(B, KB, 'telemetry', telemetryAt(now()));
      await waitFor(() => liveA.events.filter((e) => e.event === 'kiln').length >= 2, 10_000, 'A\'s kiln events');
      await waitFor(() => alertsA.events.some((e) => e.event === 'raised'), 10_000, 'A\'s alert raised');
      // An admin's stream has B: so B's events were there to hide.
      const admin = await openSse(`${base}/api/live/stream`, bearer('admin'));
      await waitFor(() => admin.events.length > 0, 5000, 'admin snapshot');
      expect(admin.raw()).toContain(B);
      await admin.close();
      for (const stream of [liveA, alertsA]) {
        expect(stream.res.status).toBe(200);
        expect(stream.raw()).toContain(A);
        expect(stream.raw()).not.toContain(B);
        expect(stream.raw()).not.toContain(KB);
      }
      // Resuming with Last-Event-ID (from the owner's snapshot) sends only A's kilns changed since.
      expect(liveA.events[0]!.event).toBe('snapshot');
      const resumed = await openSse(`${base}/api/live/stream`, { ...bearer('owner'), 'last-event-id': String(liveA.events[0]!.id) });
      await waitFor(() => resumed.events.length > 0, 5000, 'the resumed kiln events');
      expect(resumed.events.every((e) => e.event === 'kiln')).toBe(true);
      expect(resumed.raw()).toContain(A);
      expect(resumed.raw()).not.toContain(B);
      await resumed.close();
    });

    it('rolls up only A, and answers 404 when B is named', async () => {
      const own = (await call('owner', 'GET', '/api/rollup?level=kiln&period=all')).json<{ baselines: { record: { workshop: string } }[] }>();
      expect(own.baselines.map((b) => b.record.workshop)).toEqual([A]);
      const all = (await call('admin', 'GET', '/api/rollup?level=kiln&period=all')).json<{ baselines: { record: { workshop: string } }[] }>();
      expect(all.baselines.map((b) => b.record.workshop).sort()).toEqual([A, B]);
      expect((await call('owner', 'GET', `/api/rollup?workshop=${B}`)).status).toBe(404);
      expect((await call('owner', 'GET', `/api/rollup.csv?workshop=${B}`)).status).toBe(404);
      const csv = await call('owner', 'GET', '/api/rollup.csv?level=kiln&period=all');
      expect(csv.status).toBe(200);
      expect(csv.text).not.toContain(B);
      expect((await call('adviser', 'GET', `/api/rollup?workshop=${B}`)).status).toBe(404);
    });

    it('shows A\'s rejects only; a reject naming no workshop only to an admin', async () => {
      type Rejects = { recent: { topic: string }[] };
      const own = (await call('owner', 'GET', '/api/ingest/rejects')).json<Rejects>().recent.map((r) => r.topic);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((t) => t.startsWith(`kiln/v1/${A}/`))).toBe(true);
      const all = (await call('admin', 'GET', '/api/ingest/rejects')).json<Rejects>().recent.map((r) => r.topic);
      expect(all.some((t) => t.startsWith(`kiln/v1/${B}/`))).toBe(true);
      expect(all).toContain('kiln/v1/bad$id/k1/telemetry');
    });
  });
});
