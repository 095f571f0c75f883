// The audit log (src/audit/store.ts): GET /api/audit?from=ISO&to=ISO&limit=N, newest first
// (default the last 7 days, 200 entries). Admins only (manage_users): it names every user.
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../audit/store.ts';
import type { ZodApp } from './app-types.ts';
import { checkRange } from './common.ts';
import { errors, list } from './schemas/common.ts';
import type { Assert, Covers } from './schemas/common.ts';

const DAY_MS = 86_400_000;

export const auditQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});
export const auditEntry = z.object({
  at_ms: z.number(),
  at: z.string(),
  kind: z.enum(['write', 'login']),
  user: z.string().nullable().describe('write: the logged-in user; login: the username tried; null: nobody'),
  ip: z.string(),
  method: z.string(),
  route: z.string().describe('the route pattern, e.g. /api/workshops/:workshop/baselines'),
  workshop: z.string().nullable(),
  status: z.number(),
  outcome: z.enum(['ok', 'failed', 'limited']).describe('limited: refused by a rate limit (429)'),
});
export const auditList = z.object({ from: z.string(), to: z.string(), entries: list(auditEntry) });

type _Covered = Assert<Covers<Omit<z.infer<typeof auditEntry>, 'at'>, AuditEntry>>;

export const auditRoutes = fp(async (app: ZodApp, opts: { audit: AuditLog }) => {
  app.get('/api/audit', {
    config: { access: 'manage_users' },
    schema: {
      tags: ['access'], summary: 'The audit log: every change and login attempt, newest first (default the last 7 days)',
      querystring: auditQuery, response: { 200: auditList, ...errors(400, 503) },
    },
  }, async (req, reply) => {
    const q = req.query;
    const to_ms = q.to ? Date.parse(q.to) : Date.now();
    const from_ms = q.from ? Date.parse(q.from) : to_ms - 7 * DAY_MS;
    checkRange(from_ms, to_ms, 3660);
    reply.header('cache-control', 'no-store');
    const entries = await opts.audit.list(from_ms, to_ms, q.limit);
    return { from: new Date(from_ms).toISOString(), to: new Date(to_ms).toISOString(), entries: entries.map((e) => ({ ...e, at: new Date(e.at_ms).toISOString() })) };
  });
}, { name: 'audit-routes' });
