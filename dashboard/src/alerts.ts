// Active alerts (docs/alerts.md), one stream per page: GET /api/alerts first (404: this build has no
// alerts feature, stay quiet), then one EventSource on /api/alerts/stream: a `snapshot` of the
// active list (again after every reconnect: the service sends a fresh one, not a replay), then
// `raised`, `cleared` and `acked` events. The browser reconnects by itself after a dropped
// connection (the service's retry: 2000); when the stream is closed for good (an HTTP error),
// we open a new one with a growing delay. An optional short beep on a new raise (WebAudio, off
// by default, remembered in localStorage).
import { api, ApiError, enc, postJson } from './api.ts';
import { getLang, num, t } from './i18n.ts';
import type { Alert } from './types.ts';
import { kilnKey } from './live.ts';

export type AlertsStatus = 'loading' | 'ok' | 'lost' | 'absent';
type Listener = (changed: ReadonlySet<string>) => void;
interface AlertEventBody { readonly type: 'raised' | 'cleared' | 'acked'; readonly at_ms: number; readonly alert: Alert }

const SOUND_KEY = 'kiln.alertSound';

/** The page's copy of the active alerts, kept current by the stream. */
class ActiveAlerts {
  /** Active alerts (acknowledged ones included), newest first. */
  active: Alert[] = [];
  status: AlertsStatus = 'loading';
  private readonly listeners = new Set<Listener>();
  private es: EventSource | null = null;
  private started = false;
  private retry_ms = 2000;
  private audio: AudioContext | null = null;
  private readonly raisedListeners = new Set<(a: Alert) => void>();

  /** Called with each alert newly raised while the page runs (system notifications, notify.ts). */
  onRaised(f: (a: Alert) => void): void {
    this.raisedListeners.add(f);
  }

  /** The beep, for other news than an alert (a firing completed), when the sound is on. */
  chime(a: Alert | null): void {
    this.beep(a);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(changed: Iterable<string>): void {
    const set = new Set(changed);
    for (const l of this.listeners) l(set);
  }

  private async connect(): Promise<void> {
    try {
      const r = await api<{ active: Alert[] }>('/api/alerts');
      this.replace(r.active);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) { this.status = 'absent'; this.emit([]); return; } // no alerts feature: quietly
      this.status = 'lost';
      this.emit([]);
      this.later();
      return;
    }
    const es = new EventSource('/api/alerts/stream');
    this.es = es;
    es.addEventListener('snapshot', (e) => {
      this.retry_ms = 2000;
      this.replace((JSON.parse((e as MessageEvent<string>).data) as { active: Alert[] }).active);
    });
    for (const type of ['raised', 'cleared', 'acked'] as const) {
      es.addEventListener(type, (e) => this.onEvent(JSON.parse((e as MessageEvent<string>).data) as AlertEventBody));
    }
    es.onerror = () => {
      this.status = 'lost';
      this.emit([]);
      if (es.readyState === EventSource.CLOSED) { es.close(); this.es = null; this.later(); } // closed for good: our own retry
      // else the browser reconnects by itself and the service sends a fresh snapshot
    };
  }

  private later(): void {
    setTimeout(() => void this.connect(), this.retry_ms);
    this.retry_ms = Math.min(this.retry_ms * 2, 30_000);
  }

  private replace(list: readonly Alert[]): void {
    const changed = new Set([...this.active, ...list].map(kilnKey));
    this.active = [...list].sort((a, b) => b.raised_at_ms - a.raised_at_ms);
    this.status = 'ok';
    this.emit(changed);
  }

  private onEvent(e: AlertEventBody): void {
    if (e.type === 'cleared') this.active = this.active.filter((a) => a.alert_id !== e.alert.alert_id || kilnKey(a) !== kilnKey(e.alert));
    else {
      const isNew = this.upsert(e.alert, e.type === 'raised');
      if (e.type === 'raised' && isNew) {
        this.beep(e.alert);
        for (const f of this.raisedListeners) f(e.alert);
      }
    }
    this.status = 'ok';
    this.emit([kilnKey(e.alert)]);
  }

  /** Put an alert in the active list (a raise, an ack); true when it was not there. `add`: only an
   *  active alert may be added (an ack of a cleared alert from the history is not active). */
  private upsert(a: Alert, add: boolean): boolean {
    const i = this.active.findIndex((x) => x.alert_id === a.alert_id && kilnKey(x) === kilnKey(a));
    if (i >= 0) { this.active = this.active.map((x, j) => (j === i ? a : x)); return false; }
    if (!add && a.cleared_at_ms !== null) return false;
    this.active = [a, ...this.active].sort((x, y) => y.raised_at_ms - x.raised_at_ms);
    return true;
  }

  /** The service's answer to an acknowledgement, applied at once (the stream's `acked` follows). */
  applyAck(a: Alert): void {
    if (this.active.some((x) => x.alert_id === a.alert_id)) this.upsert(a, false);
    this.emit([kilnKey(a)]);
  }

  unacked(): Alert[] {
    return this.active.filter((a) => a.acked_by === null);
  }

  of(key: string): Alert[] {
    return this.active.filter((a) => kilnKey(a) === key);
  }

  get soundOn(): boolean {
    try { return localStorage.getItem(SOUND_KEY) === 'on'; } catch { return false; }
  }

  /** Turn the beep on or off (a click: the browser lets a page start audio only after a gesture). */
  setSound(on: boolean): void {
    try { localStorage.setItem(SOUND_KEY, on ? 'on' : 'off'); } catch { /* private mode: not remembered */ }
    if (on) { this.audio ??= new AudioContext(); void this.audio.resume(); this.beep(null); }
  }

  /** A short beep (two for a critical alert), only when the sound is on. */
  private beep(a: Alert | null): void {
    if (!this.soundOn) return;
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      const n = a?.severity === 'critical' ? 2 : 1;
      for (let i = 0; i < n; i++) {
        const o = ctx.createOscillator();
        const g = ctx.createGain();
        const at = ctx.currentTime + i * 0.3;
        o.frequency.value = a?.severity === 'info' ? 660 : 880;
        g.gain.setValueAtTime(0.0001, at);
        g.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
        o.connect(g).connect(ctx.destination);
        o.start(at);
        o.stop(at + 0.22);
      }
    } catch { /* no audio: the banner is enough */ }
  }
}

export const alerts = new ActiveAlerts();

/** POST .../alerts/:alert_id/ack; the service records the logged-in user as who acknowledged it. */
export async function ackAlert(a: Alert, note?: string): Promise<Alert> {
  const r = await postJson<{ alert: Alert }>(`/api/workshops/${enc(a.workshop)}/kilns/${enc(a.kiln)}/alerts/${enc(a.alert_id)}/ack`, note ? { note } : {});
  alerts.applyAck(r.alert);
  return r.alert;
}

/** The alert's message in the current language. */
export const alertMessage = (a: Alert): string => (getLang() === 'vi' ? a.message_vi : a.message_en);

/** "200 °C (giới hạn 100 °C)": the value against the threshold, with the unit. */
export function alertFigures(a: Alert): string {
  const d = a.unit === '%' || a.unit.startsWith('kg') ? 1 : 0;
  const u = a.unit ? ` ${a.unit}` : '';
  return t('alert_value_limit', { value: `${num(a.value, d)}${u}`, limit: `${num(a.threshold, d)}${u}` });
}
