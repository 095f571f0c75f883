// Logging in and out, who am I, changing one's own password (docs/access.md).
//   POST /api/auth/login     { username, password } → sets the session cookie
//   POST /api/auth/logout    clears it
//   GET  /api/auth/me        the caller, their role and workshops
//   POST /api/auth/password  { current_password, new_password }: ends every other session
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AccessService } from '../access/service.ts';
import { AccessError } from '../access/service.ts';
import { ROLES, workshopScope } from '../domain/access/roles.ts';
import type { ZodApp } from './app-types.ts';
import { SESSION_COOKIE, SESSION_HOURS, type SessionClaims } from './auth.ts';
import { errors } from './schemas/common.ts';

const me = z.object({
  id: z.string(), username: z.string(), role: z.enum(ROLES), workshops: z.array(z.string()), villages: z.array(z.string()),
  must_change_password: z.boolean(),
  /** The workshops the caller sees, with their names ('all' for an admin). */
  scope: z.union([z.literal('all'), z.array(z.string())]),
  via: z.enum(['session', 'token']),
});
const login = z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) });
const passwordChange = z.object({ current_password: z.string().min(1).max(200), new_password: z.string().min(1).max(200) });

export const authRoutes = fp(async (app: ZodApp, opts: { access: AccessService }) => {
  const access = opts.access;
  const tags = ['auth'];

  const cookieOpts = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'strict' as const, secure, maxAge: SESSION_HOURS * 3600 });
  const meOf = (userId: string, scope: 'all' | ReadonlySet<string>, via: 'session' | 'token') => {
    const u = access.user(userId)!;
    return { id: u.id, username: u.username, role: u.role, workshops: u.workshops, villages: u.villages, must_change_password: u.must_change_password, scope: scope === 'all' ? 'all' as const : [...scope].sort(), via };
  };

  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: { tags, summary: 'Log in: sets an HTTP-only session cookie', body: login, response: { 200: me, ...errors(400, 401) } },
  }, async (req, reply) => {
    const user = await access.checkLogin(req.body.username, req.body.password);
    if (!user) return reply.code(401).send({ error: 'unauthorized', message: 'wrong username or password' });
    const claims: SessionClaims = { sub: user.id, pwc: user.password_changed_at_ms };
    reply.setCookie(SESSION_COOKIE, await reply.jwtSign(claims), cookieOpts(req.protocol === 'https'));
    return meOf(user.id, workshopScope(access.principal(user), access.workshops()), 'session');
  });

  app.post('/api/auth/logout', {
    config: { access: 'public' },
    schema: { tags, summary: 'Log out: clears the session cookie', response: { 200: z.object({ ok: z.literal(true) }) } },
  }, async (_req, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/auth/me', {
    config: { access: 'user' },
    schema: { tags, summary: 'The caller: role, workshops, whether the password must be changed', response: { 200: me, ...errors(401) } },
  }, async (req) => meOf(req.principal!.user_id, req.scope, req.principal!.token_id ? 'token' : 'session'));

  app.post('/api/auth/password', {
    config: { access: 'user' },
    schema: { tags, summary: 'Change one\'s own password; other sessions end', body: passwordChange, response: { 200: me, ...errors(400, 401) } },
  }, async (req, reply) => {
    const p = req.principal!;
    const ok = await access.checkLogin(p.username, req.body.current_password);
    if (!ok) return reply.code(400).send({ error: 'bad_request', message: 'current_password: not your current password' });
    if (req.body.new_password === req.body.current_password) return reply.code(400).send({ error: 'bad_request', message: 'new_password: must differ from the current one' });
    try {
      await access.setPassword(p.user_id, req.body.new_password);
    } catch (err) {
      if (err instanceof AccessError) return reply.code(400).send({ error: 'bad_request', message: err.message });
      throw err;
    }
    const user = access.user(p.user_id)!;
    if (!p.token_id) reply.setCookie(SESSION_COOKIE, await reply.jwtSign({ sub: user.id, pwc: user.password_changed_at_ms }), cookieOpts(req.protocol === 'https'));
    return meOf(user.id, req.scope, p.token_id ? 'token' : 'session');
  });
}, { name: 'auth-routes' });
