// Users, API tokens, the workshops registry and device credentials (docs/access.md), on the
// access file (store.ts). Used by the HTTP layer (logging in, every request's principal), the
// embedded broker (device connects) and `npm run users`. Secrets are returned once, when made.
import { randomUUID } from 'node:crypto';
import type { Principal, Role } from '../domain/access/roles.ts';
import { isValidId } from '../wire/topics.ts';
import { AccessStore, type AccessData, type DeviceRecord, type TokenRecord, type UserRecord, type WorkshopRecord } from './store.ts';
import { hashPassword, mosquittoHash, newOneTimePassword, newSecret, sameSha256, sha256, verifyPassword } from './secrets.ts';

/** A request the access rules refuse (a taken username, a missing user, a weak password): 400/404/409. */
export class AccessError extends Error {
  constructor(readonly code: 'bad_request' | 'not_found' | 'conflict', message: string) { super(message); }
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const MIN_PASSWORD_LENGTH = 10;

export interface NewUser {
  username: string;
  role: Role;
  workshops?: string[];
  villages?: string[];
  /** Without one, a one-time password is made and returned; it must be changed at first login. */
  password?: string;
}

export type PublicUser = Omit<UserRecord, 'password_hash'>;
export const publicUser = ({ password_hash: _h, ...u }: UserRecord): PublicUser => u;

export class AccessService {
  constructor(readonly store: AccessStore) {}

  static open(file: string): AccessService {
    return new AccessService(new AccessStore(file));
  }

  // --- people -------------------------------------------------------------------------------
  users(): UserRecord[] { return this.store.get().users; }
  user(id: string): UserRecord | undefined { return this.users().find((u) => u.id === id); }
  userByName(username: string): UserRecord | undefined { return this.fresh((d) => d.users.find((u) => u.username === username.toLowerCase())); }

  /** A lookup that, when it misses, looks again at a file at most 100 ms old: a user, token or
   *  device just made by another instance or by `npm run users` works at once, while lookups
   *  that keep missing (a wrong token) cost at most ten file checks a second. */
  private fresh<T>(find: (d: AccessData) => T | undefined): T | undefined {
    return find(this.store.get()) ?? find(this.store.get(100));
  }
  hasAdmin(): boolean { return this.users().some((u) => u.role === 'admin' && u.disabled_at_ms === null); }

  async createUser(n: NewUser): Promise<{ user: PublicUser; one_time_password: string | null }> {
    const username = n.username.toLowerCase();
    if (!USERNAME_PATTERN.test(username)) throw new AccessError('bad_request', 'username: 2 to 40 lower-case letters, digits, ".", "_" or "-"');
    if (n.password !== undefined) checkPassword(n.password);
    for (const w of n.workshops ?? []) if (!isValidId(w)) throw new AccessError('bad_request', `workshops: "${w}" is not a workshop id`);
    const one_time = n.password === undefined ? newOneTimePassword() : null;
    const password_hash = await hashPassword(n.password ?? one_time!);
    const now = Date.now();
    const user = this.store.update((d) => {
      if (d.users.some((u) => u.username === username)) throw new AccessError('conflict', `username "${username}" is taken`);
      const u: UserRecord = {
        id: `u-${randomUUID()}`, username, role: n.role, workshops: n.workshops ?? [], villages: n.villages ?? [], password_hash,
        must_change_password: one_time !== null, password_changed_at_ms: now, created_at_ms: now, disabled_at_ms: null,
      };
      d.users.push(u);
      return u;
    });
    return { user: publicUser(user), one_time_password: one_time };
  }

  updateUser(id: string, patch: { role?: Role; workshops?: string[]; villages?: string[]; disabled?: boolean }): PublicUser {
    return publicUser(this.store.update((d) => {
      const u = d.users.find((x) => x.id === id);
      if (!u) throw new AccessError('not_found', `no user ${id}`);
      if (patch.role) u.role = patch.role;
      if (patch.workshops) u.workshops = patch.workshops;
      if (patch.villages) u.villages = patch.villages;
      if (patch.disabled !== undefined) u.disabled_at_ms = patch.disabled ? (u.disabled_at_ms ?? Date.now()) : null;
      if (!d.users.some((x) => x.role === 'admin' && x.disabled_at_ms === null)) throw new AccessError('conflict', 'the last admin cannot be removed or disabled');
      return u;
    }));
  }

  /** A new password: by the user (must_change false) or reset by an admin (a one-time one, must change). */
  async setPassword(id: string, password: string | null): Promise<{ one_time_password: string | null }> {
    if (password !== null) checkPassword(password);
    const one_time = password === null ? newOneTimePassword() : null;
    const hash = await hashPassword(password ?? one_time!);
    this.store.update((d) => {
      const u = d.users.find((x) => x.id === id);
      if (!u) throw new AccessError('not_found', `no user ${id}`);
      u.password_hash = hash;
      u.must_change_password = one_time !== null;
      u.password_changed_at_ms = Date.now(); // sessions issued before this stop working
    });
    return { one_time_password: one_time };
  }

  /** The user, if the password is theirs and they are not disabled. Takes as long for an unknown name. */
  async checkLogin(username: string, password: string): Promise<UserRecord | null> {
    const u = this.userByName(username);
    const ok = await verifyPassword(password, u?.password_hash ?? null);
    return ok && u && u.disabled_at_ms === null ? u : null;
  }

  /** On a first start with no admin: an `admin` with a one-time password (printed once by the caller). */
  async ensureFirstAdmin(): Promise<{ username: string; one_time_password: string } | null> {
    if (this.users().some((u) => u.role === 'admin')) return null;
    const { user, one_time_password } = await this.createUser({ username: this.userByName('admin') ? `admin-${Date.now()}` : 'admin', role: 'admin' });
    return { username: user.username, one_time_password: one_time_password! };
  }

  principal(u: UserRecord, token_id?: string): Principal {
    return { user_id: u.id, username: u.username, role: u.role, workshops: u.workshops, villages: u.villages, ...(token_id ? { token_id } : {}) };
  }

  // --- API tokens -----------------------------------------------------------------------------
  createToken(user_id: string, name: string): { token: string; record: TokenRecord } {
    const token = newSecret('kt_');
    const record = this.store.update((d) => {
      if (!d.users.some((u) => u.id === user_id)) throw new AccessError('not_found', `no user ${user_id}`);
      const t: TokenRecord = { id: `t-${randomUUID()}`, user_id, name: name.slice(0, 80), sha256: sha256(token), created_at_ms: Date.now(), revoked_at_ms: null };
      d.tokens.push(t);
      return t;
    });
    return { token, record };
  }

  tokens(user_id?: string): TokenRecord[] { return this.store.get().tokens.filter((t) => user_id === undefined || t.user_id === user_id); }

  revokeToken(id: string): void {
    this.store.update((d) => {
      const t = d.tokens.find((x) => x.id === id);
      if (!t) throw new AccessError('not_found', `no token ${id}`);
      t.revoked_at_ms ??= Date.now();
    });
  }

  /** The token's user, if the token is live and the user is not disabled. */
  checkToken(token: string): { user: UserRecord; token: TokenRecord } | null {
    if (!token.startsWith('kt_')) return null;
    return this.fresh((d) => {
      const t = d.tokens.find((x) => x.revoked_at_ms === null && sameSha256(token, x.sha256));
      const u = t && d.users.find((x) => x.id === t.user_id && x.disabled_at_ms === null);
      return t && u ? { user: u, token: t } : undefined;
    }) ?? null;
  }

  sessionSecret(): string { return this.store.get().session_secret; }

  // --- workshops registry ---------------------------------------------------------------------
  workshops(): WorkshopRecord[] { return this.store.get().workshops; }

  putWorkshop(w: { id: string; name: string; village: string }): WorkshopRecord {
    if (!isValidId(w.id)) throw new AccessError('bad_request', 'id: letters, digits, "_" and "-", 1 to 40 characters');
    return this.store.update((d) => {
      const old = d.workshops.find((x) => x.id === w.id);
      const rec = { id: w.id, name: w.name.slice(0, 120), village: w.village.slice(0, 120), created_at_ms: old?.created_at_ms ?? Date.now() };
      d.workshops = [...d.workshops.filter((x) => x.id !== w.id), rec].sort((a, b) => a.id.localeCompare(b.id));
      return rec;
    });
  }

  deleteWorkshop(id: string): void {
    this.store.update((d) => {
      if (!d.workshops.some((x) => x.id === id)) throw new AccessError('not_found', `no workshop ${id}`);
      d.workshops = d.workshops.filter((x) => x.id !== id);
    });
  }

  // --- device credentials ---------------------------------------------------------------------
  devices(workshop?: string): DeviceRecord[] { return this.store.get().devices.filter((x) => workshop === undefined || x.workshop === workshop); }

  /** The credential exists and is not revoked. The embedded broker asks this once a second for each
   *  connected device, so it copies nothing (devices() did: a list of every credential each time). */
  deviceIsLive(username: string): boolean { return liveDevice(this.store.get(), username) !== undefined; }

  /** A kiln logger (kiln set) or a gateway for the workshop (kiln null). The secret is shown once. */
  createDevice(workshop: string, kiln: string | null): { device: DeviceRecord; secret: string } {
    if (!isValidId(workshop) || (kiln !== null && !isValidId(kiln))) throw new AccessError('bad_request', 'workshop and kiln ids: letters, digits, "_" and "-", 1 to 40 characters');
    const secret = newSecret('kd_');
    const device = this.store.update((d) => {
      const base = kiln === null ? `${workshop}.gateway` : `${workshop}.${kiln}`;
      let username = base;
      for (let i = 2; d.devices.some((x) => x.username === username); i++) username = `${base}.${i}`;
      const rec: DeviceRecord = { username, workshop, kiln, sha256: sha256(secret), mosquitto_hash: mosquittoHash(secret), created_at_ms: Date.now(), revoked_at_ms: null };
      d.devices.push(rec);
      return rec;
    });
    return { device, secret };
  }

  revokeDevice(username: string): void {
    this.store.update((d) => {
      const x = d.devices.find((r) => r.username === username);
      if (!x) throw new AccessError('not_found', `no device ${username}`);
      x.revoked_at_ms ??= Date.now();
    });
  }

  /** The device, if the secret is its own and it is not revoked (an MQTT CONNECT). */
  checkDevice(username: string, secret: string): DeviceRecord | null {
    const x = this.fresh((d) => liveDevice(d, username));
    return x && sameSha256(secret, x.sha256) ? x : null;
  }
}

/** A credential by its username, if it is not revoked. */
function liveDevice(d: AccessData, username: string): DeviceRecord | undefined {
  return d.devices.find((r) => r.username === username && r.revoked_at_ms === null);
}

function checkPassword(p: string): void {
  if (p.length < MIN_PASSWORD_LENGTH) throw new AccessError('bad_request', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (p.length > 200) throw new AccessError('bad_request', 'password: at most 200 characters');
}
