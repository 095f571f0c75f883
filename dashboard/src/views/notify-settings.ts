// On the alerts page: system notifications on or off, or why they cannot be (plain http, a
// browser without them, permission refused), and that the in-page beep still works then.
import { h } from '../dom.ts';
import { t, type Key } from '../i18n.ts';
import { notifyState, setNotify, type NotifyState } from '../notify.ts';

const TEXT: Record<NotifyState, Key> = {
  insecure: 'notify_insecure', unsupported: 'notify_unsupported', denied: 'notify_denied', ask: 'notify_ask', on: 'notify_is_on', off: 'notify_is_off',
};

export function notifySettings(): HTMLElement {
  const msg = h('p', { id: 'notify-state' });
  const btn = h('button', { type: 'button', id: 'notify-toggle' });
  const el = h('section', { id: 'notify', class: 'notify' }, h('h2', {}, t('notify_title')), msg, btn);
  const draw = (s: NotifyState) => {
    el.dataset.state = s;
    msg.textContent = t(TEXT[s]);
    btn.hidden = s === 'insecure' || s === 'unsupported' || s === 'denied';
    btn.textContent = t(s === 'on' ? 'notify_turn_off' : 'notify_turn_on');
  };
  btn.addEventListener('click', () => { void setNotify(notifyState() !== 'on').then(draw); });
  draw(notifyState());
  return el;
}
