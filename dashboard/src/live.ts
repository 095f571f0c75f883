// One live connection per page (docs/sources.md "Platform behaviour": one SSE stream carries every kiln, event
// ids let a reconnect resume): GET /api/live first (503: the live view is off), then
// /api/live/stream. Also polls /api/health (device online/offline). Views subscribe and get the
// changed kiln keys. Alerts have their own stream (alerts.ts).
import { api, ApiError } from './api.ts';
import type { HealthKiln, KilnLiveView, LiveSnapshot } from './types.ts';

export type LiveStatus = 'loading' | 'ok' | 'off' | 'lost' | 'error';
type Listener = (changed: ReadonlySet<string>) => void;

export const kilnKey = (k: { workshop: string; kiln: string }) => `${k.workshop}/${k.kiln}`;

class LiveStore {
  readonly kilns = new Map<string, KilnLiveView>();
  /** When the browser last got an update of each kiln (wall clock). */
  readonly receivedAt = new Map<string, number>();
  readonly deviceState = new Map<string, HealthKiln>();
  status: LiveStatus = 'loading';
  message = '';
  private readonly listeners = new Set<Listener>();
  private es: EventSource | null = null;
  private started = false;
  private loaded!: () => void;
  /** Settles once the first snapshot is in (or the live view answered off or failed once). */
  private readonly firstLoad = new Promise<void>((r) => { this.loaded = r; });

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
    void this.pollHealth();
  }

  /** The first snapshot, or after timeout_ms whatever is known: a page that lists kilns once (setup)
   *  must not race the snapshot (seen on a loaded machine: a kiln missing from the setup list). */
  ready(timeout_ms = 5000): Promise<void> {
    return Promise.race([this.firstLoad, new Promise<void>((r) => setTimeout(r, timeout_ms))]);
  }

  /** Settles when the first snapshot is in (or the live view answered off or failed once), however late. */
  loadedOnce(): Promise<void> {
    return this.firstLoad;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(changed: ReadonlySet<string>): void {
    for (const l of this.listeners) l(changed);
  }

  private put(v: KilnLiveView, changed: Set<string>): void {
    const k = kilnKey(v);
    this.kilns.set(k, v);
    this.receivedAt.set(k, Date.now());
    changed.add(k);
  }

  private async connect(): Promise<void> {
    let after: number;
    try {
      const snap = await api<LiveSnapshot>('/api/live');
      after = snap.last_event_id;
      const changed = new Set<string>();
      for (const v of snap.kilns) this.put(v, changed);
      this.status = 'ok';
      this.emit(changed);
      this.loaded();
    } catch (err) {
      this.loaded();
      if (err instanceof ApiError && err.status === 503) {
        this.status = 'off';
        this.message = err.message;
        this.emit(new Set());
        return; // the service must be restarted with LIVE_VIEW=true: nothing to retry
      }
      this.status = 'error';
      this.message = (err as Error).message;
      this.emit(new Set());
      setTimeout(() => void this.connect(), 3000);
      return;
    }
    // From the snapshot just read: the stream sends each kiln changed since, not every kiln again
    // (a fresh snapshot only if the service restarted in between).
    const es = new EventSource(`/api/live/stream?after=${after}`);
    this.es = es;
    es.addEventListener('snapshot', (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as LiveSnapshot;
      const changed = new Set<string>();
      for (const v of s.kilns) this.put(v, changed);
      this.status = 'ok';
      this.emit(changed);
    });
    es.addEventListener('kiln', (e) => {
      const changed = new Set<string>();
      this.put(JSON.parse((e as MessageEvent<string>).data) as KilnLiveView, changed);
      if (this.status !== 'ok') this.status = 'ok';
      this.emit(changed);
    });
    es.onerror = () => {
      // EventSource reconnects by itself with Last-Event-ID (the server's retry: 2000).
      this.status = 'lost';
      this.emit(new Set());
    };
    es.onopen = () => {
      if (this.status === 'lost') { this.status = 'ok'; this.emit(new Set()); }
    };
  }

  private async pollHealth(): Promise<void> {
    try {
      const h = await api<{ kilns: HealthKiln[] }>('/api/health');
      for (const k of h.kilns) this.deviceState.set(kilnKey(k), k);
    } catch { /* shown by the live status */ }
    setTimeout(() => void this.pollHealth(), 15_000);
  }

  /** Online from the live view (the service's verdict): `silent` means no message for LIVE_SILENT_S
   *  (default 120 s). A kiln heard since the service started is online unless its device's retained
   *  status says offline (its Last Will, sent when it dropped off); one not heard since (received_at_ms
   *  null: known from stored history only) is online only if its newest reading is under 2 min old.
   *  Without a live view, the device's retained status decides. */
  online(key: string): boolean {
    const d = this.deviceState.get(key);
    const v = this.kilns.get(key);
    if (!v) return d?.state === 'online';
    if (v.silent) return false;
    if (v.received_at_ms === null) return v.newest_reading_ms != null && Date.now() - v.newest_reading_ms < 120_000;
    return d?.state !== 'offline';
  }

  /** Milliseconds since the kiln's last message reached the service (else its newest reading), or null. */
  sinceLastMessageMs(key: string): number | null {
    const v = this.kilns.get(key);
    const at = v?.received_at_ms ?? v?.newest_reading_ms ?? null;
    return at === null ? null : Math.max(0, Date.now() - at);
  }

  close(): void {
    this.es?.close();
  }
}

export const live = new LiveStore();
