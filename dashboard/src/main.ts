// The dashboard's entry: layout, language switch, path routing (history API; the service
// answers index.html for any non-/api path) and the banner: live status and active alerts.
import { h } from './dom.ts';
import { getLang, setLang, t, type Key } from './i18n.ts';
import { live } from './live.ts';
import { alerts } from './alerts.ts';
import { alertBanner, renderAlerts } from './views/alerts.ts';
import { renderOverview } from './views/overview.ts';
import { renderKiln } from './views/kiln.ts';
import { renderFirings } from './views/firings.ts';
import { renderReport } from './views/report.ts';
import { renderAdviser } from './views/adviser.ts';
import { renderSetup } from './views/setup.ts';
import { benchChart } from './bench.ts';

export type Cleanup = () => void;
type View = (root: HTMLElement, params: string[], query: URLSearchParams) => Cleanup | void;

const ROUTES: [RegExp, View, Key][] = [
  [/^\/$/, renderOverview, 'nav_overview'],
  [/^\/kiln\/([^/]+)\/([^/]+)$/, renderKiln, 'nav_overview'],
  [/^\/firings$/, renderFirings, 'nav_firings'],
  [/^\/firings\/([^/]+)\/([^/]+)\/([^/]+)$/, renderReport, 'nav_firings'],
  [/^\/adviser$/, renderAdviser, 'nav_adviser'],
  [/^\/alerts$/, renderAlerts, 'nav_alerts'],
  [/^\/setup$/, renderSetup, 'nav_setup'],
];
const NAV: [string, Key][] = [['/', 'nav_overview'], ['/firings', 'nav_firings'], ['/adviser', 'nav_adviser'], ['/alerts', 'nav_alerts'], ['/setup', 'nav_setup']];

const app = document.getElementById('app')!;
let cleanup: Cleanup | void;

export function navigate(path: string): void {
  history.pushState(null, '', path);
  render();
}

function render(): void {
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const match = ROUTES.map(([re, view, nav]) => ({ m: re.exec(path), view, nav })).find((r) => r.m);
  document.getElementById('brand-text')!.textContent = t('app_title');
  document.getElementById('lang')!.textContent = t('lang_switch');
  showSound();
  const nav = document.getElementById('nav')!;
  nav.replaceChildren(...NAV.map(([href, key]) => h('a', { href, 'data-link': true, class: match?.nav === key ? 'active' : '' }, t(key))));
  app.replaceChildren();
  if (!match) {
    app.append(h('p', { class: 'state error' }, `404: ${path}`));
    return;
  }
  document.title = `${t(match.nav)} · ${t('app_title')}`;
  cleanup = match.view(app, match.m!.slice(1).map(decodeURIComponent), new URLSearchParams(location.search));
  renderBanner(true);
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
document.getElementById('lang')!.addEventListener('click', () => {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  render();
});

setLang(getLang());
live.subscribe(() => renderBanner());
live.start();
alerts.subscribe(() => renderBanner(false, true));
alerts.start();
render();
// For the browser tests' drawing benchmark (a 24 h firing at 1 Hz): see bench.ts.
(window as unknown as { kilnDash: unknown }).kilnDash = { benchChart };
