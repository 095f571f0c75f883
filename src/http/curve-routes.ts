// A firing's curves for the dashboard's charts, aggregated by InfluxDB (src/firings/curve.ts):
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve?points=2000
// points: most time buckets per series (100–20,000). The browser decimates further (LTTB).
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CurveService } from '../firings/curve.ts';
import { firingParams } from './firing-routes.ts';
import { badRequest } from './common.ts';

export const curveQuery = z.object({ points: z.coerce.number().int().min(100).max(20_000).default(2000) });

export const curveRoutes = fp(async (app: FastifyInstance, opts: { curves: CurveService }) => {
  app.get('/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve', async (req, reply) => {
    const p = firingParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const q = curveQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues);
    const curve = await opts.curves.curve(p.data, q.data.points);
    if (!curve) return reply.code(404).send({ error: 'not_found', message: `no firing ${p.data.firing_id} of kiln ${p.data.kiln} in workshop ${p.data.workshop}` });
    return curve;
  });
}, { name: 'curve-routes' });
