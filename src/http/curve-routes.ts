// A firing's curves for the dashboard's charts, aggregated by InfluxDB (src/firings/curve.ts):
//   GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve?points=2000
// points: most time buckets per series (100–20,000). The browser decimates further (LTTB).
import fp from 'fastify-plugin';
import type { CurveService } from '../firings/curve.ts';
import type { FiringService } from '../firings/service.ts';
import type { ZodApp } from './app-types.ts';
import { firingNotFound } from './firing-routes.ts';
import { errors, firingParams, kilnParams } from './schemas/common.ts';
import { curveQuery, firingCurve, usualFiring, usualQuery } from './schemas/firings.ts';

export const curveRoutes = fp(async (app: ZodApp, opts: { curves: CurveService; firings: FiringService }) => {
  app.get('/api/workshops/:workshop/kilns/:kiln/firings/:firing_id/curve', {
    config: { access: 'read' },
    schema: {
      tags: ['firings'], summary: 'A firing\'s curves for charts (zones, schedule, gas, cumulative fuel, stage bands), in time buckets',
      params: firingParams, querystring: curveQuery, response: { 200: firingCurve, ...errors(400, 404) },
    },
  }, async (req, reply) => (await opts.curves.curve(req.params, req.query.points)) ?? firingNotFound(reply, req.params));

  // The live kiln page draws the kiln's usual firing of the running schedule under it: one request
  // (the median-fuel previous firing, from the firing index, and its curve) instead of a report each.
  app.get('/api/workshops/:workshop/kilns/:kiln/usual-firing', {
    config: { access: 'read' },
    schema: {
      tags: ['firings'], summary: 'The kiln\'s usual firing of a schedule (the median fuel of its last 10 finished ones) with its curves',
      params: kilnParams, querystring: usualQuery, response: { 200: usualFiring, ...errors(400) },
    },
  }, async (req) => {
    const found = await opts.firings.usualFiring(req.params, { schedule_name: req.query.schedule ?? null, exclude_id: req.query.exclude });
    if (!found) return { usual: null };
    const { record, summary, schedule_name } = found.firing;
    const curve = await opts.curves.curve({ ...req.params, firing_id: record.id }, req.query.points);
    if (!curve) return { usual: null };
    return { usual: { firing_id: record.id, start_ms: record.start_ms, schedule_name, fuel_kg: summary.fuel.fuel_kg!, of_n: found.of_n, curve } };
  });
}, { name: 'curve-routes' });
