// The intake of every device message: decode (pure), spool what is good, count what is not.
// Synchronous by design: when handle() returns, the message's readings are safe on disk and
// the adapter may acknowledge the QoS 1 publish. It throws only when the disk itself fails,
// and then the adapter must NOT acknowledge, so that the broker or device sends it again.
import { decodeMessage, type DecodeLimits } from '../domain/decode.ts';
import type { DeviceStatus } from '../wire/events.ts';
import type { Clock, Logger } from '../ports.ts';
import type { Point } from '../domain/point.ts';
import { SpoolFullError, type Spool } from './spool.ts';
import type { IngestStats } from './stats.ts';
import type { Drainer } from './drainer.ts';

const FILL_WARNINGS = [0.5, 0.8, 0.95];
// Above this backlog the adapters let the event loop turn between messages, so the drainer's
// InfluxDB writes are not starved by a broker that always has more to send (measured: without
// it, writes stalled for seconds under a full-pace burst and the backlog grew ~9 MB/s).
const YIELD_BACKLOG_BYTES = 2 * 1024 * 1024;

export interface KilnStatus extends DeviceStatus {
  readonly workshop: string;
  readonly kiln: string;
  readonly received_at_ms: number;
}

/** A live telemetry message's newest device timestamp and when it arrived (service clock). */
export type ClockListener = (key: { workshop: string; kiln: string }, device_ts_ms: number, received_ms: number) => void;

export class IngestPipeline {
  readonly kilnStatus = new Map<string, KilnStatus>();
  private warnedFill = 0;
  private readonly listeners: ((points: readonly Point[]) => void)[] = [];
  private readonly clockListeners: ClockListener[] = [];
  /** Errors thrown by listeners, swallowed so that they never reach the ingest path. */
  listener_errors = 0;

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

  /** Returns true while InfluxDB is behind: the adapter should acknowledge on the next event-loop turn. */
  handle(topic: string, payload: Buffer): boolean {
    const now_ms = this.clock.now_ms();
    this.stats.messages_received++;
    // An oversized payload is not even turned into text: the decoder refuses it by its size.
    const text = payload.length > this.limits.max_payload_bytes ? '' : payload.toString('utf8');
    const decoded = decodeMessage(topic, text, payload.length, now_ms, this.limits);
    if (decoded.rejects.length) this.stats.recordRejects(topic, text || `<${payload.length} bytes>`, decoded.rejects, now_ms);
    if (decoded.status && decoded.topic) {
      const { workshop, kiln } = decoded.topic;
      this.kilnStatus.set(`${workshop}/${kiln}`, { ...decoded.status, workshop, kiln, received_at_ms: now_ms });
    }
    // Before the points: a device whose clock is far ahead has all its readings refused, and
    // that is exactly what the clock check must see.
    if (decoded.clock?.live && decoded.topic) this.tellClock(decoded.topic, decoded.clock.device_ts_ms, now_ms);
    if (decoded.points.length === 0) return false;
    try {
      this.spool.append(decoded.points.map(this.encode));
    } catch (err) {
      if (!(err instanceof SpoolFullError)) throw err;
      this.stats.recordRejects(topic, text, [{ reason: 'spool_full', detail: err.message, readings: decoded.points.length }], now_ms);
      return true;
    }
    this.stats.readings_accepted += decoded.points.length;
    const pending_bytes = this.spool.pendingBytes(); // once per message: the hot path
    this.warnIfFilling(pending_bytes);
    this.drainer.notify();
    for (const fn of this.listeners) {
      try {
        fn(decoded.points);
      } catch (err) {
        if (this.listener_errors++ === 0) this.log.warn(`a points listener failed (${(err as Error).message}); further failures are only counted`);
      }
    }
    return pending_bytes > YIELD_BACKLOG_BYTES;
  }

  /** Hand each message's points, once spooled, to fn (the live state): fn must be cheap and synchronous. */
  onPoints(fn: (points: readonly Point[]) => void): void {
    this.listeners.push(fn);
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

  private warnIfFilling(pending_bytes: number): void {
    const fill = pending_bytes / this.spool_max_bytes;
    const level = FILL_WARNINGS.filter((w) => fill >= w).length;
    if (level > this.warnedFill) {
      this.log.warn(`spool ${Math.round(fill * 100)} % full (${pending_bytes} of ${this.spool_max_bytes} bytes): InfluxDB is not keeping up or is down`);
    }
    this.warnedFill = level;
  }
}
