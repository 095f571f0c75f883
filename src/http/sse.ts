// Server-Sent Events, written raw (the reply hijacked): every stream has the same headers, the
// same reconnect delay, ends once on the client's close or a write error, and is ended by the
// server before it closes, since a stream never ends by itself.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodApp } from './app-types.ts';

export interface SseStream {
  readonly res: ServerResponse;
  /** True once the stream has ended: nothing more may be written. */
  readonly done: () => boolean;
  /** End the stream (idempotent): the heartbeat stops, the source is unsubscribed. */
  readonly finish: () => void;
}

/** Opens a stream on a request; `subscribe` attaches its source and returns how to detach it. */
export type OpenSse = (req: FastifyRequest, reply: FastifyReply, subscribe: (s: SseStream) => () => void, opts?: { heartbeat_ms?: number }) => void;

/** How often an open stream asks whether its caller may still see it (docs/access.md). */
export const SSE_RECHECK_MS = 5_000;

/** The stream opener of one route plugin; every stream it opened is ended in the app's preClose. */
export function sseStreams(app: ZodApp): OpenSse {
  const open = new Set<() => void>();
  // preClose: before the server waits for its connections, which a stream never ends by itself.
  app.addHook('preClose', async () => {
    for (const f of [...open]) f();
  });
  return (req, reply, subscribe, opts = {}) => {
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
    const heartbeat = opts.heartbeat_ms ? setInterval(() => { if (!done) res.write(': heartbeat\n\n'); }, opts.heartbeat_ms) : null;
    heartbeat?.unref();
    // A stream outlives the request's login check: a user disabled, a token revoked or a
    // password changed ends it, and a changed role or set of workshops too (the browser
    // reconnects and is checked again, getting the new scope or a 401).
    const recheck = setInterval(() => { if (!done && req.stillAllowed && !req.stillAllowed()) finish(); }, SSE_RECHECK_MS);
    recheck.unref();
    let unsubscribe: () => void = () => undefined;
    const finish = () => {
      if (done) return;
      done = true;
      if (heartbeat) clearInterval(heartbeat);
      clearInterval(recheck);
      unsubscribe();
      open.delete(finish);
      res.end();
    };
    open.add(finish);
    unsubscribe = subscribe({ res, done: () => done, finish });
    if (done) unsubscribe(); // it ended while subscribing
    req.raw.on('close', finish);
    res.on('error', finish);
  };
}
