// What the browser tests share: the dashboard bundle, Debian's chromium through playwright-core,
// and logging in through the login page as a person does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

/** Tests run from source: the service serves dist/dashboard, so build it first. */
export function buildDashboard(): void {
  execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' });
}

export interface Browser {
  readonly ctx: BrowserContext;
  readonly page: Page;
  /** Content Security Policy violations reported in the console, on any page. */
  readonly csp: string[];
  close(): Promise<void>;
}

/** Headless chromium with a throwaway profile; confirm() dialogs (revoke, reset) are accepted. */
export async function launchBrowser(executablePath = '/usr/bin/chromium'): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kiln-chromium-'));
  const launch = (timeout: number) => chromium.launchPersistentContext(profile, {
    executablePath, headless: true, viewport: DESKTOP, timeout,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Launched in a beforeAll, which vitest does not retry: on a loaded 2-core machine one slow
  // start would fail every test of the file. The browser starting is not what is tested.
  const ctx = await launch(30_000).catch((err: unknown) => {
    console.warn(`chromium did not start (${String((err as Error).message).split('\n')[0]}); trying once more`);
    return launch(60_000);
  });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  const csp: string[] = [];
  page.on('dialog', (d) => void d.accept());
  page.on('console', (m) => { if (m.type() === 'error' && m.text().includes('Content Security Policy')) csp.push(m.text()); });
  return {
    ctx, page, csp,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Log in through the login page of the service at `base`; resolves on the page it leads to. */
export async function login(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#login-form input[name=username]', username);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL((u) => u.pathname !== '/login', { timeout: 10_000 });
}
