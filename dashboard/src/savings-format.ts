// How savings are shown: an amount with its range and unit ("33.890 MJ (25.100–42.700 MJ)"), a
// percentage of the baseline with its range ("72,5 % (65–79 %)"), months in words, and the
// baseline's inputs by name in the interface language. The ranges come from the service
// (src/domain/savings/ranges.ts); nothing is computed here.
import { getLang, num, t, type Key } from './i18n.ts';

export interface Ranged {
  readonly avoided: number; readonly avoided_low: number; readonly avoided_high: number;
  readonly avoided_pct: number | null; readonly avoided_pct_low: number | null; readonly avoided_pct_high: number | null;
}

/** Unit and decimals of each savings line. */
export const LINE_UNITS = { energy_mj: { unit: 'MJ', digits: 0 }, cost_vnd: { unit: '₫', digits: 0 }, co2_kg: { unit: 'kg CO₂', digits: 1 } } as const;
export type LineKey = keyof typeof LINE_UNITS;

/** "lo–hi unit", spaced when a bound is negative (so the dash is not read as a minus). */
const span = (lo: number, hi: number, digits: number, unit: string) => `${num(lo, digits)}${lo < 0 || hi < 0 ? ' – ' : '–'}${num(hi, digits)} ${unit}`;

/** "33.890 MJ (25.100–42.700 MJ)". */
export function fmtAvoided(s: Ranged, key: LineKey): string {
  const { unit, digits } = LINE_UNITS[key];
  return `${num(s.avoided, digits)} ${unit} (${span(s.avoided_low, s.avoided_high, digits, unit)})`;
}

/** "72,5 % (65–79 %)"; "—" without a baseline to divide by. */
export function fmtAvoidedPct(s: Ranged): string {
  if (s.avoided_pct === null || s.avoided_pct_low === null || s.avoided_pct_high === null) return '—';
  return `${num(s.avoided_pct, 1)} % (${span(s.avoided_pct_low, s.avoided_pct_high, 0, '%')})`;
}

/** 'YYYY-MM' → "tháng 11/2026" / "Nov 2026". */
export function fmtMonth(ym: string | null): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym ?? '');
  if (!m) return ym ?? '';
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const mon = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, 15));
  return getLang() === 'vi' ? t('month_label', { m: mo, y }) : t('month_label', { mon, y });
}

/** The service names a non-routine factor "non-routine: <description>" (src/domain/savings/baseline.ts). */
const NON_ROUTINE = 'non-routine: ';
export const isFactor = (name: string): boolean => name.startsWith(NON_ROUTINE);

const INPUT_KEYS: Record<string, Key> = {
  coal_kg_per_firing: 'in_coal_kg_per_firing', ware_kg_per_firing: 'in_ware_kg_per_firing', yield_pct: 'in_yield_pct', duration_h: 'in_duration_h',
  coal_ncv_mj_per_kg: 'in_coal_ncv_mj_per_kg', coal_price_vnd_per_kg: 'in_coal_price_vnd_per_kg', co2_kg_per_kg_coal: 'in_co2_kg_per_kg_coal',
};

/** A baseline input's name in the interface language ("nhiệt trị than"); the firing's own figures as "this firing (measured)". */
export function inputLabel(name: string): string {
  const k = INPUT_KEYS[name];
  if (k) return t(k);
  if (name.startsWith('firing ')) return t('in_firing');
  if (name.startsWith(NON_ROUTINE)) return `${t('adjustments')}: ${name.slice(NON_ROUTINE.length)}`;
  return name;
}


/** A local day, without the time: "3/9/2026" / "03/09/2026". */
export const fmtDay = (ms: number): string =>
  new Intl.DateTimeFormat(getLang() === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(ms);
