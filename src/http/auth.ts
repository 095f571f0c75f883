// Who is asking, and may they (docs/access.md). Every route says who may call it in its config:
//   config: { access: 'public' }           anyone, no login (health, metrics, API docs, dashboard files, login)
//   config: { access: 'user' }             anyone logged in, even with a password still to change (me, logout, password)
//   config: { access: '<permission>' }     a permission from src/domain/access/roles.ts
// A route that says nothing refuses to register: a new route cannot be forgotten. A caller is a
// session cookie (set by POST /api/auth/login: signed JWT, HTTP-only, SameSite=Strict) or an API
// token (Authorization: Bearer kt_…). A route with a :workshop param outside the caller's
// workshops answers 404 as if the workshop did not exist; lists and streams filter by req.scope.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { may, workshopScope, type Permission, type Principal } from '../domain/access/roles.ts';
import type { AccessService } from '../access/service.ts';
import { errors } from './schemas/common.ts';

export type Access = 'public' | 'user' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest {
    /** The caller; null on a public route called without a login. */
    principal: Principal | null;
    /** The workshops the caller sees ('all' for an admin). */
    scope: 'all' | ReadonlySet<string>;
    /** Whether the caller would still get this far with the same role and workshops: a stream
     *  asks again while it is open (a user disabled, a token revoked, a password changed). */
    stillAllowed: () => boolean;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT { payload: SessionClaims; user: SessionClaims }
}

/** What the session cookie carries: the user and when their password was last set, so a changed
 *  password ends every older session on every instance. */
export interface SessionClaims { sub: string; pwc: number }

export const SESSION_COOKIE = 'kiln_session';
export const SESSION_HOURS = 12;

/** Routes registered by plugins (Swagger UI's files, the dashboard's files) that are public by nature. */
const PUBLIC_BY_NATURE = [/^\/api\/docs(\/|$)/, /^\/\*$/];

export const authPlugin = fp(async (app, opts: { access: AccessService }) => {
  const access = opts.access;
  await app.register(cookie);
  await app.register(jwt, {
    secret: access.sessionSecret(),
    cookie: { cookieName: SESSION_COOKIE, signed: false },
    sign: { expiresIn: `${SESSION_HOURS}h` },
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('scope', null as unknown as ReadonlySet<string>); // set by the hook below on every routed request
  app.decorateRequest('stillAllowed', null as unknown as () => boolean); // set by the hook below

  app.addHook('onRoute', (r) => {
    const config = (r.config ?? {}) as { access?: Access };
    if (config.access && config.access !== 'public' && r.schema) {
      // Every route behind a login documents the answers the login check gives.
      r.schema = { ...r.schema, response: { ...errors(401, 403), ...(r.schema.response as object | undefined) } };
    }
    if (config.access) return;
    if (PUBLIC_BY_NATURE.some((re) => re.test(r.url))) { r.config = { ...config, access: 'public' }; return; }
    throw new Error(`route ${String(r.method)} ${r.url} does not say who may call it (config.access)`);
  });

  app.addHook('onRequest', async (req, reply) => {
    const need = req.routeOptions.config.access;
    if (need === undefined) return; // no route matched: the 404 handler answers
    const principal = identify(access, app, req);
    req.principal = principal;
    req.scope = principal ? workshopScope(principal, access.workshops()) : new Set();
    req.stillAllowed = () => {
      if (!principal) return true; // a public route's anonymous caller had nothing to lose
      const now = identify(access, app, req);
      return now !== null && now.user_id === principal.user_id && now.role === principal.role
        && sameScope(workshopScope(now, access.workshops()), req.scope);
    };
    if (need === 'public') return;
    if (!principal) return refuse(reply, 401, 'unauthorized', 'log in first (POST /api/auth/login) or send an API token (Authorization: Bearer …)');
    if (need === 'user') return;
    const user = access.user(principal.user_id);
    if (user?.must_change_password && !principal.token_id) return refuse(reply, 403, 'password_change_required', 'change the one-time password first (POST /api/auth/password)');
    if (!may(principal, need)) return refuse(reply, 403, 'forbidden', `your role (${principal.role}) may not do this`);
    const workshop = (req.params as { workshop?: string } | undefined)?.workshop;
    if (workshop !== undefined && req.scope !== 'all' && !req.scope.has(workshop)) {
      return refuse(reply, 404, 'not_found', `no route ${req.method} ${req.url}`); // as if it did not exist
    }
  });
}, { name: 'auth' });

function refuse(reply: FastifyReply, code: number, error: string, message: string) {
  return reply.code(code).send({ error, message });
}

function sameScope(a: 'all' | ReadonlySet<string>, b: 'all' | ReadonlySet<string>): boolean {
  if (a === 'all' || b === 'all') return a === b;
  return a.size === b.size && [...a].every((w) => b.has(w));
}

/** The caller from an API token or the session cookie; null if neither is there or valid. */
function identify(access: AccessService, app: { jwt: { verify<T>(t: string): T } }, req: FastifyRequest): Principal | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const hit = access.checkToken(auth.slice(7).trim());
    return hit ? access.principal(hit.user, hit.token.id) : null;
  }
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return null;
  try {
    const claims = app.jwt.verify<SessionClaims>(raw);
    const user = access.user(claims.sub);
    if (!user || user.disabled_at_ms !== null || user.password_changed_at_ms !== claims.pwc) return null;
    return access.principal(user);
  } catch {
    return null; // expired or forged: treated as no login
  }
}
