// 5. Setup: the kilns seen (live view and device status), a workshop's coal baselines
// (POST/GET /api/workshops/:ws/baselines) and the dated LPG price list (GET/PUT /api/prices).
import { api, enc, postJson, putJson } from '../api.ts';
import { emptyEl, errorEl, h, loadingEl } from '../dom.ts';
import { FormError, input, messageLine, numberOf, textOf } from '../forms.ts';
import { fmtC, fmtDate, fmtVnd, stageName, t } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import { kilnKey, live } from '../live.ts';
import { simulatorHint } from './overview.ts';
import type { CoalBaseline, PriceEntry } from '../types.ts';

const ID = /^[A-Za-z0-9_-]{1,40}$/;

export function renderSetup(root: HTMLElement): () => void {
  const kilnsBox = h('div', { id: 'setup-kilns' }, loadingEl(t('loading')));
  const baseBox = h('div', { id: 'setup-baselines' });
  const priceBox = h('div', { id: 'setup-prices' }, loadingEl(t('loading')));
  root.append(h('h1', {}, t('nav_setup')), h('h2', {}, t('setup_kilns')), kilnsBox, h('h2', {}, t('setup_baselines')), baseBox, h('h2', {}, t('setup_prices')), priceBox);
  let closed = false;

  void (async () => {
    const kilns = await knownKilns();
    if (closed) return;
    if (kilns.length === 0) kilnsBox.replaceChildren(emptyEl(h('p', {}, h('strong', {}, t('empty_kilns'))), simulatorHint()));
    else {
      kilnsBox.replaceChildren(h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...[t('workshop'), t('kiln'), t('status'), t('stage'), t('temp'), t('last_reading')].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...kilns.map((k) => {
          const v = live.kilns.get(kilnKey(k));
          return h('tr', {}, h('td', {}, k.workshop), h('td', {}, h('a', { href: `/kiln/${enc(k.workshop)}/${enc(k.kiln)}`, 'data-link': true }, k.kiln)),
            h('td', {}, live.online(kilnKey(k)) ? t('online') : t('offline')), h('td', {}, v ? stageName(v.stage) : '—'), h('td', {}, fmtC(v?.kiln_temp_c)), h('td', {}, fmtDate(v?.newest_reading_ms)));
        })))));
    }
    baselineForm([...new Set(kilns.map((k) => k.workshop))]);
  })();

  function baselineForm(workshops: string[]): void {
    const ws = input('workshop', t('workshop'), { list: 'ws-list', value: workshops[0] ?? '' });
    const kiln = input('kiln', t('kiln_optional'));
    const pf = input('period_from', t('period_from'), { type: 'date', value: '2004-01-01' });
    const pt = input('period_to', t('period_to'), { type: 'date', value: '2006-12-31' });
    const by = input('by', t('by'));
    const list = h('div', { id: 'baseline-list' });
    const sourced = (name: string, label: string, preset?: { value: number; source: string; confidence: string }) => {
      const v = h('input', { name: `${name}.value`, inputmode: 'decimal', value: preset?.value ?? '', 'aria-label': label });
      const s = h('input', { name: `${name}.source`, value: preset?.source ?? '', placeholder: t('source'), 'aria-label': `${label}: ${t('source')}` });
      const c = h('select', { name: `${name}.confidence`, 'aria-label': t('confidence') }, ...['H', 'M', 'L'].map((x) => h('option', { value: x, selected: x === (preset?.confidence ?? 'L') }, x)));
      return { name, label, v, s, c, row: h('tr', {}, h('td', {}, label), h('td', {}, v), h('td', {}, s), h('td', {}, c)) };
    };
    const fields = [
      sourced('coal_kg_per_firing', t('coal_kg')), sourced('ware_kg_per_firing', t('base_ware_kg')), sourced('yield_pct', t('base_yield')), sourced('duration_h', t('base_duration')),
      // Pre-filled coal properties only (IPCC 2006 anthracite, domain.md); never coal per firing, ware or yield.
      sourced('coal_ncv_mj_per_kg', t('coal_ncv'), { value: 26.7, source: 'IPCC 2006 default NCV, anthracite', confidence: 'H' }),
      sourced('co2_kg_per_kg_coal', t('coal_co2'), { value: 2.6247, source: 'IPCC 2006 default, anthracite: 98,300 kg CO2/TJ × 26.7 MJ/kg', confidence: 'H' }),
      sourced('coal_price_vnd_per_kg', t('coal_price')),
    ];
    const msg = messageLine();
    const showList = async () => {
      const w = ws.el.value.trim();
      if (!ID.test(w)) { list.replaceChildren(); return; }
      list.replaceChildren(loadingEl(t('loading')));
      try {
        const r = await api<{ baselines: { id: string; saved_at: string; baseline: CoalBaseline }[] }>(`/api/workshops/${enc(w)}/baselines`);
        list.replaceChildren(r.baselines.length === 0 ? emptyEl(h('p', {}, t('baselines_none'))) : h('ul', { class: 'sources' }, ...r.baselines.map((b) => h('li', {},
          h('strong', {}, `${b.baseline.workshop}${b.baseline.kiln ? ` / ${b.baseline.kiln}` : ''} · ${b.baseline.period.from} → ${b.baseline.period.to}`), ': ',
          `${b.baseline.coal_kg_per_firing.value} kg (${b.baseline.coal_kg_per_firing.source}, ${b.baseline.coal_kg_per_firing.confidence}); ${b.baseline.yield_pct.value} % (${b.baseline.yield_pct.source}, ${b.baseline.yield_pct.confidence}) · ${b.baseline.by}`))));
      } catch (err) {
        list.replaceChildren(errorEl(`${t('error')}: ${(err as Error).message}`));
      }
    };
    ws.el.addEventListener('change', () => void showList());
    const submit = async (e: Event) => {
      e.preventDefault();
      msg.clear();
      let body: CoalBaseline;
      try {
        const w = textOf(ws.el, t('workshop'))!;
        if (!ID.test(w)) throw new FormError(`${t('workshop')}: A-Z a-z 0-9 _ -`);
        const k = textOf(kiln.el, t('kiln'), true);
        if (k !== undefined && !ID.test(k)) throw new FormError(`${t('kiln')}: A-Z a-z 0-9 _ -`);
        const period = { from: textOf(pf.el, t('period_from'))!, to: textOf(pt.el, t('period_to'))! };
        if (period.from > period.to) throw new FormError(`${t('period_from')} > ${t('period_to')}`);
        const figs: Record<string, { value: number; source: string; confidence: 'H' | 'M' | 'L' }> = {};
        for (const f of fields) {
          const optional = f.name === 'coal_price_vnd_per_kg';
          const v = numberOf(f.v, f.label, { optional, ...(f.name === 'yield_pct' ? { max: 100 } : {}) });
          if (v === undefined) continue;
          figs[f.name] = { value: v, source: textOf(f.s, `${f.label}: ${t('source')}`)!, confidence: f.c.value as 'H' | 'M' | 'L' };
        }
        body = { workshop: w, ...(k ? { kiln: k } : {}), period, ...figs, adjustments: [], recorded_at_ms: Date.now(), by: textOf(by.el, t("by"))! } as unknown as CoalBaseline;
      } catch (err) {
        if (err instanceof FormError) { msg.error(err.message); return; }
        throw err;
      }
      try {
        await postJson(`/api/workshops/${enc(body.workshop)}/baselines`, body);
        msg.ok(t('saved'));
        await showList();
      } catch (err) {
        msg.error((err as Error).message);
      }
    };
    baseBox.replaceChildren(
      h('form', { id: 'baseline-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
        h('datalist', { id: 'ws-list' }, ...workshops.map((w) => h('option', { value: w }))), ws.label, kiln.label, pf.label, pt.label,
        h('div', { class: 'table-wrap' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...['', t('value'), t('source'), t('confidence')].map((c) => h('th', {}, c)))), h('tbody', {}, ...fields.map((f) => f.row)))),
        by.label, h('button', { type: 'submit' }, t('save')), msg.el),
      list);
    void showList();
  }

  async function prices(): Promise<void> {
    let cur: { prices: PriceEntry[]; source: string; by: string | null; saved_at_ms: number | null };
    try {
      cur = await api(`/api/prices`);
    } catch (err) {
      priceBox.replaceChildren(errorEl(`${t('error')}: ${(err as Error).message}`, () => void prices(), t('retry')));
      return;
    }
    if (closed) return;
    const row = (p?: PriceEntry) => {
      const tr: HTMLTableRowElement = h('tr', {},
        h('td', {}, h('input', { type: 'date', name: 'valid_from', value: p?.valid_from ?? isoDay(0), 'aria-label': t('valid_from') })),
        h('td', {}, h('input', { name: 'vnd_per_kg', inputmode: 'decimal', value: p?.vnd_per_kg ?? '', 'aria-label': t('price_vnd_kg') })),
        h('td', {}, h('input', { name: 'source', value: p?.source ?? '', 'aria-label': t('source') })),
        h('td', {}, p ? h('small', { class: 'muted' }, fmtVnd(p.vnd_per_kg)) : '', h('button', { type: 'button', onclick: () => tr.remove() }, t('remove'))));
      return tr;
    };
    const tbody = h('tbody', {}, ...cur.prices.map(row));
    const by = input('by', t('by'), { value: cur.by ?? '' });
    const msg = messageLine();
    const submit = async (e: Event) => {
      e.preventDefault();
      msg.clear();
      let list: PriceEntry[];
      try {
        list = Array.from(tbody.rows).map((r) => {
          const [d, v, s] = Array.from(r.querySelectorAll('input')) as HTMLInputElement[];
          const valid_from = textOf(d!, t('valid_from'))!;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(valid_from)) throw new FormError(`${t('valid_from')}: YYYY-MM-DD`);
          return { valid_from, vnd_per_kg: numberOf(v!, t('price_vnd_kg'), { max: 10_000_000 })!, source: textOf(s!, t('source'))! };
        });
        if (list.length === 0) throw new FormError(t('required', { field: t('price_vnd_kg') }));
        const seen = new Set<string>();
        for (const p of list) { if (seen.has(p.valid_from)) throw new FormError(t('dup_date', { date: p.valid_from })); seen.add(p.valid_from); }
        list.sort((a, b) => (a.valid_from < b.valid_from ? -1 : 1));
      } catch (err) {
        if (err instanceof FormError) { msg.error(err.message); return; }
        throw err;
      }
      try {
        await putJson('/api/prices', { prices: list, by: textOf(by.el, t('by')) });
        msg.ok(t('saved'));
      } catch (err) {
        msg.error(err instanceof FormError ? err.message : (err as Error).message);
      }
    };
    priceBox.replaceChildren(h('form', { id: 'price-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
      cur.source === 'default' ? h('p', { class: 'muted' }, t('prices_source_default')) : h('p', { class: 'muted' }, `${cur.by ?? ''} · ${fmtDate(cur.saved_at_ms)}`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...[t('valid_from'), t('price_vnd_kg'), t('source'), ''].map((c) => h('th', {}, c)))), tbody)),
      h('button', { type: 'button', onclick: () => tbody.append(row()) }, t('add_row')), by.label, h('button', { type: 'submit' }, t('save')), msg.el));
  }
  void prices();
  return () => { closed = true; };
}
