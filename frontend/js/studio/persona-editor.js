// One persona in the studio: the schema form beside the YAML editor (kept in sync both ways),
// live validation with the CLI's file:line:column: field: messages, save draft, publish,
// test-drive, the behaviour battery with charts, and the version history with diff and restore.

import { get, post } from '../api.js';
import { h, replace, announce, focus } from '../dom.js';
import { parseDocument } from '../../vendor/yaml/index.js';
import { applyEdit } from './yaml-edit.js';
import { yamlEditor } from './yaml-editor.js';
import { personaForm } from './persona-form.js';
import { renderBattery } from './persona-battery.js';
import { renderHistory } from './persona-history.js';

const enc = encodeURIComponent;
let schemaCache = null;

export async function renderPersonaEditor(root, personaId, { go }) {
  schemaCache = schemaCache || await get('/api/studio/schema');
  const schema = schemaCache;
  let persona = await get(`/api/studio/personas/${enc(personaId)}`);
  let head = await get(`/api/studio/personas/${enc(personaId)}/versions/${persona.head_version}`);
  let saved = head.yaml;        // the newest saved text: "unsaved changes" compares against it
  let checkSeq = 0;
  let timer = null;
  document.title = `${persona.title} · Persona studio`;

  const title = h('h1', { id: 'studio-title', text: persona.title });
  const stateLine = h('p', { class: 'chips', id: 'studio-state' });
  const message = h('p', { class: 'notice', id: 'studio-message', role: 'status', hidden: true });
  const issuesSummary = h('p', { id: 'issues-summary', role: 'status' });
  const issuesList = h('ul', { class: 'issues', id: 'issues' });
  const note = h('input', { id: 'save-note', type: 'text', maxlength: 500, autocomplete: 'off' });
  const saveBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'save-draft', text: 'Save draft' });
  const publishBtn = h('button', { type: 'button', class: 'btn', id: 'publish', text: 'Publish' });
  const driveBtn = h('button', { type: 'button', class: 'btn', id: 'test-drive', text: 'Test-drive' });
  const batteryBtn = h('button', { type: 'button', class: 'btn', id: 'run-battery', text: 'Run the battery' });
  const exportLink = h('a', { class: 'btn btn-quiet', id: 'export-yaml', download: '', text: 'Export YAML' });
  // scrolls on its own, so it takes focus too (keyboard users can scroll it when read-only)
  const formRoot = h('div', { class: 'persona-form', id: 'persona-form', tabindex: '0', role: 'group', 'aria-labelledby': 'form-title' });
  const editorRoot = h('div', { class: 'yaml-editor', id: 'yaml-editor' });
  const batteryRoot = h('section', { class: 'card battery', id: 'battery', 'aria-labelledby': 'battery-title', hidden: true });
  const historyRoot = h('section', { class: 'card history-block', id: 'history', 'aria-labelledby': 'history-title' });
  const viewRoot = h('section', { class: 'card', id: 'version-view', 'aria-labelledby': 'view-title', hidden: true });

  const dirty = () => editor.getText() !== saved;
  const headIsValidDraft = () => head.state === 'draft' && head.valid;

  function say(kind, text) {
    message.className = `notice notice-${kind}`;
    message.textContent = text;
    message.hidden = false;
    announce(text);
  }

  function drawState() {
    title.textContent = persona.title;
    const pub = persona.published_version;
    replace(stateLine,
      h('span', { class: `badge badge-${head.state}`, text: `${head.state === 'published' ? 'Published' : 'Draft'} v${head.version}` }),
      h('span', { class: 'badge', text: pub ? `Trainees get v${pub}` : 'Not published yet' }),
      persona.can_edit ? null : h('span', { class: 'badge', text: 'Read only: copy it to change it' }));
    const canChange = persona.can_edit;
    saveBtn.disabled = !canChange;
    publishBtn.disabled = !canChange || !headIsValidDraft() || dirty();
    publishBtn.textContent = head.state === 'draft' ? `Publish v${head.version}` : 'Publish';
    driveBtn.disabled = !head.valid || dirty();
    batteryBtn.disabled = !head.valid || dirty();
    exportLink.setAttribute('href', `/api/studio/personas/${enc(persona.id)}/export?version=${head.version}`);
    replace(document.getElementById('unsaved') || h('span'), dirty() ? 'Unsaved changes: save to publish, test-drive or run the battery.' : 'All changes saved.');
  }

  function showIssues(issues) {
    editor.showIssues(issues);
    issuesSummary.textContent = issues.length
      ? `${issues.length} problem${issues.length === 1 ? '' : 's'} (the same messages as sim personas validate):`
      : 'No problems found: this text is a valid persona.';
    issuesSummary.className = issues.length ? 'issues-bad' : 'issues-ok';
    replace(issuesList, issues.map((i) => h('li', {},
      h('button', {
        type: 'button', class: 'btn btn-link issue', 'data-line': i.line,
        'aria-label': `${i.text}. Go to line ${i.line} in the YAML.`,
        onclick: () => editor.goTo(i.line, i.column),
      }, h('code', { text: i.text })))));
  }

  async function validate() {
    const mine = ++checkSeq;
    try {
      const result = await post('/api/studio/validate', { yaml: editor.getText(), persona_id: persona.id });
      if (mine === checkSeq) showIssues(result.issues);
    } catch (err) {
      if (mine === checkSeq) say('error', `Could not check the text: ${err.message}`);
    }
  }

  function changed() {
    drawState();
    window.clearTimeout(timer);
    timer = window.setTimeout(validate, 350);
  }

  const form = personaForm(formRoot, {
    schema, readOnly: !persona.can_edit,
    onEdit: (change) => {
      let text;
      try { text = applyEdit(editor.getText(), change); } catch {
        say('warning', 'The YAML has a syntax error; fix it in the editor, then the form follows again.');
        return;
      }
      editor.setText(text);
      if (change.op !== 'set') form.render(parseDocument(text).toJS());
      changed();
    },
  });

  const editor = yamlEditor(editorRoot, {
    text: head.yaml, label: 'Persona YAML', describedBy: 'issues-summary',
    onChange: (text) => {
      const doc = parseDocument(text);
      if (!doc.errors.length && !form.contains(document.activeElement)) form.render(doc.toJS());
      changed();
    },
  });

  async function reload(version) {
    persona = await get(`/api/studio/personas/${enc(persona.id)}`);
    head = version && version.version === persona.head_version ? version
      : await get(`/api/studio/personas/${enc(persona.id)}/versions/${persona.head_version}`);
    saved = head.yaml;
    drawHistory();
  }

  async function act(button, work) {
    button.disabled = true;
    try { await work(); } catch (err) { say('error', err.message); } finally { drawState(); }
  }

  saveBtn.addEventListener('click', () => act(saveBtn, async () => {
    const text = editor.getText();
    const made = await post(`/api/studio/personas/${enc(persona.id)}/versions`,
      { yaml: text, note: note.value.trim(), base_version: persona.head_version });
    await reload(made);
    editor.setText(made.yaml);  // the studio sets `version:`; nothing else changes
    saved = made.yaml;
    note.value = '';
    showIssues(made.issues);
    say(made.valid ? 'success' : 'warning', made.valid
      ? `Saved as draft v${made.version}.`
      : `Saved as draft v${made.version} with ${made.issues.length} problem(s) listed below; it cannot be published until they are fixed.`);
  }));
  publishBtn.addEventListener('click', () => act(publishBtn, async () => {
    const made = await post(`/api/studio/personas/${enc(persona.id)}/publish`, { version: head.version, note: note.value.trim() });
    await reload(made);
    editor.setText(made.yaml);
    saved = made.yaml;
    say('success', `Published as v${made.version}: trainees starting a session now get it; running sessions keep their version.`);
  }));
  driveBtn.addEventListener('click', () => act(driveBtn, async () => {
    const drive = await post(`/api/studio/personas/${enc(persona.id)}/versions/${head.version}/test-drive`);
    go(`/session/${drive.session_id}`);
  }));
  batteryBtn.addEventListener('click', () => act(batteryBtn, async () => {
    batteryBtn.textContent = 'Running the battery…';
    try {
      const report = await post(`/api/studio/personas/${enc(persona.id)}/versions/${head.version}/battery`);
      batteryRoot.hidden = false;
      renderBattery(batteryRoot, report);
      focus(batteryRoot.querySelector('#battery-status'));
    } finally { batteryBtn.textContent = 'Run the battery'; }
  }));

  async function view(version) {
    const v = await get(`/api/studio/personas/${enc(persona.id)}/versions/${version}`);
    viewRoot.hidden = false;
    replace(viewRoot, h('h2', { id: 'view-title', text: `Version ${v.version} (${v.state}), read only` }),
      h('pre', { class: 'yaml-view', tabindex: '0', 'aria-label': `YAML of version ${v.version}` }, h('code', { text: v.yaml })));
    focus(viewRoot.querySelector('h2'));
  }

  function drawHistory() {
    renderHistory(historyRoot, {
      persona, onView: view,
      onRestored: async (made) => {
        await reload(made);
        editor.setText(made.yaml);
        saved = made.yaml;
        form.render(parseDocument(made.yaml).toJS());
        showIssues(made.issues);
        drawState();
        say('success', `Restored as draft v${made.version}.`);
      },
    });
  }

  replace(root,
    h('p', { class: 'small' }, h('a', { href: '#/studio', text: '← All personas' })),
    h('div', { class: 'page-head' }, title, stateLine),
    h('section', { class: 'card studio-actions', 'aria-label': 'Save, publish and try this persona' },
      h('div', { class: 'field' }, h('label', { for: 'save-note', text: 'Note for the history (optional)' }), note),
      h('div', { class: 'actions' }, saveBtn, publishBtn, driveBtn, batteryBtn, exportLink),
      h('p', { class: 'small muted', id: 'unsaved', 'aria-live': 'polite' }), message),
    h('section', { class: 'card issues-block', 'aria-labelledby': 'issues-title' },
      h('h2', { id: 'issues-title', text: 'Problems' }), issuesSummary, issuesList),
    h('div', { class: 'studio-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'form-title' }, h('h2', { id: 'form-title', text: 'Form' }),
        h('p', { class: 'small muted', text: 'Generated from the persona schema; every change is written into the YAML.' }), formRoot),
      h('section', { class: 'card yaml-block', 'aria-labelledby': 'yaml-title' }, h('h2', { id: 'yaml-title', text: 'YAML' }),
        h('p', { class: 'small muted', text: 'The same persona as text. Tab leaves the editor; Ctrl+Z undoes.' }), editorRoot)),
    batteryRoot, historyRoot, viewRoot);
  form.render(parseDocument(head.yaml).toJS() || {});
  showIssues(head.issues);
  drawHistory();
  drawState();
  return () => window.clearTimeout(timer);
}
