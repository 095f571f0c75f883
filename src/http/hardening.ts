// What keeps the service safe to put on a network (docs/access.md, "Hardening"):
//   - security headers (helmet) with a content security policy: scripts, styles, data only from
//     the service itself, no inline script or event handler (script-src 'self'): a value that
//     slipped into the page as markup stays inert. Swagger UI (/api/docs) sets its own, laxer
//     one for its styles (src/http/openapi.ts).
//   - login attempts limited per client address and per username (right or wrong);
//     writes (PUT/POST/PATCH/DELETE) limited per caller; reads, /metrics and /api/health never.
//   - CSRF: a write authenticated by the session cookie must carry the header x-csrf-token
//     (GET /api/auth/csrf); API tokens and the login itself are exempt: a browser never sends
//     an Authorization header on its own.
//   - the audit log (src/audit/store.ts): every write and every login attempt.
// Register after the auth plugin (its hooks need req.principal) and before the routes; csrfRoute
// after the OpenAPI plugin.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import csrf from '@fastify/csrf-protection';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodApp } from './app-types.ts';
import type { AuditLog } from '../audit/store.ts';
import { SESSION_COOKIE } from './auth.ts';

export interface HardeningOptions {
  readonly login_per_min: number;
  readonly writes_per_min: number;
  readonly audit: AuditLog;
}

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_COOKIE = 'kiln_csrf';
const LOGIN_ROUTE = '/api/auth/login';
const WRITES = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);
const MINUTE_MS = 60_000;

/** The dashboard's policy: everything from the service itself, nothing inline. */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  // The installable dashboard: its service worker (/sw.js) and manifest, from the service itself.
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const isWrite = (req: FastifyRequest) => WRITES.has(req.method);
const isLogin = (req: FastifyRequest) => req.method === 'POST' && req.routeOptions.url === LOGIN_ROUTE;
const viaCookie = (req: FastifyRequest) => !req.headers.authorization?.startsWith('Bearer ') && req.cookies[SESSION_COOKIE] !== undefined;

type Limited = { isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number };
/** Seconds until the window ends when over the limit, else null. */
const over = (r: Limited) => (!r.isAllowed && r.isExceeded ? Math.max(1, r.ttlInSeconds) : null);

function tooMany(reply: FastifyReply, retry_s: number, what: string) {
  reply.header('retry-after', String(retry_s));
  return reply.code(429).send({ error: 'too_many_requests', message: `too many ${what}; try again in ${retry_s} s` });
}

export const hardeningPlugin = fp(async (app: ZodApp, opts: HardeningOptions) => {
  // No upgrade-insecure-requests: a workshop's LAN often runs plain HTTP, and a browser told to
  // upgrade would fetch the dashboard's files over an HTTPS nobody serves. HSTS is the TLS
  // proxy's to send (docs/access.md): sent from here it would stick to a plain-HTTP address.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
  });

  // Counters live in this process: two instances each allow the limit (docs/access.md).
  await app.register(rateLimit, { global: false });
  const perIp = app.createRateLimit({ max: opts.login_per_min, timeWindow: MINUTE_MS, keyGenerator: (req) => `login-ip:${req.ip}` });
  const perUser = app.createRateLimit({
    max: opts.login_per_min, timeWindow: MINUTE_MS,
    keyGenerator: (req) => `login-user:${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
  });
  const writes = app.createRateLimit({
    max: opts.writes_per_min, timeWindow: MINUTE_MS,
    keyGenerator: (req) => (req.principal ? `write-user:${req.principal.user_id}` : `write-ip:${req.ip}`),
  });
  // After the body is read: the username is in it. Both counters count every attempt.
  app.addHook('preHandler', async (req, reply) => {
    if (!isLogin(req)) return;
    const waits = (await Promise.all([perIp(req), perUser(req)])).map(over).filter((s) => s !== null);
    if (waits.length > 0) return tooMany(reply, Math.max(...waits), 'login attempts');
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!isWrite(req) || req.routeOptions.url === undefined || isLogin(req)) return;
    const wait = over(await writes(req));
    if (wait !== null) return tooMany(reply, wait, 'changes');
  });

  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict' },
    getToken: (req) => req.headers[CSRF_HEADER] as string | undefined,
  });
  app.addHook('onRequest', (req, reply, done) => {
    if (!isWrite(req) || req.routeOptions.url === undefined || isLogin(req) || !viaCookie(req)) { done(); return; }
    app.csrfProtection(req, reply, done); // answers 403 { error: 'csrf' } itself (src/http/common.ts)
  });
  // Every write and every login attempt, as answered.
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (route === undefined || !isWrite(req)) return;
    const status = reply.statusCode;
    const outcome = status === 429 ? 'limited' as const : status < 400 ? 'ok' as const : 'failed' as const;
    const base = { ip: req.ip, method: req.method, route, status, outcome };
    if (isLogin(req)) {
      const tried = (req.body as { username?: unknown } | undefined)?.username;
      opts.audit.record({ ...base, kind: 'login', user: typeof tried === 'string' ? tried.slice(0, 80) : null, workshop: null });
      return;
    }
    const workshop = (req.params as { workshop?: unknown } | undefined)?.workshop;
    opts.audit.record({ ...base, kind: 'write', user: req.principal?.username ?? null, workshop: typeof workshop === 'string' ? workshop : null });
  });
}, { name: 'hardening', dependencies: ['auth'] });

/** GET /api/auth/csrf → { token }: registered after the OpenAPI plugin, which documents only the routes added after it. */
export const csrfRoute = fp(async (app: ZodApp) => {
  app.get('/api/auth/csrf', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'], summary: `A token for the ${CSRF_HEADER} header: every change made with the session cookie must carry one`,
      response: { 200: z.object({ token: z.string() }) },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { token: reply.generateCsrf() };
  });
}, { name: 'csrf-route', dependencies: ['hardening'] });
