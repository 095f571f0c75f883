// Logging in (POST /api/auth/login: the service sets an HTTP-only session cookie the page never
// sees). A wrong password (401) and too many attempts (429) say so; success goes back to where
// the user was (?next=), or first to the password change when the password is a one-time one.
import { api, ApiError } from '../api.ts';
import { h } from '../dom.ts';
import { input } from '../forms.ts';
import { t } from '../i18n.ts';
import { safeNext, type Me } from '../session.ts';

export function renderLogin(root: HTMLElement, _p: string[], query: URLSearchParams): void {
  const next = safeNext(query.get('next'));
  const user = input('username', t('username'), { autocomplete: 'username', autocapitalize: 'none', spellcheck: false, required: true });
  const pass = input('password', t('password'), { type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { id: 'login-msg', class: 'form-msg', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, t('login_button'));
  const fail = (text: string) => { msg.className = 'form-msg error'; msg.setAttribute('role', 'alert'); msg.textContent = text; };
  const submit = async (e: Event) => {
    e.preventDefault();
    msg.className = 'form-msg';
    msg.textContent = '';
    const username = user.el.value.trim();
    if (!username || !pass.el.value) { fail(t('login_missing')); return; }
    button.disabled = true;
    try {
      const me = await api<Me>('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password: pass.el.value }) });
      // A whole page load: the live streams and everything else start again as this user.
      location.assign(me.must_change_password ? `/password?next=${encodeURIComponent(next)}` : next);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      fail(status === 401 ? t('login_wrong') : status === 429 ? t('login_too_many') : `${t('error')}: ${(err as Error).message}`);
      pass.el.value = '';
      pass.el.focus();
    } finally {
      button.disabled = false;
    }
  };
  root.append(h('form', { id: 'login-form', class: 'card-form narrow', novalidate: true, onsubmit: (e: Event) => void submit(e) },
    h('h1', {}, t('login_title')), user.label, pass.label, button, msg));
  user.el.focus();
}
