// Records users enter (src/records), stored in InfluxDB:
//   PUT|GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/load       (loadRecordSchema)
//   PUT|GET /api/workshops/:workshop/kilns/:kiln/firings/:firing_id/grading    (gradingRecordSchema)
//   GET     .../load/history, .../grading/history                             (every version, newest first)
//   POST|GET /api/workshops/:workshop/baselines                               (coalBaselineSchema)
//   PUT     /api/workshops/:workshop/baselines/:baseline_id                   (a new version, same id)
//   GET     /api/workshops/:workshop/baselines/:baseline_id/history           (every version, newest first)
//   GET|PUT /api/prices                                                       ({ prices: PriceEntry[] })
// Who saved a record is the logged-in user (req.principal), never what the body says, and when is
// the server's time. A load or grading is only for a firing that exists, open or closed (404
// otherwise); a grading may not count more pieces than were loaded, a baseline's yield is a
// percentage (record-checks.ts: 400 naming the field). A baseline far from the published ranges
// is saved with warnings. Every save answers only once InfluxDB has it, and 503
// { error: 'unavailable' } when it cannot take it (the error handler): nothing is stored then.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { priceListProblems } from '../domain/analytics/energy.ts';
import { baselineProblems, baselineWarnings, gradingProblems, loadProblems, type Problem } from '../domain/savings/record-checks.ts';
import { defaultCo2PerKgCoal, type CoalBaseline, type GradingRecord, type LoadRecord } from '../domain/savings/records.ts';
import type { FiringRef, RecordService, SavedBaseline } from '../records/service.ts';
import type { ZodApp } from './app-types.ts';
import { BadRequest, badRequest, NotFound } from './common.ts';
import { errors, firingParams, workshopParams } from './schemas/common.ts';
import {
  baselineBody, baselineHistory, baselineList, baselineParams, currentPrices, gradingBody, gradingHistory,
  loadBody, loadHistory, priceListBody, savedBaseline, savedGrading, savedLoad, type BaselineBody,
} from './schemas/records.ts';

/** Whether a firing exists, open or closed (FiringService.findFiring); absent: not checked. */
export interface FiringLookup { findFiring(f: FiringRef): Promise<unknown> }

/** A record as stored: saved by the logged-in user, now, whatever the body said. */
function stamped<T extends object>(req: FastifyRequest, body: T): T & { by: string; recorded_at_ms: number } {
  return { ...body, by: req.principal!.username, recorded_at_ms: Date.now() };
}

const refuse = (problems: readonly Problem[]) => { if (problems.length > 0) throw new BadRequest(problems); };

/** A baseline as stored: the workshop of its URL (a body naming another is refused), the CO2 default filled in. */
function baselineOf(req: FastifyRequest, body: BaselineBody, workshop: string): CoalBaseline {
  if (body.workshop !== undefined && body.workshop !== workshop) badRequest('workshop', `must be the workshop of the URL (${workshop}), or left out`);
  refuse(baselineProblems(body));
  return stamped(req, { ...body, workshop, co2_kg_per_kg_coal: body.co2_kg_per_kg_coal ?? defaultCo2PerKgCoal(body.coal_ncv_mj_per_kg) });
}

const baselineDto = (s: SavedBaseline) => ({ id: s.id, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, baseline: s.record, warnings: baselineWarnings(s.record) });
const baselineNotFound = (p: { workshop: string; baseline_id: string }) => ({ error: 'not_found', message: `no baseline ${p.baseline_id} in workshop ${p.workshop}` });

export const recordRoutes = fp(async (app: ZodApp, opts: { records: RecordService; firings?: FiringLookup }) => {
  const svc = opts.records;
  /** 404 unless the firing exists (open or closed). */
  const mustExist = async (p: FiringRef) => {
    if (opts.firings && !(await opts.firings.findFiring(p))) {
      throw new NotFound(`no firing ${p.firing_id} of kiln ${p.kiln} in workshop ${p.workshop} (open or closed): records are kept only for firings that exist`);
    }
  };
  const firing = '/api/workshops/:workshop/kilns/:kiln/firings/:firing_id';
  const tags = ['records'];

  app.put(`${firing}/load`, {
    config: { access: 'enter_records' },
    schema: { tags, summary: 'Save the load set in the kiln (a new version)', params: firingParams, body: loadBody, response: { 200: savedLoad, ...errors(400, 404, 503) } },
  }, async (req) => {
    await mustExist(req.params);
    refuse(loadProblems(req.body, (await svc.grading(req.params))?.record ?? null));
    const s = await svc.saveLoad(req.params, stamped(req, req.body));
    return { ...req.params, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, load: s.record };
  });
  app.get(`${firing}/load`, {
    config: { access: 'read' },
    schema: { tags, summary: 'The current load', params: firingParams, response: { 200: savedLoad, ...errors(400, 404, 503) } },
  }, async (req, reply) => {
    const p = req.params;
    const s = await svc.load(p);
    if (!s) return reply.code(404).send({ error: 'not_found', message: `no load record for firing ${p.firing_id} of kiln ${p.kiln} in workshop ${p.workshop}` });
    return { ...p, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, load: s.record };
  });
  app.get(`${firing}/load/history`, {
    config: { access: 'read' },
    schema: { tags, summary: 'Every version of the load, newest first', params: firingParams, response: { 200: loadHistory, ...errors(400, 503) } },
  }, async (req) => ({ ...req.params, versions: (await svc.history('load', req.params)) as { saved_at: string; saved_at_ms: number; by: string; record: LoadRecord }[] }));

  app.put(`${firing}/grading`, {
    config: { access: 'enter_records' },
    schema: { tags, summary: 'Save the grading after unloading (a new version)', params: firingParams, body: gradingBody, response: { 200: savedGrading, ...errors(400, 404, 503) } },
  }, async (req) => {
    await mustExist(req.params);
    refuse(gradingProblems(req.body, (await svc.load(req.params))?.record ?? null));
    const s = await svc.saveGrading(req.params, stamped(req, req.body));
    return { ...req.params, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, grading: s.record };
  });
  app.get(`${firing}/grading`, {
    config: { access: 'read' },
    schema: { tags, summary: 'The current grading', params: firingParams, response: { 200: savedGrading, ...errors(400, 404, 503) } },
  }, async (req, reply) => {
    const p = req.params;
    const s = await svc.grading(p);
    if (!s) return reply.code(404).send({ error: 'not_found', message: `no grading record for firing ${p.firing_id} of kiln ${p.kiln} in workshop ${p.workshop}` });
    return { ...p, saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, grading: s.record };
  });
  app.get(`${firing}/grading/history`, {
    config: { access: 'read' },
    schema: { tags, summary: 'Every version of the grading, newest first', params: firingParams, response: { 200: gradingHistory, ...errors(400, 503) } },
  }, async (req) => ({ ...req.params, versions: (await svc.history('grading', req.params)) as { saved_at: string; saved_at_ms: number; by: string; record: GradingRecord }[] }));

  app.post('/api/workshops/:workshop/baselines', {
    config: { access: 'edit_baselines' },
    schema: {
      tags, summary: 'Record a coal box-kiln baseline (each figure with its source and confidence)',
      params: workshopParams, body: baselineBody, response: { 201: savedBaseline, ...errors(400, 503) },
    },
  }, async (req, reply) => reply.code(201).send(baselineDto(await svc.addBaseline(baselineOf(req, req.body, req.params.workshop)))));

  app.get('/api/workshops/:workshop/baselines', {
    config: { access: 'read' },
    schema: { tags, summary: 'The workshop\'s baselines, newest first', params: workshopParams, response: { 200: baselineList, ...errors(400, 503) } },
  }, async (req) => ({ workshop: req.params.workshop, baselines: (await svc.baselines(req.params.workshop)).map(baselineDto) }));

  app.put('/api/workshops/:workshop/baselines/:baseline_id', {
    config: { access: 'edit_baselines' },
    schema: {
      tags, summary: 'Edit a baseline: a new version under the same id',
      params: baselineParams, body: baselineBody, response: { 200: savedBaseline, ...errors(400, 404, 503) },
    },
  }, async (req, reply) => {
    const s = await svc.updateBaseline(req.params.baseline_id, baselineOf(req, req.body, req.params.workshop));
    return s ? baselineDto(s) : reply.code(404).send(baselineNotFound(req.params));
  });

  app.get('/api/workshops/:workshop/baselines/:baseline_id/history', {
    config: { access: 'read' },
    schema: { tags, summary: 'Every version of a baseline, newest first', params: baselineParams, response: { 200: baselineHistory, ...errors(400, 404, 503) } },
  }, async (req, reply) => {
    const p = req.params;
    const all = await svc.baselineHistory(p.workshop, p.baseline_id);
    if (all.length === 0) return reply.code(404).send(baselineNotFound(p));
    return { workshop: p.workshop, id: p.baseline_id, versions: all.map((s) => ({ saved_at: s.saved_at, saved_at_ms: s.saved_at_ms, by: s.by, baseline: s.record, warnings: baselineWarnings(s.record) })) };
  });

  app.get('/api/prices', {
    config: { access: 'read' },
    schema: { tags, summary: 'The dated LPG price list in force (saved, else the seed list)', response: { 200: currentPrices, ...errors(503) } },
  }, () => svc.currentPrices());

  app.put('/api/prices', {
    config: { access: 'edit_prices' },
    schema: { tags, summary: 'Save the dated LPG price list', body: priceListBody, response: { 200: currentPrices, ...errors(400, 503) } },
  }, async (req) => {
    const problems = priceListProblems(req.body.prices);
    if (problems.length > 0) throw new BadRequest(problems.map((m) => ({ path: ['prices'], message: m })));
    return svc.savePrices({ ...req.body, by: req.principal!.username });
  });
}, { name: 'record-routes' });
