// A query InfluxDB does not answer gives up after its timeout with a clear "can retry" error, and
// an answered one leaves no timer behind (the service asks ~130 times a second at 10,000 kilns:
// a minute's timer per answered query kept thousands running). A real socket: a server that
// accepts and never answers, and one that answers at once.
import { createHook } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxUnavailable, queryV1 } from '../../src/adapters/influx/query.ts';

let silent: Server, quick: Server;
const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
let silentPort = 0, quickPort = 0;

beforeAll(async () => {
  silent = createServer(() => { /* never answers */ });
  quick = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"results":[{"statement_id":0}]}'); });
  silentPort = await listen(silent);
  quickPort = await listen(quick);
});
afterAll(() => { silent.closeAllConnections(); silent.close(); quick.close(); });

describe('queryV1 timeout', () => {
  it('gives up after timeout_ms with InfluxUnavailable saying so', async () => {
    const t0 = Date.now();
    const err = await queryV1({ url: `http://127.0.0.1:${silentPort}`, database: 'd', timeout_ms: 300 }, 'SHOW MEASUREMENTS').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfluxUnavailable);
    expect((err as Error).message).toMatch(/no answer in time/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('leaves no timer running once answered', async () => {
    // Every timer made during the queries, and whether it was cleared (or ran) by the end.
    const open = new Set<number>();
    const hook = createHook({ init: (id, type) => { if (type === 'Timeout') open.add(id); }, destroy: (id) => { open.delete(id); } }).enable();
    try {
      for (let i = 0; i < 40; i++) expect(await queryV1({ url: `http://127.0.0.1:${quickPort}`, database: 'd', timeout_ms: 60_000 }, 'SHOW MEASUREMENTS')).toEqual([]);
      await new Promise((r) => setImmediate(r));
    } finally {
      hook.disable();
    }
    expect(open.size).toBeLessThan(20); // the HTTP client's and server's own (~6 here), not one a query (46 with AbortSignal.timeout)
  });
});
