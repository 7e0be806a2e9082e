// The sign-in form: email + password, errors shown next to the form and announced.

import { login } from './api.js';
import { h, replace, focus } from './dom.js';

export function renderLogin(root, { onSignedIn }) {
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
  const email = h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Sign in' });
  const form = h('form', { class: 'login-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'login-email', text: 'Email' }), email),
    h('div', { class: 'field' }, h('label', { for: 'login-password', text: 'Password' }), password),
    error,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!email.value.trim() || !password.value) {
      error.textContent = 'Enter your email and password.';
      error.hidden = false;
      focus(email.value.trim() ? password : email);
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await login(email.value.trim(), password.value);
      onSignedIn();
    } catch (err) {
      error.textContent = err.status === 401 ? 'That email and password do not match an account.' : err.message;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      focus(password);
    }
  });
  replace(root, h('section', { class: 'login card', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title', text: 'Sign in' }),
    h('p', { class: 'muted', text: 'Practise the moments that go wrong: a client who is silent, sarcastic, over-compliant or not sure there is a problem at all.' }),
    form));
  focus(email);
}
