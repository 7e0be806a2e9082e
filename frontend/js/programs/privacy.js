// "My data": download everything stored about you, or close the account (program records
// stay as their program's retention rule requires; docs/PROGRAMS.md).

import { h, replace } from '../dom.js';
import { programsApi, field, errorBox } from './common.js';

export async function renderPrivacy(root) {
  document.title = 'My data · Resistance practice room';
  const email = field('confirm_email', 'Type your email address to confirm', { type: 'email', autocomplete: 'email', required: true });
  const err = errorBox('deletion-error');
  const form = h('form', { class: 'card stack', id: 'deletion-form', 'aria-labelledby': 'delete-title' },
    h('h2', { id: 'delete-title', text: 'Delete my account and data' }),
    h('p', { text: 'Your practice sessions, enrolments and logins are deleted now. Completion records, certificates and exam attempts of CE programs are kept until the program\'s retention period ends, then deleted.' }),
    email, err, h('button', { type: 'submit', class: 'btn btn-danger', text: 'Delete my account' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const r = await programsApi.deleteMe(email.control.value);
      replace(root, h('h1', { text: 'Account closed' }), h('p', { text: r.message }));
    } catch (e) { err.show(e, form); }
  });
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'My data' })),
    h('section', { class: 'card', 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title', text: 'Download my data' }),
      h('p', { text: 'Everything stored about you, as one JSON file.' }),
      h('a', { class: 'btn', id: 'export-me', href: programsApi.exportMeUrl(), download: '', text: 'Download (JSON)' })),
    form);
  return null;
}
