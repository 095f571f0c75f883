// Messages the spool cannot take right now (it is full, or the disk is): held unacknowledged,
// in arrival order, and spooled — then acknowledged — once it can take them again. Holding the
// acknowledgement is what keeps a reading safe: the broker or the device keeps a QoS 1 message
// until it is acknowledged. Neither MQTT library reads more from a connection while its messages
// wait (MQTT.js handles one message at a time; aedes finishes one socket read's packets before
// the next read), so what is held here is bounded: one read's worth per connection, and TCP
// holds the rest.
import type { Delivery } from '../ports.ts';

/** Why intake is paused: the spool reached SPOOL_MAX_MB, the disk is full, or the disk failed. */
export type HoldReason = 'spool_full' | 'disk_full' | 'disk_error';
export const HOLD_REASONS: readonly HoldReason[] = ['spool_full', 'disk_full', 'disk_error'];
// A held message whose connection is gone (delivery.alive() false) is dropped, never
// acknowledged: the broker or the device sends it again on its next connection.

export interface Held<T> {
  readonly item: T;
  readonly delivery: Delivery;
}

export interface PauseState {
  readonly reason: HoldReason;
  readonly since_ms: number;
}

export class Holds<T> {
  private readonly queue: Held<T>[] = [];
  /** Null while intake flows. */
  paused: PauseState | null = null;
  /** Messages that had to wait, by the reason they first waited for. */
  readonly held_total = new Map<HoldReason, number>();
  /** Held messages whose connection went away before they could be spooled (sent again by the broker or device). */
  abandoned_total = 0;

  get size(): number {
    return this.queue.length;
  }

  hold(item: T, delivery: Delivery, reason: HoldReason, now_ms: number): void {
    this.queue.push({ item, delivery });
    this.held_total.set(reason, (this.held_total.get(reason) ?? 0) + 1);
    this.paused ??= { reason, since_ms: now_ms };
  }

  /** Try the held messages in order with `take` (true = spooled); stops at the first the spool
   *  still refuses. Returns how many were taken; resumes intake once none is left. */
  retry(take: (h: Held<T>) => boolean): number {
    let taken = 0;
    while (this.queue.length > 0) {
      const h = this.queue[0]!;
      if (!h.delivery.alive()) {
        this.queue.shift();
        this.abandoned_total++;
        continue;
      }
      if (!take(h)) return taken;
      this.queue.shift();
      taken++;
    }
    return taken;
  }

  /** Still paused, now for `reason`: true if the reason changed. */
  still(reason: HoldReason): boolean {
    if (!this.paused || this.paused.reason === reason) return false;
    this.paused = { ...this.paused, reason };
    return true;
  }

  /** Intake flows again: returns how long it was paused. */
  resume(now_ms: number): number {
    const since = this.paused?.since_ms ?? now_ms;
    this.paused = null;
    return now_ms - since;
  }
}
