// A one-time link (#/invite/TOKEN or #/reset/TOKEN): says whom it is for, and lets that person
// set their password. No sign-in needed: the link is the credential. The token leaves the
// address bar once used, so it is not left in the history.

import { h, replace, focus, announce } from '../dom.js';
import { account } from './admin-api.js';
import { passwordField, PASSWORD_HINT } from './account.js';

export async function renderRedeem(root, kind, token, { go }) {
  document.title = `${kind === 'invite' ? 'Accept your invitation' : 'Set a new password'} · Resistance practice room`;
  const head = (title) => h('h1', { id: 'redeem-title', text: title });
  let info;
  try {
    info = await account.checkLink(token || '');
  } catch (err) {
    replace(root, h('section', { class: 'card narrow-form', 'aria-labelledby': 'redeem-title' },
      head('This link does not work'),
      h('p', { class: 'notice notice-error', role: 'alert', text: err.message }),
      h('p', {}, h('a', { href: '#/login', text: 'Go to sign in' }))));
    focus(root.querySelector('h1'));
    return null;
  }
  const invite = info.kind === 'invite';
  const next = passwordField('redeem-new', 'Choose a password', 'new-password', PASSWORD_HINT);
  const again = passwordField('redeem-again', 'The same password again', 'new-password');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', text: invite ? 'Create my account' : 'Set my new password' });
  const form = h('form', { novalidate: true }, h('input', { type: 'email', hidden: true, autocomplete: 'username', value: info.email, 'aria-hidden': 'true', tabindex: '-1' }),
    next.wrap, again.wrap, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    next.clear();
    again.clear();
    if (next.input.value !== again.input.value) { again.fail('The two passwords differ; type the same one twice.'); focus(again.input); return; }
    submit.disabled = true;
    try {
      await account.redeemLink(token, next.input.value);
      window.history.replaceState(null, '', '#/login');
      replace(root, h('section', { class: 'card narrow-form', 'aria-labelledby': 'redeem-title' },
        head(invite ? 'Your account is ready' : 'Your password is set'),
        h('p', { class: 'notice notice-info', role: 'status', id: 'redeem-done', text: `You can now sign in as ${info.email}.${invite ? '' : ' Every earlier sign-in has ended.'}` }),
        // the address already reads #/login (the token left it), so the link routes itself
        h('p', {}, h('a', { class: 'btn btn-primary', href: '#/login', text: 'Sign in', onclick: (event) => { event.preventDefault(); go('/login'); } }))));
      focus(root.querySelector('h1'));
      announce(invite ? 'Your account is ready.' : 'Your password is set.');
    } catch (err) {
      if (err.field === 'password') next.fail(err.message.replace(/^password: /, ''));
      else next.fail(err.message);
      focus(next.input);
      submit.disabled = false;
    }
  });
  replace(root, h('section', { class: 'card narrow-form', 'aria-labelledby': 'redeem-title' },
    head(invite ? `Welcome, ${info.display_name}` : 'Set a new password'),
    h('p', {}, invite
      ? `You were invited to the practice room as ${info.email}. Choose a password to create your account.`
      : `Choose a new password for ${info.email} (${info.display_name}).`),
    h('p', { class: 'small muted', text: `This link works once, until ${new Date(info.expires_at).toLocaleString()}.` }),
    form));
  focus(root.querySelector('h1'));
  return null;
}
