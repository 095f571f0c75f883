// Changing one's own password (POST /api/auth/password). After a first login with a one-time
// password this page comes first and nothing else opens until it is done (main.ts; the service
// refuses everything else with 403 password_change_required anyway).
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { FormError, input, messageLine, saveForm } from '../forms.ts';
import { t } from '../i18n.ts';
import { currentUser, safeNext, setCurrentUser, type Me } from '../session.ts';

const MIN_LENGTH = 10; // the service's own minimum (src/access/service.ts)

export function renderPassword(root: HTMLElement, _p: string[], query: URLSearchParams): void {
  const forced = currentUser()?.must_change_password === true;
  const cur = input('current_password', forced ? t('password_one_time') : t('password_current'), { type: 'password', autocomplete: 'current-password' });
  const pw1 = input('new_password', t('password_new'), { type: 'password', autocomplete: 'new-password', minlength: MIN_LENGTH });
  const pw2 = input('new_password2', t('password_repeat'), { type: 'password', autocomplete: 'new-password' });
  const msg = messageLine();
  const read = () => {
    if (!cur.el.value) throw new FormError(t('required', { field: cur.label.firstChild?.textContent ?? '' }));
    if (pw1.el.value.length < MIN_LENGTH) throw new FormError(t('password_too_short', { n: MIN_LENGTH }));
    if (pw1.el.value !== pw2.el.value) throw new FormError(t('password_mismatch'));
    return { current_password: cur.el.value, new_password: pw1.el.value };
  };
  const save = async (body: { current_password: string; new_password: string }) => {
    const me = await api<Me>('/api/auth/password', { method: 'POST', body: JSON.stringify(body) });
    setCurrentUser(me);
    for (const f of [cur, pw1, pw2]) f.el.value = '';
    if (forced) location.assign(safeNext(query.get('next'))); // a whole page load: everything opens now
    else msg.ok(t('password_changed'));
  };
  root.append(h('form', { id: 'password-form', class: 'card-form narrow', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void saveForm(msg, read, save); } },
    h('h1', {}, t('password_title')),
    forced ? h('p', { class: 'warn', id: 'password-forced' }, t('password_forced')) : null,
    cur.label, pw1.label, pw2.label, h('button', { type: 'submit' }, t('password_button')), msg.el));
}
