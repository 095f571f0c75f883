// Language (Vietnamese by default, English at a switch remembered in localStorage) and the
// number/date formats of each (Intl, vi-VN / en-GB; money in ₫ with no decimals).
import { vi } from '../i18n/vi.ts';
import { en } from '../i18n/en.ts';

export type Lang = 'vi' | 'en';
export type Key = keyof typeof vi;
const DICTS: Record<Lang, Record<Key, string>> = { vi, en };
const STORE_KEY = 'kiln.lang';


function initial(): Lang {
  try {
    return localStorage.getItem(STORE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

let lang: Lang = initial();
export const getLang = (): Lang => lang;
export function setLang(l: Lang): void {
  lang = l;
  try { localStorage.setItem(STORE_KEY, l); } catch { /* private mode: not remembered */ }
  document.documentElement.lang = l;
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

export const stageName = (s: string): string => (`stage_${s}` in DICTS[lang] ? t(`stage_${s}` as Key) : s);

/** A firing's status from the API: firing (burners on), cooling (after gas-off: fuel final), ended (can be unloaded). */
export const firingStatusName = (s: 'firing' | 'cooling' | 'ended'): string => t(s === 'firing' ? 'fs_firing' : s === 'cooling' ? 'fs_cooling' : 'fs_ended');

/** The API labels cones in English ("cone 6", "below cone 022"); potters here write "côn 6". */
export function coneLabel(label: string | null | undefined): string {
  const m = /^(below )?cone (\S+)$/.exec(label ?? '');
  if (!m) return label ?? '—';
  return t(m[1] ? 'cone_below' : 'cone_n', { n: m[2]! });
}
const locale = () => (lang === 'vi' ? 'vi-VN' : 'en-GB');
const nfCache = new Map<string, Intl.NumberFormat>();
export function num(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return t('unknown');
  const k = `${lang}:${digits}`;
  let f = nfCache.get(k);
  if (!f) nfCache.set(k, (f = new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(v);
}
const unit = (v: number | null | undefined, digits: number, u: string) => (v === null || v === undefined || !Number.isFinite(v) ? t('unknown') : `${num(v, digits)} ${u}`);
export const fmtC = (v: number | null | undefined) => unit(v, 1, '°C');
export const fmtRate = (v: number | null | undefined) => unit(v, 0, '°C/h');
export const fmtKg = (v: number | null | undefined, d = 1) => unit(v, d, 'kg');
export const fmtKgH = (v: number | null | undefined) => unit(v, 2, 'kg/h');
export const fmtMj = (v: number | null | undefined) => unit(v, 0, 'MJ');
export const fmtCo2 = (v: number | null | undefined) => unit(v, 1, 'kg CO₂');
export const fmtPct = (v: number | null | undefined) => unit(v, 1, '%');
export const fmtVnd = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? t('unknown') : `${num(Math.round(v), 0)} ₫`);
/** Hours as "7 giờ 46 phút" / "7 h 46 min" (the units from the interface language). */
export function fmtH(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return t('unknown');
  return hoursMinutes(Math.round(v * 60));
}
const hoursMinutes = (m: number) => t('dur_h_min', { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') });
export function fmtDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return t('unknown');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(ms);
}
/** A duration in the past, coarse: "< 1 min", "N min", "N h M min", "N days" (in the interface language). */
export function fmtAgo(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return t('ago_under_min');
  if (min < 60) return t('dur_min', { n: min });
  if (min < 48 * 60) return hoursMinutes(min);
  return t('ago_days', { n: Math.floor(min / 1440) });
}
/** The locale Chart.js formats its axis numbers with: the app's language, not the browser's. */
export const chartLocale = (): string => locale();

/** Channel names as potters say them: the simulator's and most loggers' zone and meter names. */
const ZONES: Record<string, Key> = { top: 'zone_top', bottom: 'zone_bottom', middle: 'zone_middle', mid: 'zone_middle', front: 'zone_front', back: 'zone_back', rear: 'zone_back', left: 'zone_left', right: 'zone_right', flue: 'zone_flue' };
export const zoneName = (z: string): string => (ZONES[z] ? t(ZONES[z]) : z);
const METERS: Record<string, Key> = { flow: 'meter_flow', totalizer: 'meter_totalizer', scale: 'meter_scale' };
export const meterName = (k: string): string => (METERS[k] ? t(METERS[k]) : k);
/** A value by the unit its name ends with (the API's convention: units in every numeric name). */
export function fmtByName(name: string, v: number): string {
  // Rates per kg first: "coal_ncv_mj_per_kg" is MJ/kg, not kg; a price is ₫/kg.
  if (name.endsWith('_mj_per_kg') || name.endsWith('ncv_mj_kg')) return unit(v, 2, 'MJ/kg');
  if (name.includes('vnd_per_kg')) return unit(v, 0, '₫/kg');
  if (name.includes('co2_kg_per_kg')) return unit(v, 3, 'kg CO₂/kg');
  if (name.endsWith('_kg_per_firing')) return unit(v, 0, 'kg');
  if (name.endsWith('_ms')) return fmtDate(v);
  if (name.endsWith('_c_h')) return fmtRate(v);
  if (name.endsWith('_c')) return fmtC(v);
  if (name.endsWith('_kg_h')) return fmtKgH(v);
  if (name.includes('co2')) return fmtCo2(v);
  if (name.endsWith('_kg')) return fmtKg(v, 2);
  if (name.endsWith('_mj')) return fmtMj(v);
  if (name.endsWith('_vnd') || name.includes('vnd_per')) return fmtVnd(v);
  if (name.endsWith('_pct')) return fmtPct(v);
  if (name.endsWith('_h')) return fmtH(v);
  if (name.endsWith('_min')) return t('dur_min', { n: num(v, 0) });
  if (name.endsWith('_s')) return t('dur_s', { n: num(v, 0) });
  return num(v, Number.isInteger(v) ? 0 : 2);
}
