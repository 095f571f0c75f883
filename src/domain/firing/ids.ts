// Detected firings are named after their kiln and start minute (UTC), so two instances folding the
// same readings agree. Every id in the API is at most 40 characters ([A-Za-z0-9_-], wire/topics.ts);
// "-YYYYMMDDTHHMMZ" takes 15, so a kiln id over 25 characters is shortened to its first 18 and a
// 6-character hash of the whole id: still readable, and distinct for kilns sharing the prefix.

const ID_MAX = 40;
const SUFFIX_LEN = '-20250110T0203Z'.length;
const PREFIX_LEN = ID_MAX - SUFFIX_LEN - 7; // '_' + 6 hash characters
const HASH_SPACE = 36 ** 6;

/** FNV-1a over the id's characters, as 6 base-36 characters. */
export function shortHash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return (h % HASH_SPACE).toString(36).padStart(6, '0');
}

/** The kiln's part of a detected id: the kiln id itself when the whole id fits in 40 characters. */
export function kilnPart(kiln: string): string {
  return kiln.length + SUFFIX_LEN <= ID_MAX ? kiln : `${kiln.slice(0, PREFIX_LEN)}_${shortHash(kiln)}`;
}

const minuteOf = (start_ms: number) => new Date(start_ms).toISOString().slice(0, 16).replace(/[-:]/g, '');

/** Deterministic id of a detected firing: kiln part + start minute (UTC), at most 40 characters. */
export function firingId(kiln: string | null, start_ms: number): string {
  return `${kilnPart(kiln ?? 'kiln')}-${minuteOf(start_ms)}Z`;
}

/** The id the tracker gave before ids were capped (the whole kiln id): ids already stored or
 *  bookmarked in that shape are still found. Same as firingId for kiln ids up to 25 characters. */
export function legacyFiringId(kiln: string, start_ms: number): string {
  return `${kiln}-${minuteOf(start_ms)}Z`;
}

const DETECTED_SUFFIX = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/;

/** The start minute a detected id names, in either shape, or null if it is not this kiln's. */
export function detectedStartMs(kiln: string, firing_id: string): number | null {
  const m = DETECTED_SUFFIX.exec(firing_id);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`);
  if (!Number.isFinite(ms)) return null;
  return firingId(kiln, ms) === firing_id || legacyFiringId(kiln, ms) === firing_id ? ms : null;
}
