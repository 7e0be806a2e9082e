// Administrators: invite many people from a CSV file. Check first (every problem listed with
// its row, field and what is allowed), then import: all rows or none. The links that come back
// are shown once and can be saved as a CSV to pass on (no e-mail is sent).

import { h, replace, label, announce, focus } from '../dom.js';
import { admin, absolute, NO_EMAIL } from './admin-api.js';

const EXAMPLE = 'email,display_name,role\nalex.kim@example.org,Alex Kim,trainee\nsam.ortiz@example.org,"Ortiz, Sam",instructor';

/** CSV text for the invited people and their full links (quotes doubled, every field quoted). */
export function linksCsv(invited) {
  const quote = (v) => `"${String(v).replaceAll('"', '""')}"`;
  return ['email,display_name,role,link', ...invited.map((i) => [i.email, i.display_name, i.role, absolute(i.link)].map(quote).join(','))].join('\r\n') + '\r\n';
}

export async function renderImport(root) {
  document.title = 'Import users · Resistance practice room';
  const file = h('input', { id: 'csv-file', type: 'file', accept: '.csv,text/csv' });
  const text = h('textarea', { id: 'csv-text', rows: 8, spellcheck: 'false', 'aria-describedby': 'csv-help' });
  const days = h('select', { id: 'csv-days' }, [1, 3, 7, 14, 30].map((d) => h('option', { value: d * 24, text: `${d} day${d > 1 ? 's' : ''}`, selected: d === 7 })));
  const out = h('div', { id: 'csv-result', tabindex: '-1' });
  const checkBtn = h('button', { type: 'button', class: 'btn', id: 'csv-check', text: 'Check the file' });
  const importBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'csv-import', text: 'Import and make invitation links' });

  file.addEventListener('change', async () => {
    const picked = file.files && file.files[0];
    if (!picked) return;
    text.value = await picked.text();
    announce(`${picked.name} loaded: ${text.value.split(/\r?\n/).filter((l) => l.trim()).length} line(s).`);
  });

  function show(...nodes) {
    replace(out, nodes);
    focus(out);
  }

  function problems(check) {
    return [
      h('div', { class: 'notice notice-error', role: 'alert', id: 'csv-errors-summary' },
        h('p', { text: `Nothing was imported: ${check.errors.length} problem(s) in the file. Correct them and check again.` })),
      h('table', { class: 'data', id: 'csv-errors' },
        h('caption', { text: 'Problems, by row (the header is row 1)' }),
        h('thead', {}, h('tr', {}, ['Row', 'Field', 'What is wrong, and what is allowed'].map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, check.errors.map((e) => h('tr', {},
          h('th', { scope: 'row', text: String(e.row) }), h('td', { text: label(e.field) }), h('td', { text: e.message }))))),
    ];
  }

  async function check() {
    if (!text.value.trim()) {
      show(h('p', { class: 'notice notice-error', role: 'alert', text: 'Choose a CSV file or paste its text first.' }));
      return null;
    }
    const result = await admin.checkCsv(text.value, Number(days.value));
    if (result.valid) show(h('p', { class: 'notice notice-info', role: 'status', text: `The file is correct: ${result.people} people are ready to be invited.` }));
    else show(...problems(result));
    return result;
  }

  checkBtn.addEventListener('click', () => check().catch((err) => show(h('p', { class: 'notice notice-error', role: 'alert', text: err.message }))));
  const form = h('form', { class: 'card import-form', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title', text: 'The file' }),
    h('p', { id: 'csv-help', class: 'small' },
      'Columns: ', h('code', { text: 'email' }), ', ', h('code', { text: 'display_name' }), ' (or ', h('code', { text: 'name' }), ') and optionally ',
      h('code', { text: 'role' }), ' (trainee, instructor or admin; empty means trainee). The first row names the columns. At most 500 people per file. ',
      'If any row is wrong, nobody is invited: correct the file and try again.'),
    h('pre', { class: 'example', 'aria-label': 'Example file', text: EXAMPLE }),
    h('div', { class: 'field' }, h('label', { for: 'csv-file', text: 'CSV file' }), file),
    h('div', { class: 'field' }, h('label', { for: 'csv-text', text: 'Or paste the CSV text' }), text),
    h('div', { class: 'field' }, h('label', { for: 'csv-days', text: 'Links valid for' }), days),
    h('div', { class: 'form-actions' }, checkBtn, importBtn));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    importBtn.disabled = true;
    try {
      const done = await admin.importCsv(text.value, Number(days.value));
      const blob = URL.createObjectURL(new Blob([linksCsv(done.invited)], { type: 'text/csv' }));
      show(
        h('p', { class: 'notice notice-info', role: 'status', id: 'csv-done', text: `${done.invited.length} invitation(s) made. ${NO_EMAIL}` }),
        h('p', {}, h('a', { class: 'btn', href: blob, download: 'invitation-links.csv', id: 'csv-links', text: 'Save the links as CSV' })),
        h('table', { class: 'data', id: 'csv-invited' },
          h('caption', { text: 'Invitation links (shown only now)' }),
          h('thead', {}, h('tr', {}, ['Row', 'Email', 'Name', 'Role', 'Link'].map((c) => h('th', { scope: 'col', text: c })))),
          h('tbody', {}, done.invited.map((i) => h('tr', {},
            h('td', { text: String(i.row) }), h('th', { scope: 'row', text: i.email }), h('td', { text: i.display_name }),
            h('td', { text: label(i.role) }), h('td', {}, h('code', { class: 'link-text', text: absolute(i.link) })))))));
      text.value = '';
      file.value = '';
    } catch (err) {
      if (err.code === 'csv_invalid') await check();
      else show(h('p', { class: 'notice notice-error', role: 'alert', text: err.message }));
    } finally { importBtn.disabled = false; }
  });
  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Import users from CSV' }),
      h('p', { class: 'muted', text: 'Invite a whole group at once. Each person gets a one-time link to set their own password; no account exists until they do.' })),
    form,
    h('section', { class: 'card', 'aria-label': 'Result' }, out));
  return null;
}
