// Form helpers: labelled inputs, client-side checks that say what is wrong, and the service's
// 400 message shown the same way (the service checks again with the same schemas).
import { h } from './dom.ts';
import { fmtDate, t } from './i18n.ts';

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

/** A number from a field: required unless optional; positive / non-negative / integer as asked. */
export function numberOf(el: HTMLInputElement, field: string, o: { min0?: boolean; int?: boolean; optional?: boolean; max?: number } = {}): number | undefined {
  const s = el.value.trim().replace(',', '.');
  if (s === '') {
    if (o.optional) return undefined;
    throw new FormError(t('required', { field }));
  }
  const v = Number(s);
  if (!Number.isFinite(v) || (o.min0 ? v < 0 : v <= 0)) throw new FormError(t(o.min0 ? 'must_nonneg' : 'must_positive', { field }));
  if (o.int && !Number.isInteger(v)) throw new FormError(t('must_int', { field }));
  if (o.max !== undefined && v > o.max) throw new FormError(t('invalid', { msg: `${field} ≤ ${o.max}` }));
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
