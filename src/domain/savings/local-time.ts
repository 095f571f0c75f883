// Months and dates in workshop-local time. Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving
// since 1975), so a fixed offset is exact there and avoids a time-zone database in the pure core.
export const VIETNAM_UTC_OFFSET_MIN = 7 * 60;

// getUTC* on the shifted instant, not toISOString: a roll-up calls this once per firing.
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Months since year 0 (year × 12 + month 0–11) in local time: a cheap grouping key. */
export function localMonthIndex(ms: number, utc_offset_min = VIETNAM_UTC_OFFSET_MIN): number {
  const d = new Date(ms + utc_offset_min * 60_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** 'YYYY-MM' for a localMonthIndex. */
export const monthLabel = (index: number): string => `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;

/** 'YYYY-MM' of the instant in local time. */
export const localMonth = (ms: number, utc_offset_min = VIETNAM_UTC_OFFSET_MIN): string =>
  monthLabel(localMonthIndex(ms, utc_offset_min));

/** 'YYYY-MM-DD' of the instant in local time (compares as a string with the records' dates). */
export function localDate(ms: number, utc_offset_min = VIETNAM_UTC_OFFSET_MIN): string {
  const d = new Date(ms + utc_offset_min * 60_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}


/** ISO 8601 local time with its offset, to the second: '2026-11-03T14:05:09+07:00' (the ms are in ts_ms beside it). */
export function localIso(ms: number, utc_offset_min = VIETNAM_UTC_OFFSET_MIN): string {
  const d = new Date(ms + utc_offset_min * 60_000);
  const sign = utc_offset_min < 0 ? '-' : '+';
  const off = Math.abs(utc_offset_min);
  return `${localDate(ms, utc_offset_min)}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${sign}${pad2(Math.floor(off / 60))}:${pad2(off % 60)}`;
}

/** The first instant of a 'YYYY-MM' local month, as epoch ms. */
export function monthStartMs(month: string, utc_offset_min = VIETNAM_UTC_OFFSET_MIN): number {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y ?? NaN, (m ?? NaN) - 1, 1) - utc_offset_min * 60_000;
}
