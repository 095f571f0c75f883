// The setup page's coal baseline form: each figure with its source and confidence, the IPMVP
// non-routine adjustments (coalBaselineSchema `adjustments`: a date, a description, and either
// "logged" or a sourced factor on the baseline SEC), a new baseline (POST) or a new version of an
// existing one (PUT .../baselines/:id), and each baseline's versions (GET .../:id/history).
import { api, enc, postJson, putJson } from '../api.ts';
import { emptyEl, errorEl, h, loadingEl } from '../dom.ts';
import { FormError, input, messageLine, numberField, numberOf, numValue, saveForm, savedByLine, textOf } from '../forms.ts';
import { fmtDate, t, type Key } from '../i18n.ts';
import type { Adjustment, CoalBaseline, Entered } from '../types.ts';

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
type Conf = 'H' | 'M' | 'L';
interface Warning { field: string; message: string; source: string | null }
interface Saved { id: string; saved_at_ms: number; by: string; baseline: CoalBaseline; warnings?: Warning[] }
/** Figures an adviser may not know: left empty, the service takes them as unknown or fills its cited default. */
const OPTIONAL = new Set(['coal_price_vnd_per_kg', 'duration_h', 'co2_kg_per_kg_coal']);
const warningText = (w: Warning) => `${w.message}${w.source ? ` (${w.source})` : ''}`;

const confSelect = (name: string, value: string) => h('select', { name, 'aria-label': t('confidence') }, ...['H', 'M', 'L'].map((x) => h('option', { value: x, selected: x === value }, x)));

function adjustmentRow(a?: Adjustment): HTMLTableRowElement {
  const factor = a?.effect.kind === 'baseline_factor' ? a.effect : undefined;
  const at = h('input', { type: 'date', name: 'adj_at', value: a?.at ?? '', 'aria-label': t('adj_at') });
  const desc = h('input', { name: 'adj_description', value: a?.description ?? '', maxlength: 300, 'aria-label': t('adj_description') });
  const kind = h('select', { name: 'adj_kind', 'aria-label': t('adj_kind') },
    h('option', { value: 'logged', selected: !factor }, t('adj_logged')), h('option', { value: 'baseline_factor', selected: Boolean(factor) }, t('adj_factor')));
  const value = numberField(h('input', { name: 'adj_factor', value: numValue(factor?.value), 'aria-label': t('adj_factor') }), t('u_factor'));
  const source = h('input', { name: 'adj_source', value: factor?.source ?? '', 'aria-label': `${t('adj_factor')}: ${t('source')}` });
  const conf = confSelect('adj_confidence', factor?.confidence ?? 'L');
  const tr = h('tr', { class: 'adj-row' }, h('td', {}, at), h('td', {}, desc), h('td', {}, kind), h('td', {}, value), h('td', {}, source), h('td', {}, conf),
    h('td', {}, h('button', { type: 'button', onclick: () => tr.remove() }, t('remove'))));
  return tr;
}

function readAdjustment(tr: HTMLTableRowElement, n: number): Adjustment {
  const q = <T extends Element>(s: string) => tr.querySelector<T & Element>(`[name="${s}"]`) as unknown as T;
  const label = `${t('adjustments')} ${n}`;
  const at = textOf(q<HTMLInputElement>('adj_at'), `${label}: ${t('adj_at')}`)!;
  if (!DATE.test(at)) throw new FormError(`${label}: ${t('adj_at')} YYYY-MM-DD`);
  const description = textOf(q<HTMLInputElement>('adj_description'), `${label}: ${t('adj_description')}`)!;
  if (q<HTMLSelectElement>('adj_kind').value === 'logged') return { at, description, effect: { kind: 'logged' } };
  const value = numberOf(q<HTMLInputElement>('adj_factor'), `${label}: ${t('adj_factor')}`, { max: 10 })!;
  const source = textOf(q<HTMLInputElement>('adj_source'), `${label}: ${t('source')}`)!;
  return { at, description, effect: { kind: 'baseline_factor', value, source, confidence: q<HTMLSelectElement>('adj_confidence').value as Conf } };
}

type Sourced = ReturnType<typeof sourced>;

/** One figure's row: its value, where it comes from and how sure that is. */
function sourced(name: string, label: string, unit: Key | '%', preset?: { value: number; source: string; confidence: string }) {
  const v = numberField(h('input', { name: `${name}.value`, value: numValue(preset?.value), 'aria-label': label }), unit === '%' ? '%' : t(unit));
  const s = h('input', { name: `${name}.source`, value: preset?.source ?? '', placeholder: t('source'), 'aria-label': `${label}: ${t('source')}` });
  const c = confSelect(`${name}.confidence`, preset?.confidence ?? 'L');
  return { name, label, v, s, c, row: h('tr', {}, h('td', {}, label), h('td', {}, v), h('td', {}, s), h('td', {}, c)) };
}

const figureFields = (): Sourced[] => [
  sourced('coal_kg_per_firing', t('coal_kg'), 'u_kg_coal'), sourced('ware_kg_per_firing', t('base_ware_kg'), 'u_kg_ware'), sourced('yield_pct', t('base_yield'), '%'), sourced('duration_h', t('base_duration_opt'), 'u_hours'),
  // Pre-filled coal properties only (IPCC 2006 anthracite, docs/sources.md "Fuels"); never coal per firing, ware or yield.
  sourced('coal_ncv_mj_per_kg', t('coal_ncv'), 'u_mj_per_kg_coal', { value: 26.7, source: 'IPCC 2006 default NCV, anthracite', confidence: 'H' }),
  // Empty: the service's default, the IPCC factor per TJ × the NCV above (the hint under the table says so).
  sourced('co2_kg_per_kg_coal', t('coal_co2_opt'), 'u_co2_per_kg_coal'),
  sourced('coal_price_vnd_per_kg', t('coal_price'), 'u_vnd_per_kg_coal'),
];

type Field = ReturnType<typeof input>;
/** The form's inputs, shared by the functions that fill, read and lay it out. */
interface Parts { ws: Field; kiln: Field; pf: Field; pt: Field; fields: Sourced[]; adjBody: HTMLTableSectionElement }

function fillForm(p: Parts, b: CoalBaseline): void {
  p.ws.el.value = b.workshop; p.kiln.el.value = b.kiln ?? ''; p.pf.el.value = b.period.from; p.pt.el.value = b.period.to;
  for (const f of p.fields) {
    const x = (b as unknown as Record<string, { value: number; source: string; confidence: string } | undefined>)[f.name];
    f.v.value = numValue(x?.value); f.s.value = x?.source ?? ''; f.c.value = x?.confidence ?? 'L';
    f.v.dispatchEvent(new Event('input')); // shown back as understood
  }
  p.adjBody.replaceChildren(...b.adjustments.map((a) => adjustmentRow(a)));
  p.ws.el.scrollIntoView?.({ block: 'nearest' });
}

/** The baseline the form holds; a FormError names the first field that is wrong. */
function readForm(p: Parts): Entered<CoalBaseline> {
  const w = textOf(p.ws.el, t('workshop'))!;
  if (!ID.test(w)) throw new FormError(`${t('workshop')}: A-Z a-z 0-9 _ -`);
  const k = textOf(p.kiln.el, t('kiln'), true);
  if (k !== undefined && !ID.test(k)) throw new FormError(`${t('kiln')}: A-Z a-z 0-9 _ -`);
  const period = { from: textOf(p.pf.el, t('period_from'))!, to: textOf(p.pt.el, t('period_to'))! };
  if (period.from > period.to) throw new FormError(`${t('period_from')} > ${t('period_to')}`);
  const figs: Record<string, { value: number; source: string; confidence: Conf }> = {};
  for (const f of p.fields) {
    const v = numberOf(f.v, f.label, { optional: OPTIONAL.has(f.name), ...(f.name === 'yield_pct' ? { max: 100 } : {}) });
    if (v === undefined) continue;
    figs[f.name] = { value: v, source: textOf(f.s, `${f.label}: ${t('source')}`)!, confidence: f.c.value as Conf };
  }
  const adjustments = Array.from(p.adjBody.rows).map((r, i) => readAdjustment(r, i + 1));
  return { workshop: w, ...(k ? { kiln: k } : {}), period, ...figs, adjustments } as unknown as Entered<CoalBaseline>;
}

function savedList(baselines: Saved[], edit: (s: Saved) => void, history: (s: Saved) => void): HTMLElement {
  if (baselines.length === 0) return emptyEl(h('p', {}, t('baselines_none')));
  return h('ul', { class: 'sources' }, ...baselines.map((s) => {
    const b = s.baseline;
    return h('li', { 'data-baseline': s.id },
      h('strong', {}, `${b.workshop}${b.kiln ? ` / ${b.kiln}` : ''} · ${b.period.from} → ${b.period.to}`), ': ',
      `${b.coal_kg_per_firing.value} kg (${b.coal_kg_per_firing.source}, ${b.coal_kg_per_firing.confidence}); ${b.yield_pct.value} % (${b.yield_pct.source}, ${b.yield_pct.confidence}) · ${b.by}`,
      ...(b.adjustments.length ? [h('br', {}), `${t('adjustments')}: `, b.adjustments.map((a) => `${a.at} ${a.description}${a.effect.kind === 'baseline_factor' ? ` ×${a.effect.value}` : ''}`).join('; ')] : []), ' ',
      ...(s.warnings?.length ? [h('br', {}), h('span', { class: 'warn baseline-warning' }, `${t('baseline_warnings')}: ${s.warnings.map(warningText).join('; ')}`), ' '] : []),
      h('button', { type: 'button', class: 'edit-baseline', onclick: () => edit(s) }, t('edit')), ' ',
      h('button', { type: 'button', class: 'history-baseline', onclick: () => history(s) }, t('baseline_history')));
  }));
}

function formEl(p: Parts, workshops: string[], mode: HTMLElement, cancel: HTMLElement, msg: HTMLElement, submit: (e: Event) => void): HTMLFormElement {
  return h('form', { id: 'baseline-form', class: 'card-form', novalidate: true, onsubmit: submit },
    mode, h('datalist', { id: 'ws-list' }, ...workshops.map((w) => h('option', { value: w }))), p.ws.label, p.kiln.label, p.pf.label, p.pt.label,
    h('div', { class: 'table-wrap' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...[t('figure'), t('value'), t('source'), t('confidence')].map((c) => h('th', {}, c)))), h('tbody', {}, ...p.fields.map((f) => f.row)))),
    h('p', { class: 'muted', id: 'co2-default' }, t('co2_default_hint')),
    h('h3', {}, t('adjustments')), h('p', { class: 'muted' }, t('adjustments_help')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'rows', id: 'adjustments' }, h('thead', {}, h('tr', {}, ...[t('adj_at'), t('adj_description'), t('adj_kind'), t('adj_factor'), t('source'), t('confidence'), ''].map((c) => h('th', {}, c)))), p.adjBody)),
    h('button', { type: 'button', id: 'add-adjustment', onclick: () => p.adjBody.append(adjustmentRow()) }, t('add_adjustment')),
    h('p', { class: 'actions' }, h('button', { type: 'submit' }, t('save')), ' ', cancel), msg);
}

/** A baseline's versions, as the service lists them, in `box`. */
async function showHistory(box: HTMLElement, w: string, id: string): Promise<void> {
  box.replaceChildren(loadingEl(t('loading')));
  try {
    const r = await api<{ versions: { saved_at_ms: number; by: string; baseline: CoalBaseline }[] }>(`/api/workshops/${enc(w)}/baselines/${enc(id)}/history`);
    box.replaceChildren(h('h3', {}, `${t('baseline_history')}: ${id}`), h('ol', { class: 'history' }, ...r.versions.map((v) => h('li', {},
      `${fmtDate(v.saved_at_ms)} · ${v.by} · ${v.baseline.coal_kg_per_firing.value} kg (${v.baseline.coal_kg_per_firing.source}) · ${v.baseline.yield_pct.value} % · ${t('adjustments')}: ${v.baseline.adjustments.length}`))));
  } catch (err) {
    box.replaceChildren(errorEl(`${t('error')}: ${(err as Error).message}`));
  }
}

const newParts = (workshops: string[]): Parts => ({
  ws: input('workshop', t('workshop'), { list: 'ws-list', value: workshops[0] ?? '' }),
  kiln: input('kiln', t('kiln_optional')),
  pf: input('period_from', t('period_from'), { type: 'date', value: '2004-01-01' }),
  pt: input('period_to', t('period_to'), { type: 'date', value: '2006-12-31' }),
  fields: figureFields(),
  adjBody: h('tbody', {}),
});

export interface BaselineForm {
  /** Workshops learnt after the form was drawn: offered in the list, and the first one filled in
   *  (with its baselines listed) if the workshop field is still empty and not being typed in. */
  addWorkshops(more: string[]): void;
}

export function baselineForm(box: HTMLElement, workshops: string[]): BaselineForm {
  const p = newParts(workshops);
  const list = h('div', { id: 'baseline-list' });
  const history = h('div', { id: 'baseline-history' });
  const mode = h('div', { id: 'baseline-mode' });
  let editing: string | null = null;
  const msg = messageLine();
  const cancel = h('button', { type: 'button', id: 'baseline-cancel', hidden: true, onclick: () => setEditing(null) }, t('cancel_edit'));

  function setEditing(s: Saved | null): void {
    editing = s?.id ?? null;
    cancel.hidden = s === null;
    // A version being edited: which one, and who saved it.
    mode.replaceChildren(h('p', { class: 'muted' }, s ? t('baseline_editing', { id: s.id }) : t('baseline_new')), (s && savedByLine(s.by, s.saved_at_ms)) ?? '');
    if (s) fillForm(p, s.baseline);
  }

  const showList = async () => {
    const w = p.ws.el.value.trim();
    if (!ID.test(w)) { list.replaceChildren(); return; }
    list.replaceChildren(loadingEl(t('loading')));
    try {
      const r = await api<{ baselines: Saved[] }>(`/api/workshops/${enc(w)}/baselines`);
      list.replaceChildren(savedList(r.baselines, setEditing, (s) => void showHistory(history, w, s.id)));
    } catch (err) {
      list.replaceChildren(errorEl(`${t('error')}: ${(err as Error).message}`));
    }
  };
  p.ws.el.addEventListener('change', () => void showList());

  const submit = async (e: Event) => {
    e.preventDefault();
    await saveForm(msg, () => readForm(p), async (body) => {
      const id = editing;
      const saved = id
        ? await putJson<Saved>(`/api/workshops/${enc(body.workshop)}/baselines/${enc(id)}`, body)
        : await postJson<Saved>(`/api/workshops/${enc(body.workshop)}/baselines`, body);
      // Accepted, but far from the published ranges: said at once, with the range's source.
      const warnings = saved?.warnings ?? [];
      msg.ok(warnings.length ? t('saved_with_warnings', { list: warnings.map(warningText).join('; ') }) : id ? t('saved_version') : t('saved'));
      setEditing(null);
      await showList();
      if (id) await showHistory(history, body.workshop, id);
    });
  };
  setEditing(null);
  const form = formEl(p, workshops, mode, cancel, msg.el, (e: Event) => void submit(e));
  box.replaceChildren(form, list, history);
  void showList();
  const offered = new Set(workshops);
  return {
    addWorkshops(more) {
      const fresh = more.filter((w) => !offered.has(w));
      for (const w of fresh) offered.add(w);
      form.querySelector('#ws-list')?.append(...fresh.map((w) => h('option', { value: w })));
      if (fresh.length > 0 && p.ws.el.value === '' && document.activeElement !== p.ws.el) {
        p.ws.el.value = fresh[0]!;
        void showList();
      }
    },
  };
}
