// Passwords, API tokens and device secrets (docs/access.md). Passwords are chosen by people, so
// they are stretched with scrypt (node:crypto; cost 2^15, ~100 ms on a 2-core box, off the event loop) to make a stolen access
// file slow to guess from. Tokens and device secrets are 32 random bytes made here: nobody can
// guess them, so a SHA-256 of them is enough and lets 1,000 devices reconnect without 1,000 scrypts.
import { createHash, pbkdf2Sync, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash of a password nobody has: checked when the username is unknown, so both take as long. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = (stored ?? DUMMY_HASH).split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = await scryptAsync(password, Buffer.from(salt, 'base64'), want.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return stored !== null && timingSafeEqual(got, want);
}

/** A new random secret, URL-safe, with a prefix saying what it is (`kt_` API token, `kd_` device). */
export function newSecret(prefix: 'kt_' | 'kd_'): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSha256(secret: string, stored_hex: string): boolean {
  const got = createHash('sha256').update(secret).digest();
  const want = Buffer.from(stored_hex, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A one-time password people can type: 4 groups of 4 letters and digits without look-alikes. */
export function newOneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** A Mosquitto 2.x password-file hash ($7$: PBKDF2-SHA512, 101 rounds, 12-byte salt, as
 *  mosquitto_passwd writes it), so the shipped password file needs no mosquitto_passwd run. */
export function mosquittoHash(secret: string): string {
  const iterations = 101;
  const salt = randomBytes(12);
  const key = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`;
}
