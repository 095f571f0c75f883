// One real influxd for the whole run (tests use their own databases), and the real Mosquitto
// on 127.0.0.1:1883 (started with the shipped config when nothing listens there).
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startTestInflux } from './influx.ts';
import { startTestMosquitto } from './mosquitto.ts';
import { portInUse } from '../../src/adapters/influx/local-influxd.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
    mosquittoUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const influx = await startTestInflux();
  project.provide('influxUrl', influx.url);
  let stopMosquitto = async () => {};
  if (!(await portInUse(1883))) {
    const m = await startTestMosquitto(1883);
    stopMosquitto = m.stop;
  }
  project.provide('mosquittoUrl', 'mqtt://127.0.0.1:1883');
  return async () => {
    await influx.stop();
    await stopMosquitto();
  };
}
