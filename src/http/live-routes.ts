// Live state of every kiln (src/live/):
//   GET /api/live         all kilns now, JSON: { last_event_id, kilns: KilnLiveView[] }
//   GET /api/live/stream  Server-Sent Events: a `snapshot` event (all kilns), then a `kiln` event
//                         per kiln update (at most ~1 per second per kiln), each with an increasing
//                         id; Last-Event-ID resumes with each kiln changed since, its newest view
//                         (a fresh snapshot for an id of an earlier run of the service);
//                         so does ?after=<id> on a first connection (the dashboard passes the
//                         last_event_id of the GET /api/live it just read, so 1,000 kilns' views
//                         are not built and sent twice); a heartbeat comment every 15 s.
//   GET /api/live/spark      each kiln's temperature of the last 6 h (the overview's sparklines)
//   GET /api/live/usual-gas  each running firing's usual gas (median of its kiln's earlier ones)
// One stream per page carries every kiln the caller may see (docs/sources.md, "Platform
// behaviour"; docs/access.md): the others' events are never written to it.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { parseLastEventId } from '../domain/live/sse.ts';
import type { LiveHub } from '../live/hub.ts';
import type { ZodApp } from './app-types.ts';
import { rawResponse } from './schemas/common.ts';
import { liveSnapshot, liveSparks, liveUsualGas } from './schemas/live.ts';
import type { UsualGasSource } from '../firings/usual-gas.ts';
import { sseStreams } from './sse.ts';
import { inScope } from '../domain/access/roles.ts';
import { jsonArrayStream } from '../slices.ts';

/** The bodies that hold every kiln (over a megabyte at 1,000 kilns, ~15 MB at 10,000) are
 *  streams of JSON text made by the hub a slice of kilns at a time, as the client takes them, and
 *  sent as they are: a stream is not serialized again. So they are never built in one block or
 *  as one string, nor copied through the zod schema (a second copy of every kiln's view). The
 *  schema still documents them; tests/integration/live-api.test.ts (and overview-extras.test.ts for
 *  the usual gas) check that it takes a body whole. */
const sendJson = (reply: FastifyReply, json: Readable): FastifyReply => reply.type('application/json; charset=utf-8').send(json);

/** The caller's workshops as a filter; undefined (no filtering) for an admin. */
const seesOf = (scope: 'all' | ReadonlySet<string>) => scope === 'all' ? undefined : (w: string) => inScope(scope, w);

export const liveRoutes = fp(async (app: ZodApp, opts: { live: LiveHub; usualGas?: UsualGasSource }) => {
  const hub = opts.live;
  const openSse = sseStreams(app);

  app.get('/api/live', {
    config: { access: 'read' },
    schema: { tags: ['live'], summary: 'Live state of every kiln the caller sees: stage, zones, rate of rise, fuel, cost and CO2 so far, time to peak and end', response: { 200: liveSnapshot } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return sendJson(reply, hub.snapshotStream(seesOf(req.scope)));
  });

  app.get('/api/live/spark', {
    config: { access: 'read' },
    schema: { tags: ['live'], summary: 'Each kiln\'s temperature of the last 6 h in 5 min buckets (the overview cards\' sparklines)', response: { 200: liveSparks } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return sendJson(reply, hub.sparksStream(seesOf(req.scope)));
  });

  const usual = opts.usualGas;
  if (usual) {
    app.get('/api/live/usual-gas', {
      config: { access: 'read' },
      schema: { tags: ['live'], summary: 'Each running firing\'s usual gas: the median total fuel of its kiln\'s last complete firings of the same schedule', response: { 200: liveUsualGas } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      // The running firings alone, not every kiln's whole view; their index reads batched (usual-gas.ts).
      const running = hub.state.running(seesOf(req.scope));
      const usuals = await usual.ofMany(running);
      // Sent as a stream in slices too (keyed by position): at 10,000 running firings the zod pass
      // and one JSON.stringify of the whole body held the event loop ~84 ms (a CPU profile of
      // `npm run bench:fleet` as the overview opened).
      return sendJson(reply, jsonArrayStream('{"kilns":', running.map((_, i) => String(i)), (k) => ({ ...running[+k]!, ...usuals[+k]! }), '}'));
    });
  }

  // Written raw (hijacked): the events carry the same kiln views as GET /api/live.
  app.get('/api/live/stream', {
    config: { access: 'read' },
    schema: {
      tags: ['live'], summary: 'Server-Sent Events: a snapshot, then one kiln event per kiln update (Last-Event-ID resumes)',
      querystring: z.object({
        after: z.string().regex(/^\d{1,15}$/, 'an event id (digits)').optional()
          .describe('Resume after this event id (a GET /api/live last_event_id) instead of a snapshot; Last-Event-ID wins when both are sent'),
      }),
      response: rawResponse('text/event-stream', '`snapshot` (the GET /api/live body), then `kiln` events (one kiln view each), with increasing ids; a resumed stream starts with the newest view of each kiln changed since; a heartbeat comment every 15 s'),
    },
  }, (req, reply) => {
    // The hub sends the heartbeat comments itself.
    openSse(req, reply, ({ res, done, finish }) => hub.subscribe({
      write: (chunk: string | Buffer) => { if (!done()) res.write(chunk); },
      buffered: () => res.writableLength,
      end: finish,
      sees: seesOf(req.scope),
    }, parseLastEventId(req.headers['last-event-id']) ?? parseLastEventId(req.query.after)));
  });
}, { name: 'live-routes' });
