// Pages that work without signing in: certificate verification (validity and the name only)
// and account activation for trainees a CSV import created; plus joining by invite link.

import { h, replace } from '../dom.js';
import { programsApi, field, errorBox } from './common.js';

export async function renderVerify(root, code) {
  document.title = 'Verify a certificate';
  const v = await programsApi.verify(code || '');
  const text = v.status === 'valid' ? `Valid certificate, issued to ${v.name}.`
    : v.status === 'revoked' ? `This certificate (issued to ${v.name}) is no longer valid: its record was corrected.`
      : 'No certificate has this code.';
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'Certificate verification' })),
    h('section', { class: 'card', 'aria-labelledby': 'verify-code' },
      h('h2', { id: 'verify-code', text: `Code ${v.code}` }),
      h('p', { id: 'verify-result', class: `notice ${v.valid ? 'notice-info' : 'notice-error'}`, role: 'status', text })));
  return null;
}

export async function renderActivate(root, token) {
  document.title = 'Activate your account';
  const pw = field('password', 'Choose a password (at least 10 characters)', { type: 'password', autocomplete: 'new-password', required: true });
  const err = errorBox('activate-error');
  const form = h('form', { class: 'card stack', id: 'activate-form' }, pw, err,
    h('button', { type: 'submit', class: 'btn btn-primary', text: 'Activate' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await programsApi.activate(token, pw.control.value);
      replace(root, h('h1', { text: 'Account activated' }), h('p', {}, h('a', { href: '#/login', text: 'Sign in' })));
    } catch (e) { err.show(e, form); }
  });
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'Activate your account' })), form);
  return null;
}

export async function renderJoin(root, code) {
  document.title = 'Join a cohort';
  const out = h('div', { role: 'status' });
  const btn = h('button', { type: 'button', class: 'btn btn-primary', text: 'Join this cohort' });
  btn.addEventListener('click', async () => {
    try {
      const j = await programsApi.join(code);
      replace(out, h('p', { text: `${j.already ? 'You were already enrolled in' : 'You joined'} ${j.cohort} (${j.program}).` }),
        h('a', { href: '#/assignments', text: 'See my assignments' }));
    } catch (e) { replace(out, h('p', { class: 'notice notice-error', text: e.message })); }
  });
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'Join a cohort' })), h('div', { class: 'card stack' }, btn, out));
  return null;
}
