// GET /api/health and GET /api/ingest/rejects. The health body is deliberately open (loose
// objects): operators' tools read it and new gauges are added to it often, so a field added by
// its handler is sent even before it is named here.
import { z } from 'zod';
import { REJECT_REASONS, type RejectReason } from '../../domain/point.ts';
import { errorBody, list } from './common.ts';
import type { RejectRecord } from '../../ingest/stats.ts';
import type { Assert, Covers } from './common.ts';

const nullableText = z.string().nullable();
const rejectReason = z.enum(REJECT_REASONS as readonly [RejectReason, ...RejectReason[]]);
const countsByReason = z.record(z.string(), z.number());

export const healthKiln = z.object({ workshop: z.string(), kiln: z.string(), state: z.string(), since_ms: z.number() });
export type HealthKiln = z.infer<typeof healthKiln>;

export const healthResponse = z.looseObject({
  status: z.string().describe('ok, or degraded: broker or database down, spool 80 % full, intake paused, or the live data near the heap cap'),
  broker: z.looseObject({ kind: z.enum(['embedded', 'external']), url: z.string(), connected: z.boolean() }),
  database: z.looseObject({ url: z.string(), database: z.string(), writing: z.boolean(), last_error: nullableText }),
  spool: z.looseObject({ pending_bytes: z.number(), max_bytes: z.number(), fill_pct: z.number(), disk_full: z.boolean(), last_error: nullableText }),
  intake: z.looseObject({
    accepting: z.boolean(), paused_reason: nullableText, paused_since_ms: z.number().nullable(),
    held_messages: z.number(), held_total: countsByReason,
  }),
  ingest: z.looseObject({
    messages_received: z.number(), readings_accepted: z.number(), readings_stored: z.number(),
    readings_rejected: z.number(), messages_rejected: z.number(), accepted_readings_s: z.number(), stored_readings_s: z.number(),
  }),
  alerts: z.record(z.string(), z.unknown()),
  /** Several instances on one broker (docs/scaling.md): this one's id, the members it sees, takeovers. Null: one instance. */
  cluster: z.record(z.string(), z.unknown()).nullable(),
  heap: z.looseObject({
    used_bytes: z.number(), limit_bytes: z.number().describe('V8\'s limit: --max-old-space-size plus the young generation'),
    live_bytes: z.number().nullable().describe('left after the last full collection: live data; null before the first'),
    live_pct: z.number().nullable(), full_collections: z.number(), high: z.boolean().describe('live data at 80 % of the limit or more'),
  }),
  retention: z.looseObject({
    raw_days: z.number().describe('raw readings older than this become one-minute aggregates; 0: kept for ever'),
    passes: z.number(), minutes_written: z.number(), days_dropped: z.number(), errors: z.number(), last_error: nullableText,
  }),
  firing_index: z.looseObject({
    passes: z.number(), kilns_folded: z.number(),
    kilns_waiting: z.number().describe('kilns with readings not folded yet: no news of their firing, folded within FIRING_INDEX_KILN_EVERY_S'),
    firings_stored: z.number(), rewinds: z.number(), errors: z.number(), last_error: nullableText, last_pass_ms: z.number().nullable(),
  }),
  kilns: list(healthKiln),
});
export type Health = z.infer<typeof healthResponse>;

/** Liveness: the process answers (an orchestrator restarts it when this stops answering). */
export const aliveResponse = z.object({ status: z.literal('alive'), uptime_s: z.number() });

const notReadyReason = z.enum(['broker_disconnected', 'intake_paused', 'spool_nearly_full']);
export type NotReadyReason = z.infer<typeof notReadyReason>;

/** Readiness: whether this instance can take readings now (a load balancer sends it none when not). */
export const readyResponse = z.object({ ready: z.literal(true), reasons: z.array(notReadyReason).max(0) });
/** Not ready: the shared error shape, with the reasons a program can act on. */
export const notReadyResponse = errorBody.extend({ ready: z.literal(false).optional(), reasons: z.array(notReadyReason).optional() })
  .describe('Not ready: error not_ready, the reasons named in message and in reasons');

/** ?event_loop_reset: the event-loop figures start again after this answer (a benchmark's measuring window). */
export const healthQuery = z.object({ event_loop_reset: z.string().optional() });

export const rejectsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const rejectRecord = z.object({
  at_ms: z.number(), topic: z.string(), reason: rejectReason, detail: z.string(), readings: z.number(), payload_excerpt: z.string(),
});
export const rejectsResponse = z.object({
  messages_rejected: countsByReason,
  readings_rejected: countsByReason,
  recent: list(rejectRecord),
});

type _Covered = Assert<Covers<z.infer<typeof rejectRecord>, RejectRecord>>;
