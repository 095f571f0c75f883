// The intake of every device message: decode (pure), spool what is good, count what is not, and
// only then acknowledge it. A message whose readings the spool cannot take now (full, or the
// disk is) is held unacknowledged and spooled once it can (holds.ts): nothing acknowledged is
// ever dropped for lack of room, and the device or broker keeps what is not acknowledged.
import { decodeMessage, type DecodeLimits } from '../domain/decode.ts';
import type { DeviceStatus } from '../wire/events.ts';
import type { Clock, Delivery, Logger } from '../ports.ts';
import type { Point } from '../domain/point.ts';
import { SpoolFullError, SpoolWriteError, type Spool } from './spool.ts';
import { Holds, type HoldReason } from './holds.ts';
import type { IngestStats } from './stats.ts';
import type { Drainer } from './drainer.ts';
import { TurnBudget } from './turn-budget.ts';

const FILL_WARNINGS = [0.5, 0.8, 0.95];
// Above this backlog intake runs at most a few ms a turn (turn-budget.ts), so the drainer's
// InfluxDB writes are not starved by a broker that always has more to send (measured: without
// it, writes stalled for seconds under a full-pace burst and the backlog grew ~9 MB/s).
const YIELD_BACKLOG_BYTES = 2 * 1024 * 1024;
// While paused, held messages are tried this often (the drainer frees room batch by batch; a
// full disk gets room back when drained segments are deleted).
const RETRY_MS = 200;
// A spool that was full takes messages again once it is below this share of SPOOL_MAX_MB, so
// that intake does not flap between paused and flowing with every batch the drainer writes.
const RESUME_FILL = 0.9;

/** A decoded message's readings, ready for the spool. */
interface Spoolable {
  readonly lines: readonly string[];
  readonly points: readonly Point[];
}

export interface KilnStatus extends DeviceStatus {
  readonly workshop: string;
  readonly kiln: string;
  readonly received_at_ms: number;
}

/** What is kept of each kiln's last status (its listeners get the whole of it): four fields, not
 *  the message's eight-odd, its strings and boxed numbers (520 bytes a kiln in a heap snapshot at
 *  10,000 kilns, now 200: docs/benchmarks.md). */
export interface KilnStatusKept {
  readonly workshop: string;
  readonly kiln: string;
  readonly state: DeviceStatus['state'];
  readonly received_at_ms: number;
}

/** A live telemetry message's newest device timestamp and when it arrived (service clock). */
export type ClockListener = (key: { workshop: string; kiln: string }, device_ts_ms: number, received_ms: number) => void;

export class IngestPipeline {
  readonly kilnStatus = new Map<string, KilnStatusKept>();
  private warnedFill = 0;
  private readonly listeners: ((points: readonly Point[]) => void)[] = [];
  /** Acknowledgements waiting for the next event-loop turn (ackNextTurn). */
  private deferredAcks: Delivery[] = [];
  private readonly turn = new TurnBudget();
  private readonly spooledListeners: ((points: readonly Point[]) => void)[] = [];
  /** false when several instances share the broker (docs/scaling.md): the messages this instance
   *  stores are its share only, so the live view, alerts and kiln status come from observe(). */
  derivedFromIntake = true;
  private readonly clockListeners: ClockListener[] = [];
  private readonly statusListeners: ((s: KilnStatus) => void)[] = [];
  /** Errors thrown by listeners, swallowed so that they never reach the ingest path. */
  listener_errors = 0;
  /** Messages waiting, unacknowledged, for room in the spool; and whether intake is paused. */
  readonly holds = new Holds<Spoolable>();
  /** The spool's last write error (disk full, I/O), until a write succeeds again. */
  last_spool_error: string | undefined;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly spool: Spool,
    private readonly drainer: Drainer,
    readonly stats: IngestStats,
    private readonly limits: DecodeLimits,
    private readonly spool_max_bytes: number,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly encode: (p: Point) => string,
  ) {}

  /** Take one device message. `delivery.ack()` is called once its readings are spooled (or when
   *  it carries none to keep): at once, on the next event-loop turn while InfluxDB is behind and
   *  this turn's intake has run its budget, or,
   *  when the spool cannot take it now, later, once it can. */
  handle(topic: string, payload: Buffer, delivery: Delivery): void {
    const now_ms = this.clock.now_ms();
    this.stats.messages_received++;
    // An oversized payload is not even turned into text: the decoder refuses it by its size.
    const text = payload.length > this.limits.max_payload_bytes ? '' : payload.toString('utf8');
    const decoded = decodeMessage(topic, text, payload.length, now_ms, this.limits);
    if (decoded.rejects.length) this.stats.recordRejects(topic, text || `<${payload.length} bytes>`, decoded.rejects, now_ms);
    if (this.derivedFromIntake) this.derive(decoded, now_ms);
    if (decoded.points.length === 0) {
      delivery.ack();
      return;
    }
    const msg: Spoolable = { lines: decoded.points.map(this.encode), points: decoded.points };
    // While messages wait, a new one waits behind them: readings are spooled in arrival order.
    const refused = this.holds.paused ? this.holds.paused.reason : this.trySpool(msg);
    if (refused) this.hold(msg, delivery, refused, now_ms);
    else this.accepted(msg, delivery);
  }

  /** A copy of a device message another instance may be storing (several instances: docs/scaling.md):
   *  kiln status, device clock and points for the live view and alerts; nothing spooled, acknowledged or counted. */
  observe(topic: string, payload: Buffer): void {
    if (payload.length > this.limits.max_payload_bytes) return;
    const now_ms = this.clock.now_ms();
    const decoded = decodeMessage(topic, payload.toString('utf8'), payload.length, now_ms, this.limits);
    this.derive(decoded, now_ms);
    if (decoded.points.length) this.tell(this.listeners, decoded.points);
  }

  private derive(decoded: ReturnType<typeof decodeMessage>, now_ms: number): void {
    if (decoded.status && decoded.topic) {
      const { workshop, kiln } = decoded.topic;
      const key = `${workshop}/${kiln}`;
      const kept = this.kilnStatus.get(key);
      // An earlier status's strings are kept (a Map keeps the key it was first set with, too): not
      // a new copy of the names a status message.
      this.kilnStatus.set(key, { workshop: kept?.workshop ?? workshop, kiln: kept?.kiln ?? kiln, state: decoded.status.state, received_at_ms: now_ms });
      this.tellStatus({ ...decoded.status, workshop, kiln, received_at_ms: now_ms });
    }
    // Before the points: a device whose clock is far ahead has all its readings refused, and
    // that is exactly what the clock check must see.
    if (decoded.clock?.live && decoded.topic) this.tellClock(decoded.topic, decoded.clock.device_ts_ms, now_ms);
  }

  /** Stop retrying held messages (service stop): they stay unacknowledged, and are sent again. */
  close(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  private trySpool(msg: Spoolable): HoldReason | null {
    try {
      this.spool.append(msg.lines);
      this.last_spool_error = undefined;
      return null;
    } catch (err) {
      if (err instanceof SpoolFullError) return 'spool_full';
      if (!(err instanceof SpoolWriteError)) throw err;
      this.last_spool_error = err.message;
      return err.disk_full ? 'disk_full' : 'disk_error';
    }
  }

  private accepted(msg: Spoolable, delivery: Delivery): void {
    this.stats.readings_accepted += msg.points.length;
    const pending_bytes = this.spool.pendingBytes(); // once per message: the hot path
    this.warnIfFilling(pending_bytes);
    this.drainer.notify();
    if (this.derivedFromIntake) this.tell(this.listeners, msg.points);
    this.tell(this.spooledListeners, msg.points);
    // Spooled either way; while InfluxDB is behind, acknowledge on the next event-loop turn once
    // this turn's intake has run its budget (turn-budget.ts), so that the drainer's writes get
    // their share.
    if (pending_bytes > YIELD_BACKLOG_BYTES && this.turn.spent()) this.ackNextTurn(delivery);
    else delivery.ack();
  }

  /** Acknowledge on the next event-loop turn, together with every other message deferred in this
   *  one: MQTT.js and aedes write a PUBACK corked until the next tick, so acks sent in one go leave
   *  in one socket write, where a setImmediate each (the ticks run between them) was one socket
   *  write per message. */
  private ackNextTurn(delivery: Delivery): void {
    this.deferredAcks.push(delivery);
    if (this.deferredAcks.length > 1) return;
    setImmediate(() => {
      const due = this.deferredAcks;
      this.deferredAcks = [];
      for (const d of due) if (d.alive()) d.ack();
    });
  }

  private hold(msg: Spoolable, delivery: Delivery, reason: HoldReason, now_ms: number): void {
    const was = this.holds.paused?.reason;
    this.holds.hold(msg, delivery, reason, now_ms);
    if (was !== reason) this.log.warn(`intake paused: ${this.explain(reason)}; messages are not acknowledged until it can take them, so devices and the broker keep them`);
    this.retryTimer ??= setInterval(() => this.retryHeld(), RETRY_MS);
  }

  private retryHeld(): void {
    const paused = this.holds.paused;
    if (!paused) return;
    if (paused.reason === 'spool_full' && this.spool.pendingBytes() > RESUME_FILL * this.spool_max_bytes) return;
    if (paused.reason !== 'spool_full') {
      try {
        this.spool.reclaim();
      } catch { /* still no room: the append below says why */ }
    }
    let refused: HoldReason | null = null;
    this.holds.retry((h) => {
      refused = this.trySpool(h.item);
      if (!refused) this.accepted(h.item, h.delivery);
      return !refused;
    });
    if (refused) {
      if (this.holds.still(refused)) this.log.warn(`intake still paused: ${this.explain(refused)}`);
      return;
    }
    const paused_ms = this.holds.resume(this.clock.now_ms());
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    this.log.info(`intake resumed after ${(paused_ms / 1000).toFixed(1)} s paused (${paused.reason})`);
  }

  /** Hand each message's points, once spooled, to fn (the live state): fn must be cheap and synchronous. */
  onPoints(fn: (points: readonly Point[]) => void): void {
    this.listeners.push(fn);
  }

  /** Hand each status message to fn (the live view relays a test rig's fault acknowledgement). */
  onStatus(fn: (s: KilnStatus) => void): void {
    this.statusListeners.push(fn);
  }

  private tellStatus(s: KilnStatus): void {
    for (const fn of this.statusListeners) {
      try {
        fn(s);
      } catch (err) {
        if (this.listener_errors++ === 0) this.log.warn(`a status listener failed (${(err as Error).message}); further failures are only counted`);
      }
    }
  }

  /** Hand the points this instance spooled to fn (the firing indexer): cheap and synchronous. */
  onSpooled(fn: (points: readonly Point[]) => void): void {
    this.spooledListeners.push(fn);
  }

  private tell(fns: readonly ((points: readonly Point[]) => void)[], points: readonly Point[]): void {
    for (const fn of fns) {
      try {
        fn(points);
      } catch (err) {
        if (this.listener_errors++ === 0) this.log.warn(`a points listener failed (${(err as Error).message}); further failures are only counted`);
      }
    }
  }

  /** Hand each live telemetry message's device time to fn (the alerts' clock check): cheap and synchronous. */
  onClock(fn: ClockListener): void {
    this.clockListeners.push(fn);
  }

  private tellClock(key: { workshop: string; kiln: string }, device_ts_ms: number, now_ms: number): void {
    for (const fn of this.clockListeners) {
      try {
        fn(key, device_ts_ms, now_ms);
      } catch (err) {
        if (this.listener_errors++ === 0) this.log.warn(`a clock listener failed (${(err as Error).message}); further failures are only counted`);
      }
    }
  }

  private explain(reason: HoldReason): string {
    if (reason === 'spool_full') return `the spool is full (${this.spool.pendingBytes()} of ${this.spool_max_bytes} bytes waiting for InfluxDB; SPOOL_MAX_MB)`;
    if (reason === 'disk_full') return `the disk under DATA_DIR is full (${this.last_spool_error ?? 'no space left'})`;
    return `the spool cannot be written (${this.last_spool_error ?? 'disk error'})`;
  }

  private warnIfFilling(pending_bytes: number): void {
    const fill = pending_bytes / this.spool_max_bytes;
    const level = FILL_WARNINGS.filter((w) => fill >= w).length;
    if (level > this.warnedFill) {
      this.log.warn(`spool ${Math.round(fill * 100)} % full (${pending_bytes} of ${this.spool_max_bytes} bytes): InfluxDB is not keeping up or is down`);
    }
    this.warnedFill = level;
  }
}
