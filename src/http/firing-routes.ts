// Firings of one kiln, folded from its stored readings (src/firings/service.ts):
//   GET /api/workshops/:workshop/kilns/:kiln/firings?from=ISO&to=ISO&limit=&offset=
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/readings.csv
// The workshop is the first segment after /api/workshops, so an access-control layer can scope
// every route here by it. No maths in a handler: validate, call the service, send its DTO.
import { Readable } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ID_PATTERN } from '../wire/topics.ts';
import { readingsCsv } from '../firings/csv.ts';
import type { FiringService } from '../firings/service.ts';
import { badRequest, idSchema, orUnavailable } from './common.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

/** A detected firing's id is its kiln's id + "-YYYYMMDDTHHMMZ", which may pass 40 characters. */
const DETECTED_ID = /^[A-Za-z0-9_-]{1,40}-\d{8}T\d{4}Z$/;
const firingIdSchema = z.string().refine((s) => ID_PATTERN.test(s) || DETECTED_ID.test(s), 'must match [A-Za-z0-9_-]{1,40} (or a detected firing id, {kiln}-YYYYMMDDTHHMMZ)');

export const kilnParams = z.object({ workshop: idSchema, kiln: idSchema });
export const firingParams = kilnParams.extend({ firing_id: firingIdSchema });
export const listQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const firingRoutes = fp(async (app: FastifyInstance, opts: { firings: FiringService; now?: () => number }) => {
  const svc = opts.firings;
  const now = opts.now ?? Date.now;
  const base = '/api/workshops/:workshop/kilns/:kiln/firings';

  app.get(base, async (req, reply) => {
    const p = kilnParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const q = listQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues);
    const to_ms = q.data.to ? Date.parse(q.data.to) : now();
    const from_ms = q.data.from ? Date.parse(q.data.from) : to_ms - DEFAULT_RANGE_DAYS * DAY_MS;
    if (!(from_ms < to_ms)) return badRequest(reply, [{ path: ['from'], message: 'must be before to' }]);
    if (to_ms - from_ms > MAX_RANGE_DAYS * DAY_MS) return badRequest(reply, [{ path: ['to'], message: `the range may span at most ${MAX_RANGE_DAYS} days` }]);
    const list = await svc.listFirings({ ...p.data, from_ms, to_ms, limit: q.data.limit, offset: q.data.offset });
    return { workshop: p.data.workshop, kiln: p.data.kiln, limit: q.data.limit, offset: q.data.offset, ...list };
  });

  const notFound = (reply: FastifyReply, f: z.infer<typeof firingParams>) =>
    reply.code(404).send({ error: 'not_found', message: `no firing ${f.firing_id} of kiln ${f.kiln} in workshop ${f.workshop}` });

  app.get(`${base}/:firing_id`, async (req, reply) => {
    const p = firingParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    return orUnavailable(reply, async () => (await svc.firingReport(p.data)) ?? notFound(reply, p.data));
  });

  app.get(`${base}/:firing_id/readings.csv`, async (req, reply) => {
    const p = firingParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const r = await svc.firingReadings(p.data);
    if (!r) return notFound(reply, p.data);
    // Ids match [A-Za-z0-9_-], so the file name needs no quoting rules beyond the quotes.
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${p.data.workshop}_${p.data.kiln}_${r.record.id}_readings.csv"`)
      .send(Readable.from(readingsCsv(r.points)));
  });
}, { name: 'firing-routes' });
