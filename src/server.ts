// Process entry: parse config, start InfluxDB (local) if needed, the ingest runtime and HTTP;
// shut down gracefully on SIGINT/SIGTERM, writing what the spool holds.
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { componentLog, createLogger } from './log.ts';
import { startLocalInflux, type LocalInflux } from './adapters/influx/local-influxd.ts';
import { startRuntime } from './runtime.ts';
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
  let local: LocalInflux | undefined;
  const cleanup: (() => Promise<void>)[] = [];
  try {
    if (!config.INFLUX_URL) {
      local = await startLocalInflux({ dir: join(config.DATA_DIR, 'influxdb'), port: config.INFLUX_LOCAL_PORT, rpc_port: config.INFLUX_LOCAL_RPC_PORT, binary: config.INFLUX_LOCAL_BINARY, install: true }, componentLog(log, 'influxd'));
      cleanup.unshift(() => local!.stop());
    }
    const runtime = await startRuntime(config, config.INFLUX_URL ?? local!.url, log);
    cleanup.unshift(() => runtime.stop());
    const first = await runtime.access.ensureFirstAdmin();
    if (first) {
      // Printed once: the access file keeps only its hash. It must be changed at the first login.
      log.warn(`first start: created user "${first.username}" with the one-time password ${first.one_time_password} (log in at the dashboard and change it; docs/access.md)`);
    }
    const app = await buildApp(runtime, { logger: log.child({ component: 'http' }) });
    cleanup.unshift(() => app.close());
    try {
      await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${config.HTTP_PORT} is already in use: set HTTP_PORT to a free port`);
      throw err;
    }
    if (config.SIMULATE_KILNS > 0) {
      const credential = demoCredential(runtime.access);
      if (config.MQTT_URL) log.warn(`demo kilns log in to ${config.MQTT_URL} as ${credential.username}: Mosquitto knows it only once its files are made again (npm run users -- mosquitto-files) and it is reloaded`);
      const demo = startDemoKilns({ mqtt_url: config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_EMBEDDED_PORT}`, kilns: config.SIMULATE_KILNS, history_h: config.SIMULATE_HISTORY_H, speed: config.SIMULATE_SPEED, credential }, componentLog(log, 'demo-kilns'));
      cleanup.unshift(() => demo.stop());
    }
    log.info(`kiln monitor ready: http://${config.HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : config.HTTP_HOST}:${config.HTTP_PORT}/api/health`);
  } catch (err) {
    log.error((err as Error).message);
    for (const c of cleanup) await c().catch(() => undefined);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping, writing spooled readings to InfluxDB first`);
    void (async () => { for (const c of cleanup) await c().catch((e: Error) => log.error(e.message)); })()
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`kiln monitor failed to start: ${err.message}\n`);
  process.exit(1);
});
