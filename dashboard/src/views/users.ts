// Users and the workshops registry, for admins (manage_users): GET/POST /api/users,
// PATCH /api/users/:id (role, workshops, villages, disabled), POST /api/users/:id/password-reset;
// GET /api/workshops, PUT/DELETE /api/workshops/:id. A new user's or a reset one-time password
// is shown once (secret.ts); the user must change it at first login.
import { api, del, enc, patchJson, postJson, putJson } from '../api.ts';
import { emptyEl, h } from '../dom.ts';
import { FormError, input, messageLine, saveForm, textOf } from '../forms.ts';
import { fmtDate, t, type Key } from '../i18n.ts';
import { loadInto } from '../load.ts';
import { listOf, shownOnce } from '../secret.ts';
import { currentUser } from '../session.ts';
import { ROLES, type Role } from '../../../src/domain/access/roles.ts';
import type { PublicUser } from '../../../src/access/service.ts';

export interface Workshop { id: string; name: string; village: string }

export const roleName = (r: Role): string => t(`role_${r}` as Key);
const roleSelect = (value: Role) => h('select', { name: 'role', 'aria-label': t('role') }, ...ROLES.map((r) => h('option', { value: r, selected: r === value }, roleName(r))));
/** The list whether the service wraps it ({ users: [...] }) or not. */
const unwrap = <T>(r: T[] | Record<string, T[]>, key: string): T[] => (Array.isArray(r) ? r : r[key] ?? []);

export function renderUsers(root: HTMLElement): void {
  const listBox = h('div', { id: 'user-list' });
  const onceBox = h('div', { id: 'user-secret' });
  const wsBox = h('div', { id: 'workshop-list' });
  root.append(h('h1', {}, t('nav_users')), onceBox, addUserForm(onceBox, () => void users()), listBox,
    h('h2', {}, t('workshops_title')), h('p', { class: 'muted' }, t('workshops_help')), wsBox);

  async function users(): Promise<void> {
    const r = await loadInto(listBox, () => api<PublicUser[] | Record<string, PublicUser[]>>('/api/users'), () => void users());
    if (!r) return;
    const list = unwrap(r, 'users');
    if (list.length === 0) { listBox.replaceChildren(emptyEl(t('users_none'))); return; }
    listBox.replaceChildren(h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ...[t('username'), t('role'), t('workshops'), t('villages'), t('status'), t('actions')].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...list.map((u) => userRow(u))))));
  }

  function userRow(u: PublicUser): HTMLTableRowElement {
    const msg = messageLine();
    const role = roleSelect(u.role);
    const ws = h('input', { name: 'workshops', value: u.workshops.join(', '), 'aria-label': t('workshops') });
    const vil = h('input', { name: 'villages', value: u.villages.join(', '), 'aria-label': t('villages') });
    const self = currentUser()?.id === u.id;
    const act = async (f: () => Promise<void>) => { msg.clear(); try { await f(); } catch (err) { msg.error((err as Error).message); } };
    const save = () => act(async () => { await patchJson(`/api/users/${enc(u.id)}`, { role: role.value, workshops: listOf(ws.value), villages: listOf(vil.value) }); await users(); });
    const toggle = () => act(async () => { await patchJson(`/api/users/${enc(u.id)}`, { disabled: u.disabled_at_ms === null }); await users(); });
    const reset = () => act(async () => {
      if (!confirm(t('reset_confirm', { user: u.username }))) return;
      const r = await postJson<{ one_time_password: string }>(`/api/users/${enc(u.id)}/password-reset`, {});
      onceBox.replaceChildren(shownOnce(t('one_time_for', { user: u.username }), [{ label: t('password'), value: r.one_time_password, cls: 'one-time' }]));
      onceBox.scrollIntoView();
    });
    return h('tr', { 'data-user': u.username, class: u.disabled_at_ms !== null ? 'disabled' : '' },
      h('td', {}, u.username, self ? h('small', { class: 'muted' }, ` (${t('you')})`) : null),
      h('td', {}, role), h('td', {}, ws), h('td', {}, vil),
      h('td', {}, u.disabled_at_ms !== null ? `${t('user_disabled')} ${fmtDate(u.disabled_at_ms)}` : u.must_change_password ? t('user_must_change') : t('user_active')),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'save-user', onclick: () => void save() }, t('save')),
        h('button', { type: 'button', class: 'toggle-user', onclick: () => void toggle() }, u.disabled_at_ms !== null ? t('user_enable') : t('user_disable')),
        h('button', { type: 'button', class: 'reset-user', onclick: () => void reset() }, t('reset_password')),
        msg.el));
  }

  async function workshops(): Promise<void> {
    const r = await loadInto(wsBox, () => api<Workshop[] | Record<string, Workshop[]>>('/api/workshops'), () => void workshops());
    if (!r) return;
    const list = unwrap(r, 'workshops');
    const msg = messageLine();
    const remove = async (w: Workshop) => {
      if (!confirm(t('workshop_delete_confirm', { id: w.id }))) return;
      try { await del(`/api/workshops/${enc(w.id)}`); await workshops(); } catch (err) { msg.error((err as Error).message); }
    };
    const id = input('id', t('workshop_id'));
    const name = input('name', t('workshop_name'));
    const village = input('village', t('village'));
    const read = () => {
      const v = textOf(id.el, t('workshop_id'))!;
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(v)) throw new FormError(t('id_rule', { field: t('workshop_id') }));
      return { id: v, name: textOf(name.el, t('workshop_name'))!, village: textOf(village.el, t('village'))! };
    };
    const save = async (w: Workshop) => { await putJson(`/api/workshops/${enc(w.id)}`, { name: w.name, village: w.village }); await workshops(); };
    wsBox.replaceChildren(
      list.length === 0 ? emptyEl(t('workshops_none')) : h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ...[t('workshop_id'), t('workshop_name'), t('village'), t('actions')].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...list.map((w) => h('tr', { 'data-workshop': w.id }, h('td', {}, w.id), h('td', { class: 'ws-name' }, w.name), h('td', {}, w.village),
          h('td', {}, h('button', { type: 'button', onclick: () => { id.el.value = w.id; name.el.value = w.name; village.el.value = w.village; } }, t('edit')),
            h('button', { type: 'button', class: 'delete-workshop', onclick: () => void remove(w) }, t('remove')))))))),
      h('form', { id: 'workshop-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void saveForm(msg, read, save); } },
        h('h2', {}, t('workshop_add')), id.label, name.label, village.label, h('button', { type: 'submit' }, t('save')), msg.el));
  }

  void users();
  void workshops();
}

function addUserForm(onceBox: HTMLElement, reload: () => void): HTMLElement {
  const msg = messageLine();
  const username = input('username', t('username'), { autocomplete: 'off', autocapitalize: 'none' });
  const role = roleSelect('owner');
  const ws = input('workshops', t('workshops_hint'));
  const vil = input('villages', t('villages_hint'));
  const read = () => {
    const u = textOf(username.el, t('username'))!.toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(u)) throw new FormError(t('username_rule'));
    return { username: u, role: role.value, workshops: listOf(ws.el.value), villages: listOf(vil.el.value) };
  };
  const save = async (body: { username: string }) => {
    const r = await postJson<{ user: PublicUser; one_time_password: string | null }>('/api/users', body);
    if (r.one_time_password) onceBox.replaceChildren(shownOnce(t('one_time_for', { user: r.user.username }), [{ label: t('password'), value: r.one_time_password, cls: 'one-time' }]));
    username.el.value = '';
    msg.ok(t('user_added', { user: r.user.username }));
    reload();
  };
  return h('form', { id: 'user-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void saveForm(msg, read, save); } },
    h('h2', {}, t('user_add')), username.label, h('label', {}, t('role'), role), ws.label, vil.label,
    h('p', { class: 'muted' }, t('user_add_help')), h('button', { type: 'submit' }, t('user_add')), msg.el);
}
