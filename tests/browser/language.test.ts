// Every page in Vietnamese, then in English, with demo data: no English word in the Vietnamese
// pages and no Vietnamese letter in the English ones: text, screen-reader labels, titles and
// placeholders alike. Left out: text marked as another language (lang="…": the language button),
// quoted sources (<cite>: a document is cited in its own language), machine names (<code>: the
// report's figure names, commands), place names, and the data the test and the simulator entered
// (product names, sources, the controller's schedule name). Everything else the page shows comes
// from the interface language.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENGLISH_RE, NAMES, VIETNAMESE_RE } from '../support/language.ts';
import { launchBrowser, login, PHONE, type Browser } from './support.ts';
import { ADMIN, ADMIN_PW, openPage, startDemo, USER_TEXT, type Demo } from './demo.ts';

/** The simulated controller's own schedule name: data, like the product names. */
const DEVICE_TEXT = ['bisque cone 04'];

/** Each text node and each label-like attribute of the page, with where it is; user data removed. */
async function textsOf(page: import('playwright-core').Page, lang: string): Promise<{ where: string; text: string }[]> {
  const raw = await page.evaluate((lang) => {
    const out: { where: string; text: string }[] = [];
    const foreign = (el: Element | null) => { const l = el?.closest('[lang]')?.getAttribute('lang'); return l !== undefined && l !== null && l !== lang; };
    const where = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || foreign(el) || el.closest('script, style, code, cite, [hidden]')) continue;
      const text = n.textContent?.trim() ?? '';
      const row = el.closest('tr')?.querySelector('td')?.textContent?.trim(); // a table cell: its row's name too
      if (text) out.push({ where: `${where(el)}${row && row !== text ? ` (row ${row.slice(0, 60)})` : ''}`, text });
    }
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))) {
      if (foreign(el) || el.closest('[hidden]')) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push({ where: `${where(el)}[${a}]`, text: v });
      }
    }
    out.push({ where: 'title', text: document.title });
    return out;
  }, lang);
  return raw.map((x) => ({ ...x, text: [...USER_TEXT, ...DEVICE_TEXT, ...NAMES].reduce((s, u) => s.split(u).join(''), x.text) }));
}

describe('every page speaks one language', () => {
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemo(inject('influxUrl'));
    browser = await launchBrowser();
    await browser.page.setViewportSize(PHONE);
    await login(browser.page, demo.base, ADMIN, ADMIN_PW);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  for (const lang of ['vi', 'en'] as const) {
    it(`${lang}: no text from the other language on any page`, async () => {
      const { page } = browser;
      await page.evaluate((l) => localStorage.setItem('kiln.lang', l), lang);
      const bad: string[] = [];
      for (const p of demo.pages) {
        await openPage(page, demo.base, p);
        if (await page.isVisible('#alert-banner .alert-summary')) await page.click('#alert-banner .alert-summary'); // the alert list too, not only its count (no banner on the login page)
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        for (const { where, text } of await textsOf(page, lang)) {
          const m = lang === 'vi' ? ENGLISH_RE.exec(text) : VIETNAMESE_RE.exec(text);
          if (m) bad.push(`${p.path} ${where}: "${m[0]}" in "${text.slice(0, 140)}"`);
        }
      }
      expect([...new Set(bad)]).toEqual([]);
    }, 180_000);
  }

  it('the chart axes number in the app\'s language, not the browser\'s (an en-US browser in Vietnamese)', async () => {
    const { page } = browser;
    await page.evaluate(() => localStorage.setItem('kiln.lang', 'vi'));
    await openPage(page, demo.base, { path: demo.reportPath, ready: '#chart-report' });
    const locale = await page.evaluate(() => navigator.language);
    expect(locale).not.toMatch(/^vi/); // the test browser is not Vietnamese: the app sets the locale itself
    const tickLabels = await page.evaluate(() => (window as unknown as { kilnDash: { chartTicks(id: string): string[] } }).kilnDash.chartTicks('chart-report'));
    const thousands = tickLabels.filter((x) => /\d[.,]\d{3}/.test(x));
    expect(thousands.length).toBeGreaterThan(0); // a temperature axis past 1,000 °C
    for (const x of thousands) expect(x).toMatch(/^\d{1,3}(\.\d{3})+$/); // vi-VN groups with a dot: 1.200
  });
});
