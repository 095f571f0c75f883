// How a query reaches InfluxDB (node:http on kept-alive connections): one it does not answer gives
// up after its timeout with a clear "can retry" error, a refused connection or an answer that is
// not JSON says so the same way, and an answered one leaves no timer behind (the service asks
// ~130 times a second at 10,000 kilns: a minute's timer per answered query kept thousands
// running). Real sockets: a server that accepts and never answers, one that answers at once, one
// that answers HTML, and a port nobody listens on.
import { createHook } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxUnavailable, queryV1 } from '../../src/adapters/influx/query.ts';

let silent: Server, quick: Server, html: Server;
const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
let silentPort = 0, quickPort = 0, htmlPort = 0, closedPort = 0;

beforeAll(async () => {
  silent = createServer(() => { /* never answers */ });
  quick = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"results":[{"statement_id":0}]}'); });
  html = createServer((_req, res) => { res.statusCode = 502; res.end('<html>Bad Gateway</html>'); });
  silentPort = await listen(silent);
  quickPort = await listen(quick);
  htmlPort = await listen(html);
  const gone = createServer();
  closedPort = await listen(gone);
  await new Promise((r) => gone.close(r));
});
afterAll(() => { silent.closeAllConnections(); silent.close(); quick.close(); html.close(); });

describe('queryV1 transport', () => {
  it('says InfluxDB cannot be asked now when the connection is refused, or the answer is not JSON', async () => {
    const refused = await queryV1({ url: `http://127.0.0.1:${closedPort}`, database: 'd' }, 'SHOW MEASUREMENTS').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InfluxUnavailable);
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);
    const proxy = await queryV1({ url: `http://127.0.0.1:${htmlPort}`, database: 'd' }, 'SHOW MEASUREMENTS').catch((e: unknown) => e);
    expect(proxy).toBeInstanceOf(InfluxUnavailable);
    expect((proxy as Error).message).toMatch(/not JSON/);
  });

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
