// Setup → alert thresholds per kiln (GET/PUT .../kilns/:kiln/alert-settings): every effective
// threshold beside its default, a form for the key ones (over-temperature margin, rate limits,
// cylinder tare ..., and the kiln's firing end rule: below a temperature or a time after gas-off,
// which the tracker folds with). A field left empty goes back to its default (the tare: not set). The PUT
// replaces what was saved, so the other saved overrides are sent along unchanged. The service's
// 400 (a value out of range, a clear threshold on the wrong side of its raise threshold) is shown
// in the page's language with the service's own words beside it.
import { api, ApiError, enc, putJson } from '../api.ts';
import { alerts } from '../alerts.ts';
import { emptyEl, h } from '../dom.ts';
import { loadInto } from '../load.ts';
import { FormError, input, messageLine, numberField, numberOf, numValue } from '../forms.ts';
import { fmtByName, fmtDate, t, type Key } from '../i18n.ts';
import type { AlertSettings, AlertSettingsView } from '../types.ts';

type Field = keyof AlertSettings;
/** The thresholds the form edits, in this order. */
const EDITED: readonly Field[] = [
  'over_temp_margin_c', 'over_temp_clear_margin_c', 'max_temp_c',
  'water_smoking_rate_c_h', 'quartz_heat_rate_c_h', 'quartz_cool_rate_c_h',
  'scale_tare_kg', 'cylinder_low_kg', 'silent_after_s', 'clock_skew_s',
  'firing_end_c', 'firing_end_after_gas_off_h',
];
/** The unit a threshold's name ends with, as the form shows it back. */
const unitOf = (f: string): string => (f.endsWith('_c_h') ? '°C/h' : f.endsWith('_c') ? '°C' : f.endsWith('_kg') ? 'kg' : f.endsWith('_s') ? t('u_seconds') : '');
const label = (f: string): string => (EDITED.includes(f as Field) ? t(`s_${f}` as Key) : f);

/** The service's 400 message ("settings.x: must not be above y (10), or the alert would flap; ...") in the page's language. */
export function settingsProblem(message: string): string {
  return message.split('; ').map((part) => {
    const m = /^(?:settings\.)?([a-z0-9_]+): (.*)$/.exec(part);
    if (!m) return part;
    const [, field = '', msg = ''] = m;
    const flap = /^must not be above ([a-z0-9_]+) \(([^)]*)\), or the alert would flap$/.exec(msg);
    if (flap) return t('setting_flap', { field: label(field), other: label(flap[1]!), v: flap[2]! });
    if (/too (big|small)|expected number|invalid/i.test(msg)) return t('setting_range', { field: label(field) });
    return `${label(field)}: ${msg}`;
  }).join('; ');
}

export function alertSettingsSection(box: HTMLElement, kilns: { workshop: string; kiln: string }[]): void {
  const keys = [...new Set([...kilns.map((k) => `${k.workshop}/${k.kiln}`), ...alerts.active.map((a) => `${a.workshop}/${a.kiln}`)])].sort();
  if (keys.length === 0) { box.replaceChildren(emptyEl(h('p', {}, t('empty_kilns')))); return; }
  const pick = h('select', { id: 'as-kiln', name: 'kiln', 'aria-label': t('kiln') }, ...keys.map((k) => h('option', { value: k }, k.replace('/', ' / '))));
  const body = h('div', {});
  box.replaceChildren(h('label', { class: 'pick' }, t('kiln'), pick), body);
  pick.addEventListener('change', () => void load());

  async function load(): Promise<void> {
    const i = pick.value.indexOf('/');
    const ws = pick.value.slice(0, i), kiln = pick.value.slice(i + 1);
    const path = `/api/workshops/${enc(ws)}/kilns/${enc(kiln)}/alert-settings`;
    const cur = await loadInto(body, () => api<AlertSettingsView>(path), () => void load());
    if (!cur) return;
    if (pick.value !== `${ws}/${kiln}`) return; // another kiln was picked meanwhile
    show(cur, path);
  }

  /** Draw the form; `note`: a message to show under it at once (after a save). */
  function show(cur: AlertSettingsView, path: string, note?: string): void {
    const inputs = EDITED.map((f) => {
      const v = cur.settings[f];
      const d = cur.defaults[f];
      const x = input(f, label(f), { value: numValue(v), placeholder: d === null ? t('not_set') : numValue(d) });
      numberField(x.el, unitOf(f));
      x.label.append(h('small', { class: 'muted' }, d === null ? t('setting_default_none') : t('setting_default', { v: fmtByName(f, d) })));
      return { f, el: x.el, label: x.label };
    });
    const msg = messageLine();
    if (note) msg.ok(note);
    const submit = async (e: Event) => {
      e.preventDefault();
      msg.clear();
      const patch: Record<string, number | null> = {};
      for (const [k, v] of Object.entries(cur.overrides)) if (v !== undefined) patch[k] = v;
      try {
        for (const { f, el } of inputs) {
          const v = numberOf(el, label(f), { min0: true, optional: true });
          if (v === undefined) { if (f === 'scale_tare_kg') patch[f] = null; else delete patch[f]; } else patch[f] = v;
          if (patch[f] === cur.defaults[f]) delete patch[f]; // the default: nothing to save
        }
      } catch (err) {
        if (err instanceof FormError) { msg.error(err.message); return; }
        throw err;
      }
      try {
        const saved = await putJson<AlertSettingsView>(path, { settings: patch });
        show(saved, path, t('saved'));
      } catch (err) {
        if (err instanceof ApiError && err.status === 400) {
          const local = settingsProblem(err.message);
          msg.error(local === err.message ? local : `${local} — ${t('service_said', { msg: err.message })}`);
        } else msg.error((err as Error).message);
      }
    };
    const all = (Object.keys(cur.settings) as Field[]).map((f) => {
      const v = cur.settings[f], d = cur.defaults[f];
      const saved = f in cur.overrides;
      return h('tr', { 'data-setting': f, class: saved ? 'saved' : '' }, h('td', {}, h('code', {}, f)), h('td', {}, v === null ? t('not_set') : fmtByName(f, v)),
        h('td', { class: 'muted' }, d === null ? t('not_set') : fmtByName(f, d)), h('td', {}, saved ? t('setting_saved') : t('setting_is_default')));
    });
    body.replaceChildren(
      h('p', { class: 'muted' }, cur.source === 'saved' ? t('settings_saved_by', { by: cur.by ?? '?', at: fmtDate(cur.saved_at_ms) }) : t('settings_default_src')),
      h('form', { id: 'alert-settings-form', class: 'card-form grid-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
        ...inputs.map((x) => x.label), h('button', { type: 'submit' }, t('save')), msg.el),
      h('details', { class: 'all-settings' }, h('summary', {}, t('all_thresholds')),
        h('div', { class: 'table-wrap' }, h('table', { id: 'alert-settings-all' }, h('thead', {}, h('tr', {}, ...[t('setting'), t('effective'), t('default'), ''].map((c) => h('th', {}, c)))), h('tbody', {}, ...all)))),
    );
  }
  void load();
}
