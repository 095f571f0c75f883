// A service (in-process, its embedded broker, a real InfluxDB) with one finished firing sent by the
// simulator and indexed, for the browser tests of the forms and the printed reports.
import type { Page } from 'playwright-core';
import { startSession } from '../../simulator/session.ts';
import type { FiringTruth } from '../../simulator/model/truth.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { buildDashboard, launchBrowser, login, type Browser } from './support.ts';

export interface Fired {
  readonly svc: InProcess;
  readonly base: string;
  readonly workshop: string;
  readonly firing: FiringTruth;
  /** The firing's API path: /api/workshops/…/kilns/…/firings/… */
  readonly api: string;
  /** A request from the test (not the page), with the admin's API token; JSON in and out. */
  json<T>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export async function startFired(workshop: string, influxUrl: string, env: Record<string, string> = {}): Promise<Fired> {
  const svc = await startInProcess({ INFLUX_DATABASE: uniqueDb(workshop.replace(/-/g, '_')), FIRING_INDEX_INTERVAL_S: '1', ...env }, influxUrl);
  try {
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = svc.app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    // One whole bisque firing that ended hours ago, sent as fast as the broker takes it.
    const [firing] = await simulateFirings(svc.mqttUrl, workshop, [Date.now() - 30 * 3600_000], 10);
    const json = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${svc.adminToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: res.status, body: await res.json() as T };
    };
    const api = `/api/workshops/${workshop}/kilns/${firing!.kiln}/firings/${firing!.firing_id}`;
    await waitFor(async () => (await json<{ open?: boolean }>(api)).body.open === false, 60_000, 'the firing indexed and closed');
    return { svc, base, workshop, firing: firing!, api, json, stop: () => svc.stop() };
  } catch (err) {
    await svc.stop();
    throw err;
  }
}

export interface FiredInBrowser {
  readonly f: Fired;
  readonly browser: Browser;
  readonly page: Page;
  stop(): Promise<void>;
}

/** The forms' and printed reports' tests start the same way: the dashboard built, a fired service
 *  (prepare() may save records on it first), and an admin logged in through the login page. */
export async function startFiredInBrowser(
  workshop: string, influxUrl: string, user: { username: string; password: string },
  opts: { env?: Record<string, string>; prepare?: (f: Fired) => Promise<void> } = {},
): Promise<FiredInBrowser> {
  buildDashboard();
  const f = await startFired(workshop, influxUrl, opts.env);
  let browser: Browser | undefined;
  try {
    await opts.prepare?.(f);
    await f.svc.runtime.access.createUser({ username: user.username, role: 'admin', password: user.password });
    browser = await launchBrowser();
    await login(browser.page, f.base, user.username, user.password);
    const b = browser;
    return { f, browser: b, page: b.page, async stop() { await b.close(); await f.stop(); } };
  } catch (err) {
    await browser?.close();
    await f.stop();
    throw err;
  }
}

/** One kiln's whole bisque firings, one after the other in time (as the firing index reads them), each sent at full speed. */
export async function simulateFirings(mqttUrl: string, workshop: string, starts_ms: readonly number[], interval_s: number): Promise<FiringTruth[]> {
  const out: FiringTruth[] = [];
  for (const start_ms of starts_ms) {
    const sim = await startSession({
      url: mqttUrl, workshop, kilns: 1, seed: 21, speed: Number.POSITIVE_INFINITY, qos: 1,
      sim_start_ms: Math.floor(start_ms / 1000) * 1000, interval_s, cool_until_c: 150, stagger_min: 0,
      kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    await sim.runner.done;
    await sim.link?.drain(30_000);
    out.push(...sim.truth());
    await sim.stop();
  }
  return out;
}
