// The installable dashboard in Chromium on 127.0.0.1 (a secure context): the manifest and icons are
// served with their content types, the service worker registers and keeps the app shell, and a
// critical alert raised over MQTT produces a system notification (permission granted by the test;
// Notification and showNotification are wrapped by an init script to see it). On plain http (the
// machine's LAN address) the alerts page says why there are none and points to the beep. Also the
// technician's view: a fault sent with mosquitto_pub shows on the kiln page as "fault injected"
// at once, and the overview card draws its sparkline.
import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSession, type Session } from '../../simulator/session.ts';
import { connectDevice, type Device } from '../support/device.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { buildDashboard, launchBrowser, login, PHONE, type Browser } from './support.ts';

const USER = 'chu-lo';
const PW = 'mat-khau-chu-lo-du-dai';
const SIM_WS = 'bt-notify';
const HOT_WS = 'bt-hot';
const DONE_WS = 'bt-done';
const run = promisify(execFile);

/** Record every system notification the page (or its service worker registration) shows. */
const WATCH = `(() => {
  window.__notes = [];
  const N = window.Notification;
  if (N) {
    const W = function (title, opts) { window.__notes.push({ via: 'page', title, body: opts && opts.body }); return new N(title, opts); };
    W.prototype = N.prototype;
    Object.defineProperty(W, 'permission', { get: () => N.permission });
    W.requestPermission = (...a) => N.requestPermission(...a);
    window.Notification = W;
  }
  if (window.ServiceWorkerRegistration) {
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, opts) {
      window.__notes.push({ via: 'worker', title, body: opts && opts.body });
      return show.call(this, title, opts);
    };
  }
})();`;

const lanAddress = (): string | null => Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? null;

describe('installable dashboard: manifest, service worker, system notifications', () => {
  let svc: InProcess;
  let sim: Session;
  let device: Device;
  let browser: Browser;
  let page: Page;
  let base = '';
  let port = 0;

  beforeAll(async () => {
    buildDashboard();
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('notify') }, inject('influxUrl'));
    // On every address: 127.0.0.1 is a secure context, the LAN address is plain http.
    await svc.app.listen({ port: 0, host: '0.0.0.0' });
    const addr = svc.app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
    base = `http://127.0.0.1:${port}`;
    sim = await startSession({
      url: svc.mqttUrl, workshop: SIM_WS, kilns: 1, seed: 7, speed: 100, qos: 1, catch_up: true,
      sim_start_ms: Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000, interval_s: 2, cool_until_c: 150, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    await waitFor(() => sim.runner.simNowMs() >= Date.now() - 3000, 30_000, 'simulated kiln caught up');
    device = await connectDevice(svc.mqttUrl, `notify-test-${process.pid}`, { clean: true });
    await svc.runtime.access.createUser({ username: USER, role: 'admin', password: PW });
    browser = await launchBrowser();
    page = browser.page;
    await browser.ctx.grantPermissions(['notifications'], { origin: base });
    await browser.ctx.addInitScript(WATCH);
    await page.setViewportSize(PHONE);
    await login(page, base, USER, PW);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await device?.close();
    await sim?.stop();
    await svc?.stop();
  });

  it('serves the manifest (Vietnamese name, PNG icons) and the worker with their content types', async () => {
    const m = await fetch(`${base}/manifest.webmanifest`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = await m.json() as { name: string; lang: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string }[] };
    expect(manifest).toMatchObject({ name: 'Giám sát lò nung', lang: 'vi', start_url: '/', display: 'standalone' });
    for (const icon of manifest.icons) {
      const r = await fetch(`${base}${icon.src}`);
      expect(r.headers.get('content-type')).toBe('image/png');
      const png = Buffer.from(await r.arrayBuffer());
      const [w, hgt] = icon.sizes.split('x').map(Number);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, hgt]); // the IHDR says the size the manifest says
    }
    const sw = await fetch(`${base}/sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(await sw.text()).not.toContain('__SHELL__'); // the build wrote this build's shell into it
    expect(await page.getAttribute('link[rel=manifest]', 'href')).toBe('/manifest.webmanifest');
  });

  it('registers the service worker, which keeps the app shell (and no /api answer)', async () => {
    await page.goto(`${base}/`);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${base}/`);
    await expect.poll(() => page.evaluate(async () => {
      const keys = await caches.keys();
      const c = await caches.open(keys.find((k) => k.startsWith('kiln-shell-'))!);
      return (await c.keys()).map((r) => new URL(r.url).pathname).sort();
    }), { timeout: 10_000 }).toEqual(expect.arrayContaining(['/', '/manifest.webmanifest', '/icon-192.png']));
    const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat());
    expect(cached.some((u) => u.includes('/api/'))).toBe(false);
  });

  let hotAttempt = 0;
  it('a critical alert raised over MQTT becomes a system notification', async () => {
    // A kiln of its own on a retry: the first attempt's alert may still be active.
    const kiln = ++hotAttempt === 1 ? 'lo-nong' : `lo-nong-${hotAttempt}`;
    await page.goto(`${base}/alerts`);
    await expect.poll(() => page.getAttribute('#notify', 'data-state')).toBe('on'); // permission granted, not turned off
    expect(await page.textContent('#notify-state')).toContain('Đang bật');
    // 1,400 °C held 150 s (device time, 10 s apart) without a schedule: over the 1,350 °C ceiling
    // plus the 30 °C margin for longer than over_temp_after_s (120 s): over_temp, critical.
    const t0 = Date.now() - 150_000;
    const t1 = performance.now();
    for (let i = 0, seq = 1; i <= 15; i++, seq++) {
      await device.publish(`kiln/v1/${HOT_WS}/${kiln}/telemetry`, JSON.stringify({ v: 1, ts_ms: t0 + i * 10_000, seq, temp_c: { top: 1400 } }), seq);
    }
    try {
      await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: { title: string }[] }).__notes.map((n) => n.title)), { timeout: 15_000 })
        .toContain(`Cảnh báo nghiêm trọng: lò ${kiln} (bt-hot)`);
    } catch (err) {
      // Seen once in CI (Node 24) and not since: say which side it stopped on.
      const raised = svc.runtime.alerts.active().filter((a) => a.kiln === kiln).map((a) => `${a.kind}/${a.severity}`);
      const notes = await page.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes);
      console.log(`no notification: alerts active on ${kiln}: ${JSON.stringify(raised)}; notifications seen: ${JSON.stringify(notes)}; #notify ${await page.getAttribute('#notify', 'data-state')}; readings stored ${svc.runtime.stats.readings_stored}`);
      throw err;
    }
    console.log(`notification: last reading published → system notification in ${(performance.now() - t1).toFixed(0)} ms`);
    const note = await page.evaluate(() => (window as unknown as { __notes: { via: string; body: string }[] }).__notes[0]!);
    expect(note.via).toBe('worker'); // through the service worker, as Android needs
    expect(note.body).toMatch(/°C/);
  });

  it('a firing that completes becomes a system notification', async () => {
    await page.goto(`${base}/`);
    const key = `${DONE_WS}/lo-xong`;
    const topic = (kind: string) => `kiln/v1/${key}/${kind}`;
    let seq = 100;
    const reading = (ts_ms: number, top: number, flow: number) =>
      device.publish(topic('telemetry'), JSON.stringify({ v: 1, ts_ms, seq: ++seq, temp_c: { top }, gas: { burner: { kind: 'flow', flow_kg_h: flow } } }), seq);
    // A short controller firing to 300 °C in device time of the last 40 min: heating with gas on...
    const t0 = Date.now() - 40 * 60_000;
    await device.publish(topic('event'), JSON.stringify({ v: 1, ts_ms: t0, seq: ++seq, type: 'firing_start', firing_id: 'thu-1', schedule: { name: 'thu', segments: [{ rate_c_h: 900, target_c: 300, hold_min: 0 }] } }), seq);
    for (let m = 0; m <= 20; m++) await reading(t0 + m * 60_000, 50 + m * 13, 3);
    // ...seen running by the page,
    await page.waitForSelector(`#kiln-cards [data-kiln="${key}"] .badge.hot`, { timeout: 10_000 });
    // then gas off at the schedule's end and cooling below the unloading temperature (200 °C).
    await device.publish(topic('event'), JSON.stringify({ v: 1, ts_ms: t0 + 21 * 60_000, seq: ++seq, type: 'firing_stop', firing_id: 'thu-1', reason: 'complete' }), seq);
    for (let m = 21; m <= 38; m++) await reading(t0 + m * 60_000, 310 - (m - 20) * 10, 0);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: { title: string }[] }).__notes.map((n) => n.title)), { timeout: 15_000 })
      .toContain('Mẻ nung xong: lò lo-xong (bt-done)');
  });

  it('the kiln page says "fault injected" as soon as the simulator takes the fault; the card draws its sparkline', async () => {
    const kiln = sim.fleet[0]!.id;
    await page.goto(`${base}/`);
    const card = `#kiln-cards [data-kiln="${SIM_WS}/${kiln}"]`;
    await page.waitForSelector(`${card} svg.spark polyline`, { timeout: 70_000 }); // read once a minute: the first read is at page load
    await page.goto(`${base}/kiln/${SIM_WS}/${kiln}`);
    await page.waitForSelector('#kiln-channels tr[data-channel="temperature/top"]');
    // The simulator's flue O₂ and damper are shown by name, with their units.
    await page.waitForSelector('#kiln-channels tr[data-channel="oxygen/main"]');
    expect(await page.textContent('#kiln-channels tr[data-channel="oxygen/main"] td:first-child')).toBe('O₂ trong khói lò');
    expect(await page.textContent('#kiln-channels tr[data-channel="oxygen/main"] td.num')).toMatch(/^\d+,\d %$/);
    expect(await page.textContent('#kiln-channels tr[data-channel="damper/main"] td:first-child')).toBe('Van điều tiết khói (độ mở)');
    expect(await page.isHidden('#kiln-fault')).toBe(true);
    const t0 = performance.now();
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', new URL(svc.mqttUrl).port, '-q', '1', '-t', `kiln/v1/${SIM_WS}/${kiln}/sim/fault`, '-m', '{"type":"tc_open","zone":"top"}']);
    await page.waitForSelector('#kiln-fault:not([hidden])', { timeout: 5000 }).catch(async (err: unknown) => {
      const snap = (await svc.app.inject({ method: 'GET', url: '/api/live' })).json<{ kilns: { kiln: string; fault_ack: unknown }[] }>();
      console.log('DEBUG', JSON.stringify(sim.link?.stats()), JSON.stringify(snap.kilns.map((k) => [k.kiln, k.fault_ack])), await page.evaluate(() => document.getElementById('kiln-fault')?.outerHTML), page.url());
      throw err;
    });
    console.log(`fault injected: mosquitto_pub → kiln page ${(performance.now() - t0).toFixed(0)} ms`);
    expect(await page.textContent('#kiln-fault')).toMatch(/^Đã gây lỗi: cặp nhiệt hở \(vùng trên\)/);
    const hasOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(hasOverflow).toBe(false); // the channels table fits at 390 px
  });

  it('on plain http (the LAN address) the page says why there are no notifications, and keeps the beep', async (ctx) => {
    const lan = lanAddress();
    if (!lan) ctx.skip();
    const lanBase = `http://${lan}:${port}`;
    const p2 = await browser.ctx.newPage();
    try {
      await login(p2, lanBase, USER, PW);
      await p2.goto(`${lanBase}/alerts`);
      await expect.poll(() => p2.getAttribute('#notify', 'data-state')).toBe('insecure');
      expect(await p2.evaluate(() => window.isSecureContext)).toBe(false);
      expect(await p2.textContent('#notify-state')).toContain('HTTPS');
      expect(await p2.isHidden('#notify-toggle')).toBe(true);
      expect(await p2.isVisible('#sound')).toBe(true);
      expect(await p2.evaluate(() => navigator.serviceWorker?.controller ?? null)).toBeNull();
    } finally {
      await p2.close();
    }
  });

  it('the Content Security Policy let the worker, the manifest and the icons load (no violation on any page)', () => {
    expect(browser.csp).toEqual([]);
  });
});
