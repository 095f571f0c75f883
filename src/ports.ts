// The interfaces the shell needs from the outside world. Adapters implement them;
// nothing outside src/adapters/ sees an MQTT, InfluxDB or HTTP library type.
import type { Point } from './domain/point.ts';

/** A failed write that says whether trying again can help (after influxdb-client-js's canRetry()). */
export class WriteError extends Error {
  constructor(message: string, readonly can_retry: boolean, readonly dropped_readings?: number) {
    super(message);
  }
}

export interface PointWriter {
  /** One point as one line of the writer's format (no newline); this is what the spool keeps. */
  encode(point: Point): string;
  /** Store `lines` encoded points (newline-separated); resolves once the database has them. Rejects with WriteError. */
  write(body: Buffer, lines: number): Promise<void>;
}

/** Implemented by the service's pino logger (src/log.ts); a plain { info, warn, error } object is a Logger too (tests). */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Detail shown only with LOG_LEVEL=debug (or trace). */
  debug?(msg: string): void;
  /** A logger whose lines also carry these fields (e.g. { component: 'ingest' }). */
  child?(bindings: Record<string, string>): Logger;
}

export interface Clock {
  now_ms(): number;
}

export const systemClock: Clock = { now_ms: () => Date.now() };

/** How an adapter acknowledges a device message once the service has kept it (src/ingest/holds.ts). */
export interface Delivery {
  ack(): void;
  /** False once the connection that brought the message is gone. */
  alive(): boolean;
}

/** What an adapter hands each device message to: it calls delivery.ack() once the readings are
 *  spooled, which may be later, never if they cannot be kept. Throws only on a bug. */
export type OnMessage = (topic: string, payload: Buffer, delivery: Delivery) => void;

/** Where device messages come from: the embedded broker or a subscription to an external one. */
export interface MessageSource {
  readonly kind: 'embedded' | 'external';
  connected(): boolean;
  /** Publish from the service (alerts, later issues). */
  publish(topic: string, payload: string, opts: { retain: boolean; qos: 0 | 1 }): Promise<void>;
  close(): Promise<void>;
}
