// Live state of every kiln (src/live/):
//   GET /api/live         all kilns now, JSON: { last_event_id, kilns: KilnLiveView[] }
//   GET /api/live/stream  Server-Sent Events: a `snapshot` event (all kilns), then a `kiln` event
//                         per kiln update (at most ~1 per second per kiln), each with an increasing
//                         id; Last-Event-ID resumes from the hub's ring (else a fresh snapshot);
//                         a heartbeat comment every 15 s.
// One stream per page carries every kiln (docs/sources.md, "Platform behaviour"); a caller who
// sees some workshops only (their role and workshops) gets those workshops' kilns, in both.
import fp from 'fastify-plugin';
import { parseLastEventId, scopeEvents } from '../domain/live/sse.ts';
import { inScope } from '../domain/access/roles.ts';
import type { LiveHub } from '../live/hub.ts';
import type { ZodApp } from './app-types.ts';
import { rawResponse } from './schemas/common.ts';
import { liveSnapshot } from './schemas/live.ts';
import { sseStreams } from './sse.ts';

export const liveRoutes = fp(async (app: ZodApp, opts: { live: LiveHub }) => {
  const hub = opts.live;
  const openSse = sseStreams(app);

  app.get('/api/live', {
    config: { access: 'read' },
    schema: { tags: ['live'], summary: 'Live state of every kiln: stage, zones, rate of rise, fuel, cost and CO2 so far, time to peak and end', response: { 200: liveSnapshot } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const snap = hub.snapshot();
    const scope = req.scope;
    return scope === 'all' ? snap : { ...snap, kilns: snap.kilns.filter((k) => inScope(scope, k.workshop)) };
  });

  // Written raw (hijacked): the events carry the same kiln views as GET /api/live.
  app.get('/api/live/stream', {
    config: { access: 'read' },
    schema: {
      tags: ['live'], summary: 'Server-Sent Events: a snapshot, then one kiln event per kiln update (Last-Event-ID resumes)',
      response: rawResponse('text/event-stream', '`snapshot` (the GET /api/live body), then `kiln` events (one kiln view each), with increasing ids; a heartbeat comment every 15 s'),
    },
  }, (req, reply) => {
    // The hub sends the heartbeat comments itself.
    const scope = req.scope;
    const visible = scope === 'all' ? (c: string) => c : (c: string) => scopeEvents(c, (w) => inScope(scope, w));
    openSse(req, reply, ({ res, done, finish }) => hub.subscribe({
      write: (chunk: string) => { if (done()) return; const c = visible(chunk); if (c !== '') res.write(c); },
      buffered: () => res.writableLength,
      end: finish,
    }, parseLastEventId(req.headers['last-event-id'])));
  });
}, { name: 'live-routes' });
