// The service takes the next message from an external broker only once its connection can take
// more writes (whenWritable): otherwise a broker sending faster than it reads our PUBACKs made
// them pile up in the socket's buffer until the heap ran out (`npm run bench`, phase C2). Shown
// here on a real TCP connection whose far end stops reading.
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { whenWritable } from '../../src/adapters/mqtt/connect.ts';

const sockets: net.Socket[] = [];
let server: net.Server | null = null;
afterEach(async () => { for (const s of sockets.splice(0)) s.destroy(); await new Promise((r) => server ? server.close(r) : r(null)); server = null; });

/** A connected pair on 127.0.0.1: `far` does not read until resumed. */
async function pair(): Promise<{ near: net.Socket; far: net.Socket }> {
  server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const near = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [far] = await accepted;
  far.pause();
  sockets.push(near, far);
  await once(near, 'connect');
  return { near, far };
}

describe('PUBACKs wait for the connection to drain', () => {
  it('goes on at once while the socket takes writes', async () => {
    const { near } = await pair();
    let called = 0;
    whenWritable(near, () => called++);
    expect(called).toBe(1);
  });

  it('waits while the far end reads nothing, and goes on once it reads again', async () => {
    const { near, far } = await pair();
    // Fill the kernel's buffers (a few MB on loopback), then the socket's own.
    const chunk = Buffer.alloc(64 * 1024);
    let written = 0;
    while (!near.writableNeedDrain && written < 256 * 2 ** 20) {
      near.write(chunk);
      written += chunk.length;
      await new Promise((r) => setImmediate(r));
    }
    expect(near.writableNeedDrain).toBe(true);
    let called = 0;
    whenWritable(near, () => called++);
    await new Promise((r) => setTimeout(r, 200));
    expect(called).toBe(0); // nothing more is taken while the broker does not read
    let read = 0;
    far.on('data', (d: Buffer) => { read += d.length; });
    far.resume();
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (called) { clearInterval(t); resolve(); } }, 10); });
    expect(called).toBe(1);
    expect(read).toBeGreaterThan(0);
    console.log(`the far end stopped reading: ${(written / 2 ** 20).toFixed(1)} MB written before the socket asked to wait; the next message waited until it read again`);
  }, 20_000);
});
