// The adviser's roll-up (src/rollup/), over the firing index:
//   GET /api/rollup?level=village|workshop|kiln&period=month|all&from=YYYY-MM-DD&to=YYYY-MM-DD[&workshop=ID]
//   GET /api/rollup.csv?…same query…                      one row per group, units in the headers
//   GET /api/workshops/:workshop/firings-figures?from=&to=  per-firing figures (energy per kg, …)
// Dates are local days in Việt Nam (UTC+7), `to` included. Default: the last 12 months.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RollupService } from '../rollup/service.ts';
import { rollupCsv } from '../rollup/csv.ts';
import { badRequest, idSchema, workshopParams } from './common.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3 * 366;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => {
  const ms = Date.parse(`${s}T00:00:00+07:00`);
  return Number.isFinite(ms) && new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10) === s; // no 30 February
}, 'must be a real date');
const localMidnight = (d: string) => Date.parse(`${d}T00:00:00+07:00`);
export const rangeQuery = z.object({ from: day.optional(), to: day.optional() });
export const rollupQuery = rangeQuery.extend({
  level: z.enum(['village', 'workshop', 'kiln']).default('workshop'),
  period: z.enum(['month', 'all']).default('month'),
  workshop: idSchema.optional(),
});

/** [from_ms, to_ms) from local dates, `to` included; or a message naming the bad field. */
function range(q: { from?: string | undefined; to?: string | undefined }, now_ms: number): { from_ms: number; to_ms: number } | { path: string; message: string } {
  const to_ms = q.to ? localMidnight(q.to) + DAY_MS : now_ms;
  const from_ms = q.from ? localMidnight(q.from) : to_ms - 365 * DAY_MS;
  if (!(from_ms < to_ms)) return { path: 'from', message: 'must not be after to' };
  if (to_ms - from_ms > MAX_DAYS * DAY_MS) return { path: 'to', message: `the range may span at most ${MAX_DAYS} days` };
  return { from_ms, to_ms };
}

export const rollupRoutes = fp(async (app: FastifyInstance, opts: { rollup: RollupService; now?: () => number }) => {
  const svc = opts.rollup;
  const now = opts.now ?? Date.now;

  type Issues = readonly { path: readonly PropertyKey[]; message: string }[];
  const run = async (query: unknown): Promise<{ error: Issues } | { ok: Awaited<ReturnType<RollupService['rollup']>> & { level: string; period: string; workshop: string | null; from: string; to: string } }> => {
    const q = rollupQuery.safeParse(query);
    if (!q.success) return { error: q.error.issues };
    const r = range(q.data, now());
    if ('path' in r) return { error: [{ path: [r.path], message: r.message }] };
    const out = await svc.rollup({ ...q.data, ...r });
    return { ok: { level: q.data.level, period: q.data.period, workshop: q.data.workshop ?? null, from: new Date(r.from_ms).toISOString(), to: new Date(r.to_ms).toISOString(), ...out } };
  };

  app.get('/api/rollup', async (req, reply) => {
    const r = await run(req.query);
    return 'error' in r ? badRequest(reply, r.error) : r.ok;
  });

  app.get('/api/rollup.csv', async (req, reply) => {
    const r = await run(req.query);
    if ('error' in r) return badRequest(reply, r.error);
    const name = `rollup_${r.ok.workshop ?? 'all'}_${r.ok.level}_${r.ok.period}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(rollupCsv(r.ok.rows));
  });

  app.get('/api/workshops/:workshop/firings-figures', async (req, reply) => {
    const p = workshopParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const q = rangeQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues);
    const r = range(q.data, now());
    if ('path' in r) return badRequest(reply, [{ path: [r.path], message: r.message }]);
    const firings = await svc.figures(r.from_ms, r.to_ms, p.data.workshop);
    return { workshop: p.data.workshop, from: new Date(r.from_ms).toISOString(), to: new Date(r.to_ms).toISOString(), firings: firings.sort((a, b) => a.started_at_ms - b.started_at_ms) };
  });
}, { name: 'rollup-routes' });
