// Alerts (src/alerts, docs/alerts.md):
//   GET  /api/alerts                                              active alerts of every kiln, newest first
//   GET  /api/alerts/stream                                       SSE: `snapshot` (active alerts), then `raised`,
//                                                                 `cleared`, `acked` events with increasing ids
//   GET  /api/workshops/:workshop/alerts?from=ISO&to=ISO          history (default: the last 7 days), newest first
//   POST /api/workshops/:workshop/kilns/:kiln/alerts/:alert_id/ack   body { by, note? }
//   GET|PUT /api/workshops/:workshop/kilns/:kiln/alert-settings   effective thresholds (defaults when none saved);
//                                                                 PUT body { by, settings: {any subset} }
// Per-workshop routes start with /api/workshops/:workshop so an access-control layer can scope them.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_ALERT_SETTINGS, alertSettings, alertSettingsPatchSchema, settingsProblems } from '../domain/alerts/index.ts';
import type { AlertService } from '../alerts/service.ts';
import { kilnParams } from './firing-routes.ts';
import { badRequest, bodyIssues, orUnavailable, workshopParams } from './common.ts';

const DAY_MS = 86_400_000;
export const alertParams = kilnParams.extend({ alert_id: z.string().regex(/^[a-z_]{1,40}\.[A-Za-z0-9_-]{1,60}\.\d{1,16}$/, 'must be an alert id, kind.channel.raised_at_ms') });
export const historyQuery = z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() });
export const ackBody = z.strictObject({ by: z.string().trim().min(1).max(80), note: z.string().trim().max(500).optional() });
export const settingsBody = z.strictObject({ by: z.string().trim().min(1).max(80), settings: alertSettingsPatchSchema });

export const alertRoutes = fp(async (app: FastifyInstance, opts: { alerts: AlertService }) => {
  const svc = opts.alerts;
  const open = new Set<() => void>();

  app.get('/api/alerts', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { active: svc.active() };
  });

  app.get('/api/alerts/stream', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    let done = false;
    const heartbeat = setInterval(() => { if (!done) res.write(': heartbeat\n\n'); }, 15_000);
    heartbeat.unref();
    let unsubscribe: () => void = () => undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(finish);
      res.end();
    };
    open.add(finish);
    unsubscribe = svc.subscribe((e) => {
      if (done) return;
      if (res.writableLength > 4 * 1024 * 1024) { finish(); return; } // too slow: it reconnects and gets a snapshot
      res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    req.raw.on('close', finish);
    res.on('error', finish);
  });

  app.addHook('preClose', async () => {
    for (const f of [...open]) f();
  });

  app.get('/api/workshops/:workshop/alerts', async (req, reply) => {
    const p = workshopParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const q = historyQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues);
    const to_ms = q.data.to ? Date.parse(q.data.to) : Date.now();
    const from_ms = q.data.from ? Date.parse(q.data.from) : to_ms - 7 * DAY_MS;
    if (!(from_ms < to_ms)) return badRequest(reply, [{ path: ['from'], message: 'must be before to' }]);
    if (to_ms - from_ms > 366 * DAY_MS) return badRequest(reply, [{ path: ['to'], message: 'the range may span at most 366 days' }]);
    return orUnavailable(reply, async () => ({
      workshop: p.data.workshop, from: new Date(from_ms).toISOString(), to: new Date(to_ms).toISOString(),
      active: svc.active(p.data.workshop), alerts: await svc.history(p.data.workshop, from_ms, to_ms),
    }));
  });

  app.post('/api/workshops/:workshop/kilns/:kiln/alerts/:alert_id/ack', async (req, reply) => {
    const p = alertParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const b = ackBody.safeParse(req.body);
    if (!b.success) return badRequest(reply, bodyIssues(b.error.issues));
    return orUnavailable(reply, async () => {
      const a = await svc.ack(p.data.workshop, p.data.kiln, p.data.alert_id, b.data.by, b.data.note ?? null);
      if (!a) return reply.code(404).send({ error: 'not_found', message: `no alert ${p.data.alert_id} of kiln ${p.data.kiln} in workshop ${p.data.workshop}` });
      return { alert: a };
    });
  });

  const settingsView = (workshop: string, kiln: string) => {
    const saved = svc.savedSettings(workshop, kiln);
    return {
      workshop, kiln, source: saved ? 'saved' : 'default', saved_at_ms: saved?.saved_at_ms ?? null, by: saved?.by ?? null,
      settings: svc.settingsFor(workshop, kiln), overrides: saved?.settings ?? {}, defaults: DEFAULT_ALERT_SETTINGS,
    };
  };

  app.get('/api/workshops/:workshop/kilns/:kiln/alert-settings', async (req, reply) => {
    const p = kilnParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    return settingsView(p.data.workshop, p.data.kiln);
  });

  app.put('/api/workshops/:workshop/kilns/:kiln/alert-settings', async (req, reply) => {
    const p = kilnParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const b = settingsBody.safeParse(req.body);
    if (!b.success) return badRequest(reply, bodyIssues(b.error.issues));
    const problems = settingsProblems(alertSettings(b.data.settings));
    if (problems.length) return badRequest(reply, problems.map((x) => ({ path: ['settings', ...x.path], message: x.message })));
    return orUnavailable(reply, async () => {
      await svc.saveSettings(p.data.workshop, p.data.kiln, b.data.by, b.data.settings);
      return settingsView(p.data.workshop, p.data.kiln);
    });
  });
}, { name: 'alert-routes' });
