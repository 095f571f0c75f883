// Who a client of the embedded broker is, and what it may publish and subscribe to (docs/mqtt.md,
// "Device credentials"). A client logs in with a device credential's username and secret; with
// MQTT_ALLOW_ANONYMOUS a client without a username may still connect, with the rights every
// client had before credentials existed (publish-policy.ts) and no '#' or '$SYS' subscription.
import type { Client } from 'aedes';
import { mayPublish, maySubscribe, type AclDecision, type DeviceGrant } from '../../domain/access/devices.ts';

export interface BrokerAccess {
  readonly allow_anonymous: boolean;
  /** The device's grant if the secret is its own and it is not revoked. */
  checkDevice(username: string, secret: string): DeviceGrant | null;
  /** Still a live credential (not revoked since it connected). */
  isLive(username: string): boolean;
}

export type Identity =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'device'; readonly username: string; readonly grant: DeviceGrant; checked_ms: number };

/** A revoked credential's open connection loses its rights within this long. */
const RECHECK_MS = 1000;

/** MQTT 3.1.1 CONNACK return codes aedes passes on. */
export const BAD_USERNAME_OR_PASSWORD = 4;
export const NOT_AUTHORIZED = 5;

export class DeviceAuth {
  private readonly who = new WeakMap<Client, Identity>();

  constructor(private readonly access: BrokerAccess) {}

  /** null: connected as `identity`; else the CONNACK return code refusing it. */
  connect(client: Client, username: string | undefined, password: Buffer | undefined): number | null {
    if (username === undefined || username === '') {
      if (!this.access.allow_anonymous) return NOT_AUTHORIZED;
      this.who.set(client, { kind: 'anonymous' });
      return null;
    }
    const grant = this.access.checkDevice(username, password?.toString('utf8') ?? '');
    if (!grant) return BAD_USERNAME_OR_PASSWORD;
    this.who.set(client, { kind: 'device', username, grant: { workshop: grant.workshop, kiln: grant.kiln }, checked_ms: Date.now() });
    return null;
  }

  identity(client: Client | null): Identity | undefined {
    return client ? this.who.get(client) : undefined;
  }

  /** ok, or the reason a device's publish is refused. Anonymous clients are left to publishPolicy. */
  publish(client: Client | null, topic: string): AclDecision | { ok: false; reason: 'revoked' | 'unknown_client' } {
    const id = this.identity(client);
    if (!id) return { ok: false, reason: 'unknown_client' };
    if (id.kind === 'anonymous') return { ok: true };
    if (!this.stillLive(id)) return { ok: false, reason: 'revoked' };
    return mayPublish(id.grant, topic);
  }

  subscribe(client: Client | null, filter: string): AclDecision | { ok: false; reason: 'revoked' | 'unknown_client' } {
    const id = this.identity(client);
    if (!id) return { ok: false, reason: 'unknown_client' };
    if (id.kind === 'anonymous') return anonymousMaySubscribe(filter);
    if (!this.stillLive(id)) return { ok: false, reason: 'revoked' };
    return maySubscribe(id.grant, filter);
  }

  /** The username to name in a refusal. */
  describe(client: Client | null): string {
    const id = this.identity(client);
    return id?.kind === 'device' ? id.username : id?.kind === 'anonymous' ? `anonymous client ${client?.id ?? '?'}` : `client ${client?.id ?? '?'}`;
  }

  private stillLive(id: Identity & { kind: 'device' }): boolean {
    const now = Date.now();
    if (now - id.checked_ms < RECHECK_MS) return true;
    if (!this.access.isLive(id.username)) return false;
    id.checked_ms = now;
    return true;
  }
}

/** As before credentials (a display watching .../alert, a logger its control topic), but never
 *  '#', '+/…' (every topic of the broker) or '$SYS/#' (the broker's own figures). */
export function anonymousMaySubscribe(filter: string): AclDecision {
  if (filter.startsWith('$')) return { ok: false, reason: 'sys_topic' };
  const first = filter.split('/')[0];
  return first === '#' || first === '+' ? { ok: false, reason: 'wildcard' } : { ok: true };
}
