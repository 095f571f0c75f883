// A service with demo data on every page, for the page-wide browser checks (language, phone
// layout, accessibility): a workshop's finished firings with a load, a grading and a coal
// baseline (report, adviser), a kiln firing live (overview, live kiln), three kilns with an
// active alert each (the banner), and an admin who sees every page.
import type { Page } from 'playwright-core';
import { startSession, type Session } from '../../simulator/session.ts';
import { connectDevice, type Device } from '../support/device.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import type { Alert } from '../../src/domain/alerts/index.ts';
import { buildDashboard } from './support.ts';

export const ADMIN = 'chi-hoa';
export const ADMIN_PW = 'mat-khau-dai-du-10';
const HIST = 'bt-lich-su';
const LIVE = 'bt-truc-tiep';
const ALERT_WS = 'bt-canh-bao';
/** Text the test itself entered: user data, shown as typed in either language. */
export const USER_TEXT = ['Bát men rạn', 'Đĩa men lam', 'Sổ ghi chép của xưởng 2004', 'Sổ tay lò 2005'];

export interface Demo {
  readonly base: string;
  /** Every page of the dashboard with its data, and what to wait for on it. */
  readonly pages: readonly { path: string; ready?: string }[];
  readonly kilnPath: string;
  readonly reportPath: string;
  stop(): Promise<void>;
}

export async function startDemo(influxUrl: string): Promise<Demo> {
  buildDashboard();
  const svc: InProcess = await startInProcess({ INFLUX_DATABASE: uniqueDb('demo'), FIRING_INDEX_INTERVAL_S: '1' }, influxUrl);
  const sessions: Session[] = [];
  let device: Device | undefined;
  try {
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = svc.app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const authed = async (path: string, method = 'GET', body?: unknown) => {
      const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${svc.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<unknown>;
    };
    const hist = await startSession({
      url: svc.mqttUrl, workshop: HIST, kilns: 2, seed: 21, speed: Number.POSITIVE_INFINITY, qos: 1,
      sim_start_ms: Math.floor((Date.now() - 30 * 3600_000) / 1000) * 1000, interval_s: 10, cool_until_c: 150, stagger_min: 0,
      kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    sessions.push(hist);
    await hist.runner.done;
    await hist.link?.drain(30_000);
    const liveSim = await startSession({
      url: svc.mqttUrl, workshop: LIVE, kilns: 1, seed: 22, speed: 200, qos: 1, catch_up: true,
      sim_start_ms: Math.floor((Date.now() - 40 * 60_000) / 1000) * 1000, interval_s: 1, cool_until_c: 150, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    sessions.push(liveSim);
    await waitFor(() => liveSim.runner.simNowMs() >= Date.now() - 3000, 30_000, 'live kiln caught up');
    await waitFor(() => svc.runtime.spool.pendingBytes() === 0 && svc.runtime.stats.readings_stored >= svc.runtime.stats.readings_accepted - 100, 60_000, 'history stored');
    const tr = hist.truth()[0]!;
    const fp = `/api/workshops/${HIST}/kilns/${tr.kiln}/firings/${tr.firing_id}`;
    await waitFor(async () => { try { await authed(fp); return true; } catch { return false; } }, 30_000, 'firing indexed');
    const now = Date.now();
    await authed(`${fp}/load`, 'PUT', { ware_kg: 400, furniture_kg: 120, products: [{ product: USER_TEXT[0], pieces: 300, ware_kg: 250 }, { product: USER_TEXT[1], pieces: 100 }], recorded_at_ms: now });
    await authed(`${fp}/grading`, 'PUT', { products: [
      { product: USER_TEXT[0], first: 270, second: 20, reject: 10, reject_causes: [{ cause: 'crack', pieces: 6 }, { cause: 'glaze_defect', pieces: 4 }] },
      { product: USER_TEXT[1], first: 90, second: 6, reject: 4, reject_causes: [] },
    ], recorded_at_ms: now });
    const src = { source: USER_TEXT[2], confidence: 'M' };
    await authed(`/api/workshops/${HIST}/baselines`, 'POST', {
      workshop: HIST, period: { from: '2004-01-01', to: '2004-12-31' },
      coal_kg_per_firing: { value: 3000, ...src }, ware_kg_per_firing: { value: 2500, ...src }, yield_pct: { value: 70, ...src }, duration_h: { value: 72, ...src },
      coal_ncv_mj_per_kg: { value: 26.7, ...src }, co2_kg_per_kg_coal: { value: 2.6, ...src },
      adjustments: [{ at: '2005-01-01', description: USER_TEXT[3], effect: { kind: 'logged' } }], recorded_at_ms: now,
    });
    // Three kilns with a thermocouple jump each: the banner holds three alerts.
    device = await connectDevice(svc.mqttUrl, `demo-pages-${process.pid}`, { clean: true });
    let seq = 0;
    const t0 = Date.now() - 20_000;
    for (const kiln of ['lo-1', 'lo-2', 'lo-3']) {
      for (const [dt, top] of [[0, 500], [10_000, 700], [20_000, 700]] as const) {
        await device.publish(`kiln/v1/${ALERT_WS}/${kiln}/telemetry`, JSON.stringify({ v: 1, ts_ms: t0 + dt, seq: ++seq, temp_c: { top, bottom: top - 10 } }), seq);
      }
    }
    await waitFor(async () => ((await authed('/api/alerts')) as { active: Alert[] }).active.filter((a) => a.workshop === ALERT_WS).length >= 3, 15_000, 'three alerts');
    // One kiln whose logger said it went offline: its card is dimmed (and must stay readable).
    await device.publish(`kiln/v1/${ALERT_WS}/lo-3/status`, JSON.stringify({ v: 1, state: 'offline', ts_ms: Date.now() }), ++seq);
    await waitFor(async () => JSON.stringify(await authed('/api/health')).includes('offline'), 15_000, 'lo-3 offline');
    await svc.runtime.access.createUser({ username: ADMIN, role: 'admin', password: ADMIN_PW });
    const kilnPath = `/kiln/${LIVE}/${liveSim.fleet[0]!.id}`;
    const reportPath = `/firings/${HIST}/${tr.kiln}/${tr.firing_id}`;
    const pages = [
      { path: '/', ready: '#kiln-cards .card' }, { path: kilnPath, ready: '#kiln-zones li' }, { path: '/firings', ready: '#app table' },
      { path: reportPath, ready: '#grading-form input[name=first]' }, { path: '/adviser', ready: '#rollup-table' }, { path: '/alerts', ready: '#alert-history table' },
      { path: '/setup', ready: '#baseline-form' }, { path: '/users', ready: '#app table' }, { path: '/tokens' }, { path: '/password' }, { path: `/kiln/${ALERT_WS}/lo-1`, ready: '#kiln-stats div' },
      { path: '/login', ready: '#login-form' },
    ];
    return {
      base, pages, kilnPath, reportPath,
      async stop() {
        await device?.close();
        for (const s of sessions.reverse()) await s.stop();
        await svc.stop();
      },
    };
  } catch (err) {
    await device?.close();
    for (const s of sessions.reverse()) await s.stop();
    await svc.stop();
    throw err;
  }
}

/** Open a page and wait until it has drawn its data (no loading state left, then one more layout). */
export async function openPage(page: Page, base: string, p: { path: string; ready?: string }): Promise<void> {
  await page.goto(`${base}${p.path}`);
  if (p.ready) await page.waitForSelector(p.ready, { state: 'attached', timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('#app .state.loading').length === 0, undefined, { timeout: 15_000 });
  await page.waitForTimeout(400);
}
