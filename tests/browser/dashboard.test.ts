// The dashboard in a real browser (Debian's chromium driven by playwright-core) against the real
// service, its embedded broker and a real InfluxDB, fed by the simulator: one workshop's finished
// firings (history, reports, adviser), another's kilns firing live (overview, live chart), a
// probe kiln for the publish→screen latency, a kiln whose thermocouple jumps (an alert in the banner,
// acknowledged from the page) and 50 kilns at 1 Hz for smoothness. Screenshots of
// every view at phone (390×844) and desktop (1366×900) size go to test-artifacts/screenshots/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSession, type Session } from '../../simulator/session.ts';
import type { FiringTruth } from '../../simulator/model/truth.ts';
import { connectDevice, type Device } from '../support/device.ts';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import type { Alert } from '../../src/domain/alerts/index.ts';

const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const HIST = 'bt-hist';
const LIVE = 'bt-live';
const PROBE = 'bt-probe';
const FIFTY = 'bt-fifty';
const ALERT_WS = 'bt-alert';
const ALERT_KILN = 'lo-canh-bao';

describe('dashboard in a real browser', () => {
  let svc: InProcess;
  let base = '';
  let hist: Session;
  let liveSim: Session;
  let truth: FiringTruth[] = [];
  let ctx: BrowserContext;
  let page: Page;
  let device: Device;
  let profile = '';
  let seq = 0;

  /** Both screen sizes of the current page, after `ready` holds at each. */
  async function shots(name: string, ready: () => Promise<unknown>): Promise<void> {
    for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(vp);
      await ready();
      await page.waitForTimeout(150); // one layout after the resize (charts redraw on resize)
      await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`), fullPage: true });
    }
  }
  const go = async (path: string) => { await page.goto(`${base}${path}`); };
  const publish = (ws: string, kiln: string, temp_c: Record<string, number>, flow = 2.5) =>
    device.publish(`kiln/v1/${ws}/${kiln}/telemetry`, JSON.stringify({ v: 1, ts_ms: Date.now(), seq: ++seq, temp_c, gas: { burner: { kind: 'flow', flow_kg_h: flow } } }), seq);

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' }); // tests run from source: build the bundle first
    mkdirSync(SHOTS, { recursive: true });
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('dash'), FIRING_INDEX_INTERVAL_S: '1' }, inject('influxUrl'));
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = svc.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    // History: two whole bisque firings that ended ~10 h ago, sent as fast as the broker takes them.
    hist = await startSession({
      url: svc.mqttUrl, workshop: HIST, kilns: 2, seed: 11, speed: Number.POSITIVE_INFINITY, qos: 1,
      sim_start_ms: Math.floor((Date.now() - 30 * 3600_000) / 1000) * 1000, interval_s: 10, cool_until_c: 150, stagger_min: 0,
      kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    await hist.runner.done;
    await hist.link?.drain(30_000);
    truth = hist.truth();
    // Live: two kilns whose firings began 15–25 min ago (the simulator adds up to 10 min of jitter
    // to each start), caught up at 200× (under the live view's 2,000 points/s), then 1 Hz in real time.
    liveSim = await startSession({
      url: svc.mqttUrl, workshop: LIVE, kilns: 2, seed: 12, speed: 200, qos: 1, catch_up: true,
      sim_start_ms: Math.floor((Date.now() - 25 * 60_000) / 1000) * 1000, interval_s: 1, cool_until_c: 150, stagger_min: 0, kiln_preset: 'k1', firing: 'bisque04', faults: [],
    });
    await waitFor(() => liveSim.runner.simNowMs() >= Date.now() - 3000, 30_000, 'live kilns caught up');
    device = await connectDevice(svc.mqttUrl, `dash-test-${process.pid}`, { clean: true });
    await waitFor(() => svc.runtime.spool.pendingBytes() === 0 && svc.runtime.stats.readings_stored >= svc.runtime.stats.readings_accepted - 100, 60_000, 'history stored');
    profile = mkdtempSync(join(tmpdir(), 'kiln-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, viewport: DESKTOP,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = ctx.pages()[0] ?? await ctx.newPage();
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await device?.close();
    await liveSim?.stop();
    await hist?.stop();
    await svc?.stop();
  });

  it('serves the app from the service, Vietnamese by default; the language switch changes the text and is remembered', async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.headers()['content-type']).toMatch(/text\/html/);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect.poll(() => page.textContent('nav')).toContain('Tổng quan');
    expect(await page.textContent('nav')).toContain('Lịch sử mẻ nung');
    await page.click('#lang');
    await expect.poll(() => page.textContent('nav')).toContain('Overview');
    expect(await page.textContent('nav')).not.toContain('Tổng quan');
    await page.reload();
    await expect.poll(() => page.textContent('nav')).toContain('Firing history');
    await page.click('#lang');
    await expect.poll(() => page.textContent('nav')).toContain('Tổng quan');
    // A path the app routes gets index.html; an unknown API path stays a JSON 404.
    expect((await fetch(`${base}/firings`)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${base}/api/nope`)).status).toBe(404);
    // Only files under dist/dashboard: an encoded ../ does not reach the repository.
    const escape = await fetch(`${base}/..%2f..%2fpackage.json`);
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('"kiln-monitor"');
  });

  it('overview: every kiln at a glance with real data, and the publish→screen latency', async () => {
    await go('/');
    for (const k of liveSim.fleet) {
      await page.waitForFunction((key) => /°C$/.test(document.querySelector(`[data-kiln="${key}"] dd.temp`)?.textContent ?? ''), `${LIVE}/${k.id}`, { timeout: 15_000 });
    }
    const card = page.locator(`[data-kiln="${LIVE}/${liveSim.fleet[0]!.id}"]`);
    expect(await card.textContent()).toMatch(/Đang nung/);
    expect(await card.locator('dd.temp').textContent()).toMatch(/^\d[\d.]*,\d °C$/); // vi-VN: 1.234,5 °C
    expect(await card.locator('dd.cost').textContent()).toMatch(/₫$/);
    // Latency: a distinctive temperature on a kiln of its own, each after the hub's 1 s coalescing window.
    await publish(PROBE, 'lo-do', { top: 111.1 });
    await page.waitForSelector(`[data-kiln="${PROBE}/lo-do"]`, { timeout: 5000 });
    const lat: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(1100);
      const temp = 900 + i + 0.7; // shown as "90i,7 °C"
      const t0 = performance.now();
      await publish(PROBE, 'lo-do', { top: temp });
      await page.waitForFunction((want) => document.querySelector('[data-kiln="bt-probe/lo-do"] dd.temp')?.textContent === want, `${900 + i},7 °C`, { polling: 'raf', timeout: 5000 });
      lat.push(performance.now() - t0);
    }
    lat.sort((a, b) => a - b);
    console.log(`dashboard publish→screen latency ms: ${lat.map((x) => x.toFixed(0)).join(', ')} (median ${lat[2]!.toFixed(0)}, max ${lat[4]!.toFixed(0)})`);
    expect(lat[4]!).toBeLessThan(1000);
    await shots('overview', () => page.waitForSelector('#kiln-cards .card'));
  });

  it('kiln live view: zones, stats and a chart that grows as readings arrive', async () => {
    const k = liveSim.fleet[0]!.id;
    await go(`/kiln/${LIVE}/${k}`);
    await page.waitForSelector('#kiln-zones li');
    expect(await page.textContent('#kiln-stats')).toMatch(/°C\/h/);
    await page.waitForFunction(() => Number(document.querySelector('#chart-temp')?.getAttribute('data-points') ?? 0) > 0, undefined, { timeout: 15_000 });
    const n0 = Number(await page.getAttribute('#chart-temp', 'data-points'));
    await page.waitForFunction((n) => Number(document.querySelector('#chart-temp')?.getAttribute('data-points') ?? 0) >= n + 4, n0, { timeout: 10_000 });
    expect(await page.textContent('[data-stat="ttp"]')).toMatch(/h \d\d min/);
    await shots('kiln-live', () => page.waitForSelector('#chart-temp'));
  });

  it('firing history: lists the finished firings with filters, overlays two curves', async () => {
    await go('/firings');
    for (const tr of truth) await page.waitForSelector(`tr[data-firing="${tr.firing_id}"]`, { timeout: 20_000 });
    await page.selectOption('#f-workshop', HIST);
    await page.selectOption('#f-status', 'closed');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector(`tr[data-firing="${truth[0]!.firing_id}"]`);
    expect(await page.locator('#firing-list tbody tr').count()).toBe(2);
    await page.selectOption('#f-status', 'open');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector('#firing-list .state.empty');
    expect(await page.textContent('#firing-list .state.empty')).toContain('SIMULATE_KILNS=3 npm start'); // says what to do
    await page.selectOption('#f-status', '');
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector(`tr[data-firing="${truth[1]!.firing_id}"]`);
    for (const tr of truth) await page.check(`tr[data-firing="${tr.firing_id}"] input[type=checkbox]`);
    await page.click('#compare');
    await page.waitForFunction(() => Number(document.querySelector('#chart-compare')?.getAttribute('data-series') ?? 0) === 2, undefined, { timeout: 15_000 });
    await shots('firings', () => page.waitForSelector('#chart-compare'));
  });

  it('report: every figure, forms that reject bad input with a message, load and grading saved, CSV', async () => {
    const tr = truth[0]!;
    await go(`/firings/${HIST}/${tr.kiln}/${tr.firing_id}`);
    await page.waitForSelector('#report-figures', { timeout: 20_000 });
    const figures = await page.textContent('#report-figures');
    for (const f of ['peak_c', 'fuel.fuel_kg', 'energy_mj', 'co2_kg', 'cost.cost_vnd', 'heating.last100_rate_c_h', 'quality.temp_coverage_pct']) expect(figures).toContain(f);
    expect(await page.textContent('#baseline')).toMatch(/Chưa có đường cơ sở/);
    // Bad input: a negative ware mass and no name.
    await page.fill('#load-form input[name=ware_kg]', '-5');
    await page.fill('#load-form input[name=furniture_kg]', '300');
    await page.click('#load-form button[type=submit]');
    expect(await page.textContent('#load-form .form-msg.error')).toMatch(/Khối lượng hàng \(kg\) phải là số lớn hơn 0/);
    await page.fill('#load-form input[name=ware_kg]', '200');
    await page.fill('#load-form input[name=product]', 'bát');
    await page.fill('#load-form input[name=pieces]', '2.5');
    await page.click('#load-form button[type=submit]');
    expect(await page.textContent('#load-form .form-msg.error')).toMatch(/Số cái phải là số nguyên/);
    await page.fill('#load-form input[name=pieces]', '400');
    await page.fill('#load-form input[name=by]', 'Chị Lan');
    await page.click('#load-form button[type=submit]');
    await page.waitForSelector('#grading-form input[name=first]', { timeout: 20_000 }); // the report reloads with the load
    await page.fill('#grading-form input[name=first]', '360');
    await page.fill('#grading-form input[name=second]', '30');
    await page.fill('#grading-form input[name=reject]', 'mười');
    await page.fill('#grading-form input[name=by]', 'Chị Lan');
    await page.click('#grading-form button[type=submit]');
    expect(await page.textContent('#grading-form .form-msg.error')).toMatch(/Hỏng phải là số không âm/);
    await page.fill('#grading-form input[name=reject]', '10');
    await page.click('#grading-form button[type=submit]');
    await expect.poll(async () => page.textContent('#report-kpis'), { timeout: 20_000 }).toMatch(/90,0 %/); // 360 of 400 first grade
    // Each kiln against itself: this kiln has no earlier graded firing, so it says so (in Vietnamese).
    expect(await page.textContent('#own-median')).toMatch(/Chưa đủ mẻ trước để so với chính lò này \(0 mẻ có số liệu, cần 5\)/);
    // Reject causes: more pieces than were rejected is refused here with a message; a valid cause is saved and listed.
    await page.click('#grading-form details.causes summary');
    await page.click('#grading-form .add-cause');
    await page.selectOption('#grading-form select[name=cause]', 'crack');
    await page.fill('#grading-form input[name=cause_pieces]', '12');
    await page.click('#grading-form button[type=submit]');
    expect(await page.textContent('#grading-form .form-msg.error')).toMatch(/bát: các nguyên nhân cộng lại 12 cái, nhiều hơn số hỏng \(10 cái\)/);
    await page.fill('#grading-form input[name=cause_pieces]', '6');
    await page.click('#grading-form button[type=submit]');
    await page.waitForSelector('#reject-causes', { timeout: 20_000 });
    expect(await page.textContent('#reject-causes')).toContain('bát: Nứt 6');
    expect(await page.inputValue('#grading-form input[name=cause_pieces]')).toBe('6'); // the form shows what was saved
    const graded = await (await fetch(`${base}/api/workshops/${HIST}/kilns/${tr.kiln}/firings/${tr.firing_id}/grading`)).json() as { grading: { products: { reject_causes: unknown[] }[] } };
    expect(graded.grading.products[0]!.reject_causes).toEqual([{ cause: 'crack', pieces: 6 }]);
    const csv = await (await fetch(`${base}${await page.getAttribute('#csv-readings', 'href')}`)).text();
    expect(csv.split('\r\n')[0]).toBe('ts,ts_ms,measurement,channel,field,value,type');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-report')]);
    expect(download.suggestedFilename()).toBe(`${HIST}_${tr.kiln}_${tr.firing_id}_report.csv`);
    await shots('report', () => page.waitForSelector('#report-kpis'));
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(SHOTS, 'report-print.png'), fullPage: true });
    expect(await page.isVisible('#load-form')).toBe(false); // the printable layout leaves the forms out
    await page.emulateMedia({ media: 'screen' });
  });

  it('setup: kilns seen, a coal baseline and the price list, each form rejecting bad input with a message', async () => {
    await go('/setup');
    await page.waitForSelector(`#setup-kilns a[href="/kiln/${LIVE}/${liveSim.fleet[0]!.id}"]`, { timeout: 10_000 });
    await page.waitForSelector('#baseline-form');
    await page.fill('#baseline-form input[name=workshop]', HIST);
    await page.fill('input[name="coal_kg_per_firing.value"]', '3000');
    await page.click('#baseline-form button[type=submit]');
    expect(await page.textContent('#baseline-form .form-msg.error')).toMatch(/Cần nhập Than mỗi mẻ \(kg\): Nguồn/);
    await page.fill('input[name="coal_kg_per_firing.source"]', "owner's coal purchase book 2004");
    for (const [f, v] of [['ware_kg_per_firing', '2500'], ['yield_pct', '120'], ['duration_h', '72']]) {
      await page.fill(`input[name="${f}.value"]`, v!);
      await page.fill(`input[name="${f}.source"]`, 'owner interview 2025');
    }
    await page.fill('#baseline-form input[name=by]', 'Cán bộ khuyến công');
    await page.click('#baseline-form button[type=submit]');
    expect(await page.textContent('#baseline-form .form-msg.error')).toMatch(/≤ 100/);
    await page.fill('input[name="yield_pct.value"]', '70');
    await page.click('#baseline-form button[type=submit]');
    await page.waitForSelector('#baseline-form .form-msg.ok');
    await page.waitForSelector('#baseline-list li');
    expect(await page.textContent('#baseline-list')).toContain("owner's coal purchase book 2004");
    // Edit: saving makes a new version of the same baseline (with an adjustment); its history lists both.
    await page.click('#baseline-list li .edit-baseline');
    expect(await page.textContent('#baseline-mode')).toMatch(/Đang sửa bl-/);
    await page.fill('input[name="coal_kg_per_firing.value"]', '3200');
    await page.click('#add-adjustment');
    await page.fill('#adjustments input[name=adj_at]', '2005-06-01');
    await page.fill('#adjustments input[name=adj_description]', 'lò xây lại');
    await page.selectOption('#adjustments select[name=adj_kind]', 'baseline_factor');
    await page.fill('#adjustments input[name=adj_factor]', '1.1');
    await page.click('#baseline-form button[type=submit]');
    expect(await page.textContent('#baseline-form .form-msg.error')).toMatch(/Cần nhập Điều chỉnh \(IPMVP\) 1: Nguồn/);
    await page.fill('#adjustments input[name=adj_source]', 'kiểm toán năng lượng 2005');
    await page.click('#baseline-form button[type=submit]');
    await page.waitForSelector('#baseline-history ol li + li', { timeout: 10_000 });
    const versions = await page.locator('#baseline-history ol li').allTextContents();
    expect(versions).toHaveLength(2);
    expect(versions[0]).toContain('3200 kg');
    expect(versions[1]).toContain('3000 kg');
    expect(await page.locator('#baseline-list li[data-baseline]').count()).toBe(1);
    expect(await page.textContent('#baseline-list')).toContain('lò xây lại ×1.1');
    // Prices: a duplicate date is refused here; a valid list is saved by the service.
    await page.waitForSelector('#price-form');
    const rows = page.locator('#price-form tbody tr');
    const first = await rows.nth(0).locator('input[name=valid_from]').inputValue();
    await page.click('#price-form button:has-text("+ Thêm dòng")');
    await rows.last().locator('input[name=valid_from]').fill(first);
    await rows.last().locator('input[name=vnd_per_kg]').fill('36000');
    await rows.last().locator('input[name=source]').fill('Petrolimex Hà Nội');
    await page.fill('#price-form input[name=by]', 'Chị Lan');
    await page.click('#price-form button[type=submit]');
    expect(await page.textContent('#price-form .form-msg.error')).toContain(`Hai dòng cùng ngày ${first}`);
    await rows.last().locator('input[name=valid_from]').fill('2026-01-01');
    await page.click('#price-form button[type=submit]');
    await page.waitForSelector('#price-form .form-msg.ok');
    const saved = await (await fetch(`${base}/api/prices`)).json() as { source: string; prices: { valid_from: string }[] };
    expect(saved.source).toBe('saved');
    expect(saved.prices.map((p) => p.valid_from)).toContain('2026-01-01');
    await shots('setup', () => page.waitForSelector('#price-form'));
  });

  it('alerts: a thermocouple jump over MQTT raises the banner (Vietnamese, English at the switch), acknowledged from the page; thresholds saved, a bad one refused', async () => {
    const key = `${ALERT_WS}/${ALERT_KILN}`;
    await go('/');
    await page.waitForSelector('#kiln-cards', { state: 'attached' });
    // Three readings 10 s apart in device time (the alert engine keeps one instant per kiln per 10 s and
    // judges an instant when the next one arrives): 500 °C, then 700 °C (+200 °C in 10 s, beyond jump_c = 100).
    const t = Date.now() - 20_000;
    const reading = (ts: number, top: number) => device.publish(`kiln/v1/${key}/telemetry`, JSON.stringify({ v: 1, ts_ms: ts, seq: ++seq, temp_c: { top } }), seq);
    await reading(t, 500);
    const t0 = performance.now();
    await reading(t + 10_000, 700); // the breaching reading
    await reading(t + 20_000, 700); // the next instant: the jump is judged
    const item = `#banner li.alert-item[data-kiln="${key}"]`;
    await page.waitForSelector(item, { timeout: 10_000 });
    const ms = performance.now() - t0;
    console.log(`dashboard alert: breaching publish → banner on screen ${ms.toFixed(0)} ms (the next reading published right after it; the service judges an instant when the next one arrives)`);
    expect(ms).toBeLessThan(3000);
    const id = `tc_fault.top-jump.${t + 10_000}`;
    expect(await page.getAttribute(item, 'data-alert-id')).toBe(id);
    expect(await page.textContent(`${item} .alert-msg`)).toBe('Lỗi cặp nhiệt top: nhảy 200 °C giữa hai lần đo (giới hạn 100 °C)');
    expect(await page.textContent(`${item} .sev`)).toBe('Cảnh báo');
    expect(await page.textContent(`${item} .alert-fig`)).toBe('200 °C (giới hạn 100 °C)');
    expect(await page.textContent('#alert-banner .alert-summary')).toMatch(/\d+ cảnh báo chưa xác nhận/);
    // The overview card of the kiln lists it too.
    await page.waitForSelector(`#kiln-cards [data-kiln="${key}"] .card-alerts li[data-alert-id="${id}"]`, { timeout: 5000 });
    expect(await page.getAttribute(`#kiln-cards [data-kiln="${key}"]`, 'class')).toContain('has-alert');
    await shots('alert-banner', () => page.waitForSelector(item));
    // English at the switch.
    await page.click('#lang');
    await expect.poll(() => page.textContent(`${item} .alert-msg`)).toBe('Thermocouple top fault: jumped 200 °C between two readings (limit 100 °C)');
    expect(await page.textContent(`${item} .sev`)).toBe('Warning');
    expect(await page.textContent(`${item} .alert-fig`)).toBe('200 °C (limit 100 °C)');
    await shots('alert-banner-en', () => page.waitForSelector(item));
    await page.click('#lang');
    await expect.poll(() => page.textContent(`${item} .alert-msg`)).toContain('Lỗi cặp nhiệt top');
    // Acknowledge from the page: a name is required, then the banner drops it and the service has it acknowledged.
    await page.click(`${item} .ack-btn`);
    await page.click(`${item} .ack-form button[type=submit]`);
    expect(await page.textContent(`${item} .ack-msg`)).toBe('Cần nhập Tên của bạn');
    await page.fill(`${item} input[name=ack_by]`, 'Anh Minh');
    await page.fill(`${item} input[name=ack_note]`, 'đã kiểm tra dây');
    await page.click(`${item} .ack-form button[type=submit]`);
    await page.waitForSelector(item, { state: 'detached', timeout: 5000 });
    const act = await (await fetch(`${base}/api/alerts`)).json() as { active: Alert[] };
    const a = act.active.find((x) => x.alert_id === id);
    expect(a).toMatchObject({ kind: 'tc_fault', channel: 'top-jump', severity: 'warning', acked_by: 'Anh Minh', ack_note: 'đã kiểm tra dây', cleared_at_ms: null });
    await page.waitForSelector(`#kiln-cards [data-kiln="${key}"] .card-alerts li.acked[data-alert-id="${id}"]`, { timeout: 5000 });
    // History on the kiln page, with the acknowledgement (read back from InfluxDB).
    await go(`/kiln/${key}`);
    await page.waitForSelector(`#kiln-alerts tr[data-alert-id="${id}"]`, { timeout: 10_000 });
    expect(await page.textContent(`#kiln-alerts tr[data-alert-id="${id}"]`)).toContain('Anh Minh');
    expect(await page.textContent(`#kiln-alerts tr[data-alert-id="${id}"]`)).toContain('Còn hoạt động');
    // Thresholds per kiln in setup: a non-number refused in the page, a clear margin above the raise margin refused by the service.
    await go('/setup');
    await page.waitForSelector('#as-kiln');
    await page.selectOption('#as-kiln', key);
    await page.waitForSelector('#alert-settings-form');
    expect(await page.inputValue('#alert-settings-form input[name=over_temp_margin_c]')).toBe('30');
    expect(await page.textContent('#setup-alerts')).toContain('Đang dùng ngưỡng mặc định');
    await page.fill('#alert-settings-form input[name=scale_tare_kg]', 'abc');
    await page.fill('#alert-settings-form input[name=by]', 'Chị Lan');
    await page.click('#alert-settings-form button[type=submit]');
    expect(await page.textContent('#alert-settings-form .form-msg.error')).toContain('Khối lượng bình rỗng trên cân (kg) phải là số không âm');
    await page.fill('#alert-settings-form input[name=scale_tare_kg]', '76');
    await page.fill('#alert-settings-form input[name=over_temp_margin_c]', '10');
    await page.click('#alert-settings-form button[type=submit]');
    await page.waitForSelector('#alert-settings-form .form-msg.error');
    const refused = await page.textContent('#alert-settings-form .form-msg.error');
    expect(refused).toContain('Quá nhiệt: hết báo khi dưới đích + (°C) không được lớn hơn Quá nhiệt: vượt nhiệt độ đích (°C) (10)');
    expect(refused).toContain('settings.over_temp_clear_margin_c: must not be above over_temp_margin_c (10), or the alert would flap');
    await page.fill('#alert-settings-form input[name=over_temp_margin_c]', '40');
    await page.fill('#alert-settings-form input[name=quartz_heat_rate_c_h]', '140');
    await page.click('#alert-settings-form button[type=submit]');
    await page.waitForSelector('#alert-settings-form .form-msg.ok', { timeout: 10_000 });
    expect(await page.inputValue('#alert-settings-form input[name=over_temp_margin_c]')).toBe('40');
    expect(await page.textContent('#alert-settings-all tr[data-setting=scale_tare_kg]')).toContain('76');
    const saved = await (await fetch(`${base}/api/workshops/${key.replace('/', '/kilns/')}/alert-settings`)).json() as { source: string; overrides: Record<string, number> };
    expect(saved.source).toBe('saved');
    expect(saved.overrides).toEqual({ over_temp_margin_c: 40, quartz_heat_rate_c_h: 140, scale_tare_kg: 76 });
    await shots('alert-settings', () => page.waitForSelector('#alert-settings-form'));
  });

  it('adviser: the roll-up table with savings against the baseline, charts and export', async () => {
    await page.click('#lang'); // in English this time
    await go('/adviser');
    await page.waitForSelector('#rollup-table', { timeout: 30_000 });
    const table = await page.textContent('#rollup-table');
    expect(table).toContain(HIST);
    expect(table).toMatch(/Avoided energy/);
    // The graded firing (report test) against the baseline (setup test): a number, in English format, with its confidence.
    expect(await page.textContent(`#rollup-table tr:has(td:text-is("${HIST}")) td[data-col=avoided_energy_mj]`)).toMatch(/^-?[\d,]+ MJ$/);
    expect(await page.textContent(`#rollup-table tr:has(td:text-is("${HIST}")) td[data-col=avoided_co2_kg]`)).toMatch(/^-?[\d,]+\.\d kg CO₂$/);
    expect(await page.textContent(`#rollup-table tr:has(td:text-is("${HIST}")) td[data-col=confidence]`)).toBe('L');
    await page.waitForFunction(() => Number(document.querySelector('#chart-sec')?.getAttribute('data-series') ?? 0) >= 2, undefined, { timeout: 20_000 });
    const csv = await fetch(`${base}${await page.getAttribute('#rollup-csv', 'href')}`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^workshop,kiln,month,firings/);
    await shots('adviser', () => page.waitForSelector('#chart-monthly'));
    await page.click('#lang');
  });

  it('overview: a kiln that went silent (LIVE_SILENT_S) shows offline, with how long ago its last message came', async () => {
    const quiet = await startInProcess({ INFLUX_DATABASE: uniqueDb('dashquiet'), LIVE_SILENT_S: '2' }, inject('influxUrl'));
    const dev = await connectDevice(quiet.mqttUrl, `dash-quiet-${process.pid}`, { clean: true });
    try {
      await quiet.app.listen({ port: 0, host: '127.0.0.1' });
      const a = quiet.app.server.address();
      await page.goto(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`);
      await page.waitForSelector('#kiln-cards', { state: 'attached' });
      await dev.publish('kiln/v1/bt-quiet/lo-1/telemetry', JSON.stringify({ v: 1, ts_ms: Date.now(), seq: 1, temp_c: { top: 300 } }), 1);
      const card = '[data-kiln="bt-quiet/lo-1"]';
      await page.waitForSelector(`${card} .badge.ok`, { timeout: 5000 });
      expect(await page.textContent(`${card} .seen`)).toMatch(/^Tin cuối: chưa đến 1 phút trước$/);
      await page.waitForSelector(`${card} .badge.off`, { timeout: 10_000 }); // 2 s of silence, then the hub's next check
      expect(await page.textContent(`${card} .badge.off`)).toBe('Mất kết nối');
      expect(await page.isVisible(`${card} .badge.resync`)).toBe(false); // complete: nothing re-syncing
      await shots('overview-silent', () => page.waitForSelector(`${card} .badge.off`));
    } finally {
      await dev.close();
      await quiet.stop();
    }
  });

  it('with the live view off and no kilns: says how to turn it on and how to start the simulator', async () => {
    const off = await startInProcess({ INFLUX_DATABASE: uniqueDb('dashoff'), LIVE_VIEW: 'false' }, inject('influxUrl'));
    try {
      await off.app.listen({ port: 0, host: '127.0.0.1' });
      const a = off.app.server.address();
      const offBase = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
      await page.goto(`${offBase}/`);
      await page.waitForSelector('#banner:not([hidden])');
      expect(await page.textContent('#banner')).toContain('LIVE_VIEW=true');
      expect(await page.textContent('#app .state.error')).toContain('LIVE_VIEW=true');
      await page.goto(`${offBase}/setup`);
      await page.waitForSelector('#setup-kilns .state.empty');
      expect(await page.textContent('#setup-kilns')).toContain('SIMULATE_KILNS=3 npm start');
      expect(await page.textContent('#setup-kilns')).toContain('npm run simulate -- --help');
      await shots('empty-live-off', () => page.waitForSelector('#setup-kilns .state.empty'));
    } finally {
      await off.stop();
    }
  });

  it('draws a 24 h firing at 1 Hz decimated, and 50 kilns updating every second stay smooth', async () => {
    await go('/');
    await page.waitForSelector('#kiln-cards .card');
    const b = await page.evaluate(() => (window as unknown as { kilnDash: { benchChart(n: number): Promise<{ draw_ms: number; max_frame_ms: number; drawn_points: number }> } }).kilnDash.benchChart(86_400));
    console.log(`dashboard 24 h × 1 Hz chart (4 zones × 86,400 points): first draw ${b.draw_ms.toFixed(0)} ms, longest of 30 live frames ${b.max_frame_ms.toFixed(0)} ms, ${b.drawn_points} points drawn per zone`);
    expect(b.drawn_points).toBeLessThan(2000); // decimated
    // Frame times are printed, not asserted: on a loaded 2-core machine they measure the machine.
    // 50 kilns at 1 Hz for 6 s; the page records its frame gaps meanwhile.
    const sampling = page.evaluate(() => new Promise<number[]>((resolve) => {
      const gaps: number[] = [];
      let last = performance.now();
      const until = last + 6000;
      const f = (now: number) => { gaps.push(now - last); last = now; if (now < until) requestAnimationFrame(f); else resolve(gaps); };
      requestAnimationFrame(f);
    }));
    for (let s = 0; s < 6; s++) {
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 50 }, (_, i) => publish(FIFTY, `k${String(i).padStart(2, '0')}`, { top: 500 + s * 10 + i, bottom: 480 + s * 10 + i }, 3)));
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
    }
    const gaps = (await sampling).sort((x, y) => x - y);
    await page.waitForFunction(() => document.querySelectorAll('[data-kiln^="bt-fifty/"]').length === 50, undefined, { timeout: 5000 });
    const p95 = gaps[Math.floor(gaps.length * 0.95)]!;
    console.log(`dashboard overview, 50 kilns at 1 Hz for 6 s: ${gaps.length} frames, frame gap p95 ${p95.toFixed(1)} ms, max ${gaps.at(-1)!.toFixed(1)} ms`);
    expect(gaps.length).toBeGreaterThan(0);
    expect(await page.textContent(`[data-kiln="${FIFTY}/k49"] dd.temp`)).toBe('599,0 °C');
  });
});
