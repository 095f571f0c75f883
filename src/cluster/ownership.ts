// Several service instances on one broker (docs/scaling.md): who is there, and which kilns this
// instance owns. Every instance sees every device message (the cluster link) and keeps the same
// live view and alert state; a kiln's side effects (alert webhooks, history and retained topic, its
// firing index) are the owner's only, chosen by rendezvous hashing over the live instances.
import { connectClusterLink, type ClusterLink } from '../adapters/mqtt/cluster-link.ts';
import type { BrokerLogin } from '../adapters/mqtt/connect.ts';
import { EMPTY_MEMBERSHIP, expire, heard, left, memberIds, ownershipChanges, type Membership } from '../domain/cluster/membership.ts';
import { ownerOf } from '../domain/cluster/rendezvous.ts';
import { CHANGES_TOPIC, INDEX_NOTES_TOPIC, changeSchema, indexNoteSchema, type ClusterChange, instanceOfTopic, instanceTopic, presenceSchema } from '../wire/cluster.ts';
import type { Logger } from '../ports.ts';
import type { Noted } from '../firings/indexer.ts';

/** Presence is republished this often; a member not heard for TTL is taken for gone (its Will
 *  normally says so at once: this only catches a presence left behind while the broker was down). */
export const HEARTBEAT_MS = 5000;
export const TTL_MS = 4 * HEARTBEAT_MS;

export interface ClusterDeps {
  /** A copy of a device message (the live view, alerts, kiln status): pipeline.observe. */
  observe(topic: string, payload: Buffer): void;
  /** Every kiln this instance knows of (workshop/kiln). */
  knownKilns(): Iterable<string>;
  /** This instance now owns these kilns (another left, or this one joined). */
  gained(keys: readonly string[]): void;
  /** Readings of a kiln this instance owns were stored (by any instance). */
  stored(n: Noted): void;
  /** A user's change made on another instance (alert settings saved, an alert acknowledged). */
  changed(c: ClusterChange): void;
}

export interface ClusterOptions extends BrokerLogin {
  readonly self: string;
}

export class Cluster {
  private membership: Membership = EMPTY_MEMBERSHIP;
  private ids: string[] = [];
  private up = false;
  private link: ClusterLink | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly started_ms = Date.now();
  /** Counters for /api/health. */
  readonly stats = { joins: 0, leaves: 0, expired: 0, notes_forwarded: 0, notes_taken: 0, kilns_gained: 0 };

  constructor(private readonly o: ClusterOptions, private readonly deps: ClusterDeps, private readonly log: Logger) {}

  /** Whether this instance sends kiln key's alerts and keeps its firing index. */
  owns(key: string): boolean {
    return this.up && this.membership.has(this.o.self) && ownerOf(key, this.ids) === this.o.self;
  }

  members(): readonly string[] {
    return this.ids;
  }

  async start(): Promise<void> {
    this.link = await connectClusterLink({ ...this.o, instance_id: this.o.self }, {
      device: (topic, payload) => this.deps.observe(topic, payload),
      presence: (topic, payload) => this.onPresence(topic, payload),
      indexNote: (payload) => this.onIndexNote(payload),
      change: (payload) => {
        const c = changeSchema.safeParse(safeJson(payload));
        if (c.success && c.data.from !== this.o.self) this.deps.changed(c.data);
      },
      link: (up) => this.onLink(up),
    }, this.log);
    this.timer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Hand readings this instance stored to the kiln's owner. */
  forward(n: Noted): void {
    this.stats.notes_forwarded++;
    this.link?.publish(INDEX_NOTES_TOPIC, JSON.stringify({ v: 1, ...n }), false).catch(() => undefined);
  }

  /** Tell the other instances of a user's change made here. */
  tell(c: Omit<ClusterChange, 'v' | 'from'>): void {
    this.link?.publish(CHANGES_TOPIC, JSON.stringify({ v: 1, from: this.o.self, ...c }), false).catch(() => undefined);
  }

  /** Leave at once (a clean disconnect sends no Will), so the others take the kilns over now. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const link = this.link;
    this.link = null;
    this.up = false;
    if (!link) return;
    await Promise.race([link.publish(instanceTopic(this.o.self), '', true), new Promise((r) => setTimeout(r, 2000))]).catch(() => undefined);
    await link.close();
  }

  /** Messages the gap guard kept (src/adapters/mqtt/gap-guard.ts), for /api/health. */
  guardKept: () => number = () => 0;

  health(): Record<string, unknown> {
    return { self: this.o.self, connected: this.up, members: this.ids, ...this.stats, guard_kept: this.guardKept() };
  }

  private onLink(up: boolean): void {
    this.up = up;
    if (up) { this.announce(); return; }
    // Cut off from the broker: the others take this instance's kilns when its Will is sent.
    this.change(EMPTY_MEMBERSHIP);
  }

  private announce(): void {
    const p = JSON.stringify({ v: 1, id: this.o.self, started_ms: this.started_ms });
    this.link?.publish(instanceTopic(this.o.self), p, true).catch((err: unknown) => this.log.warn(`cluster: could not announce this instance (${(err as Error).message})`));
  }

  private heartbeat(): void {
    if (!this.up) return;
    this.announce();
    const { membership, expired } = expire(this.membership, Date.now(), TTL_MS);
    for (const id of expired) {
      this.stats.expired++;
      this.log.warn(`cluster: instance ${id} not heard for ${TTL_MS / 1000} s: taking it for gone`);
      // Its presence was left retained (it died while the broker was down): clear it for everyone.
      if (id !== this.o.self) this.link?.publish(instanceTopic(id), '', true).catch(() => undefined);
    }
    if (expired.length) this.change(membership);
  }

  private onPresence(topic: string, payload: Buffer): void {
    const id = instanceOfTopic(topic);
    if (!id) return;
    if (payload.length === 0) {
      if (this.membership.has(id)) { this.stats.leaves++; this.log.info(`cluster: instance ${id} left`); }
      this.change(left(this.membership, id));
      return;
    }
    const p = presenceSchema.safeParse(safeJson(payload));
    if (!p.success || p.data.id !== id) return;
    if (!this.membership.has(id)) { this.stats.joins++; this.log.info(`cluster: instance ${id} is here`); }
    this.change(heard(this.membership, id, Date.now()));
  }

  private onIndexNote(payload: Buffer): void {
    const n = indexNoteSchema.safeParse(safeJson(payload));
    if (!n.success || !this.owns(`${n.data.workshop}/${n.data.kiln}`)) return;
    this.stats.notes_taken++;
    this.deps.stored({ workshop: n.data.workshop, kiln: n.data.kiln, min_ms: n.data.min_ms, max_ms: n.data.max_ms });
  }

  private change(next: Membership): void {
    const before = this.membership.has(this.o.self) ? this.ids : [];
    this.membership = next;
    const after = memberIds(next);
    this.ids = after;
    if (!next.has(this.o.self) || before.join() === after.join()) return;
    const { gained } = ownershipChanges(this.deps.knownKilns(), before, after, this.o.self);
    if (gained.length === 0) return;
    this.stats.kilns_gained += gained.length;
    this.log.info(`cluster: members ${after.join(', ')}; this instance takes over ${gained.length} kiln(s)`);
    this.deps.gained(gained);
  }
}

function safeJson(b: Buffer): unknown {
  try { return JSON.parse(b.toString('utf8')) as unknown; } catch { return null; }
}
