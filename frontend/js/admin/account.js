// Everyone's own account: who they are signed in as, and changing their own password (the
// current one is required; their other sign-ins end, this one stays).

import { user } from '../api.js';
import { h, replace, label, announce, focus } from '../dom.js';
import { account } from './admin-api.js';

/** A labelled password field with its own error line. */
export function passwordField(id, text, autocomplete, hint) {
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const input = h('input', { id, type: 'password', autocomplete, required: true, maxlength: 256,
    'aria-describedby': [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ') });
  const wrap = h('div', { class: 'field' }, h('label', { for: id, text }),
    hint ? h('p', { class: 'small muted', id: `${id}-hint`, text: hint }) : null, input, error);
  return {
    wrap, input,
    fail(message) { error.textContent = message; error.hidden = false; input.setAttribute('aria-invalid', 'true'); },
    clear() { error.hidden = true; input.removeAttribute('aria-invalid'); },
  };
}

export const PASSWORD_HINT = 'At least 10 characters with at least 5 different ones, not a common password and not your email address. A few words make a good one.';

export async function renderAccount(root) {
  const me = user();
  document.title = 'Account · Resistance practice room';
  const current = passwordField('pw-current', 'Current password', 'current-password');
  const next = passwordField('pw-new', 'New password', 'new-password', PASSWORD_HINT);
  const again = passwordField('pw-again', 'New password again', 'new-password');
  const done = h('p', { class: 'notice notice-info', role: 'status', hidden: true, id: 'pw-done' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Change password' });
  const form = h('form', { class: 'card narrow-form', 'aria-labelledby': 'pw-title', novalidate: true },
    h('h2', { id: 'pw-title', text: 'Change your password' }),
    current.wrap, next.wrap, again.wrap, done, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of [current, next, again]) f.clear();
    done.hidden = true;
    if (!current.input.value) { current.fail('Enter your current password.'); focus(current.input); return; }
    if (next.input.value !== again.input.value) { again.fail('The two new passwords differ; type the same one twice.'); focus(again.input); return; }
    submit.disabled = true;
    try {
      await account.changePassword(current.input.value, next.input.value);
      for (const f of [current, next, again]) f.input.value = '';
      done.textContent = 'Your password was changed. Your other sign-ins (other browsers and devices) have ended; this one stays.';
      done.hidden = false;
      announce(done.textContent);
    } catch (err) {
      const target = err.field === 'current_password' ? current : next;
      target.fail(err.message.replace(/^(current_password|new_password): /, ''));
      focus(target.input);
    } finally { submit.disabled = false; }
  });
  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Your account' }),
      h('p', {}, `Signed in as ${me.display_name} (${me.email}), ${label(me.role).toLowerCase()}.`)),
    form);
  return null;
}
