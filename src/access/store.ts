// The access file: users, API tokens, the workshops registry and device credentials, as one JSON
// document (ACCESS_FILE, default DATA_DIR/access.json). A file rather than InfluxDB because it
// must work before the first start (`npm run users`, provisioning scripts) and while InfluxDB is
// down (logging in to see why). Several instances on one box share it by pointing ACCESS_FILE at
// one path: every change is made under a lock file and written whole (temp file + rename), and
// readers reload it when its mtime changes, at most once a second, so a revoked token or a
// changed password takes effect everywhere within a second. Secrets are stored only as hashes.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from '../domain/access/roles.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

const user = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(ROLES),
  workshops: z.array(id),
  villages: z.array(z.string()),
  password_hash: z.string(),
  must_change_password: z.boolean(),
  password_changed_at_ms: z.number(),
  created_at_ms: z.number(),
  disabled_at_ms: z.number().nullable(),
});
const token = z.object({
  id: z.string(), user_id: z.string(), name: z.string(), sha256: z.string(), created_at_ms: z.number(), revoked_at_ms: z.number().nullable(),
});
const workshop = z.object({ id, name: z.string(), village: z.string(), created_at_ms: z.number() });
const device = z.object({
  username: z.string(),
  workshop: id,
  /** null: a gateway, which may publish for every kiln of its workshop. */
  kiln: id.nullable(),
  sha256: z.string(),
  /** The same secret as Mosquitto's password file wants it. */
  mosquitto_hash: z.string(),
  created_at_ms: z.number(),
  revoked_at_ms: z.number().nullable(),
});

export const accessDataSchema = z.object({
  version: z.literal(1),
  /** Signs session cookies; every instance sharing this file accepts the others' sessions. */
  session_secret: z.string(),
  users: z.array(user),
  tokens: z.array(token),
  workshops: z.array(workshop),
  devices: z.array(device),
});
export type AccessData = z.infer<typeof accessDataSchema>;
export type UserRecord = z.infer<typeof user>;
export type TokenRecord = z.infer<typeof token>;
export type WorkshopRecord = z.infer<typeof workshop>;
export type DeviceRecord = z.infer<typeof device>;

/** Where the access file is: ACCESS_FILE, else DATA_DIR/access.json. */
export const accessFile = (config: { ACCESS_FILE?: string | undefined; DATA_DIR: string }) => config.ACCESS_FILE ?? join(config.DATA_DIR, 'access.json');

const empty = (): AccessData => ({ version: 1, session_secret: randomBytes(32).toString('base64'), users: [], tokens: [], workshops: [], devices: [] });

export class AccessFileError extends Error {}

export class AccessStore {
  private data: AccessData | null = null;
  private mtime_ms = -1;
  private checked_ms = 0;

  constructor(readonly file: string, private readonly reload_ms = 1000) {}

  /** The current document (reloaded if another process changed it). Never throws for a missing file. */
  /** `max_age_ms`: how old the last look at the file may be (lookups that miss ask for a fresher one). */
  get(max_age_ms = this.reload_ms): AccessData {
    const now = Date.now();
    if (this.data && now - this.checked_ms < max_age_ms) return this.data;
    this.checked_ms = now;
    const mtime = existsSync(this.file) ? statSync(this.file).mtimeMs : -1;
    if (!this.data || mtime !== this.mtime_ms) {
      this.data = mtime < 0 ? empty() : this.read();
      this.mtime_ms = mtime;
    }
    return this.data;
  }

  /** Apply `change` to the newest document under the lock and write it whole. Returns what change returned. */
  update<T>(change: (d: AccessData) => T): T {
    mkdirSync(dirname(this.file), { recursive: true });
    const release = this.lock();
    try {
      const d = existsSync(this.file) ? this.read() : empty();
      const out = change(d);
      const tmp = `${this.file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try { writeSync(fd, JSON.stringify(d, null, 1)); fsyncSync(fd); } finally { closeSync(fd); }
      renameSync(tmp, this.file);
      this.data = d;
      this.mtime_ms = statSync(this.file).mtimeMs;
      this.checked_ms = Date.now();
      return out;
    } finally {
      release();
    }
  }

  private read(): AccessData {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      throw new AccessFileError(`cannot read the access file ${this.file}: ${(err as Error).message}`);
    }
    const parsed = accessDataSchema.safeParse(raw);
    if (!parsed.success) throw new AccessFileError(`the access file ${this.file} is not valid: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  /** An exclusive lock file; one left by a process that died is taken over after 10 s. */
  private lock(): () => void {
    const lockFile = `${this.file}.lock`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        closeSync(openSync(lockFile, 'wx'));
        return () => { try { unlinkSync(lockFile); } catch { /* already gone */ } };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        try { if (Date.now() - statSync(lockFile).mtimeMs > 10_000) unlinkSync(lockFile); } catch { /* raced: retry */ }
        if (Date.now() > deadline) throw new AccessFileError(`the access file ${this.file} stayed locked for 15 s`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // a short sync sleep: changes are rare and small
      }
    }
  }
}
