// One's own API tokens (for scripts: Authorization: Bearer kt_…): GET/POST /api/tokens,
// DELETE /api/tokens/:id. A new token is shown once; the service keeps only its hash.
import { api, del, enc, postJson } from '../api.ts';
import { emptyEl, h } from '../dom.ts';
import { input, messageLine, saveForm, textOf } from '../forms.ts';
import { fmtDate, t } from '../i18n.ts';
import { loadInto } from '../load.ts';
import { shownOnce } from '../secret.ts';

interface Token { id: string; name: string; created_at_ms: number; revoked_at_ms: number | null }

export function renderTokens(root: HTMLElement): void {
  const listBox = h('div', { id: 'token-list' });
  const onceBox = h('div', { id: 'token-secret' });
  const msg = messageLine();
  const name = input('name', t('token_name'), { maxlength: 80 });
  const save = async (n: string) => {
    const r = await postJson<{ id: string; name: string; token: string }>('/api/tokens', { name: n });
    onceBox.replaceChildren(shownOnce(t('token_new', { name: r.name }), [{ label: t('token'), value: r.token, cls: 'api-token' }]));
    name.el.value = '';
    await list();
  };
  root.append(h('h1', {}, t('nav_tokens')), h('p', { class: 'muted' }, t('tokens_help')), onceBox,
    h('form', { id: 'token-form', class: 'card-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void saveForm(msg, () => textOf(name.el, t('token_name'))!, save); } },
      name.label, h('button', { type: 'submit' }, t('token_create')), msg.el),
    listBox);

  async function list(): Promise<void> {
    const r = await loadInto(listBox, () => api<Token[] | { tokens: Token[] }>('/api/tokens'), () => void list());
    if (!r) return;
    const tokens = Array.isArray(r) ? r : r.tokens;
    if (tokens.length === 0) { listBox.replaceChildren(emptyEl(t('tokens_none'))); return; }
    const err = messageLine();
    const revoke = async (tk: Token) => {
      if (!confirm(t('token_revoke_confirm', { name: tk.name }))) return;
      try { await del(`/api/tokens/${enc(tk.id)}`); await list(); } catch (e) { err.error((e as Error).message); }
    };
    listBox.replaceChildren(err.el, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ...[t('token_name'), t('created'), t('status'), t('actions')].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...tokens.map((tk) => h('tr', { 'data-token': tk.id }, h('td', { class: 'token-name' }, tk.name), h('td', {}, fmtDate(tk.created_at_ms)),
        h('td', {}, tk.revoked_at_ms === null ? t('active') : `${t('revoked')} ${fmtDate(tk.revoked_at_ms)}`),
        h('td', {}, tk.revoked_at_ms === null ? h('button', { type: 'button', class: 'revoke', onclick: () => void revoke(tk) }, t('revoke')) : null)))))));
  }
  void list();
}
