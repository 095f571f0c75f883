// A firing's curves for the dashboard's charts, pre-aggregated (src/domain/report/curve.ts):
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve?points=2000
// points: most time buckets per series (100–20,000). The browser decimates further (LTTB).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_TRACKER_CONFIG } from '../domain/firing/index.ts';
import { firingCurve } from '../domain/report/curve.ts';
import type { FiringService } from '../firings/service.ts';
import { badRequest, firingParams } from './firing-routes.ts';

const curveQuery = z.object({ points: z.coerce.number().int().min(100).max(20_000).default(2000) });

export const curveRoutes = fp(async (app: FastifyInstance, opts: { firings: FiringService }) => {
  app.get('/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve', async (req, reply) => {
    const p = firingParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const q = curveQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues);
    const r = await opts.firings.firingReadings(p.data);
    if (!r) return reply.code(404).send({ error: 'not_found', message: `no firing ${p.data.firing_id} of kiln ${p.data.kiln} in workshop ${p.data.workshop}` });
    const end_ms = r.record.end_ms ?? r.points.reduce((m, x) => Math.max(m, x.ts_ms), r.record.start_ms);
    return firingCurve(r.record, r.points, end_ms, q.data.points, DEFAULT_TRACKER_CONFIG.max_gap_s);
  });
}, { name: 'curve-routes' });
