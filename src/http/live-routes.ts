// Live state of every kiln (src/live/):
//   GET /api/live         all kilns now, JSON: { last_event_id, kilns: KilnLiveView[] }
//   GET /api/live/stream  Server-Sent Events: a `snapshot` event (all kilns), then a `kiln` event
//                         per kiln update (at most ~1 per second per kiln), each with an increasing
//                         id; Last-Event-ID resumes from the hub's ring (else a fresh snapshot);
//                         a heartbeat comment every 15 s.
// One stream per page carries every kiln (docs/sources.md, "Platform behaviour").
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { parseLastEventId } from '../domain/live/sse.ts';
import type { LiveHub } from '../live/hub.ts';

export const liveRoutes = fp(async (app: FastifyInstance, opts: { live: LiveHub }) => {
  const hub = opts.live;
  const open = new Set<() => void>();

  app.get('/api/live', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return hub.snapshot();
  });

  app.get('/api/live/stream', (req, reply) => {
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
