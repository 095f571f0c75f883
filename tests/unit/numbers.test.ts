// Numbers typed into the dashboard's forms, read in the format of the interface language
// (dashboard/src/numbers.ts): Vietnamese 1.200,5, English 1,200.5; what could mean two numbers
// is asked about, separators in the other language's roles are refused with the right spelling.
import { describe, expect, it } from 'vitest';
import { formatNumber, inputValue, parseNumber, type NumLang, type Parsed } from '../../dashboard/src/numbers.ts';

type Row = readonly [NumLang, string, Parsed];
const ok = (value: number): Parsed => ({ ok: true, value });
const ambiguous = (as_group: number, as_decimal: number): Parsed => ({ ok: false, why: 'ambiguous', as_group, as_decimal });
const misplaced = (hint: string | null): Parsed => ({ ok: false, why: 'misplaced', hint });
const notANumber: Parsed = { ok: false, why: 'not_a_number' };
const empty: Parsed = { ok: false, why: 'empty' };

const ROWS: Row[] = [
  // Vietnamese: dot between thousands, comma before decimals.
  ['vi', '1200', ok(1200)],
  ['vi', '1.200', ok(1200)], // the "1.200 kg than": one thousand two hundred, never 1.2
  ['vi', '3.500', ok(3500)],
  ['vi', '65,5', ok(65.5)],
  ['vi', '1.200,5', ok(1200.5)],
  ['vi', '1.234.567,25', ok(1234567.25)],
  ['vi', '2,6247', ok(2.6247)],
  ['vi', '0,200', ok(0.2)], // "0,200" is no thousand in English either
  ['vi', ',5', ok(0.5)],
  ['vi', '1234,567', ok(1234.567)], // four digits before the comma: not a thousands group
  ['vi', '1 200,5', ok(1200.5)],
  ['vi', '1\u00a0200', ok(1200)],
  ['vi', '-12,5', ok(-12.5)],
  ['vi', '−1.200', ok(-1200)],
  ['vi', '+7', ok(7)],
  ['vi', '  42  ', ok(42)],
  ['vi', '1,200', ambiguous(1200, 1.2)], // a thousand typed the English way, or 1.2 with three decimals?
  ['vi', '12,500', ambiguous(12500, 12.5)],
  ['vi', '-3,500', ambiguous(-3500, -3.5)],
  ['vi', '1,200.5', misplaced('1.200,5')], // English format in Vietnamese: refused, the Vietnamese spelling suggested
  ['vi', '1,200,500', misplaced('1.200.500')],
  ['vi', '26.7', misplaced('26,7')], // a decimal point: the dot groups thousands in Vietnamese
  ['vi', '1.20', misplaced('1,2')],
  ['vi', '1.2.3', misplaced(null)],
  ['vi', '12,', misplaced(null)],
  ['vi', '1 20', misplaced(null)],
  ['vi', '1.200,5,5', misplaced(null)],
  ['vi', '', empty],
  ['vi', '   ', empty],
  ['vi', 'mười', notANumber],
  ['vi', '1e3', notANumber],
  ['vi', '12 kg', notANumber],
  ['vi', '.', notANumber],
  // English: comma between thousands, point before decimals.
  ['en', '1,200', ok(1200)],
  ['en', '1,200.5', ok(1200.5)],
  ['en', '65.5', ok(65.5)],
  ['en', '1,234,567.25', ok(1234567.25)],
  ['en', '0.200', ok(0.2)],
  ['en', '1234.567', ok(1234.567)],
  ['en', '1 200.5', ok(1200.5)],
  ['en', '-1,200.5', ok(-1200.5)],
  ['en', '1.200', ambiguous(1200, 1.2)], // the misreading, the other way round
  ['en', '3.500', ambiguous(3500, 3.5)],
  ['en', '1.200,5', misplaced('1,200.5')],
  ['en', '65,5', misplaced('65.5')],
  ['en', '1.200.500', misplaced('1,200,500')],
  ['en', '1,20', misplaced('1.2')],
  ['en', 'twelve', notANumber],
];

describe('parseNumber: the interface language decides what the separators mean', () => {
  it.each(ROWS)('%s %j', (lang, text, want) => {
    expect(parseNumber(text, lang)).toEqual(want);
  });

  it('every refusal suggests a spelling that reads as the number meant', () => {
    for (const [lang, text, want] of ROWS) {
      if (want.ok || want.why !== 'misplaced' || want.hint === null) continue;
      const other: NumLang = lang === 'vi' ? 'en' : 'vi';
      expect(parseNumber(want.hint, lang), `${lang} ${text}`).toEqual(parseNumber(text, other));
    }
  });
});

describe('formatNumber / inputValue: what a form shows for a saved value reads back as that value', () => {
  const VALUES = [0, 1, 1.2, 26.7, 2.6247, 2.625, 12.5, 123.456, 999.999, 1200, 1200.5, 3500, 1234.567, 1234567.25, 0.001, 0.125, -1200.5, -2.625, 100_000];
  it.each(['vi', 'en'] as const)('%s: every value round-trips', (lang) => {
    for (const v of VALUES) expect(parseNumber(inputValue(v, lang), lang), `${v} → ${inputValue(v, lang)}`).toEqual(ok(v));
  });
  it('writes each language its way, with a trailing zero where three decimals would read as a thousand', () => {
    expect(formatNumber(1200.5, 'vi')).toBe('1.200,5');
    expect(formatNumber(1200.5, 'en')).toBe('1,200.5');
    expect(formatNumber(2.625, 'vi')).toBe('2,6250');
    expect(formatNumber(2.625, 'en')).toBe('2.6250');
    expect(formatNumber(1234.567, 'vi')).toBe('1.234,567');
    expect(formatNumber(3500, 'vi', { digits: 2 })).toBe('3.500,00');
    expect(inputValue(null, 'vi')).toBe('');
  });
});
