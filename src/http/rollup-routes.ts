// The adviser's roll-up (src/rollup/), over the firing index:
//   GET /api/rollup?level=village|workshop|kiln&period=month|all&from=YYYY-MM-DD&to=YYYY-MM-DD[&workshop=ID]
//   GET /api/rollup.csv?…same query…                      one row per group, units in the headers
//   GET /api/workshops/:workshop/firings-figures?from=&to=  per-firing figures (energy per kg, …)
// Dates are local days in Việt Nam (UTC+7), `to` included. Default: the last 12 months.
// An owner or adviser rolls up only their own workshops (docs/access.md).
import fp from 'fastify-plugin';
import type { z } from 'zod';
import type { RollupService } from '../rollup/service.ts';
import { rollupCsv } from '../rollup/csv.ts';
import type { ZodApp } from './app-types.ts';
import { checkRange, NotFound } from './common.ts';
import { inScope } from '../domain/access/roles.ts';
import { errors, rawResponse, workshopParams } from './schemas/common.ts';
import { figuresResponse, rangeQuery, rollupQuery, rollupResponse, type RollupResponse } from './schemas/rollup.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3 * 366;
const localMidnight = (d: string) => Date.parse(`${d}T00:00:00+07:00`);

/** [from_ms, to_ms) from local dates, `to` included; a 400 naming the field when it is no range. */
function range(q: z.infer<typeof rangeQuery>, now_ms: number): { from_ms: number; to_ms: number } {
  const to_ms = q.to ? localMidnight(q.to) + DAY_MS : now_ms;
  const from_ms = q.from ? localMidnight(q.from) : to_ms - 365 * DAY_MS;
  checkRange(from_ms, to_ms, MAX_DAYS, 'must not be after to');
  return { from_ms, to_ms };
}

export const rollupRoutes = fp(async (app: ZodApp, opts: { rollup: RollupService; now?: () => number }) => {
  const svc = opts.rollup;
  const now = opts.now ?? Date.now;
  const tags = ['adviser'];

  const run = async (q: z.infer<typeof rollupQuery>, scope: 'all' | ReadonlySet<string>): Promise<RollupResponse> => {
    const r = range(q, now());
    // Another workshop, named: as if it did not exist (the same 404 as a :workshop route).
    if (q.workshop !== undefined && !inScope(scope, q.workshop)) throw new NotFound(`no workshop ${q.workshop}`);
    const out = await svc.rollup({ ...q, ...r, sees: scope === 'all' ? undefined : (w) => inScope(scope, w) });
    return { level: q.level, period: q.period, workshop: q.workshop ?? null, from: new Date(r.from_ms).toISOString(), to: new Date(r.to_ms).toISOString(), ...out };
  };

  app.get('/api/rollup', {
    config: { access: 'read_rollup' },
    schema: {
      tags, summary: 'Roll-up by village, workshop or kiln, per month or overall, with savings against the coal baselines',
      querystring: rollupQuery, response: { 200: rollupResponse, ...errors(400, 404) },
    },
  }, (req) => run(req.query, req.scope));

  app.get('/api/rollup.csv', {
    config: { access: 'read_rollup' },
    schema: {
      tags, summary: 'The same roll-up as CSV',
      querystring: rollupQuery, response: { ...rawResponse('text/csv', 'One row per group, units in the headers'), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const r = await run(req.query, req.scope);
    const name = `rollup_${r.workshop ?? 'all'}_${r.level}_${r.period}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(rollupCsv(r.rows));
  });

  app.get('/api/workshops/:workshop/firings-figures', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Per-firing figures of a workshop (energy per kg, cost, CO2, yield inputs)',
      params: workshopParams, querystring: rangeQuery, response: { 200: figuresResponse, ...errors(400) },
    },
  }, async (req) => {
    const r = range(req.query, now());
    const firings = await svc.figures(r.from_ms, r.to_ms, req.params.workshop);
    return { workshop: req.params.workshop, from: new Date(r.from_ms).toISOString(), to: new Date(r.to_ms).toISOString(), firings: firings.sort((a, b) => a.started_at_ms - b.started_at_ms) };
  });
}, { name: 'rollup-routes' });
