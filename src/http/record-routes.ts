// Records users enter (src/records), stored in InfluxDB:
//   PUT|GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/load       (loadRecordSchema)
//   PUT|GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/grading    (gradingRecordSchema)
//   GET     .../load/history, .../grading/history                             (every version, newest first)
//   POST|GET /api/workshops/:workshop/baselines                               (coalBaselineSchema)
//   PUT     /api/workshops/:workshop/baselines/:baseline_id                   (a new version, same id)
//   GET     /api/workshops/:workshop/baselines/:baseline_id/history           (every version, newest first)
//   GET|PUT /api/prices                                                       ({ prices: PriceEntry[], by })
// A load may be entered before its firing exists (a detected id is known only once the gas is
// on), so a PUT does not check the firing. Every save answers only once InfluxDB has it, and
// 503 { error: 'unavailable' } when it cannot take it: nothing is stored then.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { priceListProblems } from '../domain/analytics/energy.ts';
import { coalBaselineSchema, gradingRecordSchema, loadRecordSchema, type CoalBaseline, type GradingRecord, type LoadRecord } from '../domain/savings/records.ts';
import { priceListSchema, type RecordService, type SavedBaseline } from '../records/service.ts';
import { firingParams } from './firing-routes.ts';
import { badRequest, bodyIssues, orUnavailable, workshopParams } from './common.ts';


/** A coal baseline body for the workshop of the URL, or the issues naming what is wrong. */
function baselineBody(body: unknown, workshop: string): { ok: true; baseline: CoalBaseline } | { ok: false; issues: { path: readonly PropertyKey[]; message: string }[] } {
  const b = coalBaselineSchema.safeParse(body);
  if (!b.success) return { ok: false, issues: bodyIssues(b.error.issues) };
  if (b.data.workshop !== workshop) return { ok: false, issues: [{ path: ['workshop'], message: `must be the workshop of the URL (${workshop})` }] };
  return { ok: true, baseline: b.data };
}

const baselineDto = (s: SavedBaseline) => ({ id: s.id, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, baseline: s.record });

export const recordRoutes = fp(async (app: FastifyInstance, opts: { records: RecordService }) => {
  const svc = opts.records;
  const firing = '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id';

  for (const kind of ['load', 'grading'] as const) {
    const schema = kind === 'load' ? loadRecordSchema : gradingRecordSchema;
    app.put(`${firing}/${kind}`, async (req, reply) => {
      const p = firingParams.safeParse(req.params);
      if (!p.success) return badRequest(reply, p.error.issues);
      const b = schema.safeParse(req.body);
      if (!b.success) return badRequest(reply, bodyIssues(b.error.issues));
      return orUnavailable(reply, async () => {
        const s = kind === 'load'
          ? await svc.saveLoad(p.data, b.data as LoadRecord)
          : await svc.saveGrading(p.data, b.data as GradingRecord);
        return { ...p.data, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, [kind]: s.record };
      });
    });
    app.get(`${firing}/${kind}`, async (req, reply) => {
      const p = firingParams.safeParse(req.params);
      if (!p.success) return badRequest(reply, p.error.issues);
      return orUnavailable(reply, async () => {
        const s = kind === 'load' ? await svc.load(p.data) : await svc.grading(p.data);
        if (!s) return reply.code(404).send({ error: 'not_found', message: `no ${kind} record for firing ${p.data.firing_id} of kiln ${p.data.kiln} in workshop ${p.data.workshop}` });
        return { ...p.data, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, [kind]: s.record };
      });
    });
    app.get(`${firing}/${kind}/history`, async (req, reply) => {
      const p = firingParams.safeParse(req.params);
      if (!p.success) return badRequest(reply, p.error.issues);
      return orUnavailable(reply, async () => ({ ...p.data, versions: await svc.history(kind, p.data) }));
    });
  }

  app.post('/api/workshops/:workshop/baselines', async (req, reply) => {
    const p = workshopParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const b = baselineBody(req.body, p.data.workshop);
    if (!b.ok) return badRequest(reply, b.issues);
    return orUnavailable(reply, async () => reply.code(201).send(baselineDto(await svc.addBaseline(b.baseline))));
  });

  app.get('/api/workshops/:workshop/baselines', async (req, reply) => {
    const p = workshopParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    return orUnavailable(reply, async () => {
      const all = await svc.baselines(p.data.workshop);
      return { workshop: p.data.workshop, baselines: all.map(baselineDto) };
    });
  });

  const baselineParams = workshopParams.extend({ baseline_id: z.string().regex(/^bl-[0-9a-f-]{36}$/, 'must be a baseline id (bl-…)') });

  app.put('/api/workshops/:workshop/baselines/:baseline_id', async (req, reply) => {
    const p = baselineParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const b = baselineBody(req.body, p.data.workshop);
    if (!b.ok) return badRequest(reply, b.issues);
    return orUnavailable(reply, async () => {
      const s = await svc.updateBaseline(p.data.baseline_id, b.baseline);
      if (!s) return reply.code(404).send({ error: 'not_found', message: `no baseline ${p.data.baseline_id} in workshop ${p.data.workshop}` });
      return baselineDto(s);
    });
  });

  app.get('/api/workshops/:workshop/baselines/:baseline_id/history', async (req, reply) => {
    const p = baselineParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    return orUnavailable(reply, async () => {
      const all = await svc.baselineHistory(p.data.workshop, p.data.baseline_id);
      if (all.length === 0) return reply.code(404).send({ error: 'not_found', message: `no baseline ${p.data.baseline_id} in workshop ${p.data.workshop}` });
      return { workshop: p.data.workshop, id: p.data.baseline_id, versions: all.map((s) => ({ saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, baseline: s.record })) };
    });
  });

  app.get('/api/prices', async (_req, reply) => orUnavailable(reply, () => svc.currentPrices()));

  app.put('/api/prices', async (req, reply) => {
    const b = priceListSchema.safeParse(req.body);
    if (!b.success) return badRequest(reply, bodyIssues(b.error.issues));
    const problems = priceListProblems(b.data.prices);
    if (problems.length > 0) return badRequest(reply, problems.map((m) => ({ path: ['prices'], message: m })));
    return orUnavailable(reply, () => svc.savePrices(b.data));
  });
}, { name: 'record-routes' });
