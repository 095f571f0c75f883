// Phase E's broker, run as its own process (node --import tsx): a standalone aedes with the same
// package and version as the service's embedded broker, default options (in-memory persistence,
// no hooks), on 127.0.0.1 and a port the OS picks. Reports { port } over IPC once listening and
// closes on { cmd: 'stop' } (or SIGTERM).
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

if (!process.send) throw new Error('raw-aedes.ts needs an IPC channel (start it with child_process.fork)');
const send = process.send.bind(process);
const broker = await Aedes.createBroker();
const server = createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  send({ port: typeof addr === 'object' && addr ? addr.port : 0 });
});

let closing = false;
const close = () => {
  if (closing) return;
  closing = true;
  broker.close(() => server.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 3000).unref(); // a client that will not let go
};
process.on('message', (m: { cmd?: string }) => { if (m.cmd === 'stop') close(); });
process.on('SIGTERM', close);
process.on('disconnect', close); // the benchmark went away
