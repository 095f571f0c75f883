// Alerts (src/alerts, docs/alerts.md):
//   GET  /api/alerts                                              active alerts of every kiln the caller sees, newest first
//   GET  /api/alerts/stream                                       SSE: `snapshot` (active alerts), then `raised`,
//                                                                 `cleared`, `acked` events with increasing ids
//   GET  /api/workshops/:workshop/alerts?from=ISO&to=ISO          history (default: the last 7 days), newest first
//   POST /api/workshops/:workshop/kilns/:kiln/alerts/:alert_id/ack   body { note? }
//   GET|PUT /api/workshops/:workshop/kilns/:kiln/alert-settings   effective thresholds (defaults when none saved);
//                                                                 PUT body { settings: {any subset} }
//   GET  /api/workshops/:workshop/kilns/:kiln/alert-settings/history   every save, newest first
// Who acknowledged or saved is the logged-in user (req.principal); a `by` in the body is ignored.
// Per-workshop routes start with /api/workshops/:workshop so an access-control layer can scope them.
import fp from 'fastify-plugin';
import { DEFAULT_ALERT_SETTINGS, alertSettings, settingsProblems } from '../domain/alerts/index.ts';
import type { AlertService } from '../alerts/service.ts';
import type { ZodApp } from './app-types.ts';
import { BadRequest, checkRange } from './common.ts';
import { errors, kilnParams, rawResponse, workshopParams } from './schemas/common.ts';
import { sseStreams } from './sse.ts';
import { inScope } from '../domain/access/roles.ts';
import { ackBody, ackResponse, activeAlerts, alertHistory, alertParams, alertSettingsHistory, alertSettingsView, historyQuery, settingsBody } from './schemas/alerts.ts';

const DAY_MS = 86_400_000;

/** An event as the caller may see it: the snapshot with only their workshops' alerts, a
 *  transition only if its alert is of one of their workshops (else null). */
function visibleEvent(data: unknown, scope: 'all' | ReadonlySet<string>): unknown {
  if (scope === 'all') return data;
  const d = data as { active?: readonly { workshop: string }[]; alert?: { workshop: string } };
  if (d.active) return { ...d, active: d.active.filter((a) => inScope(scope, a.workshop)) };
  return d.alert && inScope(scope, d.alert.workshop) ? data : null;
}

export const alertRoutes = fp(async (app: ZodApp, opts: { alerts: AlertService }) => {
  const svc = opts.alerts;
  const openSse = sseStreams(app);
  const tags = ['alerts'];

  app.get('/api/alerts', {
    config: { access: 'read' },
    schema: { tags, summary: 'Active alerts of every kiln the caller sees, newest first', response: { 200: activeAlerts } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return { active: svc.active().filter((a) => inScope(req.scope, a.workshop)) };
  });

  // Written raw (hijacked): each event's data is an alert (snapshot: { active }).
  app.get('/api/alerts/stream', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Server-Sent Events: active alerts, then raised, cleared and acked events',
      response: rawResponse('text/event-stream', '`snapshot` (the GET /api/alerts body), then `raised`, `cleared`, `acked` events with increasing ids; a heartbeat comment every 15 s'),
    },
  }, (req, reply) => {
    openSse(req, reply, ({ res, done, finish }) => svc.subscribe((e) => {
      if (done()) return;
      const data = visibleEvent(e.data, req.scope);
      if (data === null) return; // another workshop's alert: never written to this stream
      if (res.writableLength > 4 * 1024 * 1024) { finish(); return; } // too slow: it reconnects and gets a snapshot
      res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
    }), { heartbeat_ms: 15_000 });
  });

  app.get('/api/workshops/:workshop/alerts', {
    config: { access: 'read' },
    schema: {
      tags, summary: 'Alert history of a workshop (default the last 7 days), newest first',
      params: workshopParams, querystring: historyQuery, response: { 200: alertHistory, ...errors(400, 503) },
    },
  }, async (req) => {
    const { params: p, query: q } = req;
    const to_ms = q.to ? Date.parse(q.to) : Date.now();
    const from_ms = q.from ? Date.parse(q.from) : to_ms - 7 * DAY_MS;
    checkRange(from_ms, to_ms, 366);
    return {
      workshop: p.workshop, from: new Date(from_ms).toISOString(), to: new Date(to_ms).toISOString(),
      active: svc.active(p.workshop), alerts: await svc.history(p.workshop, from_ms, to_ms),
    };
  });

  app.post('/api/workshops/:workshop/kilns/:kiln/alerts/:alert_id/ack', {
    config: { access: 'ack_alerts' },
    schema: { tags, summary: 'Acknowledge an alert', params: alertParams, body: ackBody, response: { 200: ackResponse, ...errors(400, 404, 503) } },
  }, async (req, reply) => {
    const p = req.params;
    const a = await svc.ack(p.workshop, p.kiln, p.alert_id, req.principal!.username, req.body.note ?? null);
    if (!a) return reply.code(404).send({ error: 'not_found', message: `no alert ${p.alert_id} of kiln ${p.kiln} in workshop ${p.workshop}` });
    return { alert: a };
  });

  const settingsView = (workshop: string, kiln: string) => {
    const saved = svc.savedSettings(workshop, kiln);
    return {
      workshop, kiln, source: saved ? 'saved' as const : 'default' as const, saved_at_ms: saved?.saved_at_ms ?? null, by: saved?.by ?? null,
      settings: svc.settingsFor(workshop, kiln), overrides: saved?.settings ?? {}, defaults: DEFAULT_ALERT_SETTINGS,
    };
  };

  app.get('/api/workshops/:workshop/kilns/:kiln/alert-settings', {
    config: { access: 'read' },
    schema: { tags, summary: 'A kiln\'s alert thresholds (defaults when none saved)', params: kilnParams, response: { 200: alertSettingsView, ...errors(400) } },
  }, async (req) => settingsView(req.params.workshop, req.params.kiln));

  app.put('/api/workshops/:workshop/kilns/:kiln/alert-settings', {
    config: { access: 'edit_alert_settings' },
    schema: {
      tags, summary: 'Save a kiln\'s alert thresholds (any subset)',
      params: kilnParams, body: settingsBody, response: { 200: alertSettingsView, ...errors(400, 503) },
    },
  }, async (req) => {
    const problems = settingsProblems(alertSettings(req.body.settings));
    if (problems.length) throw new BadRequest(problems.map((x) => ({ path: ['settings', ...x.path], message: x.message })));
    await svc.saveSettings(req.params.workshop, req.params.kiln, req.principal!.username, req.body.settings);
    return settingsView(req.params.workshop, req.params.kiln);
  });

  app.get('/api/workshops/:workshop/kilns/:kiln/alert-settings/history', {
    config: { access: 'read' },
    schema: { tags, summary: 'Every save of a kiln\'s alert thresholds, newest first: who changed what, when', params: kilnParams, response: { 200: alertSettingsHistory, ...errors(400, 503) } },
  }, async (req) => {
    const { workshop, kiln } = req.params;
    const all = await svc.settingsHistory(workshop, kiln);
    return { workshop, kiln, versions: all.map((s) => ({ saved_at: new Date(s.saved_at_ms).toISOString(), saved_at_ms: s.saved_at_ms, by: s.by, overrides: s.settings })) };
  });
}, { name: 'alert-routes' });
