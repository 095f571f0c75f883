// What "the other language" looks like, for the string checks of the dashboard (the unit test of
// the dictionaries and the browser pass over every page).

/** English words a Vietnamese string must not hold (whole words, any case). Units (h, s, kg, MJ),
 *  names (MQTT, LPG, Orton, IPMVP, ISO, CSV, API, NTP) are not here on purpose, nor words that
 *  Vietnamese writes too ("in": print, "to": big, "no": full, "mean"…). */
export const ENGLISH_WORDS = ['the', 'and', 'of', 'from', 'for', 'with', 'not', 'is', 'are', 'by', 'at', 'on', 'per', 'ago', 'min', 'hours', 'days',
  'top', 'bottom', 'middle', 'below', 'above', 'cone', 'offline', 'online', 'first', 'second', 'reject', 'kiln', 'kilns', 'gas', 'coal', 'firing', 'firings',
  'flow', 'totalizer', 'scale', 'meter', 'pieces', 'baseline', 'source', 'confidence', 'save', 'cancel', 'error', 'loading', 'stage', 'heating', 'cooling',
  'soak', 'peak', 'energy', 'cost', 'yield', 'good', 'ware', 'gap', 'gaps', 'estimate', 'counted', 'assumed', 'mass', 'readings', 'reading', 'planned',
  'workshop', 'village', 'month', 'savings', 'avoided', 'show', 'hide', 'alerts', 'alert', 'warning', 'critical', 'settings', 'password', 'users'];
const word = (w: string) => `(?<![\\p{L}\\d_-])(?:${w})(?![\\p{L}\\d_-])`;
export const ENGLISH_RE = new RegExp(word(ENGLISH_WORDS.join('|')), 'iu');

/** Letters only Vietnamese writes (with their tone marks), none of which English uses. */
export const VIETNAMESE_RE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/iu;

/** Names written the same in both languages. */
export const NAMES = ['Hà Nội', 'Bát Tràng', 'Tiếng Việt'];

/** A whole-word, any-case match of a term (Vietnamese letters count as letters). */
export const wholeWord = (term: string) => new RegExp(word(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'iu');
