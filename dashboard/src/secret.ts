// A secret the service returns once (a one-time password, an API token, a device secret): shown
// in a box with a copy button and a warning that it cannot be shown again. Text only (textContent).
import { h } from './dom.ts';
import { t } from './i18n.ts';

export function shownOnce(title: string, items: { label: string; value: string; cls: string }[]): HTMLElement {
  return h('div', { class: 'secret-once', role: 'status' },
    h('p', {}, h('strong', {}, title)),
    ...items.map((it) => {
      const code = h('code', { class: `secret ${it.cls}` }, it.value);
      const status = h('span', { class: 'copy-status muted', 'aria-live': 'polite' });
      const copy = async () => {
        try {
          await navigator.clipboard.writeText(it.value);
          status.textContent = t('copied');
        } catch {
          // No clipboard (plain http on another host): select the text for Ctrl+C instead.
          const range = document.createRange();
          range.selectNodeContents(code);
          getSelection()?.removeAllRanges();
          getSelection()?.addRange(range);
          status.textContent = t('copy_select');
        }
      };
      return h('div', { class: 'secret-row' }, h('span', { class: 'secret-label' }, it.label), code,
        h('button', { type: 'button', class: `copy ${it.cls}`, onclick: () => void copy() }, t('copy')), status);
    }),
    h('p', { class: 'warn' }, t('shown_once_warning')));
}

/** A comma- or space-separated list from a text field: ['a', 'b']. */
export const listOf = (s: string): string[] => s.split(/[,\s]+/).map((x) => x.trim()).filter(Boolean);
