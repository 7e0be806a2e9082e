// The persona studio's home: every persona with its newest and published versions, and the
// form to start a new one from the blank template or as a copy of any persona.

import { get, post } from '../api.js';
import { h, replace, announce, focus } from '../dom.js';

export async function renderStudio(root, arg, ctx) {
  if (arg) {
    const { renderPersonaEditor } = await import('./persona-editor.js');
    return renderPersonaEditor(root, arg, ctx);
  }
  const personas = await get('/api/studio/personas');
  document.title = 'Persona studio · Resistance practice room';
  const error = h('p', { class: 'notice notice-error', role: 'alert', id: 'create-error', hidden: true });
  const copyField = h('div', { class: 'field', hidden: true },
    h('label', { for: 'new-copy-of', text: 'Persona to copy' }),
    h('select', { id: 'new-copy-of' }, personas.map((p) => h('option', { value: p.id, text: `${p.title} (${p.id})` }))));
  const form = h('form', { class: 'card new-persona', id: 'new-persona', 'aria-labelledby': 'new-title' },
    h('h2', { id: 'new-title', text: 'New persona' }),
    h('div', { class: 'field' },
      h('label', { for: 'new-id', text: 'Persona id' }),
      h('input', { id: 'new-id', name: 'id', required: true, autocomplete: 'off', 'aria-describedby': 'new-id-hint', pattern: '[a-z0-9][a-z0-9_\\-]{1,63}' }),
      h('p', { class: 'hint small muted', id: 'new-id-hint', text: 'Lowercase letters, digits, - and _, e.g. anxious-student. It becomes the file name on export.' })),
    h('fieldset', { class: 'mode-choice' }, h('legend', { text: 'Start from' }),
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'source', value: 'blank', id: 'source-blank', checked: true }), ' A blank template (valid, passes the battery)'),
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'source', value: 'copy', id: 'source-copy' }), ' A copy of an existing persona')),
    copyField,
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'create-persona', text: 'Create draft' }),
    error);
  form.addEventListener('change', () => { copyField.hidden = !form.querySelector('#source-copy').checked; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const source = form.querySelector('input[name="source"]:checked').value;
    const body = { id: form.querySelector('#new-id').value.trim(), source };
    if (source === 'copy') body.copy_of = form.querySelector('#new-copy-of').value;
    try {
      const made = await post('/api/studio/personas', body);
      announce(`Draft ${made.id} created.`);
      ctx.go(`/studio/${encodeURIComponent(made.id)}`);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      focus(err.field === 'id' ? form.querySelector('#new-id') : error);
    }
  });

  const state = (p) => {
    if (p.published_version === null) return `Draft v${p.head_version}, never published`;
    if (p.published_version === p.head_version) return `Published v${p.published_version}`;
    return `Published v${p.published_version}; draft v${p.head_version}`;
  };
  const table = h('table', { class: 'studio-list', id: 'studio-personas' },
    h('caption', { class: 'visually-hidden', text: 'Personas' }),
    h('thead', {}, h('tr', {}, ['Persona', 'Id', 'State', 'Newest valid', 'Created by', 'You can']
      .map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, personas.map((p) => h('tr', { 'data-persona': p.id },
      h('th', { scope: 'row' }, h('a', { href: `#/studio/${encodeURIComponent(p.id)}`, text: p.title })),
      h('td', {}, h('code', { text: p.id })),
      h('td', { text: state(p) }),
      h('td', { text: p.head_valid ? 'Yes' : 'No: has problems' }),
      h('td', { text: p.author_name || 'Seed library' }),
      h('td', { text: p.can_edit ? 'Edit and publish' : 'Read, copy, test' })))));

  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Persona studio' }),
      h('p', { class: 'muted', text: 'Write simulated clients as versioned documents: drafts stay here until you publish them; every session keeps the version it started on.' })),
    h('div', { class: 'studio-home' }, form, h('section', { 'aria-labelledby': 'all-title' },
      h('h2', { id: 'all-title', text: `All personas (${personas.length})` }), table)));
  return null;
}
