// GET /api/health (and its /live and /ready probes), GET /metrics (Prometheus text), GET /api/ingest/rejects. No maths here:
// the figures come from the runtime's counters. What names a workshop is filtered by the
// caller's scope (docs/access.md).
import fp from 'fastify-plugin';
import type { Runtime } from '../runtime.ts';
import { renderMetrics } from './metrics-text.ts';
import type { ZodApp } from './app-types.ts';
import { errors, rawResponse } from './schemas/common.ts';
import { aliveResponse, healthQuery, healthResponse, notReadyResponse, readyResponse, rejectsQuery, rejectsResponse, type NotReadyReason } from './schemas/ingest.ts';
import { EventLoopMonitor } from '../ingest/event-loop.ts';
import { inScope } from '../domain/access/roles.ts';
import { isValidId, TOPIC_ROOT } from '../wire/topics.ts';

/** The workshop a reject's topic names (kiln/v1/{workshop}/…), or null: such a reject is an admin's to see. */
function topicWorkshop(topic: string): string | null {
  const parts = topic.split('/');
  const w = parts[2];
  return `${parts[0]}/${parts[1]}` === TOPIC_ROOT && w !== undefined && isValidId(w) ? w : null;
}

/** Above this share of SPOOL_MAX_MB an instance says it is not ready (health says degraded at 80 %). */
const READY_SPOOL_SHARE = 0.8;

export const ingestRoutes = fp(async (app: ZodApp, opts: { runtime: Runtime }) => {
  const rt = opts.runtime;

  const loop = new EventLoopMonitor();
  loop.start();
  app.addHook('onClose', async () => loop.stop());

  app.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: ['ingest'], summary: 'Broker, database, spool, intake, event loop, ingest rates, memory, retention, kilns and alert delivery', querystring: healthQuery, response: { 200: healthResponse, ...errors(400) } },
  }, async (req) => {
    // ?event_loop_reset: the figures start again after this answer (a benchmark's measuring window).
    const event_loop = loop.snapshot();
    if (req.query.event_loop_reset !== undefined) loop.reset();
    const pending = rt.spool.pendingBytes();
    const max = rt.config.SPOOL_MAX_MB * 1024 * 1024;
    const broker_ok = rt.source.connected();
    const db_ok = rt.drainer.db_ok;
    const fill_pct = Math.round((pending / max) * 1000) / 10;
    const paused = rt.pipeline.holds.paused;
    const heap = { ...rt.heap.snapshot() };
    const status = broker_ok && db_ok && fill_pct < 80 && !paused && !heap.high ? 'ok' : 'degraded';
    return {
      status,
      broker: { kind: rt.source.kind, url: rt.config.MQTT_URL ?? `mqtt://${rt.config.MQTT_EMBEDDED_HOST}:${rt.config.MQTT_EMBEDDED_PORT}`, connected: broker_ok },
      database: { url: rt.influx_url, database: rt.config.INFLUX_DATABASE, writing: db_ok, last_error: rt.drainer.last_error ?? null },
      spool: { pending_bytes: pending, max_bytes: max, fill_pct, disk_full: paused?.reason === 'disk_full', last_error: rt.pipeline.last_spool_error ?? null },
      // accepting false: messages are held unacknowledged (the spool or its disk is full) until it can keep them.
      intake: {
        accepting: !paused, paused_reason: paused?.reason ?? null, paused_since_ms: paused?.since_ms ?? null,
        held_messages: rt.pipeline.holds.size, held_total: Object.fromEntries(rt.pipeline.holds.held_total),
      },
      ingest: {
        messages_received: rt.stats.messages_received,
        readings_accepted: rt.stats.readings_accepted,
        readings_stored: rt.stats.readings_stored,
        readings_rejected: rt.stats.totalRejected(rt.stats.readings_rejected),
        messages_rejected: rt.stats.totalRejected(rt.stats.messages_rejected),
        ...rt.rates.rates(),
      },
      alerts: rt.alerts.health(),
      cluster: rt.cluster?.health() ?? null,
      event_loop,
      // high: the live data is near the heap cap (src/heap-watch.ts); the service will soon fall behind.
      heap,
      // Raw readings older than raw_days become one-minute aggregates (src/retention/downsampler.ts); 0: kept for ever.
      retention: { raw_days: rt.config.READINGS_RAW_DAYS, ...rt.downsampler.stats },
      // The firing index (src/firings/indexer.ts): what it folded, and the kilns it lets lag.
      firing_index: { ...rt.indexer.stats },
      // Only the kilns the caller sees: none without a login (the rest of health names no workshop).
      kilns: [...rt.pipeline.kilnStatus.values()].filter((k) => inScope(req.scope, k.workshop)).map((k) => ({ workshop: k.workshop, kiln: k.kiln, state: k.state, since_ms: k.received_at_ms })),
    };
  });

  // Probes for an orchestrator or a load balancer (docs/deploy.md). Live: the event loop answers.
  app.get('/api/health/live', {
    config: { access: 'public' },
    schema: { tags: ['ingest'], summary: 'Liveness probe: 200 while the process answers', response: { 200: aliveResponse } },
  }, async () => ({ status: 'alive' as const, uptime_s: Math.round(process.uptime()) }));

  // Ready: this instance can take readings now. InfluxDB being down is not a reason: the spool
  // keeps readings until it is back; a spool near its limit or paused intake is.
  app.get('/api/health/ready', {
    config: { access: 'public' },
    schema: { tags: ['ingest'], summary: 'Readiness probe: 200 when readings can be taken, 503 with the reasons when not', response: { 200: readyResponse, 503: notReadyResponse } },
  }, async (_req, reply) => {
    const reasons: NotReadyReason[] = [];
    if (!rt.source.connected()) reasons.push('broker_disconnected');
    if (rt.pipeline.holds.paused) reasons.push('intake_paused');
    if (rt.spool.pendingBytes() >= READY_SPOOL_SHARE * rt.config.SPOOL_MAX_MB * 1024 * 1024) reasons.push('spool_nearly_full');
    if (reasons.length === 0) return { ready: true as const, reasons: [] };
    return reply.code(503).send({ error: 'not_ready', message: `not ready: ${reasons.join(', ')}`, ready: false, reasons });
  });

  app.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['ingest'], summary: 'Prometheus counters, reasons and the InfluxDB write latency histogram', response: rawResponse('text/plain', 'Prometheus text exposition 0.0.4') },
  }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4');
    return renderMetrics(app);
  });

  app.get('/api/ingest/rejects', {
    config: { access: 'read' },
    schema: { tags: ['ingest'], summary: 'Rejected readings by reason, and the latest rejects of the caller\'s workshops', querystring: rejectsQuery, response: { 200: rejectsResponse, ...errors(400) } },
  }, async (req) => ({
    // The counts by reason name no workshop (they are on /metrics too); the rejects themselves do.
    messages_rejected: Object.fromEntries(rt.stats.messages_rejected),
    readings_rejected: Object.fromEntries(rt.stats.readings_rejected),
    recent: req.scope === 'all'
      ? rt.stats.recentRejects(req.query.limit)
      : rt.stats.recentRejects(Number.MAX_SAFE_INTEGER).filter((r) => { const w = topicWorkshop(r.topic); return w !== null && inScope(req.scope, w); }).slice(0, req.query.limit),
  }));
}, { name: 'ingest-routes' });
