// Firings of one kiln, folded from its stored readings (src/firings/service.ts):
//   GET /api/workshops/:workshop/kilns/:kiln/firings?from=ISO&to=ISO&limit=&offset=
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/readings.csv[?shape=long|wide]
// The workshop is the first segment after /api/workshops, so an access-control layer can scope
// every route here by it. No maths in a handler: the schemas validate, the service computes.
import { Readable } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import { readingsCsv, readingsCsvWide } from '../firings/csv.ts';
import type { FiringService } from '../firings/service.ts';
import type { ZodApp } from './app-types.ts';
import { checkRange } from './common.ts';
import { errors, firingParams, kilnParams, rawResponse, type FiringParams } from './schemas/common.ts';
import { firingList, listQuery, readingsCsvQuery } from './schemas/firings.ts';
import { firingReport } from './schemas/report.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

/** 404 for a firing the kiln does not have. */
export const firingNotFound = (reply: FastifyReply, f: FiringParams) =>
  reply.code(404).send({ error: 'not_found', message: `no firing ${f.firing_id} of kiln ${f.kiln} in workshop ${f.workshop}` });

export const firingRoutes = fp(async (app: ZodApp, opts: { firings: FiringService; now?: () => number }) => {
  const svc = opts.firings;
  const now = opts.now ?? Date.now;
  const base = '/api/workshops/:workshop/kilns/:kiln/firings';

  app.get(base, {
    config: { access: 'read' },
    schema: {
      tags: ['firings'], summary: 'Firings of a kiln overlapping a time range (default the last 30 days), newest first, paginated',
      params: kilnParams, querystring: listQuery, response: { 200: firingList, ...errors(400) },
    },
  }, async (req) => {
    const { params: p, query: q } = req;
    const to_ms = q.to ? Date.parse(q.to) : now();
    const from_ms = q.from ? Date.parse(q.from) : to_ms - DEFAULT_RANGE_DAYS * DAY_MS;
    checkRange(from_ms, to_ms, MAX_RANGE_DAYS);
    const list = await svc.listFirings({ ...p, from_ms, to_ms, limit: q.limit, offset: q.offset });
    return { workshop: p.workshop, kiln: p.kiln, limit: q.limit, offset: q.offset, ...list };
  });

  app.get(`${base}/:firing_id`, {
    config: { access: 'read' },
    schema: {
      tags: ['firings'], summary: 'A firing\'s report: summary, fuel by meter, energy, cost, CO2, data quality, load, grading, KPIs, coal baseline comparison',
      params: firingParams, response: { 200: firingReport, ...errors(400, 404, 503) },
    },
  }, async (req, reply) => (await svc.firingReport(req.params)) ?? firingNotFound(reply, req.params));

  app.get(`${base}/:firing_id/readings.csv`, {
    config: { access: 'read' },
    schema: {
      tags: ['firings'], summary: 'Every stored reading of a firing as CSV (UTF-8 with BOM, local time beside UTC), long or wide',
      params: firingParams, querystring: readingsCsvQuery,
      response: { ...rawResponse('text/csv', 'long: one row per stored value; wide: one row per instant, one column per channel; units in the field names'), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const p = req.params;
    const r = await svc.firingReadings(p);
    if (!r) return firingNotFound(reply, p);
    // Ids match [A-Za-z0-9_-], so the file name needs no quoting rules beyond the quotes.
    const wide = req.query.shape === 'wide';
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${p.workshop}_${p.kiln}_${r.record.id}_readings${wide ? '_wide' : ''}.csv"`)
      .send(Readable.from(wide ? readingsCsvWide(r.points) : readingsCsv(r.points)));
  });
}, { name: 'firing-routes' });
