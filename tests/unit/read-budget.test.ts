// The embedded broker's read budget, on real TCP sockets: every byte arrives, in order, and once
// a turn of the event loop has spent its parsing budget the connections' next reads wait for a
// later turn, however many connections have data waiting at once.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { ReadBudget } from '../../src/adapters/mqtt/read-budget.ts';

const servers: Server[] = [];
afterEach(() => { for (const s of servers.splice(0)) s.close(); });

/** n connections to a local server, each sending `bytes` of its own pattern; the server's ends are
 *  read as aedes reads them: read() of everything on 'readable', and again once a read is handled. */
async function run(n: number, bytes: number, budget: ReadBudget, parse_ms = 0) {
  let turn = 0;
  let ticking = true;
  const tick = () => { turn++; if (ticking) setImmediate(tick); };
  const perTurn = new Map<number, number>(); // reads a turn
  const got = new Map<number, Buffer[]>();
  const done: Promise<void>[] = [];
  const server = createServer();
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    let id = -1;
    const chunks: Buffer[] = [];
    const next = () => {
      const b = socket.read() as Buffer | null;
      if (!b) return;
      perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
      budget.timed(() => { // the parse, as aedes's parser does it
        if (id < 0) id = b[0]!;
        chunks.push(b);
        for (const t0 = performance.now(); performance.now() - t0 < parse_ms;); // a parse that takes parse_ms
      });
      queueMicrotask(next); // the read's packets handled: read again, as aedes does
    };
    budget.wrap(socket, next);
    socket.on('readable', next);
    done.push(once(socket, 'end').then(() => { got.set(id, chunks); }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const sent = Array.from({ length: n }, (_, c) => Buffer.alloc(bytes, c + 1));
  // Connect all, then write all at once, so every socket has data waiting in the same turn.
  const clients = await Promise.all(sent.map(async () => { const c = connect(port, '127.0.0.1'); await once(c, 'connect'); return c; }));
  while (done.length < n) await new Promise((r) => setTimeout(r, 5));
  tick();
  clients.forEach((c, i) => c.end(sent[i]!));
  await Promise.all(done);
  ticking = false;
  return { sent, got, perTurn };
}

describe('ReadBudget', () => {
  it('hands every byte over in order, one read a turn with no time to spend', async () => {
    const budget = new ReadBudget(0); // spent by the first parse of each turn
    const { sent, got, perTurn } = await run(16, 200_000, budget);
    for (let c = 0; c < sent.length; c++) expect(Buffer.concat(got.get(c + 1) ?? []).equals(sent[c]!)).toBe(true);
    expect(Math.max(...perTurn.values())).toBe(1);
    expect(budget.deferred).toBeGreaterThan(0); // reads did wait for a later turn
  });

  it('counts the parsing\'s time: a 5 ms budget takes at most three parses of 2 ms a turn', async () => {
    const budget = new ReadBudget(5);
    const { sent, got, perTurn } = await run(8, 100_000, budget, 2);
    for (let c = 0; c < sent.length; c++) expect(Buffer.concat(got.get(c + 1) ?? []).equals(sent[c]!)).toBe(true);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(3);
    expect(budget.deferred).toBeGreaterThan(0);
  });

  it('without a budget the same readers read many times in one turn (what it bounds)', async () => {
    const budget = new ReadBudget(Infinity);
    const { sent, got, perTurn } = await run(16, 200_000, budget);
    for (let c = 0; c < sent.length; c++) expect(Buffer.concat(got.get(c + 1) ?? []).equals(sent[c]!)).toBe(true);
    expect(Math.max(...perTurn.values())).toBeGreaterThan(1);
    expect(budget.deferred).toBe(0);
  });
});
