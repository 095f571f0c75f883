// Starts the sensor simulator as its own process for a demo (SIMULATE_KILNS > 0). It talks to
// the service only over MQTT, exactly like real kilns, and starts SIMULATE_HISTORY_H hours in the
// past, fast-forwarding to now so that a newcomer sees firings in every stage within a minute.
// It logs in as a gateway of workshop "demo" made for it at each start (secrets are kept only as
// hashes, so last start's cannot be reused); the one it had before is revoked.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../ports.ts';
import type { AccessService } from '../access/service.ts';

export const DEMO_WORKSHOP = 'demo';

export interface DemoKilnsOptions {
  readonly mqtt_url: string;
  readonly kilns: number;
  readonly history_h: number;
  readonly speed: number;
  /** The simulator's device credential (demoCredential). */
  readonly credential: { readonly username: string; readonly secret: string };
}

/** A fresh gateway credential for the demo workshop; the earlier demo gateways revoked. */
export function demoCredential(access: AccessService): { username: string; secret: string } {
  for (const d of access.devices(DEMO_WORKSHOP)) if (d.kiln === null && d.revoked_at_ms === null) access.revokeDevice(d.username);
  const { device, secret } = access.createDevice(DEMO_WORKSHOP, null);
  return { username: device.username, secret };
}

export function startDemoKilns(o: DemoKilnsOptions, log: Logger): { stop(): Promise<void> } {
  // From the bundle (npm start: dist/server.mjs) run the bundled simulator beside it;
  // from the sources (tests, npm run dev) run simulator/main.ts through tsx.
  const bundled = import.meta.url.endsWith('.mjs');
  const entry = bundled
    ? [fileURLToPath(new URL('./simulator.mjs', import.meta.url))]
    : ['--import', 'tsx', fileURLToPath(new URL('../../simulator/main.ts', import.meta.url))];
  const args = [...entry, '--url', o.mqtt_url, '--username', o.credential.username, '--kilns', String(o.kilns), '--workshop', DEMO_WORKSHOP,
    '--history-h', String(o.history_h), '--speed', String(o.speed), '--stagger-min', '90', '--quiet'];
  // The secret through the environment, not the arguments that `ps` shows.
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KILNSIM_MQTT_PASSWORD: o.credential.secret } });
  const relay = (d: Buffer) => { for (const line of d.toString().split(/[\r\n]+/)) if (line.trim()) log.info(`simulator: ${line.trim()}`); };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  child.once('exit', (code, signal) => { if (code !== 0 && signal === null) log.warn(`simulator exited with code ${code}`); });
  log.info(`${o.kilns} simulated kilns (workshop "demo") fast-forward ${o.history_h} h at ${o.speed}× to now, then run live`);
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
