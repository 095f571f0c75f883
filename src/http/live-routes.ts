// Live state of every kiln (src/live/):
//   GET /api/live         all kilns now, JSON: { last_event_id, kilns: KilnLiveView[] }
//   GET /api/live/stream  Server-Sent Events: a `snapshot` event (all kilns), then a `kiln` event
//                         per kiln update (at most ~1 per second per kiln), each with an increasing
//                         id; Last-Event-ID resumes from the hub's ring (else a fresh snapshot);
//                         a heartbeat comment every 15 s.
// One stream per page carries every kiln (docs/sources.md, "Platform behaviour").
import fp from 'fastify-plugin';
import { parseLastEventId } from '../domain/live/sse.ts';
import type { LiveHub } from '../live/hub.ts';
import type { ZodApp } from './app-types.ts';
import { rawResponse } from './schemas/common.ts';
import { liveSnapshot } from './schemas/live.ts';

export const liveRoutes = fp(async (app: ZodApp, opts: { live: LiveHub }) => {
  const hub = opts.live;
  const open = new Set<() => void>();

  app.get('/api/live', {
    schema: { tags: ['live'], summary: 'Live state of every kiln: stage, zones, rate of rise, fuel, cost and CO2 so far, time to peak and end', response: { 200: liveSnapshot } },
  }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return hub.snapshot();
  });

  // Written raw (hijacked): the events carry the same kiln views as GET /api/live.
  app.get('/api/live/stream', {
    schema: {
      tags: ['live'], summary: 'Server-Sent Events: a snapshot, then one kiln event per kiln update (Last-Event-ID resumes)',
      response: rawResponse('text/event-stream', '`snapshot` (the GET /api/live body), then `kiln` events (one kiln view each), with increasing ids; a heartbeat comment every 15 s'),
    },
  }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // a proxy (nginx) must not buffer the stream
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    let done = false;
    let unsubscribe = () => undefined as void;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      open.delete(finish);
      res.end();
    };
    const sink = {
      write: (chunk: string) => { if (!done) res.write(chunk); },
      buffered: () => res.writableLength,
      end: finish,
    };
    open.add(finish);
    unsubscribe = hub.subscribe(sink, parseLastEventId(req.headers['last-event-id']));
    if (done) unsubscribe();
    req.raw.on('close', finish);
    res.on('error', finish);
  });

  // preClose: before the server waits for its connections, which a stream never ends by itself.
  app.addHook('preClose', async () => {
    for (const f of [...open]) f();
  });
}, { name: 'live-routes' });
