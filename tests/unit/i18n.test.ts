// The dashboard's two dictionaries: the same keys and placeholders in both, nothing empty, no
// English word in a Vietnamese string and no Vietnamese letter in an English one, and the terms
// of docs/glossary.md used throughout (the alert messages of the service too).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vi } from '../../dashboard/i18n/vi.ts';
import { en } from '../../dashboard/i18n/en.ts';
import { ENGLISH_RE, NAMES, VIETNAMESE_RE, wholeWord } from '../support/language.ts';

const VI: Record<string, string> = vi;
const EN: Record<string, string> = en;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** A month: by number in Vietnamese ("tháng 3/2026"), by name in English ("Mar 2026"). */
const OWN_PLACEHOLDERS = new Set(['month_label']);
/** Strings that name the other language on purpose: the language button. */
const OTHER_LANGUAGE = new Set(['lang_switch']);
/** Commands, paths and environment settings quoted in a string: the same in both languages. */
const CODE = /`[^`]*`|\b[A-Z][A-Z0-9_]{2,}=\S*|docs\/\S+|\/api\/\S+|Authorization: Bearer …/g;

const root = new URL('../../', import.meta.url);
const glossary = readFileSync(new URL('docs/glossary.md', root), 'utf8');
/** The glossary's rows: the terms each language must not use. */
function avoided(): { vi: string[]; en: string[]; row: string }[] {
  return glossary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| English')).map((l) => {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    const list = (c = '') => c.split(',').map((x) => x.trim()).filter(Boolean);
    return { row: cells[0]!, vi: list(cells[2]), en: list(cells[3]) };
  });
}
const alertMessages = readFileSync(new URL('src/domain/alerts/messages.ts', root), 'utf8');
const viMessages = [...alertMessages.matchAll(/message_vi: [`'](.*)[`']/g)].map((m) => m[1]!);
const enMessages = [...alertMessages.matchAll(/message_en: [`'"](.*)[`'"]/g)].map((m) => m[1]!);

describe('dashboard dictionaries', () => {
  it('have the same keys, the same placeholders, and no empty string', () => {
    expect(Object.keys(EN).sort()).toEqual(Object.keys(VI).sort());
    for (const k of Object.keys(VI)) {
      expect(VI[k]!.trim(), k).not.toBe('');
      expect(EN[k]!.trim(), k).not.toBe('');
      if (!OWN_PLACEHOLDERS.has(k)) expect(placeholders(EN[k]!), k).toEqual(placeholders(VI[k]!));
    }
  });

  it('Vietnamese holds no English word; English no Vietnamese letter (units, names and quoted commands aside)', () => {
    const bad: string[] = [];
    for (const k of Object.keys(VI)) {
      if (OTHER_LANGUAGE.has(k)) continue;
      const v = VI[k]!.replace(CODE, '').replace(/\{\w+\}/g, '');
      const e = NAMES.reduce((s, n) => s.split(n).join(''), EN[k]!.replace(CODE, ''));
      const mv = ENGLISH_RE.exec(v);
      if (mv) bad.push(`vi.${k}: "${mv[0]}" in "${VI[k]}"`);
      const me = VIETNAMESE_RE.exec(e);
      if (me) bad.push(`en.${k}: "${me[0]}" in "${EN[k]}"`);
    }
    for (const m of viMessages) { const x = ENGLISH_RE.exec(m.replace(/\$\{[^}]*\}/g, '')); if (x) bad.push(`alert message_vi: "${x[0]}" in "${m}"`); }
    for (const m of enMessages) { const x = VIETNAMESE_RE.exec(m); if (x) bad.push(`alert message_en: "${x[0]}" in "${m}"`); }
    expect(bad).toEqual([]);
  });

  it('use the glossary\'s terms, not their drifting variants', () => {
    const rows = avoided();
    expect(rows.length).toBeGreaterThan(15);
    const bad: string[] = [];
    for (const r of rows) {
      for (const term of r.vi) for (const [k, v] of [...Object.entries(VI), ...viMessages.map((m, i) => [`message_vi[${i}]`, m] as const)]) if (wholeWord(term).test(v)) bad.push(`vi ${k}: "${term}" (glossary: ${r.row})`);
      for (const term of r.en) for (const [k, v] of [...Object.entries(EN), ...enMessages.map((m, i) => [`message_en[${i}]`, m] as const)]) if (wholeWord(term).test(v)) bad.push(`en ${k}: "${term}" (glossary: ${r.row})`);
    }
    expect(bad).toEqual([]);
  });

  it('place the tone mark of an open oa / oe / uy syllable on its second vowel, as the glossary says (Huỷ, Xoá)', () => {
    const newStyle = /(?<![\p{L}])\p{L}*(?:[òóỏõọ][ae]|[ùúủũụ]y)(?![\p{L}])/u;
    const bad = [...Object.entries(VI), ...viMessages.map((m) => ['message_vi', m] as const)].filter(([, v]) => newStyle.test(v)).map(([k, v]) => `${k}: ${newStyle.exec(v)![0]}`);
    expect(bad).toEqual([]);
  });

  it('the app names the gas kiln and the coal box kiln with the glossary\'s words', () => {
    const all = Object.values(VI).join('\n');
    expect(all).toMatch(/lò ga\b/);
    expect(all).toMatch(/lò hộp \(than\)/);
  });
});

describe('formats in the interface language (Vietnamese, the default)', () => {
  it('durations, ages, numbers, percent, zones, meters, cones and the service\'s sentences', async () => {
    const i18n = await import('../../dashboard/src/i18n.ts');
    const { serverText } = await import('../../dashboard/src/server-text.ts');
    const { chooseMeter } = await import('../../src/domain/report/fuel-choice.ts');
    expect(i18n.getLang()).toBe('vi');
    expect(i18n.fmtH(7 + 46 / 60)).toBe('7 giờ 46 phút');
    expect(i18n.fmtAgo(8 * 60_000)).toBe('8 phút');
    expect(i18n.t('last_message_ago', { ago: i18n.fmtAgo(8 * 60_000) })).toBe('Tin cuối: 8 phút trước');
    expect(i18n.fmtAgo(3 * 3600_000 + 5 * 60_000)).toBe('3 giờ 05 phút');
    expect(i18n.fmtPct(19.6)).toBe('19,6 %');
    expect(i18n.num(1200)).toBe('1.200');
    expect(i18n.chartLocale()).toBe('vi-VN');
    expect(i18n.fmtByName('hold_min', 30)).toBe('30 phút');
    expect([i18n.zoneName('top'), i18n.zoneName('bottom'), i18n.zoneName('z7')]).toEqual(['trên', 'dưới', 'z7']);
    expect([i18n.meterName('flow'), i18n.meterName('totalizer'), i18n.meterName('scale')]).toEqual(['đồng hồ lưu lượng', 'đồng hồ tổng', 'cân bình ga']);
    expect([i18n.coneLabel('cone 6'), i18n.coneLabel('below cone 04')]).toEqual(['côn 6', 'dưới côn 04']);
    expect(i18n.stageName('water_smoking')).toBe('Thoát hơi nước');
    // The meter choice's sentences, as the service builds them, each said again in Vietnamese.
    const meter = (kind: 'flow' | 'totalizer' | 'scale', coverage_pct: number) => ({ kind, channels: [kind], fuel_kg: 40, coverage_pct, gap_estimate_kg: 0, notes: [], gaps: [], resets: 0, gas_on_ms: null, gas_off_ms: null });
    const reasons = [chooseMeter([meter('flow', 100), meter('totalizer', 100)]), chooseMeter([meter('flow', 80.25), meter('scale', 50)]), chooseMeter([])].map((c) => c.reason);
    expect(reasons.map(serverText)).toEqual([
      'đồng hồ tổng: đồng hồ đầy đủ đầu tiên theo thứ tự đồng hồ tổng, đồng hồ lưu lượng, cân bình ga',
      'đồng hồ lưu lượng: không đồng hồ nào đầy đủ; đồng hồ này đo được nhiều nhất của mẻ (80,3 %)',
      'mẻ này không có số đo ga nào',
    ]);
    expect(serverText('a sentence it does not know')).toBe('a sentence it does not know');
  });
});
