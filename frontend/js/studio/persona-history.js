// Version history: every version (newest first) with its state, author and note; view one,
// restore one (a new draft copying it), and a line diff between any two, rendered as a table
// whose rows say "added" or "removed" in words (colour only repeats it).

import { get, post } from '../api.js';
import { h, replace, announce, focus } from '../dom.js';

const enc = encodeURIComponent;

function when(iso) {
  try { return new Date(iso).toLocaleString(); } catch { return iso; }
}

export function renderHistory(root, { persona, onView, onRestored }) {
  const versions = persona.versions;
  const diffOut = h('div', { id: 'diff-output', 'aria-live': 'polite' });
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
  const pick = (id, text, chosen) => h('div', { class: 'field' }, h('label', { for: id, text }),
    h('select', { id }, versions.map((v) => h('option', { value: v.version, text: `v${v.version} (${v.state})`, selected: v.version === chosen }))));
  const newest = versions[0] ? versions[0].version : 1;
  const form = h('form', { class: 'diff-form', 'aria-label': 'Compare two versions' },
    pick('diff-from', 'From version', versions[1] ? versions[1].version : newest),
    pick('diff-to', 'To version', newest),
    h('button', { type: 'submit', class: 'btn', text: 'Show differences' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const from = form.querySelector('#diff-from').value;
    const to = form.querySelector('#diff-to').value;
    error.hidden = true;
    try {
      const diff = await get(`/api/studio/personas/${enc(persona.id)}/diff?from=${enc(from)}&to=${enc(to)}`);
      drawDiff(diff);
    } catch (err) { error.textContent = err.message; error.hidden = false; }
  });

  function drawDiff(diff) {
    const summary = `v${diff.old_version} → v${diff.new_version}: ${diff.added} line(s) added, ${diff.removed} removed`;
    if (!diff.hunks.length) {
      replace(diffOut, h('p', { id: 'diff-summary', text: `${summary}. The two versions are identical.` }));
      announce('The two versions are identical.');
      return;
    }
    replace(diffOut, h('p', { id: 'diff-summary', text: summary }),
      h('table', { class: 'diff', id: 'diff-table' },
        h('caption', { class: 'visually-hidden', text: `Line differences, ${summary}` }),
        h('thead', {}, h('tr', {}, ['Change', `v${diff.old_version} line`, `v${diff.new_version} line`, 'Text']
          .map((t) => h('th', { scope: 'col', text: t })))),
        diff.hunks.map((hunk) => h('tbody', {},
          hunk.lines.map((l) => h('tr', { class: `diff-${l.op}` },
            h('td', { class: 'diff-op', text: l.op === 'same' ? '' : l.op }),
            h('td', { class: 'num', text: l.old_line ?? '' }),
            h('td', { class: 'num', text: l.new_line ?? '' }),
            h('td', {}, h('code', { text: l.text }))))))));
    announce(summary);
  }

  async function restore(version, button) {
    button.disabled = true;
    error.hidden = true;
    try {
      const made = await post(`/api/studio/personas/${enc(persona.id)}/restore`, { version });
      announce(`Version ${version} restored as draft v${made.version}.`);
      await onRestored(made);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      button.disabled = false;
    }
  }

  const table = h('table', { class: 'history', id: 'history-table' },
    h('caption', { class: 'visually-hidden', text: 'Versions, newest first' }),
    h('thead', {}, h('tr', {}, ['Version', 'State', 'Valid', 'Author', 'Saved', 'Note', 'Actions']
      .map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, versions.map((v) => h('tr', { 'data-version': v.version },
      h('th', { scope: 'row', text: `v${v.version}` }),
      h('td', {}, h('span', { class: `badge badge-${v.state}`, text: v.state === 'published' ? 'Published' : 'Draft' }),
        persona.published_version === v.version ? h('span', { class: 'small', text: ' (live)' }) : null),
      h('td', { text: v.valid ? 'Yes' : `No (${v.issue_count} problem${v.issue_count === 1 ? '' : 's'})` }),
      h('td', { text: v.author_name || (v.author_id ? `user ${v.author_id}` : 'seed library') }),
      h('td', { text: when(v.created_at) }),
      h('td', { text: v.note || '—' }),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-quiet', text: 'View', 'aria-label': `View version ${v.version}`, onclick: () => onView(v.version) }),
        persona.can_edit ? h('button', {
          type: 'button', class: 'btn btn-quiet', text: 'Restore', 'aria-label': `Restore version ${v.version} as a new draft`,
          onclick: (e) => restore(v.version, e.currentTarget),
        }) : null)))));

  replace(root, h('h2', { id: 'history-title', text: 'History' }), error, table,
    h('h3', { text: 'Compare versions' }), form, diffOut);
  return { focusDiff: () => focus(diffOut) };
}
