// The first run, as a new person does it after cloning: the real service (src/server.ts as its own
// process) on an empty data folder, its embedded broker refusing devices without a credential (the
// default), a real InfluxDB. In chromium: log in as "admin" with the one-time password from the log,
// change it, add a workshop and its owner, make a kiln logger's credential; the shown mosquitto_pub
// line then publishes readings; the owner logs in, changes their one-time password and sees the kiln.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb, waitFor } from '../support/influx.ts';
import { freePort } from '../support/ports.ts';
import { startChild, type ChildService } from '../support/service.ts';
import { buildDashboard, launchBrowser, login, type Browser } from './support.ts';

const WS = 'xuong-dau';
const KILN = 'lo-1';
const OWNER = 'chu-xuong';

/** Run a command line as a shell would; its exit code and output (a non-zero exit is no throw). */
function sh(line: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
    });
  });
}

/** The one-time password from the service's first-start warn line (a JSON log line on stderr). */
function oneTimePassword(log: string): string | null {
  for (const line of log.split('\n')) {
    if (!line.includes('first start: created user')) continue;
    const msg = (JSON.parse(line) as { msg: string }).msg;
    return /created user "admin" with the one-time password (\S+)/.exec(msg)?.[1] ?? null;
  }
  return null;
}

/** The forced password change after a first login: the new password, twice. */
async function changeOneTimePassword(page: Page, oneTime: string, chosen: string): Promise<void> {
  await page.waitForSelector('#password-forced');
  await page.fill('#password-form input[name=current_password]', oneTime);
  await page.fill('#password-form input[name=new_password]', chosen);
  await page.fill('#password-form input[name=new_password2]', chosen);
  await page.click('#password-form button[type=submit]');
  await page.waitForURL((u) => u.pathname !== '/password', { timeout: 10_000 });
}

describe('first run: from an empty data folder to a kiln on the owner\'s overview', () => {
  let svc: ChildService;
  let browser: Browser;
  let page: Page;
  let dataDir = '';
  let mqttPort = 0;

  beforeAll(async () => {
    buildDashboard();
    dataDir = mkdtempSync(join(tmpdir(), 'kiln-first-run-'));
    mqttPort = await freePort();
    svc = startChild({
      INFLUX_URL: inject('influxUrl'), INFLUX_DATABASE: uniqueDb('firstrun'), DATA_DIR: dataDir,
      MQTT_EMBEDDED_HOST: '127.0.0.1', MQTT_EMBEDDED_PORT: String(mqttPort), MQTT_ALLOW_ANONYMOUS: 'false',
    }, await freePort(), { provisionToken: false });
    await svc.waitReady();
    browser = await launchBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('admin → workshop owner → device credential → readings → the owner sees the kiln; a wrong secret is refused', async () => {
    const base = svc.httpUrl;
    // The log names the first admin's one-time password, once.
    await waitFor(() => oneTimePassword(svc.output()) !== null, 10_000, 'first-start line in the log');
    const adminOnce = oneTimePassword(svc.output())!;
    expect(svc.output().match(/first start: created user/g)).toHaveLength(1);

    // Logging in with it leads to the password change first; nothing else opens before.
    await login(page, base, 'admin', adminOnce);
    expect(new URL(page.url()).pathname).toBe('/password');
    expect(await page.isVisible('#nav')).toBe(false);
    await changeOneTimePassword(page, adminOnce, 'quan-tri-lo-gas');
    await expect.poll(() => page.textContent('#who-name')).toBe('admin');

    // Users page: the new workshop in the registry, then its owner; the one-time password is shown once.
    await page.goto(`${base}/users`);
    await page.fill('#workshop-form input[name=id]', WS);
    await page.fill('#workshop-form input[name=name]', 'Xưởng Đầu');
    await page.fill('#workshop-form input[name=village]', 'Bát Tràng');
    await page.click('#workshop-form button[type=submit]');
    await page.waitForSelector(`#workshop-list tr[data-workshop="${WS}"]`, { timeout: 10_000 });
    await page.fill('#user-form input[name=username]', OWNER);
    await page.selectOption('#user-form select[name=role]', 'owner');
    await page.fill('#user-form input[name=workshops]', WS);
    await page.click('#user-form button[type=submit]');
    await page.waitForSelector('#user-secret code.one-time');
    const ownerOnce = (await page.textContent('#user-secret code.one-time'))!;
    expect(ownerOnce.length).toBeGreaterThanOrEqual(10);
    await page.waitForSelector(`#user-list tr[data-user="${OWNER}"]`);

    // Setup page: a credential for the workshop's kiln; its secret and a mosquitto_pub line, shown once.
    await page.goto(`${base}/setup`);
    await page.waitForSelector(`#dev-workshop option[value="${WS}"]`, { state: 'attached', timeout: 10_000 });
    await page.selectOption('#dev-workshop', WS);
    await page.fill('#device-form input[name=kiln]', KILN);
    await page.click('#device-form button[type=submit]');
    await page.waitForSelector('#device-secret code.mosquitto-pub');
    const user = (await page.textContent('#device-secret code.device-user'))!;
    const secret = (await page.textContent('#device-secret code.device-secret'))!;
    const line = (await page.textContent('#device-secret code.mosquitto-pub'))!;
    expect(user).toBe(`${WS}.${KILN}`);
    expect(line).toContain(`-u '${user}'`);
    expect(line).toContain(`-P '${secret}'`);
    expect(line).toContain(`-t 'kiln/v1/${WS}/${KILN}/telemetry'`);
    expect(line).toMatch(/ -p \d+ /);

    // The line as shown (with this test's broker port), then the same credential with later readings.
    const shown = line.replace(/ -p \d+ /, ` -p ${mqttPort} `);
    const sent = await sh(shown);
    expect(sent, sent.out).toMatchObject({ code: 0 });
    const cmd = shown.slice(0, shown.indexOf(' -m ')); // the line without its sample reading
    const temps = [820.5, 831.5, 842.5];
    for (const [i, top] of temps.entries()) {
      const reading = JSON.stringify({ v: 1, ts_ms: Date.now(), seq: 2 + i, temp_c: { top, bottom: top - 10 }, gas: { burner: { kind: 'flow', flow_kg_h: 3.2 } } });
      const r = await sh(`${cmd} -m '${reading}'`);
      expect(r, r.out).toMatchObject({ code: 0 });
      await new Promise((res) => setTimeout(res, 50)); // distinct timestamps
    }
    // A wrong secret, and no credential at all, are refused by the broker.
    const wrong = await sh(`${cmd.replace(`-P '${secret}'`, "-P 'not-the-secret'")} -m '{}'`);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/not authori[sz]ed|bad user name or password/i);
    const anonymous = await sh(`mosquitto_pub -h 127.0.0.1 -p ${mqttPort} -V mqttv311 -q 1 -t 'kiln/v1/${WS}/${KILN}/telemetry' -m '{}'`);
    expect(anonymous.code).not.toBe(0);

    // Log out; the owner logs in, changes the one-time password and sees the kiln on the overview.
    await page.click('#logout');
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 10_000 });
    await login(page, base, OWNER, ownerOnce);
    expect(new URL(page.url()).pathname).toBe('/password');
    await changeOneTimePassword(page, ownerOnce, 'chu-xuong-dau-tien');
    await expect.poll(() => page.textContent('#who-role')).toBe('Chủ xưởng');
    await page.goto(`${base}/`);
    const card = `[data-kiln="${WS}/${KILN}"]`;
    await page.waitForFunction((sel) => document.querySelector(`${sel} dd.temp`)?.textContent === '842,5 °C', card, { timeout: 15_000 });
    expect(browser.csp).toEqual([]);
  });
});
