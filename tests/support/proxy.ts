// A TCP proxy whose link can be cut, to test a network cut between the service and the broker.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './ports.ts';

export interface CuttableProxy {
  readonly url: string;
  /** Drop every connection and refuse new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<CuttableProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) { client.destroy(); return; }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    cut() { down = true; for (const s of sockets) s.destroy(); },
    restore() { down = false; },
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
