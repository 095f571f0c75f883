// Numbers as people type them, read in the format of the interface language: Vietnamese writes
// 1.200,5 (a dot between thousands, a comma before decimals), English 1,200.5. Pure: no DOM, no
// dictionary; forms.ts turns the outcome into a message in the page's language.
//
// The rules (docs/dashboard.md, "Numbers in forms"):
// - the language's own format is read as such: "1.200" in Vietnamese is one thousand two hundred;
// - groups of thousands hold exactly three digits (a space also separates them, in both languages);
// - one decimal mark followed by exactly three digits, after 1–3 digits not starting with 0
//   ("1,200" in Vietnamese, "1.200" in English), is what the other language writes for a thousand:
//   ambiguous, so the form asks instead of guessing;
// - separators in the other language's roles or places ("1,200.5" in Vietnamese, "26.7" in
//   Vietnamese, two decimal marks) are refused and the right spelling is suggested.

export type NumLang = 'vi' | 'en';

export interface Marks { readonly decimal: string; readonly group: string }
export const MARKS: Record<NumLang, Marks> = { vi: { decimal: ',', group: '.' }, en: { decimal: '.', group: ',' } };

export type Parsed =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly why: 'empty' }
  | { readonly ok: false; readonly why: 'not_a_number' }
  /** Two readings: `as_group` (the decimal mark read as a thousands separator) and `as_decimal`. */
  | { readonly ok: false; readonly why: 'ambiguous'; readonly as_group: number; readonly as_decimal: number }
  /** A separator in the wrong role or place; `hint` is the text written the language's way, when there is one. */
  | { readonly ok: false; readonly why: 'misplaced'; readonly hint: string | null };

const SPACE = /[\s\u00a0\u202f]/;
const MINUS = /^[-−–]/;

/** A plain decimal string ("-1200.5") as a number. */
const toNumber = (neg: boolean, int: string, frac: string): number => Number(`${neg ? '-' : ''}${int || '0'}${frac ? `.${frac}` : ''}`);

/** Thousands groups are valid: the first 1–3 digits, each next exactly 3. */
const grouped = (groups: readonly string[]): boolean =>
  groups.length > 0 && /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));

export function parseNumber(text: string, lang: NumLang): Parsed {
  const m = MARKS[lang];
  const other = MARKS[lang === 'vi' ? 'en' : 'vi'];
  let s = text.trim();
  if (s === '') return { ok: false, why: 'empty' };
  const neg = MINUS.test(s);
  if (neg || s.startsWith('+')) s = s.slice(1).trimStart();
  // Spaces separate thousands (Vietnamese sometimes writes 1 200): only between groups of three.
  if (SPACE.test(s)) {
    const [intPart = '', ...rest] = s.split(m.decimal);
    if (!/^[\d\s\u00a0\u202f.,]+$/.test(s)) return { ok: false, why: 'not_a_number' };
    if (!grouped(intPart.split(SPACE)) || rest.some((r) => SPACE.test(r))) return { ok: false, why: 'misplaced', hint: null };
    s = [intPart.split(SPACE).join(''), ...rest].join(m.decimal);
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return { ok: false, why: 'not_a_number' };
  const dec = s.split(m.decimal);
  if (dec.length > 2) return { ok: false, why: 'misplaced', hint: respell(s, neg, other, m) };
  const [intPart = '', frac = ''] = dec;
  if (frac.includes(m.group)) return { ok: false, why: 'misplaced', hint: respell(s, neg, other, m) }; // 1,200.5 in Vietnamese
  if (dec.length === 2 && frac === '') return { ok: false, why: 'misplaced', hint: null }; // "12," : a mark with nothing after it
  const groups = intPart.split(m.group);
  if (groups.length > 1 && !grouped(groups)) {
    // "26.7" in Vietnamese: the other language's decimal mark; said the language's way.
    return { ok: false, why: 'misplaced', hint: dec.length === 1 ? respell(s, neg, other, m) : null };
  }
  const int = groups.join('');
  if (int === '' && frac === '') return { ok: false, why: 'not_a_number' };
  const value = toNumber(neg, int, frac);
  // "1,200" in Vietnamese (or "1.200" in English): a decimal with three digits, or a thousand typed the other way.
  if (dec.length === 2 && groups.length === 1 && /^\d{3}$/.test(frac) && /^[1-9]\d{0,2}$/.test(int)) {
    return { ok: false, why: 'ambiguous', as_group: toNumber(neg, `${int}${frac}`, ''), as_decimal: value };
  }
  return { ok: true, value };
}

/** `s` read in the other language's format, written in this one's (null when that reading fails too). */
function respell(s: string, neg: boolean, other: Marks, m: Marks): string | null {
  const dec = s.split(other.decimal);
  if (dec.length > 2) return null;
  const groups = (dec[0] ?? '').split(other.group);
  if ((groups.length > 1 && !grouped(groups)) || (dec[1] ?? '').includes(other.group) || dec[1] === '') return null;
  const value = toNumber(neg, groups.join(''), dec[1] ?? '');
  return Number.isFinite(value) ? formatNumber(value, m === MARKS.vi ? 'vi' : 'en') : null;
}

/**
 * `v` written the language's way with every decimal it has (up to 10), thousands grouped:
 * what a form shows for a saved value, so that saving it again reads the same number. A value
 * that would read as ambiguous (3 decimals after 1–3 digits) gets a trailing zero: 2,6250.
 */
export function formatNumber(v: number, lang: NumLang, o: { digits?: number } = {}): string {
  const m = MARKS[lang];
  const fixed = o.digits === undefined ? v.toFixed(10).replace(/\.?0+$/, '') : v.toFixed(o.digits);
  const neg = fixed.startsWith('-');
  const [int = '0', frac = ''] = fixed.replace('-', '').split('.');
  const body = int.replace(/\B(?=(\d{3})+(?!\d))/g, m.group) + (frac ? m.decimal + frac : '');
  const pad = o.digits === undefined && frac.length === 3 && /^[1-9]\d{0,2}$/.test(int) ? '0' : '';
  return `${neg && Number(fixed) !== 0 ? '-' : ''}${body}${pad}`;
}

/** A number as a form field's value (empty for none), written so that parseNumber reads it back. */
export const inputValue = (v: number | null | undefined, lang: NumLang): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '' : formatNumber(v, lang);

/** How many decimals `text` (already parsed) carries, to show it back as typed: "1.200,50" → 2. */
export function decimalsOf(text: string, lang: NumLang): number {
  const i = text.lastIndexOf(MARKS[lang].decimal);
  return i < 0 ? 0 : text.trim().length - i - 1;
}
