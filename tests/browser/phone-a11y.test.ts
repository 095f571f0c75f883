// Every page at phone (390×844) and desktop (1,366×900) size in both languages, with demo data:
// axe-core (injected from the npm package) finds no serious or critical violation; no element
// reaches past the viewport; every form field is on screen and the width of the viewport at most;
// the skip link comes first and the focus is visible. Screenshots of the overview, a live kiln
// and the adviser view at phone size in Vietnamese go to test-artifacts/screenshots/ (the
// ones in docs/img/ are copies).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DESKTOP, launchBrowser, login, PHONE, type Browser } from './support.ts';
import { ADMIN, ADMIN_PW, openPage, startDemo, type Demo } from './demo.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots'); // copied to docs/img/ for docs/dashboard.md

interface AxeResult { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }

async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE); // through the debugger, past the page's script-src 'self'
  const r = await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<AxeResult> } }).axe.run({ resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 4 ? ` (+${v.nodes.length - 4})` : ''}`);
}

/** Elements reaching past the viewport's sides, and form fields not wholly on screen (the ones a
 *  closed <details> or [hidden] hides on purpose excepted). */
async function overflow(page: Page): Promise<{ wide: string[]; fields: string[]; scrollWidth: number; width: number }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : ''}`;
    const shown = (el: Element) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden'; };
    const wide: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!shown(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 || r.left < -1) wide.push(`${name(el)} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
    const fields: string[] = [];
    for (const el of Array.from(document.querySelectorAll('#app input:not([type=hidden]), #app select, #app textarea, #app button'))) {
      if (el.closest('details:not([open]) > :not(summary), [hidden]')) continue;
      const r = el.getBoundingClientRect();
      if (!shown(el) || r.left < -1 || r.right > width + 1) fields.push(`${name(el)} [${Math.round(r.left)}, ${Math.round(r.right)}] ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return { wide, fields, scrollWidth: document.documentElement.scrollWidth, width };
  });
}

describe('every page on a phone and a desktop, in both languages: fits, and axe finds nothing serious', () => {
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemo(inject('influxUrl'));
    browser = await launchBrowser();
    await login(browser.page, demo.base, ADMIN, ADMIN_PW);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  for (const [size, vp] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    for (const lang of ['vi', 'en'] as const) {
      it(`${size} ${vp.width}×${vp.height}, ${lang}`, async () => {
        const { page } = browser;
        await page.setViewportSize(vp);
        await page.evaluate((l) => localStorage.setItem('kiln.lang', l), lang);
        const problems: string[] = [];
        for (const p of demo.pages) {
          await openPage(page, demo.base, p);
          // The report's reject causes and the banner's list open too, so their fields are checked.
          await page.evaluate(() => { for (const d of Array.from(document.querySelectorAll('#app details'))) (d as HTMLDetailsElement).open = true; });
          const banner = await page.isVisible('#alert-banner .alert-summary'); // not on the login page
          for (const state of banner ? ['collapsed', 'expanded'] as const : ['no banner'] as const) {
            if (state === 'expanded') await page.click('#alert-banner .alert-summary');
            const o = await overflow(page);
            if (o.scrollWidth > o.width) problems.push(`${p.path} (${state}): the page scrolls sideways (${o.scrollWidth} > ${o.width} px)`);
            for (const w of o.wide.slice(0, 5)) problems.push(`${p.path} (${state}): wider than the viewport: ${w}`);
            for (const f of o.fields.slice(0, 5)) problems.push(`${p.path} (${state}): form field not on screen: ${f}`);
            for (const v of await axe(page)) problems.push(`${p.path} (${state}): ${v}`);
          }
        }
        expect(problems).toEqual([]);
      }, 300_000);
    }
  }

  it('tablet 1024×768, vi: axe finds nothing serious (a table wider than its box scrolls in a box the keyboard reaches)', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.evaluate(() => localStorage.setItem('kiln.lang', 'vi'));
    const problems: string[] = [];
    let scrolling = 0;
    for (const p of demo.pages) {
      await openPage(page, demo.base, p);
      scrolling += await page.locator('.table-wrap[tabindex="0"]').count();
      for (const v of await axe(page)) problems.push(`${p.path}: ${v}`);
    }
    expect(problems).toEqual([]);
    expect(scrolling).toBeGreaterThan(0); // the roll-up's eighteen columns do not fit 1,024 px: the check above saw a scrolling table
  }, 300_000);

  it('the alert banner is one line with the count on a phone, the list a tap away', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await page.evaluate(() => localStorage.setItem('kiln.lang', 'vi'));
    await openPage(page, demo.base, demo.pages[0]!);
    const summary = page.locator('#alert-banner .alert-summary');
    const n = Number(/^(\d+) cảnh báo chưa xác nhận/.exec((await summary.textContent()) ?? '')?.[1]);
    expect(n).toBeGreaterThanOrEqual(3); // three kilns, a jump on each
    expect(await page.isVisible('#alert-list')).toBe(false);
    const box = (await page.locator('#banner').boundingBox())!;
    expect(box.height).toBeLessThan(60); // one line, not the whole first screen
    expect(await summary.getAttribute('aria-expanded')).toBe('false');
    await summary.click();
    expect(await page.isVisible('#alert-list')).toBe(true);
    expect(await page.locator('#alert-list li').count()).toBe(Math.min(n, 5)); // the banner lists five at most
    expect(await summary.getAttribute('aria-expanded')).toBe('true');
    // The menu and the header buttons fit at 390 px, each on one line.
    for (const sel of ['#nav a', '#lang', '#logout', '#sound']) {
      for (const b of await page.locator(sel).all()) {
        const r = (await b.boundingBox())!;
        expect(r.x + r.width, sel).toBeLessThanOrEqual(PHONE.width);
        expect(r.height, `${sel} on one line`).toBeLessThan(40);
      }
    }
  });

  it('a skip link comes first and the focus is visible', async () => {
    const { page } = browser;
    await openPage(page, demo.base, demo.pages[0]!);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const r = el.getBoundingClientRect();
      return { id: el.id, top: r.top, outline: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
    });
    expect(first.id).toBe('skip');
    expect(first.top).toBeGreaterThanOrEqual(0); // on screen once focused
    expect(first.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('app');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
  });

  it('screenshots at phone size in Vietnamese: overview, a live kiln, the adviser view, a report', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await page.evaluate(() => localStorage.setItem('kiln.lang', 'vi'));
    mkdirSync(SHOTS, { recursive: true });
    for (const [file, p] of [['phone-overview-vi', demo.pages[0]!], ['phone-kiln-vi', { path: demo.kilnPath, ready: '#chart-temp[data-points]' }], ['phone-adviser-vi', { path: '/adviser', ready: '#chart-sec[data-series]' }], ['phone-report-vi', { path: demo.reportPath, ready: '#grading-form' }]] as const) {
      await openPage(page, demo.base, p);
      await page.screenshot({ path: join(SHOTS, `${file}.png`), fullPage: file !== 'phone-kiln-vi' });
    }
  });
});
