// System notifications while the dashboard runs (also in the background or installed): a critical
// alert raised, and a firing that completed. Browsers allow them, and the service worker that
// makes the dashboard installable, only in a secure context (HTTPS, or localhost/127.0.0.1): on
// plain http the page says so and keeps to its in-page beep (alerts.ts). Off until the user turns
// it on (a click: the browser asks for permission only after a gesture); remembered in localStorage.
import { alerts, alertMessage } from './alerts.ts';
import { live } from './live.ts';
import { t } from './i18n.ts';
import type { Alert, KilnLiveView } from './types.ts';

const STORE_KEY = 'kiln.notify';

export type NotifyState = 'insecure' | 'unsupported' | 'denied' | 'ask' | 'on' | 'off';

export function notifyState(): NotifyState {
  if (!window.isSecureContext) return 'insecure';
  if (!('Notification' in window)) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  if (Notification.permission !== 'granted') return 'ask';
  try { return localStorage.getItem(STORE_KEY) === 'off' ? 'off' : 'on'; } catch { return 'on'; }
}

/** Turn notifications on (asking the browser's permission) or off. */
export async function setNotify(on: boolean): Promise<NotifyState> {
  try { localStorage.setItem(STORE_KEY, on ? 'on' : 'off'); } catch { /* private mode: not remembered */ }
  if (on && notifyState() === 'ask') await Notification.requestPermission();
  return notifyState();
}

/** Through the service worker when there is one (Android shows only those), else the page's own. */
async function show(title: string, body: string, tag: string, path: string): Promise<void> {
  const opts: NotificationOptions = { body, tag, icon: '/icon-192.png', data: { path } };
  try {
    const reg = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
    if (reg) { await reg.showNotification(title, opts); return; }
  } catch { /* fall back to the page's own */ }
  new Notification(title, opts);
}

const kilnPath = (k: { workshop: string; kiln: string }) => `/kiln/${encodeURIComponent(k.workshop)}/${encodeURIComponent(k.kiln)}`;

function onRaised(a: Alert): void {
  if (a.severity !== 'critical' || notifyState() !== 'on') return;
  void show(t('notify_alert_title', { kiln: a.kiln, workshop: a.workshop }), alertMessage(a), `alert:${a.workshop}/${a.kiln}/${a.alert_id}`, kilnPath(a));
}

/** The firing each kiln was running, to see it end complete. */
const running = new Map<string, string>();
function onLive(changed: ReadonlySet<string>): void {
  for (const key of changed) {
    const v: KilnLiveView | undefined = live.kilns.get(key);
    if (!v) continue;
    const was = running.get(key);
    if (v.firing) running.set(key, v.firing.id);
    else running.delete(key);
    if (was === undefined || v.firing?.id === was || v.last_firing?.id !== was || v.last_firing.reason !== 'complete') continue;
    if (notifyState() === 'on') void show(t('notify_done_title', { kiln: v.kiln, workshop: v.workshop }), t('notify_done_body'), `done:${key}/${was}`, kilnPath(v));
    else alerts.chime(null); // the in-page beep, when it is on
  }
}

let started = false;
/** Register the service worker (secure context only) and start watching alerts and firings. */
export function startNotify(): void {
  if (started) return;
  started = true;
  if (window.isSecureContext && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined); // an old browser: the page works without it
  }
  for (const [k, v] of live.kilns) if (v.firing) running.set(k, v.firing.id);
  alerts.onRaised(onRaised);
  live.subscribe(onLive);
}

