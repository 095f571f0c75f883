// Starts bench/support/raw-aedes.ts as a child process and waits until it listens.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RawAedes {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startRawAedes(timeout_ms = 20_000): Promise<RawAedes> {
  const child = fork(fileURLToPath(new URL('./raw-aedes.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw aedes broker not listening in ${timeout_ms} ms`)), timeout_ms);
    child.once('message', (m: { port?: number }) => { clearTimeout(timer); resolve(m.port ?? 0); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`raw aedes broker exited (${code})`)); });
  }).catch(async (err: Error) => { child.kill('SIGKILL'); await exited; throw err; });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ cmd: 'stop' });
      else child.kill('SIGTERM');
      await exited;
    },
  };
}
