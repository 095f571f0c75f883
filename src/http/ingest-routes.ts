// GET /api/health, GET /metrics (Prometheus text), GET /api/ingest/rejects. No maths here:
// the figures come from the runtime's counters.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../runtime.ts';
import { renderMetrics } from './metrics-text.ts';
import { EventLoopMonitor } from '../ingest/event-loop.ts';

export const rejectsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const ingestRoutes = fp(async (app: FastifyInstance, opts: { runtime: Runtime }) => {
  const rt = opts.runtime;

  const loop = new EventLoopMonitor();
  loop.start();
  app.addHook('onClose', async () => loop.stop());

  app.get('/api/health', async (req) => {
    // ?event_loop_reset: the figures start again after this answer (a benchmark's measuring window).
    const event_loop = loop.snapshot();
    if ((req.query as Record<string, unknown>).event_loop_reset !== undefined) loop.reset();
    const pending = rt.spool.pendingBytes();
    const max = rt.config.SPOOL_MAX_MB * 1024 * 1024;
    const broker_ok = rt.source.connected();
    const db_ok = rt.drainer.db_ok;
    const fill_pct = Math.round((pending / max) * 1000) / 10;
    const status = broker_ok && db_ok && fill_pct < 80 ? 'ok' : 'degraded';
    return {
      status,
      broker: { kind: rt.source.kind, url: rt.config.MQTT_URL ?? `mqtt://${rt.config.MQTT_EMBEDDED_HOST}:${rt.config.MQTT_EMBEDDED_PORT}`, connected: broker_ok },
      database: { url: rt.influx_url, database: rt.config.INFLUX_DATABASE, writing: db_ok, last_error: rt.drainer.last_error ?? null },
      spool: { pending_bytes: pending, max_bytes: max, fill_pct },
      ingest: {
        messages_received: rt.stats.messages_received,
        readings_accepted: rt.stats.readings_accepted,
        readings_stored: rt.stats.readings_stored,
        readings_rejected: rt.stats.totalRejected(rt.stats.readings_rejected),
        messages_rejected: rt.stats.totalRejected(rt.stats.messages_rejected),
        ...rt.rates.rates(),
      },
      alerts: rt.alerts.health(),
      event_loop,
      kilns: [...rt.pipeline.kilnStatus.values()].map((k) => ({ workshop: k.workshop, kiln: k.kiln, state: k.state, since_ms: k.received_at_ms })),
    };
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type('text/plain; version=0.0.4');
    return renderMetrics(rt);
  });

  app.get('/api/ingest/rejects', async (req, reply) => {
    const q = rejectsQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'bad_request', message: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return {
      messages_rejected: Object.fromEntries(rt.stats.messages_rejected),
      readings_rejected: Object.fromEntries(rt.stats.readings_rejected),
      recent: rt.stats.recentRejects(q.data.limit),
    };
  });
}, { name: 'ingest-routes' });
