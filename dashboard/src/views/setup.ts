// 5. Setup: the kilns seen (live view and device status), a workshop's coal baselines
// (baseline-form.ts: new, edited as a new version, history), alert thresholds per kiln
// (alert-settings.ts), the dated LPG price list (GET/PUT /api/prices) and device credentials
// (devices.ts). Each section shows only for a role that may use it (the service refuses anyway).
import { api, enc, putJson } from '../api.ts';
import { baselineForm } from './baseline-form.ts';
import { alertSettingsSection } from './alert-settings.ts';
import { emptyEl, h, loadingEl } from '../dom.ts';
import { loadInto } from '../load.ts';
import { FormError, messageLine, numberField, numberOf, numValue, savedByLine, textOf } from '../forms.ts';
import { fmtC, fmtDate, fmtVnd, stageName, t } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import { kilnKey, live } from '../live.ts';
import { simulatorHint } from './overview.ts';
import { devicesSection } from './devices.ts';
import { can, currentUser } from '../session.ts';
import type { PriceEntry } from '../types.ts';

export function renderSetup(root: HTMLElement): () => void {
  const kilnsBox = h('div', { id: 'setup-kilns' }, loadingEl(t('loading')));
  const baseBox = h('div', { id: 'setup-baselines' });
  const alertBox = h('div', { id: 'setup-alerts' }, loadingEl(t('loading')));
  const priceBox = h('div', { id: 'setup-prices' }, loadingEl(t('loading')));
  const devBox = h('div', { id: 'setup-devices' }, loadingEl(t('loading')));
  root.append(h('h1', {}, t('nav_setup')), h('h2', {}, t('setup_kilns')), kilnsBox,
    ...(can('edit_alert_settings') ? [h('h2', {}, t('setup_alerts')), alertBox] : []),
    ...(can('edit_baselines') ? [h('h2', {}, t('setup_baselines')), baseBox] : []),
    ...(can('edit_prices') ? [h('h2', {}, t('setup_prices')), priceBox] : []),
    ...(can('manage_devices') ? [h('h2', {}, t('setup_devices')), devBox] : []));
  let closed = false;

  /** The kilns seen, with each one's live state. */
  const drawKilns = (kilns: { workshop: string; kiln: string }[]) => {
    if (kilns.length === 0) { kilnsBox.replaceChildren(emptyEl(h('p', {}, h('strong', {}, t('empty_kilns'))), simulatorHint())); return; }
    kilnsBox.replaceChildren(h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...[t('workshop'), t('kiln'), t('status'), t('stage'), t('temp'), t('last_reading')].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...kilns.map((k) => {
        const v = live.kilns.get(kilnKey(k));
        return h('tr', {}, h('td', {}, k.workshop), h('td', {}, h('a', { href: `/kiln/${enc(k.workshop)}/${enc(k.kiln)}`, 'data-link': true }, k.kiln)),
          h('td', {}, live.online(kilnKey(k)) ? t('online') : t('offline')), h('td', {}, v ? stageName(v.stage) : '—'), h('td', {}, fmtC(v?.kiln_temp_c)), h('td', {}, fmtDate(v?.newest_reading_ms)));
      })))));
  };

  void (async () => {
    const kilns = await knownKilns();
    if (closed) return;
    drawKilns(kilns);
    if (can('edit_alert_settings')) alertSettingsSection(alertBox, kilns);
    const form = can('edit_baselines') ? baselineForm(baseBox, [...new Set(kilns.map((k) => k.workshop))]) : null;
    if (can('manage_devices')) devicesSection(devBox, await deviceWorkshops(kilns.map((k) => k.workshop)));
    // knownKilns waits a few seconds for the live view's first snapshot; on a slow link or a busy
    // service it comes later, and its kilns are added then (the forms keep what was typed).
    await live.loadedOnce();
    if (closed) return;
    const later = await knownKilns();
    const had = new Set(kilns.map(kilnKey));
    if (closed || later.every((k) => had.has(kilnKey(k)))) return;
    drawKilns(later);
    if (kilns.length === 0 && can('edit_alert_settings')) alertSettingsSection(alertBox, later);
    form?.addWorkshops([...new Set(later.map((k) => k.workshop))]);
  })();

  async function prices(): Promise<void> {
    const cur = await loadInto(priceBox, () => api<{ prices: PriceEntry[]; source: string; by: string | null; saved_at_ms: number | null }>(`/api/prices`), () => void prices());
    if (!cur || closed) return;
    const row = (p?: PriceEntry) => {
      const tr: HTMLTableRowElement = h('tr', {},
        h('td', {}, h('input', { type: 'date', name: 'valid_from', value: p?.valid_from ?? isoDay(0), 'aria-label': t('valid_from') })),
        h('td', {}, numberField(h('input', { name: 'vnd_per_kg', value: numValue(p?.vnd_per_kg), 'aria-label': t('price_vnd_kg') }), t('u_vnd_per_kg_lpg'))),
        h('td', {}, h('input', { name: 'source', value: p?.source ?? '', 'aria-label': t('source') })),
        h('td', {}, p ? h('small', { class: 'muted' }, fmtVnd(p.vnd_per_kg)) : '', h('button', { type: 'button', onclick: () => tr.remove() }, t('remove'))));
      return tr;
    };
    const tbody = h('tbody', {}, ...cur.prices.map(row));
    // Who saved the list in force; replaced by the service's answer after a save.
    const who = h('div', { id: 'price-saved-by' }, cur.source === 'default' ? h('p', { class: 'muted' }, t('prices_source_default')) : savedByLine(cur.by, cur.saved_at_ms));
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
        const saved = await putJson<{ by: string | null; saved_at_ms: number | null }>('/api/prices', { prices: list });
        who.replaceChildren(savedByLine(saved.by, saved.saved_at_ms) ?? '');
        msg.ok(t('saved'));
      } catch (err) {
        msg.error(err instanceof FormError ? err.message : (err as Error).message);
      }
    };
    priceBox.replaceChildren(h('form', { id: 'price-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
      who,
      h('div', { class: 'table-wrap' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...[t('valid_from'), t('price_vnd_kg'), t('source'), t('actions')].map((c) => h('th', {}, c)))), tbody)),
      h('button', { type: 'button', onclick: () => tbody.append(row()) }, t('add_row')), h('button', { type: 'submit' }, t('save')), msg.el));
  }
  if (can('edit_prices')) void prices();
  return () => { closed = true; };
}

/** The workshops whose devices the user may manage: their own, or for an admin the registry's and those seen. */
async function deviceWorkshops(seen: string[]): Promise<string[]> {
  const scope = currentUser()?.scope ?? [];
  if (scope !== 'all') return [...scope];
  let registry: string[] = [];
  try {
    const r = await api<{ workshops: { id: string }[] }>('/api/workshops');
    registry = r.workshops.map((w) => w.id);
  } catch { /* no registry yet: the workshops seen */ }
  return [...new Set([...registry, ...seen])].sort();
}
