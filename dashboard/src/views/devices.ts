// Device credentials on the setup page (manage_devices: technicians, admins): a workshop's kiln
// loggers and gateways (GET/POST /api/workshops/:w/devices, DELETE …/:username). A new device's
// secret and a ready mosquitto_pub line are shown once; the service keeps only hashes.
import { api, del, enc, postJson } from '../api.ts';
import { emptyEl, h } from '../dom.ts';
import { FormError, input, messageLine, saveForm } from '../forms.ts';
import { fmtDate, t } from '../i18n.ts';
import { loadInto } from '../load.ts';
import { shownOnce } from '../secret.ts';

interface Device { username: string; workshop: string; kiln: string | null; created_at_ms: number; revoked_at_ms: number | null }
interface NewDevice { username: string; secret: string; workshop: string; kiln: string | null; mqtt_url: string; mosquitto_pub: string }

export function devicesSection(box: HTMLElement, workshops: string[]): void {
  if (workshops.length === 0) { box.replaceChildren(emptyEl(t('devices_no_workshop'))); return; }
  const pick = h('select', { id: 'dev-workshop', 'aria-label': t('workshop'), onchange: () => void list() }, ...workshops.map((w) => h('option', { value: w }, w)));
  const listBox = h('div', { id: 'device-list' });
  const onceBox = h('div', { id: 'device-secret' });
  const msg = messageLine();
  const kiln = input('kiln', t('kiln'), { placeholder: 'lo-1' });
  const gateway = h('input', { type: 'checkbox', name: 'gateway' });
  const read = () => {
    if (gateway.checked) return { kiln: null };
    const k = kiln.el.value.trim();
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(k)) throw new FormError(t('id_rule', { field: t('kiln') }));
    return { kiln: k };
  };
  const save = async (body: { kiln: string | null }) => {
    const r = await postJson<NewDevice>(`/api/workshops/${enc(pick.value)}/devices`, body);
    onceBox.replaceChildren(shownOnce(t('device_new', { user: r.username }), [
      { label: t('device_username'), value: r.username, cls: 'device-user' },
      { label: t('device_secret'), value: r.secret, cls: 'device-secret' },
      { label: 'mosquitto_pub', value: r.mosquitto_pub, cls: 'mosquitto-pub' },
    ]));
    kiln.el.value = '';
    await list();
  };
  box.replaceChildren(h('label', {}, t('workshop'), pick), onceBox, listBox,
    h('form', { id: 'device-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void saveForm(msg, read, save); } },
      h('h2', {}, t('device_add')), kiln.label, h('label', { class: 'check' }, gateway, t('device_gateway')),
      h('p', { class: 'muted' }, t('device_help')), h('button', { type: 'submit' }, t('device_create')), msg.el));

  async function list(): Promise<void> {
    const ws = pick.value;
    const r = await loadInto(listBox, () => api<{ devices: Device[] }>(`/api/workshops/${enc(ws)}/devices`), () => void list());
    if (!r || ws !== pick.value) return;
    if (r.devices.length === 0) { listBox.replaceChildren(emptyEl(t('devices_none'))); return; }
    const err = messageLine();
    const revoke = async (d: Device) => {
      if (!confirm(t('device_revoke_confirm', { user: d.username }))) return;
      try { await del(`/api/workshops/${enc(d.workshop)}/devices/${enc(d.username)}`); await list(); } catch (e) { err.error((e as Error).message); }
    };
    listBox.replaceChildren(err.el, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ...[t('device_username'), t('kiln'), t('created'), t('status'), t('actions')].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...r.devices.map((d) => h('tr', { 'data-device': d.username }, h('td', {}, d.username), h('td', {}, d.kiln ?? t('device_gateway')),
        h('td', {}, fmtDate(d.created_at_ms)), h('td', {}, d.revoked_at_ms === null ? t('active') : `${t('revoked')} ${fmtDate(d.revoked_at_ms)}`),
        h('td', {}, d.revoked_at_ms === null ? h('button', { type: 'button', class: 'revoke', onclick: () => void revoke(d) }, t('revoke')) : null)))))));
  }
  void list();
}
