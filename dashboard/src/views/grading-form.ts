// The report's grading form: first / second / reject per loaded product, and per product the
// reject causes (gradingRecordSchema: [{cause, pieces, note?}], at most as many pieces as were
// rejected; "other" needs a note). Checked here first with messages in the page's language;
// the service checks again with the same schema and its 400 message is shown the same way.
import { putJson } from '../api.ts';
import { h } from '../dom.ts';
import { FormError, messageLine, numberField, numberOf, numValue, saveForm, savedByLine } from '../forms.ts';
import { t, type Key } from '../i18n.ts';
import type { Entered, FiringReport, GradingRecord, RejectCause } from '../types.ts';

/** The service's REJECT_CAUSES (src/domain/savings/records.ts), in its order; the check below fails
 *  to compile if the service adds a cause this list lacks. */
export const CAUSES = ['crack', 'glaze_defect', 'warp', 'bloat', 'under_fired', 'over_fired', 'kiln_dirt_slag', 'other'] as const satisfies readonly RejectCause[];
const allCauses: Exclude<RejectCause, (typeof CAUSES)[number]> extends never ? true : false = true;
void allCauses;

export const causeName = (c: string): string => t(`cause_${c}` as Key);

type Cause = GradingRecord['products'][number]['reject_causes'][number];

function causeRow(product: string, c?: Cause): HTMLTableRowElement {
  const sel = h('select', { name: 'cause', 'aria-label': `${product}: ${t('cause')}` }, ...CAUSES.map((x) => h('option', { value: x, selected: c?.cause === x }, causeName(x))));
  const pieces = numberField(h('input', { name: 'cause_pieces', value: numValue(c?.pieces), 'aria-label': `${product}: ${t('cause_pieces')}` }), t('u_pieces'));
  const note = h('input', { name: 'cause_note', value: c?.note ?? '', 'aria-label': `${product}: ${t('cause_note')}`, maxlength: 200 });
  const tr = h('tr', { class: 'cause-row' }, h('td', {}, sel), h('td', {}, pieces), h('td', {}, note), h('td', {}, h('button', { type: 'button', onclick: () => tr.remove() }, t('remove'))));
  return tr;
}

export function gradingForm(r: FiringReport, base: string, saved: () => void): HTMLElement {
  const msg = messageLine();
  if (!r.load) return h('form', { id: 'grading-form', class: 'card-form' }, h('h2', {}, t('grading_form')), h('p', { class: 'state empty' }, t('grading_needs_load')));
  const g = new Map((r.grading?.products ?? []).map((p) => [p.product, p]));
  const rows = r.load.products.map((p) => {
    const x = g.get(p.product);
    const cell = (name: 'first' | 'second' | 'reject', v: number | undefined) => numberField(h('input', { name, value: numValue(v), 'aria-label': t('grade_of', { product: p.product, grade: t(name as Key) }) }), t('u_pieces'));
    const causes = h('tbody', {}, ...(x?.reject_causes ?? []).map((c) => causeRow(p.product, c)));
    return { product: p.product, first: cell('first', x?.first), second: cell('second', x?.second), reject: cell('reject', x?.reject), causes };
  });

  const readCauses = (product: string, causes: HTMLTableSectionElement, reject: number): Cause[] => {
    const out = Array.from(causes.rows).map((row) => {
      const cause = row.querySelector('select')!.value as RejectCause;
      const [n, note] = Array.from(row.querySelectorAll('input'));
      const pieces = numberOf(n!, `${product}: ${t('cause_pieces')} (${causeName(cause)})`, { int: true })!;
      const text = note!.value.trim();
      if (cause === 'other' && text === '') throw new FormError(t('cause_other_note', { product }));
      return { cause, pieces, ...(text ? { note: text } : {}) };
    });
    const sum = out.reduce((s, c) => s + c.pieces, 0);
    if (sum > reject) throw new FormError(t('causes_exceed', { product, n: sum, reject }));
    return out;
  };

  const loaded = new Map(r.load.products.map((p) => [p.product, p.pieces]));
  const read = (): Entered<GradingRecord> => ({
    products: rows.map((x) => {
      const reject = numberOf(x.reject, `${x.product}: ${t('reject')}`, { min0: true, int: true })!;
      const first = numberOf(x.first, `${x.product}: ${t('first')}`, { min0: true, int: true })!;
      const second = numberOf(x.second, `${x.product}: ${t('second')}`, { min0: true, int: true })!;
      // The service refuses the same: no more pieces graded than were loaded.
      const n = first + second + reject, max = loaded.get(x.product) ?? Infinity;
      if (n > max) throw new FormError(t('graded_over_loaded', { product: x.product, n, loaded: max }));
      return { product: x.product, first, second, reject, reject_causes: readCauses(x.product, x.causes, reject) };
    }),
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    await saveForm(msg, read, async (rec) => {
      await putJson(`${base}/grading`, rec);
      msg.ok(t('saved'));
      saved();
    });
  };

  const productBlock = (x: (typeof rows)[number]) => h('tr', {}, h('td', { colspan: 4 },
    h('details', { class: 'causes', open: x.causes.rows.length > 0, 'data-product': x.product },
      h('summary', {}, `${x.product}: ${t('reject_causes')}`),
      h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...[t('cause'), t('cause_pieces'), t('cause_note'), t('actions')].map((c) => h('th', {}, c)))), x.causes),
      h('button', { type: 'button', class: 'add-cause', onclick: () => x.causes.append(causeRow(x.product)) }, t('add_cause')))));
  return h('form', { id: 'grading-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
    h('h2', {}, t('grading_form')),
    h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...[t('product'), t('first'), t('second'), t('reject')].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...rows.flatMap((x) => [h('tr', {}, h('td', {}, x.product), h('td', {}, x.first), h('td', {}, x.second), h('td', {}, x.reject)), productBlock(x)]))),
    savedByLine(r.grading?.by, r.grading?.recorded_at_ms), h('button', { type: 'submit' }, t('save')), msg.el);
}

/** The saved reject causes, read-only (also printed): "product: crack 3, warp 1". */
export function rejectCausesList(r: FiringReport): HTMLElement | null {
  const ps = (r.grading?.products ?? []).filter((p) => p.reject_causes.length > 0);
  if (ps.length === 0) return null;
  return h('ul', { id: 'reject-causes' }, ...ps.map((p) => h('li', {}, `${p.product}: `,
    p.reject_causes.map((c) => `${causeName(c.cause)} ${c.pieces}${c.note ? ` (${c.note})` : ''}`).join(', '),
    ` — ${t('reject')} ${p.reject}`)));
}
