// Alerts in the page (docs/alerts.md, delivered on the dashboard): the banner of active unacknowledged
// alerts at the top of every page, the acknowledge control (an optional note), the
// alert history (GET /api/workshops/:ws/alerts?from&to) used by the kiln page and /alerts.
import { api, enc } from '../api.ts';
import { notifySettings } from './notify-settings.ts';
import { ackAlert, alertFigures, alertMessage, alerts } from '../alerts.ts';
import { kilnKey } from '../live.ts';
import { emptyEl, h } from '../dom.ts';
import { loadInto } from '../load.ts';
import { fmtDate, t, type Key } from '../i18n.ts';
import { isoDay, knownKilns } from '../known.ts';
import type { Alert } from '../types.ts';
import { can } from '../session.ts';

const MAX_IN_BANNER = 5;
export const severityLabel = (a: Alert) => t(`sev_${a.severity}` as Key);
const kilnHref = (a: Alert) => `/kiln/${enc(a.workshop)}/${enc(a.kiln)}`;

/** "Đã biết / Acknowledge": a button that opens a small inline form (an optional note), posts the
 *  acknowledgement (recorded as the logged-in user's) and calls done with the service's answer. */
export function ackControl(a: Alert, done?: (a: Alert) => void): HTMLElement {
  const wrap = h('span', { class: 'ack' });
  if (!can('ack_alerts')) return wrap; // a role that may not acknowledge (the service refuses anyway)
  const button = () => h('button', { type: 'button', class: 'ack-btn', onclick: open }, t('ack'));
  function open(): void {
    const note = h('input', { name: 'ack_note', placeholder: t('ack_note'), 'aria-label': t('ack_note'), size: 14 });
    const msg = h('span', { class: 'ack-msg', role: 'alert' });
    const submit = async (e: Event) => {
      e.preventDefault();
      msg.textContent = '';
      const send = form.querySelector('button[type=submit]') as HTMLButtonElement;
      send.disabled = true;
      try {
        const r = await ackAlert(a, note.value.trim() || undefined);
        done?.(r);
      } catch (err) {
        msg.textContent = `${t('error')}: ${(err as Error).message}`;
        send.disabled = false;
      }
    };
    const form = h('form', { class: 'ack-form', onsubmit: (e: Event) => void submit(e) }, note,
      h('button', { type: 'submit' }, t('ack_confirm')), h('button', { type: 'button', onclick: () => wrap.replaceChildren(button()) }, t('cancel')), msg);
    wrap.replaceChildren(form);
    note.focus();
  }
  wrap.append(button());
  return wrap;
}

interface Item { li: HTMLLIElement; sev: HTMLElement; msg: HTMLElement; fig: HTMLElement }

/** The banner's alert part: one element per alert, kept across updates (an open acknowledge form
 *  survives other alerts arriving); rebuilt when the language changes. */
export function alertBanner(): { el: HTMLElement; render(force?: boolean): void } {
  const el = h('section', { id: 'alert-banner', 'aria-live': 'assertive', hidden: true });
  // On a phone the list folds away behind one line with the count (the CSS hides it below 720 px
  // unless expanded); the toggle says whether it is open.
  const summary = h('button', { type: 'button', class: 'alert-summary', 'aria-expanded': 'false', 'aria-controls': 'alert-list' });
  const list = h('ul', { id: 'alert-list' });
  let expanded = false;
  summary.addEventListener('click', () => { expanded = !expanded; el.classList.toggle('expanded', expanded); drawSummary(); });
  let count = 0;
  const drawSummary = () => {
    summary.setAttribute('aria-expanded', String(expanded));
    summary.replaceChildren(h('strong', {}, t('alerts_unacked', { n: count })), h('span', { class: 'alert-toggle' }, expanded ? `▴ ${t('alerts_hide')}` : `▾ ${t('alerts_show')}`));
  };
  const more = h('p', { class: 'alert-more' });
  const lost = h('p', { class: 'warn', hidden: true });
  el.append(summary, list, more, lost);
  const items = new Map<string, Item>();

  function item(a: Alert): Item {
    const sev = h('span', { class: 'sev' });
    const msg = h('span', { class: 'alert-msg' });
    const fig = h('span', { class: 'alert-fig' });
    const li = h('li', { class: `alert-item sev-${a.severity}`, 'data-alert-id': a.alert_id, 'data-kiln': kilnKey(a) },
      sev, h('a', { class: 'alert-kiln', href: kilnHref(a), 'data-link': true }, `${a.workshop} / ${a.kiln}`),
      msg, fig, h('time', { class: 'muted' }, fmtDate(a.raised_at_ms)), ackControl(a));
    return { li, sev, msg, fig };
  }

  function render(force = false): void {
    if (force) { items.clear(); list.replaceChildren(); }
    const all = alerts.unacked();
    const shown = all.slice(0, MAX_IN_BANNER);
    const ids = new Set(shown.map((a) => `${kilnKey(a)}|${a.alert_id}`));
    for (const [id, it] of items) if (!ids.has(id)) { it.li.remove(); items.delete(id); }
    shown.forEach((a, i) => {
      const id = `${kilnKey(a)}|${a.alert_id}`;
      let it = items.get(id);
      if (!it) { it = item(a); items.set(id, it); }
      if (list.children[i] !== it.li) list.insertBefore(it.li, list.children[i] ?? null);
      it.sev.textContent = severityLabel(a);
      it.msg.textContent = alertMessage(a);
      it.fig.textContent = alertFigures(a);
    });
    count = all.length;
    drawSummary();
    more.replaceChildren(...(all.length > MAX_IN_BANNER ? [h('a', { href: '/alerts', 'data-link': true }, t('alerts_more', { n: all.length - MAX_IN_BANNER }))] : []));
    lost.textContent = t('alerts_lost');
    lost.hidden = alerts.status !== 'lost';
    summary.hidden = all.length === 0;
    el.hidden = all.length === 0 && lost.hidden;
  }
  return { el, render };
}

/** A kiln's (or a workshop's) alerts from the history, newest first; unacknowledged ones can be acknowledged here. */
export function alertHistory(box: HTMLElement, q: { workshop: string; kiln?: string; from?: string; to?: string }): void {
  const params = new URLSearchParams();
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  void (async () => {
    const r = await loadInto(box, () => api<{ alerts: Alert[] }>(`/api/workshops/${enc(q.workshop)}/alerts${params.toString() ? `?${params.toString()}` : ''}`), () => alertHistory(box, q));
    if (!r) return;
    const list = r.alerts.filter((a) => !q.kiln || a.kiln === q.kiln);
    if (list.length === 0) { box.replaceChildren(emptyEl(h('p', {}, t('no_alert_history')))); return; }
    const fill = (td: HTMLElement, a: Alert): void => {
      td.replaceChildren(a.acked_by !== null
        ? `${a.acked_by} · ${fmtDate(a.acked_at_ms)}${a.ack_note ? ` · ${a.ack_note}` : ''}`
        : ackControl(a, (x) => fill(td, x)));
    };
    const rows = list.map((a) => {
      const td = h('td', { class: 'acked' });
      fill(td, a);
      return h('tr', { 'data-alert-id': a.alert_id, class: `sev-${a.severity}` },
        h('td', {}, fmtDate(a.raised_at_ms)), q.kiln ? null : h('td', {}, h('a', { href: kilnHref(a), 'data-link': true }, a.kiln)),
        h('td', {}, h('span', { class: `sev-badge sev-${a.severity}` }, severityLabel(a))), h('td', {}, alertMessage(a)), h('td', {}, alertFigures(a)),
        h('td', {}, a.cleared_at_ms === null ? h('strong', {}, t('still_active')) : fmtDate(a.cleared_at_ms)), td);
    });
    const heads = [t('raised_at'), q.kiln ? null : t('kiln'), t('severity'), t('message'), t('value_limit'), t('cleared_at'), t('acknowledged')].filter((x): x is string => x !== null);
    box.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'alert-history' }, h('thead', {}, h('tr', {}, ...heads.map((c) => h('th', {}, c)))), h('tbody', {}, ...rows))));
  })();
}

/** /alerts: the active alerts (acknowledged ones too) and a workshop's history over dates. */
export function renderAlerts(root: HTMLElement, _params: string[], query: URLSearchParams): () => void {
  const activeBox = h('div', { id: 'alerts-active' });
  const histBox = h('div', { id: 'alert-history' });
  const ws = h('select', { id: 'a-workshop', name: 'workshop', 'aria-label': t('workshop') });
  const from = h('input', { type: 'date', name: 'from', value: query.get('from') ?? isoDay(7), 'aria-label': t('from') });
  const to = h('input', { type: 'date', name: 'to', value: query.get('to') ?? isoDay(0), 'aria-label': t('to') });
  const show = () => {
    if (!ws.value) { histBox.replaceChildren(emptyEl(h('p', {}, t('empty_kilns')))); return; }
    alertHistory(histBox, { workshop: ws.value, from: `${from.value}T00:00:00+07:00`, to: `${to.value}T23:59:59+07:00` });
  };
  root.append(h('h1', {}, t('nav_alerts')), notifySettings(), h('h2', {}, t('alerts_active')), activeBox, h('h2', {}, t('alert_history')),
    h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); show(); } },
      h('label', {}, t('workshop'), ws), h('label', {}, t('from'), from), h('label', {}, t('to'), to), h('button', { type: 'submit' }, t('show'))),
    histBox);
  const drawActive = () => {
    const list = alerts.active;
    activeBox.replaceChildren(list.length === 0 ? emptyEl(h('p', {}, t('no_alerts'))) : h('ul', { class: 'alert-active-list' }, ...list.map((a) =>
      h('li', { class: `alert-item sev-${a.severity}`, 'data-alert-id': a.alert_id }, h('span', { class: 'sev' }, severityLabel(a)),
        h('a', { href: kilnHref(a), 'data-link': true }, `${a.workshop} / ${a.kiln}`), h('span', {}, alertMessage(a)), h('span', { class: 'alert-fig' }, alertFigures(a)),
        a.acked_by !== null ? h('em', {}, t('acked_by', { by: a.acked_by, at: fmtDate(a.acked_at_ms) })) : null))));
  };
  drawActive();
  const unsub = alerts.subscribe(drawActive);
  let closed = false;
  void (async () => {
    const kilns = await knownKilns();
    if (closed) return;
    const names = [...new Set([...kilns.map((k) => k.workshop), ...alerts.active.map((a) => a.workshop)])].sort();
    ws.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    const want = query.get('workshop');
    if (want && names.includes(want)) ws.value = want;
    show();
  })();
  return () => { closed = true; unsub(); };
}
