// One kiln's card on the overview: built when it comes on screen, then only its text changes.
import { h } from '../dom.ts';
import { firingStatusName, fmtAgo, fmtC, fmtH, fmtKgH, fmtRate, fmtVnd, stageName, t } from '../i18n.ts';
import { live } from '../live.ts';
import { alertMessage, alerts } from '../alerts.ts';
import { severityLabel } from './alerts.ts';
import type { Alert, KilnLiveView } from '../types.ts';
import { drawSpark, extras, gasVsUsual, sparkEl } from './overview-extras.ts';

export interface Card { el: HTMLElement; f: Record<string, HTMLElement>; spark: SVGSVGElement }

const field = (label: string, cls: string) => {
  const v = h('dd', { class: cls });
  return { row: [h('dt', {}, label), v], v };
};

export function buildCard(key: string, v: KilnLiveView): Card {
  const names: [string, string][] = [
    ['stage', t('stage')], ['temp', t('temp')], ['rate', t('rate')], ['ttp', t('time_to_peak')], ['tte', t('time_to_end')],
    ['gas', t('gas_flow')], ['fuel', t('fuel_vs_usual')], ['cost', t('cost_so_far')], ['alerts', t('alerts')],
  ];
  const f: Record<string, HTMLElement> = {};
  const dl = h('dl', {});
  for (const [k, label] of names) { const x = field(label, k); f[k] = x.v; dl.append(...x.row); }
  f.online = h('span', { class: 'badge' });
  f.firing = h('span', { class: 'badge' });
  f.resync = h('span', { class: 'badge resync', title: t('resyncing_title'), hidden: true }, t('resyncing'));
  f.attention = h('span', { class: 'badge attention', hidden: true });
  f.seen = h('p', { class: 'seen' });
  const spark = sparkEl();
  const el = h('a', { class: 'card', href: `/kiln/${encodeURIComponent(v.workshop)}/${encodeURIComponent(v.kiln)}`, 'data-link': true, 'data-kiln': key },
    h('header', {}, h('strong', { class: 'name' }, v.kiln), h('span', { class: 'ws' }, v.workshop), f.online, f.firing, f.attention, f.resync), f.seen, spark, dl);
  return { el, f, spark };
}

/** Whether an alert still waits for someone to acknowledge it. */
export const isOpen = (a: Alert): boolean => a.acked_by === null;

/** The card's text from the live view, the extras and the alerts of its kiln now. */
export function fillCard(c: Card, key: string, v: KilnLiveView): void {
  const on = live.online(key);
  c.f.online!.textContent = on ? t('online') : t('offline');
  c.f.online!.className = `badge ${on ? 'ok' : 'off'}`;
  c.el.classList.toggle('offline', !on);
  const ago = live.sinceLastMessageMs(key);
  c.f.seen!.textContent = ago === null ? t('no_message_yet') : t('last_message_ago', { ago: fmtAgo(ago) });
  c.f.resync!.hidden = v.complete;
  c.f.firing!.textContent = v.firing ? firingStatusName(v.firing.status) : t('idle');
  c.f.firing!.className = `badge ${v.firing ? 'hot' : ''}`;
  c.f.stage!.textContent = stageName(v.stage);
  c.f.temp!.textContent = fmtC(v.kiln_temp_c);
  c.f.rate!.textContent = fmtRate(v.rate_c_h);
  c.f.ttp!.textContent = fmtH(v.eta.time_to_peak_h);
  c.f.tte!.textContent = fmtH(v.eta.time_to_end_h);
  c.f.gas!.textContent = fmtKgH(v.gas_flow_kg_h);
  const g = gasVsUsual(v, extras.usual.get(key));
  c.f.fuel!.textContent = g.text;
  c.f.fuel!.title = g.title;
  c.f.fuel!.classList.toggle('over', g.over);
  drawSpark(c.spark, extras.sparks.get(key), v.kiln_temp_c);
  c.f.cost!.textContent = fmtVnd(v.fuel.cost_vnd);
  const al = alerts.of(key);
  const sig = `${al.map((a) => `${a.alert_id}:${a.acked_by ?? ''}`).join(',')}|${t('no_alerts')}`;
  if (c.f.alerts!.dataset.sig !== sig) { // the text only changes with the alerts (or the language)
    c.f.alerts!.dataset.sig = sig;
    c.f.alerts!.replaceChildren(al.length === 0 ? t('no_alerts') : h('ul', { class: 'card-alerts' }, ...al.map((a) =>
      h('li', { class: `sev-${a.severity}${a.acked_by !== null ? ' acked' : ''}`, 'data-alert-id': a.alert_id },
        h('span', { class: `sev-badge sev-${a.severity}` }, severityLabel(a)), ' ', alertMessage(a),
        a.acked_by !== null ? h('em', {}, ` (${t('acked_short', { by: a.acked_by })})`) : null))));
  }
  const open = al.filter(isOpen);
  c.el.classList.toggle('has-alert', open.length > 0);
  // At a glance: how many alerts wait, coloured by the worst.
  const worst = open.some((a) => a.severity === 'critical') ? 'critical' : open.some((a) => a.severity === 'warning') ? 'warning' : 'info';
  c.f.attention!.hidden = open.length === 0;
  c.f.attention!.textContent = t('needs_attention', { n: open.length });
  c.f.attention!.className = `badge attention sev-${worst}`;
  c.el.classList.toggle('has-acked-alert', al.length > 0);
}
