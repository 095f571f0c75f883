// An open stream is not a login that lasts for ever: revoking the token, disabling the user or
// changing their workshops ends it within one recheck (the browser reconnects and is checked
// again); a stream whose caller is unchanged stays open.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { openSse } from '../support/sse.ts';
import { SSE_RECHECK_MS } from '../../src/http/sse.ts';

describe('open streams follow the access file', () => {
  let svc: InProcess;
  let base = '';
  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('streams') }, inject('influxUrl'));
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = svc.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    svc.runtime.access.putWorkshop({ id: 'ws-s1', name: 'Lò Một', village: 'Bát Tràng' });
    svc.runtime.access.putWorkshop({ id: 'ws-s2', name: 'Lò Hai', village: 'Bát Tràng' });
  });
  afterAll(async () => { await svc?.stop(); });

  const owner = async (name: string) => {
    const { user } = await svc.runtime.access.createUser({ username: name, role: 'owner', workshops: ['ws-s1'], villages: [], password: `${name}-password-1` });
    const { token, record } = svc.runtime.access.createToken(user.id, 'tests');
    return { user, token, token_id: record.id };
  };
  const open = (token: string, path: string) => openSse(`${base}${path}`, { authorization: `Bearer ${token}` });
  const within = SSE_RECHECK_MS + 3_000;

  it('ends on a revoked token, a disabled user and changed workshops; the others stay open', async () => {
    const [a, b, c, d] = await Promise.all(['s-revoked', 's-disabled', 's-moved', 's-kept'].map(owner));
    const streams = {
      revoked: await open(a!.token, '/api/live/stream'),
      disabled: await open(b!.token, '/api/alerts/stream'),
      moved: await open(c!.token, '/api/live/stream'),
      kept: await open(d!.token, '/api/live/stream'),
    };
    for (const s of Object.values(streams)) expect(s.res.status).toBe(200);

    const access = svc.runtime.access;
    access.revokeToken(a!.token_id);
    access.updateUser(b!.user.id, { disabled: true });
    access.updateUser(c!.user.id, { workshops: ['ws-s1', 'ws-s2'] });
    const t0 = Date.now();
    await waitFor(() => streams.revoked.ended() && streams.disabled.ended() && streams.moved.ended(), within, 'the three streams ended');
    expect(Date.now() - t0).toBeLessThanOrEqual(within);
    expect(streams.kept.ended()).toBe(false);

    // Reconnecting: the revoked and disabled get 401, the moved owner sees the new scope.
    expect((await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${a!.token}` } })).status).toBe(401);
    expect((await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${b!.token}` } })).status).toBe(401);
    expect((await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${c!.token}` } })).status).toBe(200);
    for (const s of Object.values(streams)) await s.close();
  }, 30_000);
});
