// Form helpers: labelled inputs, client-side checks that say what is wrong, and the service's
// 400 message shown the same way (the service checks again with the same schemas).
import { h } from './dom.ts';
import { fmtDate, getLang, t } from './i18n.ts';
import { formatNumber, inputValue, parseNumber, type Parsed } from './numbers.ts';

export class FormError extends Error {}

/** Who saved the record a form shows, and when: the service records the logged-in user itself,
 *  so the forms ask for no name. Nothing before the first save. */
export function savedByLine(by: string | null | undefined, at_ms?: number | null): HTMLElement | null {
  if (!by) return null;
  return h('p', { class: 'muted saved-by' }, at_ms ? t('saved_by_at', { by, at: fmtDate(at_ms) }) : t('saved_by', { by }));
}

export const input = (name: string, label: string, attrs: Record<string, string | number | boolean> = {}) => {
  const el = h('input', { name, ...attrs });
  return { el, label: h('label', {}, label, el) };
};

/**
 * A number field: typed the interface language's way (numbers.ts), and shown back beside it as
 * understood, with its unit ("Đã hiểu: 1.200 kg than"), or what is wrong with it, as it is typed.
 */
export function numberField<T extends HTMLInputElement>(el: T, unit: string): T {
  el.dataset.unit = unit;
  el.setAttribute('inputmode', 'decimal');
  el.autocomplete = 'off';
  const echo = h('output', { class: 'num-echo', 'aria-live': 'polite' });
  const show = () => {
    if (!echo.isConnected) el.after(echo);
    const r = parseNumber(el.value, getLang());
    echo.className = r.ok || r.why === 'empty' ? 'num-echo' : 'num-echo bad';
    echo.textContent = r.ok ? t('num_read', { v: withUnit(r.value, unit) }) : r.why === 'empty' ? '' : numberProblem(el.value, r, unit);
  };
  el.addEventListener('input', show);
  return el;
}

const withUnit = (v: number, unit: string) => (unit ? `${formatNumber(v, getLang())} ${unit}` : formatNumber(v, getLang()));

/** What is wrong with a number that did not read, in the page's language (null: not a number at all). */
function numberProblem(text: string, r: Exclude<Parsed, { ok: true }>, unit: string): string {
  if (r.why === 'ambiguous') return t('num_ambiguous', { text: text.trim(), a: withUnit(r.as_group, unit), b: withUnit(r.as_decimal, unit) });
  if (r.why === 'misplaced') return r.hint ? t('num_misplaced_hint', { text: text.trim(), hint: r.hint }) : t('num_misplaced', { text: text.trim() });
  return t('num_not', { text: text.trim() });
}

/** A field's value as a form shows it: the interface language's way, read back the same. */
export const numValue = (v: number | null | undefined): string => inputValue(v, getLang());

/** A number from a field: required unless optional; positive / non-negative / integer as asked. */
export function numberOf(el: HTMLInputElement, field: string, o: { min0?: boolean; int?: boolean; optional?: boolean; max?: number } = {}): number | undefined {
  const r = parseNumber(el.value, getLang());
  if (!r.ok && r.why === 'empty') {
    if (o.optional) return undefined;
    throw new FormError(t('required', { field }));
  }
  if (!r.ok && r.why !== 'not_a_number') throw new FormError(`${field}: ${numberProblem(el.value, r, el.dataset.unit ?? '')}`);
  const v = r.ok ? r.value : NaN;
  if (!Number.isFinite(v) || (o.min0 ? v < 0 : v <= 0)) throw new FormError(t(o.min0 ? 'must_nonneg' : 'must_positive', { field }));
  if (o.int && !Number.isInteger(v)) throw new FormError(t('must_int', { field }));
  if (o.max !== undefined && v > o.max) throw new FormError(t('invalid', { msg: `${field} ≤ ${formatNumber(o.max, getLang())}` }));
  return v;
}

export function textOf(el: HTMLInputElement | HTMLSelectElement, field: string, optional = false): string | undefined {
  const s = el.value.trim();
  if (s === '' && !optional) throw new FormError(t('required', { field }));
  return s === '' ? undefined : s;
}

/**
 * A form's submit after preventDefault: `read` the fields (a FormError shows on the message line
 * and nothing is sent), then `save`, whose failure (the service's 400, say) shows there too.
 */
export async function saveForm<T>(msg: ReturnType<typeof messageLine>, read: () => T, save: (rec: T) => Promise<void>): Promise<void> {
  msg.clear();
  let rec: T;
  try {
    rec = read();
  } catch (err) {
    if (err instanceof FormError) { msg.error(err.message); return; }
    throw err;
  }
  try {
    await save(rec);
  } catch (err) {
    msg.error((err as Error).message);
  }
}

/** The message line under a form: role=alert for errors, status for success. */
export function messageLine(): { el: HTMLElement; error(msg: string): void; ok(msg: string): void; clear(): void } {
  const el = h('p', { class: 'form-msg', 'aria-live': 'polite' });
  return {
    el,
    error: (msg) => { el.className = 'form-msg error'; el.setAttribute('role', 'alert'); el.textContent = t('invalid', { msg }); },
    ok: (msg) => { el.className = 'form-msg ok'; el.setAttribute('role', 'status'); el.textContent = msg; },
    clear: () => { el.className = 'form-msg'; el.textContent = ''; },
  };
}
