// A firing's curves for the dashboard's charts, aggregated by InfluxDB (src/firings/curve.ts):
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve?points=2000
// points: most time buckets per series (100–20,000). The browser decimates further (LTTB).
import fp from 'fastify-plugin';
import type { CurveService } from '../firings/curve.ts';
import type { ZodApp } from './app-types.ts';
import { firingNotFound } from './firing-routes.ts';
import { errors, firingParams } from './schemas/common.ts';
import { curveQuery, firingCurve } from './schemas/firings.ts';

export const curveRoutes = fp(async (app: ZodApp, opts: { curves: CurveService }) => {
  app.get('/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve', {
    config: { access: 'read' },
    schema: {
      tags: ['firings'], summary: 'A firing\'s curves for charts (zones, schedule, gas, cumulative fuel, stage bands), in time buckets',
      params: firingParams, querystring: curveQuery, response: { 200: firingCurve, ...errors(400, 404) },
    },
  }, async (req, reply) => (await opts.curves.curve(req.params, req.query.points)) ?? firingNotFound(reply, req.params));
}, { name: 'curve-routes' });
