// Process entry: parse config, start InfluxDB (local) if needed, the ingest runtime and HTTP;
// shut down gracefully on SIGINT/SIGTERM, writing what the spool holds.
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { componentLog, createLogger } from './log.ts';
import { startLocalInflux, type LocalInflux } from './adapters/influx/local-influxd.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { startAll, stopAll, type Component } from './components.ts';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Logger } from './ports.ts';
import { buildApp } from './app.ts';
import { demoCredential, startDemoKilns } from './adapters/demo-kilns.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`Bad configuration (see .env.example):\n${err.lines.map((l) => `  ${l}`).join('\n')}\n`);
    process.exit(2);
  }
  const log = createLogger(config.LOG_LEVEL);
  let local: LocalInflux | undefined, runtime: Runtime | undefined, app: FastifyInstance | undefined;
  let demo: { stop(): Promise<void> } | undefined;
  // Started in this order, stopped in reverse: the demo kilns and HTTP first (no new work comes
  // in), then the runtime (it writes what is spooled), then the local InfluxDB it writes to.
  const components: Component[] = [
    {
      name: 'influxd',
      start: async () => {
        if (!config.INFLUX_URL) local = await startLocalInflux({ dir: join(config.DATA_DIR, 'influxdb'), port: config.INFLUX_LOCAL_PORT, rpc_port: config.INFLUX_LOCAL_RPC_PORT, binary: config.INFLUX_LOCAL_BINARY, install: true }, componentLog(log, 'influxd'));
      },
      stop: () => local?.stop(),
    },
    // Its own deadline (10 s) to write what is spooled, after a failed start too (the HTTP port taken).
    { name: 'runtime', start: async () => { runtime = await startRuntime(config, config.INFLUX_URL ?? local!.url, log); }, stop: () => runtime?.stop() },
    { name: 'first-admin', start: () => firstAdmin(runtime!, log), stop: () => {} },
    { name: 'http', start: async () => { app = await listen(runtime!, config, log); }, stop: () => app?.close() },
    {
      name: 'demo-kilns',
      start: () => {
        if (config.SIMULATE_KILNS === 0) return;
        // A fresh gateway credential each start (the previous demo one is revoked): secrets are kept only as hashes.
        const credential = demoCredential(runtime!.access);
        if (config.MQTT_URL) log.warn(`demo kilns log in to ${config.MQTT_URL} as ${credential.username}: Mosquitto knows it only once its files are made again (npm run users -- mosquitto-files) and it is reloaded`);
        demo = startDemoKilns({ mqtt_url: config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_EMBEDDED_PORT}`, kilns: config.SIMULATE_KILNS, history_h: config.SIMULATE_HISTORY_H, speed: config.SIMULATE_SPEED, credential }, componentLog(log, 'demo-kilns'));
      },
      stop: () => demo?.stop(),
    },
  ];
  try {
    await startAll(components, log);
    log.info(`kiln monitor ready: http://${config.HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : config.HTTP_HOST}:${config.HTTP_PORT}/api/health`);
  } catch (err) {
    log.error((err as Error).message);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping, writing spooled readings to InfluxDB first`);
    void stopAll([...components].reverse(), 10_000, log).finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** The HTTP app, listening; closed again if it cannot listen. */
async function listen(runtime: Runtime, config: Config, log: PinoLogger): Promise<FastifyInstance> {
  const app = await buildApp(runtime, { logger: log.child({ component: 'http' }) });
  try {
    await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
    return app;
  } catch (err) {
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${config.HTTP_PORT} is already in use: set HTTP_PORT to a free port`);
    throw err;
  }
}

/** On a first start (no admin in the access file): an admin with a one-time password, printed
 *  once here (the access file keeps only its hash); it must be changed at the first login. */
async function firstAdmin(runtime: Runtime, log: Logger): Promise<void> {
  const first = await runtime.access.ensureFirstAdmin();
  if (first) log.warn(`first start: created user "${first.username}" with the one-time password ${first.one_time_password} (log in at the dashboard and change it; docs/access.md)`);
}

main().catch((err: Error) => {
  process.stderr.write(`kiln monitor failed to start: ${err.message}\n`);
  process.exit(1);
});
