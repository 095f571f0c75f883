// The overview's frame times in a real browser (Debian's chromium through playwright-core, as the
// browser tests launch it): the page scrolls itself through the overview while the live stream
// flows and reports its frame gaps and long tasks (dashboard/src/bench-overview.ts, the same code
// the fleet browser test runs). For npm run bench:overview and the fleet bench.
import type { Page } from 'playwright-core';
import type { OverviewFrames } from '../../dashboard/src/bench-overview.ts';
import { DESKTOP, launchBrowser } from '../../tests/browser/support.ts';

export type { OverviewFrames };

/** The page's own measurement on an open overview: seconds of scrolling at px_per_s. */
export function framesOn(page: Page, seconds = 5, px_per_s = 3000): Promise<OverviewFrames> {
  return page.evaluate(([ms, px]) => (window as unknown as { kilnDash: { overviewFrames(ms: number, px: number): Promise<OverviewFrames> } }).kilnDash.overviewFrames(ms, px), [seconds * 1000, px_per_s] as const);
}

/** Until the page's model holds `kilns` kilns (the overview's count), or stops growing for 2 s. */
export async function untilFleetLoaded(page: Page, kilns = 0, timeout_ms = 60_000): Promise<number> {
  const until = Date.now() + timeout_ms;
  let last = -1, since = Date.now();
  for (;;) {
    const n = Number(await page.getAttribute('#fleet-count', 'data-kilns').catch(() => null) ?? 0);
    if (n !== last) { last = n; since = Date.now(); }
    if ((kilns > 0 && n >= kilns) || (kilns === 0 && n > 0 && Date.now() - since > 2000)) return n;
    if (Date.now() > until) throw new Error(`the overview holds ${n} kilns after ${timeout_ms} ms${kilns > 0 ? `, not ${kilns}` : ''}`);
    await page.waitForTimeout(200);
  }
}

/**
 * Opens the overview of the service at baseUrl as the API token's user (the service takes a
 * Bearer token on every route, pages and event streams included, so the browser sends it with
 * every request instead of logging in), waits for the kilns, then scrolls for `seconds`.
 */
export async function measureOverviewFrames(opts: { baseUrl: string; token: string; seconds?: number; viewport?: { width: number; height: number }; kilns?: number }): Promise<OverviewFrames> {
  const browser = await launchBrowser();
  try {
    const { ctx, page } = browser;
    await ctx.setExtraHTTPHeaders({ authorization: `Bearer ${opts.token}` });
    await page.setViewportSize(opts.viewport ?? DESKTOP);
    await page.goto(`${opts.baseUrl}/`);
    await page.waitForSelector('#kiln-cards .card', { timeout: 60_000 });
    await untilFleetLoaded(page, opts.kilns ?? 0);
    return await framesOn(page, opts.seconds ?? 5);
  } finally {
    await browser.close();
  }
}
