// The one-page savings reports in a real browser (Debian's chromium): a firing's and a period's,
// reached from the report and the adviser view, in Vietnamese and English. Laid out in print
// emulation, no element may lie outside the A4 content box (210 × 297 mm less 12 mm margins);
// printed to PDF (page.pdf, A4) the file has exactly one page (pdfinfo), and pdftoppm turns it into
// a PNG kept under test-artifacts/print/. The figures shown are the API's, formatted the
// language's way; no raw key (fuel.by_meter[0].kind, coal_kg_per_firing) is printed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FiringList, FiringReport, RollupResponse } from '../../dashboard/src/types.ts';
import { waitFor } from '../support/influx.ts';
import { DESKTOP } from './support.ts';
import { simulateFirings, startFiredInBrowser, type Fired, type FiredInBrowser } from './fired.ts';

const OUT = join(process.cwd(), 'test-artifacts', 'print');
const WS = 'bt-in';
const USER = 'co-van-lan';
const PW = 'mat-khau-dai-du-10';
const MM = 96 / 25.4; // CSS px per mm
const CONTENT = { width_mm: 210 - 2 * 12, height_mm: 297 - 2 * 12 }; // styles.css: @page A4, 12 mm margins
const sourced = (value: number, source: string, confidence: 'H' | 'M' | 'L') => ({ value, source, confidence });

const baseline = (workshop: string) => ({
  workshop, period: { from: '2004-01-01', to: '2006-12-31' },
  coal_kg_per_firing: sourced(3000, 'sổ mua than của chủ lò 2004–2006', 'M'), ware_kg_per_firing: sourced(2500, 'phỏng vấn chủ lò 2025', 'M'),
  yield_pct: sourced(70, 'phỏng vấn chủ lò 2025', 'L'), duration_h: sourced(72, 'phỏng vấn chủ lò 2025', 'M'),
  coal_ncv_mj_per_kg: sourced(26.7, 'IPCC 2006 default NCV, anthracite', 'H'), co2_kg_per_kg_coal: sourced(2.6247, 'IPCC 2006 default, anthracite', 'H'),
  coal_price_vnd_per_kg: sourced(3500, 'hoá đơn than 2006', 'M'),
  adjustments: [{ at: '2005-06-01', description: 'lò xây lại', effect: { kind: 'baseline_factor', value: 1.05, source: 'kiểm toán năng lượng 2005', confidence: 'L' } }],
});

describe('one-page savings report (real browser, PDF)', () => {
  let started: FiredInBrowser | undefined;
  let f: Fired;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    // A year of firings below, and the records the report compares with.
    started = await startFiredInBrowser(WS, inject('influxUrl'), { username: USER, password: PW }, {
      env: { INGEST_MAX_PAST_DAYS: '400' },
      prepare: async (fired) => {
        const saved = await Promise.all([
          fired.json(`/api/workshops/${WS}/baselines`, { method: 'POST', body: baseline(WS) }),
          fired.json(`${fired.api}/load`, { method: 'PUT', body: { ware_kg: 800, furniture_kg: 350, products: [{ product: 'bát', pieces: 600 }, { product: 'lọ hoa', pieces: 150 }] } }),
        ]);
        expect(saved.map((s) => s.status)).toEqual([201, 200]); // a new baseline, a load
        expect((await fired.json(`${fired.api}/grading`, { method: 'PUT', body: { products: [{ product: 'bát', first: 540, second: 40, reject: 20, reject_causes: [] }, { product: 'lọ hoa', first: 130, second: 12, reject: 8, reject_causes: [] }] } })).status).toBe(200);
        await waitFor(async () => (await fired.json<FiringReport>(fired.api)).body.baseline_comparison?.energy_mj.ok === true, 30_000, 'the firing compared with the baseline');
      },
    });
    ({ f, page } = started);
  }, 180_000);

  afterAll(async () => { await started?.stop(); });

  const locale = (lang: 'vi' | 'en') => (lang === 'vi' ? 'vi-VN' : 'en-GB');
  const mj = (lang: 'vi' | 'en', v: number) => `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(v)} MJ`;
  const vnd = (lang: 'vi' | 'en', v: number) => `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(Math.round(v))} ₫`;

  /** Print emulation: every rendered element inside the content box; then the PDF, one page, and its PNG. */
  async function printed(name: string): Promise<void> {
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    // The page box of the PDF: A4 less its margins, as the viewport of the print emulation.
    await page.setViewportSize({ width: Math.floor(CONTENT.width_mm * MM), height: Math.floor(CONTENT.height_mm * MM) });
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(100); // one layout at that size
    const outside = await page.evaluate(({ w, h }) => {
      const sheet = document.getElementById('print-sheet')!.getBoundingClientRect();
      const bad: string[] = [];
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
        if (el.closest('[hidden], .no-print, header.top, #banner')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        const [x0, y0, x1, y1] = [r.left - sheet.left, r.top - sheet.top, r.right - sheet.left, r.bottom - sheet.top];
        const clipped = el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible' && el.clientWidth > 0;
        if (x0 < -0.5 || y0 < -0.5 || x1 > w + 0.5 || y1 > h + 0.5 || clipped) bad.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} [${Math.round(x0)},${Math.round(y0)},${Math.round(x1)},${Math.round(y1)}]${clipped ? ' clipped' : ''}`);
      }
      return { bad, sheet: { x: sheet.left, w: sheet.width, h: sheet.height } };
    }, { w: CONTENT.width_mm * MM, h: CONTENT.height_mm * MM });
    expect(outside.bad).toEqual([]);
    expect(outside.sheet.w).toBeCloseTo(CONTENT.width_mm * MM, 0);
    expect(outside.sheet.h).toBeLessThanOrEqual(CONTENT.height_mm * MM);
    const pdf = join(OUT, `${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(DESKTOP);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/^Pages:\s+1$/m);
    execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', pdf, join(OUT, name)]);
    expect(statSync(join(OUT, `${name}.png`)).size).toBeGreaterThan(20_000);
  }

  /** The sheet's text below its header: labels and units, no API keys. */
  async function noRawKeys(): Promise<void> {
    const body = (await page.locator('#print-sheet > :not(header)').allTextContents()).join('\n');
    expect(body).not.toMatch(/\b[a-z0-9]+(?:_[a-z0-9]+)+\b/); // coal_kg_per_firing, energy_mj …
    expect(body).not.toMatch(/\w\.\w+\[\d+\]|\[\d+\]\.\w/); // fuel.by_meter[0].kind
  }

  /** A headline figure: the amount, and the share with its range when the service gives one. */
  async function headlineMatches(line: 'energy_mj' | 'cost_vnd', s: { avoided: number; avoided_pct?: number | null }, fmt: (v: number) => string): Promise<void> {
    const fig = page.locator(`#print-sheet .head-fig[data-line=${line}]`);
    expect(await fig.locator('.hf-amount').textContent()).toBe(fmt(s.avoided));
    if (typeof s.avoided_pct === 'number') expect(await fig.locator('.hf-pct').textContent()).toMatch(/^[−-]?[\d.,]+ % \([−-]?[\d.,]+–[−-]?[\d.,]+ %\)$/);
    else expect(await fig.locator('.hf-pct').count()).toBe(0);
  }

  it('a firing: from the report, one A4 page in Vietnamese, then in English', async () => {
    const r = (await f.json<FiringReport>(f.api)).body;
    const c = r.baseline_comparison!;
    if (!c.energy_mj.ok || !c.cost_vnd.ok) throw new Error('no savings to print');
    await page.goto(`${f.base}/firings/${WS}/${f.firing.kiln}/${f.firing.firing_id}`);
    await page.click('#print-sheet-link', { timeout: 20_000 });
    await page.waitForURL((u) => u.pathname === `/print/firing/${WS}/${f.firing.kiln}/${f.firing.firing_id}`);
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    const head = await page.textContent('#print-sheet .sheet-head');
    for (const s of ['Báo cáo tiết kiệm: mẻ nung', `Xưởng${WS}`, `Lò${f.firing.kiln}`, `Mẻ nung${f.firing.firing_id}`, `Người lập${USER}`, 'Ngày lập']) expect(head).toContain(s);
    await headlineMatches('energy_mj', c.energy_mj, (v) => mj('vi', v));
    await headlineMatches('cost_vnd', c.cost_vnd, (v) => vnd('vi', v));
    const inputs = await page.textContent('#print-sheet .baseline-inputs');
    for (const s of ['Than mỗi mẻ', '3.000 kg than', 'sổ mua than của chủ lò 2004–2006', 'Tỷ lệ hàng loại 1', '70 %', 'Nhiệt trị than', '26,7 MJ/kg than', 'Điều chỉnh: lò xây lại', '1,05 × (hệ số)', 'Thời gian mỗi mẻ', '72 giờ']) expect(inputs).toContain(s);
    expect(await page.textContent('#print-sheet .appendix')).toContain(`${new Intl.NumberFormat('vi-VN').format(750)} cái`);
    expect(await page.locator('#print-sheet canvas#print-chart').count()).toBe(1);
    await noRawKeys();
    await printed('savings-firing-vi');

    await page.click('#lang');
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    expect(await page.textContent('#print-sheet .sheet-head')).toContain('Savings report: firing');
    await headlineMatches('energy_mj', c.energy_mj, (v) => mj('en', v));
    expect(await page.textContent('#print-sheet .baseline-inputs')).toContain('3,000 kg coal');
    await noRawKeys();
    await printed('savings-firing-en');
    await page.click('#lang');
  });

  it('a period: the workshop from the adviser view, one A4 page in Vietnamese and English; the village', async () => {
    await page.goto(`${f.base}/adviser`);
    await page.waitForSelector(`#a-workshop option[value="${WS}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption('#a-workshop', WS);
    await page.click('form.filters button[type=submit]');
    // The roll-up folds every firing's report: beside the whole suite on two cores it once took over 30 s.
    await page.waitForSelector('#rollup-table', { timeout: 90_000 });
    const from = await page.inputValue('#a-from');
    const to = await page.inputValue('#a-to');
    await page.click('#rollup-print');
    await page.waitForURL((u) => u.pathname === '/print/period' && u.searchParams.get('workshop') === WS && u.searchParams.get('from') === from && u.searchParams.get('to') === to);
    const total = (await f.json<RollupResponse>(`/api/rollup?level=workshop&period=all&workshop=${WS}&from=${from}&to=${to}`)).body;
    const s = total.rows[0]!.savings!;
    expect(s.energy_mj.firings).toBe(1);
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    const head = await page.textContent('#print-sheet .sheet-head');
    const day = (d: string) => new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(Date.parse(`${d}T12:00:00+07:00`));
    for (const x of ['Báo cáo tiết kiệm: theo kỳ', `Xưởng${WS}`, `Kỳ${day(from)} – ${day(to)}`, `Người lập${USER}`, '1 mẻ đã xong, 1 mẻ tính được tiết kiệm']) expect(head).toContain(x);
    await headlineMatches('energy_mj', s.energy_mj, (v) => mj('vi', v));
    await headlineMatches('cost_vnd', s.cost_vnd, (v) => vnd('vi', v));
    expect(await page.textContent('#print-sheet .baseline-inputs')).toContain('3.000 kg than');
    expect(await page.textContent('#print-sheet table.months tfoot')).toContain('Cả kỳ');
    await noRawKeys();
    await printed('savings-period-vi');

    await page.click('#lang');
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    expect(await page.textContent('#print-sheet .sheet-head')).toContain('Firings1 finished, 1 with savings worked out');
    await headlineMatches('energy_mj', s.energy_mj, (v) => mj('en', v));
    await noRawKeys();
    await printed('savings-period-en');
    await page.click('#lang');

    // The village: every workshop the user sees (here the one), its totals the roll-up's.
    const village = (await f.json<RollupResponse>(`/api/rollup?level=village&period=all&from=${from}&to=${to}`)).body.rows[0]!.savings!;
    await page.goto(`${f.base}/print/period?from=${from}&to=${to}`);
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    expect(await page.textContent('#print-sheet .sheet-head')).toContain('XưởngCả làng (các xưởng bạn được xem)');
    await headlineMatches('energy_mj', village.energy_mj, (v) => mj('vi', v));
    await noRawKeys();
    await printed('savings-village-vi');
  }, 180_000);

  it('a year: eleven more months of firings still fit one page; a firing with no baseline yet says why', async () => {
    const YEAR = 'bt-nam';
    const month_ms = 30.4 * 86_400_000;
    const firings = await simulateFirings(f.svc.mqttUrl, YEAR, Array.from({ length: 11 }, (_, i) => Date.now() - (11 - i) * month_ms), 60);
    const kiln = firings[0]!.kiln;
    const since = new Date(Date.now() - 350 * 86_400_000).toISOString(); // the list spans at most 366 days
    await waitFor(async () => (await f.json<FiringList>(`/api/workshops/${YEAR}/kilns/${kiln}/firings?from=${since}`)).body.firings?.filter((x) => !x.open).length === 11, 60_000, 'a year of firings indexed');
    // Before its baseline: a firing's sheet says why nothing is compared, and draws no chart.
    const first = `/api/workshops/${YEAR}/kilns/${kiln}/firings/${firings[0]!.firing_id}`;
    const reason = (await f.json<FiringReport>(first)).body.baseline_comparison_reason!;
    await page.goto(`${f.base}/print/firing/${YEAR}/${kiln}/${firings[0]!.firing_id}`);
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    expect(await page.textContent('#print-sheet .sheet-note')).toBe(`Chưa so được với lò hộp (than): ${reason}`);
    expect(await page.locator('#print-sheet canvas').count()).toBe(0);
    await printed('savings-firing-no-baseline-vi');
    expect((await f.json(`/api/workshops/${YEAR}/baselines`, { method: 'POST', body: baseline(YEAR) })).status).toBe(201);
    for (const x of firings) {
      const at = `/api/workshops/${YEAR}/kilns/${kiln}/firings/${x.firing_id}`;
      expect((await f.json(`${at}/load`, { method: 'PUT', body: { ware_kg: 800, furniture_kg: 350, products: [{ product: 'bát', pieces: 600 }] } })).status).toBe(200);
      expect((await f.json(`${at}/grading`, { method: 'PUT', body: { products: [{ product: 'bát', first: 540, second: 40, reject: 20, reject_causes: [] }] } })).status).toBe(200);
    }
    const day = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 10);
    const [from, to] = [day(Date.now() - 365 * 86_400_000), day(Date.now())];
    const rollup = async () => (await f.json<RollupResponse>(`/api/rollup?level=workshop&period=month&workshop=${YEAR}&from=${from}&to=${to}`)).body;
    await waitFor(async () => (await rollup()).rows.reduce((n, r) => n + r.firings, 0) === 11, 60_000, 'the roll-up has the year'); // summaries land after the list
    const monthly = await rollup();
    expect(monthly.rows.map((r) => r.month)).toEqual([...new Set(firings.map((x) => day(x.start_ts_ms).slice(0, 7)))]);
    await page.goto(`${f.base}/print/period?workshop=${YEAR}&from=${from}&to=${to}`);
    await page.waitForSelector('#print-sheet[data-ready=true]', { timeout: 20_000 });
    expect(await page.locator('#print-sheet table.months tbody tr').count()).toBe(monthly.rows.length);
    await noRawKeys();
    await printed('savings-year-vi');
  }, 240_000);
});
