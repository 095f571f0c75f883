// The dashboard's entry: layout, language switch, path routing (history API; the service
// answers index.html for any non-/api path), the banner (live status and active alerts) and the
// login: GET /api/auth/me first; without a session the login page (and back after it); with a
// one-time password the password change page and nothing else. Live streams start only then.
import { api, setAuthHandler } from './api.ts';
import { h, labelAdded, markScrollable } from './dom.ts';
import { getLang, setLang, t, type Key } from './i18n.ts';
import { live } from './live.ts';
import { alerts } from './alerts.ts';
import { startNotify } from './notify.ts';
import { alertBanner, renderAlerts } from './views/alerts.ts';
import { renderOverview } from './views/overview.ts';
import { renderKiln } from './views/kiln.ts';
import { renderFirings } from './views/firings.ts';
import { renderReport } from './views/report.ts';
import { renderAdviser } from './views/adviser.ts';
import { renderPrintFiring } from './views/print-firing.ts';
import { renderPrintPeriod } from './views/print-period.ts';
import { renderSetup } from './views/setup.ts';
import { renderLogin } from './views/login.ts';
import { renderPassword } from './views/password.ts';
import { renderUsers, roleName } from './views/users.ts';
import { renderTokens } from './views/tokens.ts';
import { benchChart } from './bench.ts';
import { overviewFrames } from './bench-overview.ts';
import { Chart } from './charts.ts';
import { can, currentUser, loadMe, loginPath } from './session.ts';
import type { Permission } from '../../src/domain/access/roles.ts';

export type Cleanup = () => void;
type View = (root: HTMLElement, params: string[], query: URLSearchParams) => Cleanup | void;

const ROUTES: [RegExp, View, Key][] = [
  [/^\/$/, renderOverview, 'nav_overview'],
  [/^\/kiln\/([^/]+)\/([^/]+)$/, renderKiln, 'nav_overview'],
  [/^\/firings$/, renderFirings, 'nav_firings'],
  [/^\/firings\/([^/]+)\/([^/]+)\/([^/]+)$/, renderReport, 'nav_firings'],
  [/^\/adviser$/, renderAdviser, 'nav_adviser'],
  [/^\/print\/firing\/([^/]+)\/([^/]+)\/([^/]+)$/, renderPrintFiring, 'nav_firings'],
  [/^\/print\/period$/, renderPrintPeriod, 'nav_adviser'],
  [/^\/alerts$/, renderAlerts, 'nav_alerts'],
  [/^\/setup$/, renderSetup, 'nav_setup'],
  [/^\/users$/, renderUsers, 'nav_users'],
  [/^\/tokens$/, renderTokens, 'nav_tokens'],
  [/^\/password$/, renderPassword, 'nav_password'],
  [/^\/login$/, renderLogin, 'nav_login'],
];
/** Navigation entries and what a role needs to see each (null: everyone logged in). */
const NAV: [string, Key, Permission[] | null][] = [
  ['/', 'nav_overview', null], ['/firings', 'nav_firings', null], ['/adviser', 'nav_adviser', ['read_rollup']], ['/alerts', 'nav_alerts', null],
  ['/setup', 'nav_setup', ['edit_alert_settings', 'edit_baselines', 'edit_prices', 'manage_devices']], ['/users', 'nav_users', ['manage_users']],
  ['/tokens', 'nav_tokens', null],
];

const app = document.getElementById('app')!;
// Tables become labelled cards on a phone: label every table the views add (dom.ts, labelTable).
new MutationObserver((records) => {
  const added = records.flatMap((r) => Array.from(r.addedNodes));
  labelAdded(added);
  if (added.some((n) => n instanceof Element && (n.matches('.table-wrap, table, tr') || n.querySelector('.table-wrap')))) markScrollable(app);
}).observe(app, { childList: true, subtree: true });
window.addEventListener('resize', () => markScrollable(app));
/** Set once the page is on its way to the login (or password) page: later 401s change nothing. */
let leaving = false;
let cleanup: Cleanup | void;

export function navigate(path: string): void {
  history.pushState(null, '', path);
  render();
}

/** The pages that open without a session, or with a one-time password still to change. */
const OPEN_PATHS = new Set(['/login']);
const FORCED_PATHS = new Set(['/login', '/password']);

function render(): void {
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const me = currentUser();
  if (!me && !OPEN_PATHS.has(path)) { location.replace(loginPath(path + location.search)); return; }
  if (me?.must_change_password && me.via === 'session' && !FORCED_PATHS.has(path)) {
    history.replaceState(null, '', `/password?next=${encodeURIComponent(path + location.search)}`);
    render();
    return;
  }
  const match = ROUTES.map(([re, view, nav]) => ({ m: re.exec(path), view, nav })).find((r) => r.m);
  document.getElementById('brand-text')!.textContent = t('app_title');
  document.getElementById('lang')!.textContent = t('lang_switch');
  document.getElementById('lang')!.setAttribute('lang', getLang() === 'vi' ? 'en' : 'vi'); // the other language's name, in that language
  document.getElementById('skip')!.textContent = t('skip_to_content');
  const full = me !== null && !me.must_change_password; // the whole dashboard, not just login/password
  sound.hidden = !full;
  showSound();
  showWho();
  const nav = document.getElementById('nav')!;
  nav.hidden = !full;
  nav.setAttribute('aria-label', t('main_menu'));
  nav.replaceChildren(...(full ? NAV.filter(([, , need]) => need === null || need.some((p) => can(p))) : [])
    .map(([href, key]) => h('a', { href, 'data-link': true, class: match?.nav === key ? 'active' : '' }, t(key))));
  app.replaceChildren();
  if (!match) {
    app.append(h('p', { class: 'state error' }, `404: ${path}`));
    return;
  }
  document.title = `${t(match.nav)} · ${t('app_title')}`;
  cleanup = match.view(app, match.m!.slice(1).map(decodeURIComponent), new URLSearchParams(location.search));
  if (full) renderBanner(true);
  else banner.hidden = true;
}

const banner = document.getElementById('banner')!;
const liveBox = h('div', { id: 'banner-live' });
const alertBox = alertBanner();
banner.replaceChildren(liveBox, alertBox.el);
let bannerSig = '';
/** force: a new page or language; alertsToo: the alerts changed (live updates, many a second, leave them alone). */
function renderBanner(force = false, alertsToo = force): void {
  const sig = `${getLang()}|${live.status}`;
  if (sig !== bannerSig || force) { // called on every live update: only redraw on change
    bannerSig = sig;
    const msgs: HTMLElement[] = [];
    if (live.status === 'off') msgs.push(h('p', { class: 'warn' }, t('live_off')));
    if (live.status === 'lost') msgs.push(h('p', { class: 'warn' }, t('live_lost')));
    liveBox.replaceChildren(...msgs);
  }
  if (alertsToo) alertBox.render(force);
  banner.hidden = liveBox.childElementCount === 0 && alertBox.el.hidden;
}

/** Who is logged in, their role, and the logout button (a whole page load to the login after). */
const who = document.getElementById('who')!;
function showWho(): void {
  const me = currentUser();
  if (!me) { who.replaceChildren(); return; }
  who.replaceChildren(
    h('a', { href: '/password', 'data-link': true, id: 'who-name', title: t('nav_password') }, me.username),
    h('span', { id: 'who-role', class: 'role' }, roleName(me.role)),
    h('button', { type: 'button', id: 'logout', class: 'lang', onclick: () => void logout() }, t('logout')));
}
async function logout(): Promise<void> {
  leaving = true; // the streams' 401s after this are expected: no detour through ?next=
  try { await api('/api/auth/logout', { method: 'POST' }); } catch { /* the login page anyway */ }
  location.assign('/login');
}

const sound = document.getElementById('sound') as HTMLButtonElement;
function showSound(): void {
  const on = alerts.soundOn;
  sound.textContent = t(on ? 'sound_on' : 'sound_off'); // no emoji: workshop PCs often lack the font
  sound.setAttribute('aria-pressed', String(on));
  sound.title = t('sound_title');
}
sound.addEventListener('click', () => { alerts.setSound(!alerts.soundOn); showSound(); });

document.addEventListener('click', (e) => {
  const a = (e.target as Element).closest('a[data-link]');
  if (!a || e.defaultPrevented || (e as MouseEvent).ctrlKey || (e as MouseEvent).metaKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href')!);
});
window.addEventListener('popstate', render);
// The skip link moves the focus without a hash in the address (a hash change would redraw the page).
document.getElementById('skip')!.addEventListener('click', (e) => { e.preventDefault(); app.focus(); });
/** Set when boot has learnt who is logged in: a page drawn before that would be taken for logged out. */
let booted = false;
document.getElementById('lang')!.addEventListener('click', () => {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  // Clicked while the session is still being asked for (a slow link): boot draws the page in the
  // new language; drawing it now would send a logged-in user to the login page.
  if (booted) render();
  else document.getElementById('lang')!.textContent = t('lang_switch');
});

setLang(getLang());
// A 401 from any call: the session ended (expired, logged out elsewhere, password changed);
// the login page, then back here. A 403 password_change_required: the password page.
setAuthHandler((status) => {
  if (leaving || OPEN_PATHS.has(location.pathname)) return;
  leaving = true;
  const here = location.pathname + location.search;
  location.assign(status === 401 ? loginPath(here) : `/password?next=${encodeURIComponent(here)}`);
});

async function boot(): Promise<void> {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (!OPEN_PATHS.has(path)) {
    try {
      await loadMe();
    } catch {
      if (!leaving) location.replace(loginPath(location.pathname + location.search)); // 401 (or no service): log in
      return;
    }
  }
  const me = currentUser();
  if (me && !me.must_change_password) { // the streams need a session with its password changed
    live.subscribe(() => renderBanner());
    live.start();
    alerts.subscribe(() => renderBanner(false, true));
    alerts.start();
    startNotify();
  }
  booted = true;
  render();
}
void boot();
// For the browser tests' drawing benchmark (a 24 h firing at 1 Hz): see bench.ts; the overview's
// frame times while scrolling (the fleet test, npm run bench:overview): bench-overview.ts.
// And for the language test: the labels of a chart's y axis as drawn.
const chartTicks = (id: string): string[] => {
  const c = Chart.getChart(id);
  return (c?.scales.y?.ticks ?? []).map((x) => String(x.label));
};
(window as unknown as { kilnDash: unknown }).kilnDash = { benchChart, chartTicks, overviewFrames };
