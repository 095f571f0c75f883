// The alert shell: takes every message's points from the ingest pipeline (offer(): thinned to one
// instant per kiln per min_sample_s, then folded at once through the pure alert engine,
// src/domain/alerts), and delivers each transition:
// stored in InfluxDB (history), POSTed to webhooks, sent to SSE clients, and the kiln's active
// alerts published retained on kiln/v1/{workshop}/{kiln}/alert. A timer tells the engine how long
// each firing kiln has been silent (by the service clock: device time stops with the device), and
// judges each kiln's device clock against the service's (observeClock(): from the pipeline).
import {
  DEFAULT_ALERT_SETTINGS, EMPTY_CLOCK_WATCH, ackAlert, activeAlerts, alertSettings, flushAlerts, initialKilnAlerts, judgeClockNow, observeClock,
  restoreActive, restoreUsual, stepAlertsAll, followTracker, followFlush, adoptTracker, tickAlerts, type Alert, type ClockWatch, type AlertSettings, type AlertSettingsPatch,
  type AlertTransition, type KilnAlertState, type UsualFiring,
} from '../domain/alerts/index.ts';
import type { TrackerChange } from '../domain/firing/index.ts';
import type { Point } from '../domain/point.ts';
import type { Logger, MessageSource } from '../ports.ts';
import { topicFor } from '../wire/topics.ts';
import type { AlertStore, SavedSettings } from './store.ts';
import type { WebhookSender } from './webhooks.ts';

export interface AlertServiceOptions {
  /** A kiln's readings closer than this in device time are thinned out (events always pass). */
  /** 10 s: the common logger interval (and the simulator's); every rule's raise and clear times
   *  are a minute or more, so a 1 Hz kiln judged every 10 s raises within the same minute, and the
   *  engine (a few µs a point here: npm run bench:alerts) costs a tenth of what judging every second would. */
  readonly min_sample_s: number;
  readonly tick_ms: number;
  /** Active alerts raised this long ago or less are put back after a restart. */
  readonly restore_days: number;
}

const WRITE_BATCH = 5000;
const MAX_PENDING_WRITES = 50_000;

/** Kilns judged per turn of the event loop in a tick (~8 ms here). */
const TICK_SLICE = 1000;

export const DEFAULT_ALERT_SERVICE_OPTIONS: AlertServiceOptions = { min_sample_s: 10, tick_ms: 1000, restore_days: 30 };

interface KilnEntry {
  state: KilnAlertState;
  accepted_ms: number;
  last_wall_ms: number;
  /** Live messages' device time against the service clock (domain/alerts/clock.ts). */
  clock: ClockWatch;
  /** Raises and clears this instance judged but did not send (another instance owned the kiln),
   *  the last UNSENT_KEPT: a new owner sends those the history does not hold. */
  unsent: AlertTransition[];
}

const UNSENT_KEPT = 20;
/** A transition of the same kind the last owner stored within this of the one judged here is the
 *  same one: instances tick once a second on NTP clocks; the rules' raise and clear delays are
 *  longer (a minute or more by default). */
const TAKEOVER_MATCH_MS = 10_000;

export interface AlertEvent { readonly id: number; readonly type: AlertTransition['type'] | 'snapshot'; readonly data: unknown }
export type AlertListener = (e: AlertEvent) => void;

export class AlertService {
  private readonly kilns = new Map<string, KilnEntry>();
  private readonly settings = new Map<string, SavedSettings>();
  private readonly effective = new Map<string, AlertSettings>();
  private loaded: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<AlertListener>();
  private readonly o: AlertServiceOptions;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Transitions waiting to be stored: one writer drains them in batches, so an alert storm costs
   *  a few InfluxDB requests, not one each, and memory stays bounded (MAX_PENDING_WRITES). */
  private pendingWrites: AlertTransition[] = [];
  private writing: Promise<void> | null = null;
  store_dropped = 0;

  /** Whether this instance sends a kiln's alerts (webhooks, history, the retained topic). Always
   *  with one instance; with several, only the kiln's owner does, while every instance keeps the
   *  same state for its own dashboard (src/cluster/ownership.ts, docs/scaling.md). */
  owns: (key: string) => boolean = () => true;
  /** Told of each settings save and acknowledgement made here (several instances: the others follow). */
  onUserChange: ((c: { kind: 'settings'; workshop: string; kiln: string } | { kind: 'ack'; workshop: string; kiln: string; alert_id: string; by: string; note: string | null; at_ms: number }) => void) | null = null;
  /** Raised alerts a new owner found unsent by the last one, and sent (docs/scaling.md). */
  taken_over = 0;

  thinned_points = 0;
  store_failures = 0;
  publish_failures = 0;
  errors = 0;
  private ticking = false;

  constructor(
    private readonly store: AlertStore,
    private readonly source: () => MessageSource | null,
    private readonly webhooks: WebhookSender,
    /** When the kiln last said it is offline (its Last Will), service clock; null while it is online. */
    private readonly kilnOfflineSince: (key: string) => number | null,
    private readonly log: Logger,
    opts: Partial<AlertServiceOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.o = { ...DEFAULT_ALERT_SERVICE_OPTIONS, ...opts };
  }

  /** Start the silence timer; load saved settings and the alerts active before a restart in the
   *  background (InfluxDB may be down at start: then defaults, and nothing restored). */
  start(): Promise<void> {
    this.timer = setInterval(() => this.tick(), this.o.tick_ms);
    this.timer.unref();
    this.loaded = this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    try {
      for (const s of await this.store.allSettings()) if (!this.settings.has(`${s.workshop}/${s.kiln}`)) this.settings.set(`${s.workshop}/${s.kiln}`, s);
      this.effective.clear();
      const back = new Map<string, Alert[]>();
      for (const a of await this.store.activeSince(this.now() - this.o.restore_days * 86_400_000)) {
        const key = `${a.workshop}/${a.kiln}`;
        back.set(key, [...(back.get(key) ?? []), a]);
      }
      for (const [key, alerts] of back) {
        const k = this.entry(key);
        const fresh = alerts.filter((a) => !(`${a.kind}:${a.channel}` in k.state.keys));
        if (fresh.length) k.state = restoreActive(k.state, fresh);
      }
      this.publishAll();
    } catch (err) {
      if (this.closed) return; // the service stopped while starting: nothing to say
      this.log.warn(`alerts: could not read settings and active alerts from InfluxDB (${(err as Error).message}); starting with defaults`);
    }
  }

  /** Seed each kiln's usual firings (over_usual) from what the firing index kept: in the
   *  background, and a failure only costs the seed (the engine learns them again). */
  async seedUsual(read: () => Promise<Map<string, UsualFiring[]>>): Promise<void> {
    try {
      for (const [key, usual] of await read()) {
        if (this.closed) return;
        const k = this.entry(key);
        k.state = restoreUsual(k.state, usual);
      }
    } catch (err) {
      this.log.warn(`alerts: could not read the kilns' usual firings from the firing index (${(err as Error).message}); over_usual learns them again`);
    }
  }

  /** The kiln's usual firings as the engine holds them, oldest first (what over_usual compares with). */
  usual(workshop: string, kiln: string): readonly UsualFiring[] {
    return this.kilns.get(`${workshop}/${kiln}`)?.state.usual ?? [];
  }

  /** Resolves once start() has read what InfluxDB holds (or failed to). */
  ready(): Promise<void> {
    return this.loaded;
  }

  /** The pipeline's listener, never throws. Folded at once, not queued: points that wait for a
   *  later event-loop turn outlive the young generation and, in a burst, inflate the heap
   *  (measured: RSS +60 MB); readings closer than min_sample_s are thinned out first, so the
   *  engine sees at most one instant per kiln per min_sample_s of device time. */
  offer(points: readonly Point[]): void {
    const p = points[0];
    if (this.closed || !p) return;
    const key = `${p.tags.workshop}/${p.tags.kiln}`;
    this.fold(key, this.kilns.get(key) ?? this.entry(key), points);
  }

  /** The live view flushed a silent kiln's tracker, or rebuilt it from the stored readings: the
   *  engine follows, so the two keep holding one tracker state a kiln (src/live/live-state.ts). */
  followLive(workshop: string, kiln: string, change: TrackerChange): void {
    if (this.closed) return;
    const key = `${workshop}/${kiln}`;
    try {
      if (change.kind === 'flushed') {
        const k = this.kilns.get(key);
        if (k) k.state = followFlush(k.state, change.from, change.result, this.settingsOf(key)) ?? k.state;
      } else {
        const k = this.entry(key);
        k.state = adoptTracker(k.state, change.state);
      }
    } catch (err) {
      if (this.errors++ === 0) this.log.error(`alerts: could not follow the live view's tracker of kiln ${key} (${(err as Error).message}); further failures are only counted`);
    }
  }

  /** The pipeline's clock listener (live telemetry, kept or refused), never throws; judged by tick(). */
  observeClock(workshop: string, kiln: string, device_ts_ms: number, received_ms: number): void {
    if (this.closed) return;
    const key = `${workshop}/${kiln}`;
    const k = this.kilns.get(key) ?? this.entry(key);
    k.clock = observeClock(k.clock, received_ms, device_ts_ms, this.settingsOf(key));
  }

  private entry(key: string): KilnEntry {
    let k = this.kilns.get(key);
    if (k) return k;
    const [workshop = '', kiln = ''] = key.split('/');
    k = { state: initialKilnAlerts(workshop, kiln), accepted_ms: -Infinity, last_wall_ms: this.now(), clock: EMPTY_CLOCK_WATCH, unsent: [] };
    this.kilns.set(key, k);
    return k;
  }

  settingsFor(workshop: string, kiln: string): AlertSettings {
    return this.settingsOf(`${workshop}/${kiln}`);
  }

  /** settingsFor by the kiln's key, which the hot paths (every message, every kiln every second)
   *  already hold: no new string to build and hash each time (1.4 % of the service's busy time at
   *  10,000 kilns, profiled). */
  private settingsOf(key: string): AlertSettings {
    // Built once per kiln, again only when its settings are saved.
    let cfg = this.effective.get(key);
    if (cfg) return cfg;
    // A kiln with nothing saved shares the defaults (read-only): ~40 numbers a kiln otherwise.
    const saved = this.settings.get(key)?.settings;
    this.effective.set(key, (cfg = saved ? alertSettings(saved) : DEFAULT_ALERT_SETTINGS));
    return cfg;
  }

  savedSettings(workshop: string, kiln: string): SavedSettings | null {
    return this.settings.get(`${workshop}/${kiln}`) ?? null;
  }

  async saveSettings(workshop: string, kiln: string, by: string, patch: AlertSettingsPatch): Promise<SavedSettings> {
    const s = await this.store.saveSettings(workshop, kiln, by, patch, this.now());
    this.settings.set(`${workshop}/${kiln}`, s);
    this.effective.delete(`${workshop}/${kiln}`);
    this.onUserChange?.({ kind: 'settings', workshop, kiln });
    return s;
  }

  /** Another instance saved this kiln's settings: read them again. */
  async reloadSettings(workshop: string, kiln: string): Promise<void> {
    const [s] = await this.store.settingsHistory(workshop, kiln);
    if (!s) return;
    this.settings.set(`${workshop}/${kiln}`, s);
    this.effective.delete(`${workshop}/${kiln}`);
  }

  /** Another instance acknowledged an active alert (and stored and sent it): follow, for this
   *  instance's dashboards and for the day it owns the kiln. */
  followAck(workshop: string, kiln: string, alert_id: string, by: string, note: string | null, at_ms: number): void {
    const k = this.kilns.get(`${workshop}/${kiln}`);
    const r = k ? ackAlert(k.state, alert_id, by, note, at_ms) : null;
    if (!k || !r) return;
    k.state = r.state;
    for (const x of r.transitions) this.emit(x.type, { v: 1, type: x.type, at_ms: x.at_ms, at: new Date(x.at_ms).toISOString(), alert: x.alert });
  }

  /** Every saved version of a kiln's settings, newest first: who changed what, when. */
  settingsHistory(workshop: string, kiln: string): Promise<SavedSettings[]> {
    return this.store.settingsHistory(workshop, kiln);
  }

  private fold(key: string, k: KilnEntry, b: readonly Point[]): void {
    const min_ms = this.o.min_sample_s * 1000;
    const cfg = this.settingsOf(key);
    let out: readonly AlertTransition[] = [];
    try {
      if (b.some((p) => p.measurement !== 'event')) k.last_wall_ms = this.now();
      let kept: Point[] | null = null; // null while every point so far is kept (then b itself is folded)
      for (let i = 0; i < b.length; i++) {
        const p = b[i]!;
        // Thin out readings closer than min_sample_s (a burst or a 1 Hz logger); keep whole instants and all events.
        if (p.measurement !== 'event' && p.ts_ms > k.accepted_ms && p.ts_ms < k.accepted_ms + min_ms) {
          this.thinned_points++;
          kept ??= b.slice(0, i);
          continue;
        }
        if (p.measurement !== 'event' && p.ts_ms > k.accepted_ms) k.accepted_ms = p.ts_ms;
        kept?.push(p);
      }
      const points = kept ?? b;
      if (points.length === 0) {
        // Thinned out whole: the firing tracker still follows it if the live view just stepped it
        // from the same state (nothing to compute), so the two keep one state a kiln.
        k.state = followTracker(k.state, b, cfg) ?? k.state;
        return;
      }
      // The whole message at once: one copy of the kiln's state, not several per point.
      const r = stepAlertsAll(k.state, points, cfg);
      k.state = r.state;
      out = r.transitions;
    } catch (err) {
      if (this.errors++ === 0) this.log.error(`alerts: the engine failed on kiln ${key} (${(err as Error).message}); further failures are only counted`);
    }
    if (out.length) this.deliver(k, out);
  }

  /** Each kiln's clock and silence, judged once a tick by the service clock. At 10,000 kilns a
   *  whole tick took ~80 ms (profiled), once a second: the kilns are judged TICK_SLICE per turn of
   *  the event loop, all at the tick's time, so HTTP, the broker and the live stream run between. */
  private tick(): void {
    if (this.ticking) return; // the last tick's slices are still running (a very busy loop)
    const wall = this.now();
    const kilns = [...this.kilns];
    const slice = (from: number): void => {
      const to = Math.min(kilns.length, from + TICK_SLICE);
      for (let i = from; i < to; i++) {
        try {
          this.tickKiln(kilns[i]![0], kilns[i]![1], wall);
        } catch (err) {
          // One kiln's failure costs neither the others' judgement nor the next ticks.
          if (this.errors++ === 0) this.log.error(`alerts: the tick failed on kiln ${kilns[i]![0]} (${(err as Error).message}); further failures are only counted`);
        }
      }
      if (to < kilns.length && !this.closed) setImmediate(() => slice(to));
      else this.ticking = false;
    };
    this.ticking = true;
    slice(0);
  }

  private tickKiln(key: string, k: KilnEntry, wall: number): void {
    const cfg = this.settingsOf(key);
    const c = judgeClockNow(k.state, k.clock, wall, cfg);
    k.state = c.state;
    if (c.transitions.length) this.deliver(k, c.transitions);
    if (k.state.tracker.firing === null) return;
    const offline_ms = this.kilnOfflineSince(key);
    const r = tickAlerts(k.state, { quiet_s: (wall - k.last_wall_ms) / 1000, offline_s: offline_ms === null ? null : (wall - offline_ms) / 1000 }, cfg);
    k.state = r.state;
    if (r.transitions.length) this.deliver(k, r.transitions);
  }

  private deliver(k: KilnEntry, ts: readonly AlertTransition[]): void {
    // Every instance tells its own dashboards; only the kiln's owner tells the world.
    const owner = this.owns(`${k.state.workshop}/${k.state.kiln}`);
    if (owner) this.queueWrites(ts);
    else {
      k.unsent.push(...ts.filter((t) => t.type !== 'acked'));
      if (k.unsent.length > UNSENT_KEPT) k.unsent.splice(0, k.unsent.length - UNSENT_KEPT);
    }
    for (const t of ts) {
      const body = { v: 1, type: t.type, at_ms: t.at_ms, at: new Date(t.at_ms).toISOString(), alert: t.alert };
      if (owner) this.webhooks.send(body);
      this.emit(t.type, body);
    }
    if (owner) this.publish(k);
  }

  private queueWrites(ts: readonly AlertTransition[]): void {
    this.pendingWrites.push(...ts);
    if (this.pendingWrites.length > MAX_PENDING_WRITES) {
      this.store_dropped += this.pendingWrites.length - MAX_PENDING_WRITES;
      this.pendingWrites.splice(0, this.pendingWrites.length - MAX_PENDING_WRITES);
    }
    this.writing ??= this.writeAll().finally(() => { this.writing = null; });
  }

  /** This instance now owns these kilns (another instance left, or this one is back): publish
   *  their retained state, and send each raise and clear it judged while another instance owned
   *  the kiln that the history does not hold: that owner died (or was cut off) before sending it.
   *  One it sent but had not stored yet is sent twice: at least once, never lost. */
  async takeOver(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const k = this.kilns.get(key);
      if (!k || this.closed || !this.owns(key)) continue;
      this.publish(k);
      const unsent = k.unsent.splice(0);
      for (const t of unsent) {
        try {
          // Matched by kind and channel near its time, not by id: silence and clock alerts are
          // judged by each instance's own clock, so the last owner's id may differ by a second or two.
          const stored = await this.store.transitions(t.alert.workshop, t.at_ms - TAKEOVER_MATCH_MS, t.at_ms + TAKEOVER_MATCH_MS);
          const same = (x: { type: string; alert: { kiln: string; kind: string; channel: string } }) => x.type === t.type && x.alert.kiln === t.alert.kiln && x.alert.kind === t.alert.kind && x.alert.channel === t.alert.channel;
          if (stored.some(same) || !this.owns(key)) continue;
          this.taken_over++;
          this.log.info(`alerts: ${key} ${t.alert.alert_id} was ${t.type} but not sent by the instance that owned the kiln; sending it`);
          this.queueWrites([t]);
          this.webhooks.send({ v: 1, type: t.type, at_ms: t.at_ms, at: new Date(t.at_ms).toISOString(), alert: t.alert });
        } catch (err) {
          this.log.warn(`alerts: could not check ${key}'s alert history after taking the kiln over (${(err as Error).message})`);
        }
      }
    }
  }

  /** Every kiln the engine holds (workshop/kiln). */
  kilnKeys(): string[] {
    return [...this.kilns.keys()];
  }

  private async writeAll(): Promise<void> {
    while (this.pendingWrites.length > 0) {
      const batch = this.pendingWrites.splice(0, WRITE_BATCH);
      try {
        await this.store.write(batch);
      } catch (err) {
        if (this.store_failures++ === 0) this.log.warn(`alerts: could not store ${batch.length} alert transition(s) in InfluxDB (${(err as Error).message}); further failures are only counted`);
      }
    }
  }

  private publish(k: KilnEntry): void {
    const src = this.source();
    const { workshop, kiln } = k.state;
    if (!src || !this.owns(`${workshop}/${kiln}`)) return;
    const payload = JSON.stringify({ v: 1, workshop, kiln, ts_ms: this.now(), active: activeAlerts(k.state) });
    src.publish(topicFor(workshop, kiln, 'alert'), payload, { retain: true, qos: 1 }).catch((err: unknown) => {
      if (this.publish_failures++ === 0) this.log.warn(`alerts: could not publish on the alert topic (${(err as Error).message}); further failures are only counted`);
    });
  }

  /** Publish every known kiln's current state (after a start, so retained topics match restored alerts). */
  publishAll(): void {
    for (const k of this.kilns.values()) this.publish(k);
  }

  private emit(type: AlertEvent['type'], data: unknown): void {
    const e: AlertEvent = { id: ++this.seq, type, data };
    for (const l of this.listeners) {
      try { l(e); } catch { /* a client's problem is its own */ }
    }
  }

  subscribe(l: AlertListener): () => void {
    l({ id: this.seq, type: 'snapshot', data: { active: this.active() } });
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }

  clientCount(): number {
    return this.listeners.size;
  }

  active(workshop?: string): Alert[] {
    const out: Alert[] = [];
    for (const k of this.kilns.values()) if (workshop === undefined || k.state.workshop === workshop) out.push(...activeAlerts(k.state));
    return out.sort((a, b) => b.raised_at_ms - a.raised_at_ms);
  }

  /** Acknowledge an active alert, or one in the history. Null when no such alert exists. */
  async ack(workshop: string, kiln: string, alert_id: string, by: string, note: string | null): Promise<Alert | null> {
    const k = this.kilns.get(`${workshop}/${kiln}`);
    const at_ms = this.now();
    const r = k ? ackAlert(k.state, alert_id, by, note, at_ms) : null;
    if (k && r) {
      k.state = r.state;
      const t = r.transitions[0]!;
      await this.store.write([t]);
      this.onUserChange?.({ kind: 'ack', workshop, kiln, alert_id, by, note, at_ms });
      this.deliver(k, []);
      for (const x of r.transitions) {
        const body = { v: 1, type: x.type, at_ms: x.at_ms, at: new Date(x.at_ms).toISOString(), alert: x.alert };
        this.webhooks.send(body);
        this.emit(x.type, body);
      }
      return t.alert;
    }
    const past = (await this.store.transitions(workshop, 0, at_ms + 86_400_000, alert_id)).filter((t) => t.alert.kiln === kiln);
    const raised = past.find((t) => t.type === 'raised');
    if (!raised) return null;
    const cleared = past.find((t) => t.type === 'cleared');
    const alert: Alert = { ...(cleared?.alert ?? raised.alert), acked_by: by, acked_at_ms: at_ms, ack_note: note };
    const t: AlertTransition = { type: 'acked', at_ms, alert };
    await this.store.write([t]);
    const body = { v: 1, type: 'acked', at_ms, at: new Date(at_ms).toISOString(), alert };
    this.webhooks.send(body);
    this.emit('acked', body);
    return alert;
  }

  /** Alerts of a workshop raised from from_ms to to_ms, newest first, each with its clear and ack. */
  async history(workshop: string, from_ms: number, to_ms: number): Promise<Alert[]> {
    // Clears and acks may come after to_ms: read a little past it, keep the raises in range.
    const ts = await this.store.transitions(workshop, from_ms, to_ms + 30 * 86_400_000);
    const byId = new Map<string, Alert>();
    for (const t of ts) {
      const prev = byId.get(t.alert.alert_id);
      if (t.type === 'raised') { if (t.at_ms <= to_ms) byId.set(t.alert.alert_id, { ...t.alert, ...(prev ? { cleared_at_ms: prev.cleared_at_ms, clear_value: prev.clear_value, acked_by: prev.acked_by, acked_at_ms: prev.acked_at_ms, ack_note: prev.ack_note } : {}) }); continue; }
      if (!prev) continue;
      byId.set(t.alert.alert_id, t.type === 'cleared'
        ? { ...prev, cleared_at_ms: t.alert.cleared_at_ms, clear_value: t.alert.clear_value }
        : { ...prev, acked_by: t.alert.acked_by, acked_at_ms: t.alert.acked_at_ms, ack_note: t.alert.ack_note });
    }
    return [...byId.values()].sort((a, b) => b.raised_at_ms - a.raised_at_ms);
  }

  /** Judge what is still pending for every kiln (tests, shutdown). */
  flush(): void {
    for (const [key, k] of this.kilns) {
      const r = flushAlerts(k.state, this.settingsOf(key));
      k.state = r.state;
      if (r.transitions.length) this.deliver(k, r.transitions);
    }
  }

  health(): Record<string, unknown> {
    return {
      kilns: this.kilns.size, active: this.active().length, thinned_points: this.thinned_points,
      taken_over: this.taken_over, engine_errors: this.errors, store_failures: this.store_failures, store_dropped: this.store_dropped, publish_failures: this.publish_failures, webhooks: this.webhooks.stats(),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.webhooks.close();
    this.listeners.clear();
    await this.writing;
  }
}
