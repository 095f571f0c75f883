// The overview's frame times in a real browser (Debian's chromium through playwright-core, as the
// browser tests launch it): the page scrolls itself through the overview while the live stream
// flows and reports its frame gaps and long tasks (dashboard/src/bench-overview.ts, the same code
// the fleet browser test runs). For npm run bench:overview and the fleet bench.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { OverviewFrames } from '../../dashboard/src/bench-overview.ts';
import { DESKTOP, launchBrowser, type Browser } from '../../tests/browser/support.ts';

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
export async function measureOverviewFrames(opts: { baseUrl: string; token: string; seconds?: number; viewport?: { width: number; height: number }; kilns?: number; browser?: Browser }): Promise<OverviewFrames> {
  const browser = opts.browser ?? await launchBrowser();
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

/**
 * Chromium under SCHED_IDLE (chrt --idle: it runs only on CPU nothing else wants; its processes
 * inherit it), started now to open the overview later (measureOverviewFrames' `browser`). On a
 * site the browser is on the owner's phone, not on the service's cores: started beside the
 * service at the same priority, Chromium's start-up and rendering took the CPU from it for
 * 100-300 ms at a time (a CPU profile showed windows with no service sample at all), and that, not
 * the service, set the loop-delay maximum. `nice` does not hold: Chromium sets its processes' nice
 * values itself (-8 for its browser and GPU processes, seen here). What the page asks of the
 * service (GET /api/live, the stream's snapshot) is the same.
 */
export async function launchBrowserIdle(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-chromium-idle-'));
  const wrapper = join(dir, 'chromium');
  writeFileSync(wrapper, '#!/bin/sh\nexec chrt --idle 0 /usr/bin/chromium "$@"\n');
  chmodSync(wrapper, 0o755);
  const gone = () => rmSync(dir, { recursive: true, force: true });
  const b = await launchBrowser(wrapper).catch((err: unknown) => { gone(); throw err; });
  return { ...b, async close() { await b.close(); gone(); } };
}
