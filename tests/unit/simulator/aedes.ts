// A real aedes broker in the test process, on a free port, for the simulator's MQTT tests.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';

export async function startAedes(opts: Partial<AedesOptions> = {}): Promise<{ url: string; close(): Promise<void> }> {
  const broker = await Aedes.createBroker(opts);
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
