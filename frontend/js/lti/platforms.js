// Admins: LMS connections (LTI 1.3). The values to enter in the LMS, the registered platforms
// (register, remove), the tool's signing keys (rotate), the launch log (accepted and refused
// launches) and the scores owed to LMS gradebooks.

import { get, post, request } from '../api.js';
import { h, replace, announce, focus } from '../dom.js';
import { field, errorBox } from '../programs/common.js';

const enc = encodeURIComponent;
const when = (v) => (v ? new Date(v).toLocaleString() : '—');

function table(caption, headers, rows, id) {
  return h('div', { class: 'table-wrap' }, h('table', { id },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: String(headers.length), class: 'muted', text: 'None yet.' })))));
}

function toolValues(tool) {
  const row = (name, value) => [h('dt', { text: name }), h('dd', {}, h('code', { text: value }))];
  return h('section', { class: 'card', 'aria-labelledby': 'tool-h' },
    h('h2', { id: 'tool-h', text: 'Values for the LMS' }),
    h('p', { class: 'muted', text: 'Enter these when adding the tool to Moodle or Canvas (docs/PROGRAMS.md lists where each goes).' }),
    h('dl', { class: 'facts', id: 'tool-values' },
      row('Login (OIDC initiation) URL', tool.login_url), row('Launch / redirect URL', tool.launch_url),
      row('Deep linking URL', tool.deep_linking_url), row('Public keyset (JWKS) URL', tool.jwks_url)));
}

function platformForm(programs, onDone) {
  const err = errorBox('platform-error');
  const program = field('program_id', 'Program its launches land in', { required: true }, 'select');
  for (const p of programs) program.control.append(h('option', { value: String(p.id), text: p.title }));
  const form = h('form', { id: 'platform-form', class: 'stack', novalidate: true },
    field('name', 'Name', { required: true, maxlength: '200' }),
    field('issuer', 'Issuer (iss)', { required: true, maxlength: '500', placeholder: 'https://moodle.example.edu' }),
    field('client_id', 'Client id (this tool on the LMS)', { required: true, maxlength: '200' }),
    field('deployment_ids', 'Deployment ids (one per line)', { required: true, rows: '2' }, 'textarea'),
    field('auth_login_url', 'Authorisation (OIDC auth) URL', { required: true, type: 'url' }),
    field('auth_token_url', 'Access token URL', { required: true, type: 'url' }),
    field('key_set_url', 'Platform keyset (JWKS) URL', { required: true, type: 'url' }),
    program, err,
    h('p', {}, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Register the platform' })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    err.clear();
    const v = (name) => form.elements[name].value.trim();
    try {
      await post('/api/lti/platforms', {
        name: v('name'), issuer: v('issuer'), client_id: v('client_id'),
        deployment_ids: v('deployment_ids').split(/[\n,]+/).map((s) => s.trim()).filter(Boolean),
        auth_login_url: v('auth_login_url'), auth_token_url: v('auth_token_url'),
        key_set_url: v('key_set_url'), program_id: Number(v('program_id')),
      });
      announce(`Platform ${v('name')} registered.`);
      onDone();
    } catch (e) { err.show(e, form); }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'register-h' },
    h('h2', { id: 'register-h', text: 'Register a platform' }), form);
}

export async function renderLti(root) {
  const [tool, platforms, keys, log, scores, programs] = await Promise.all([
    get('/api/lti/tool'), get('/api/lti/platforms'), get('/api/lti/keys'),
    get('/api/lti/log?limit=50'), get('/api/lti/scores?limit=50'), get('/api/programs')]);
  document.title = 'LMS connections · Resistance practice room';
  const again = () => renderLti(root);
  const titles = Object.fromEntries(programs.map((p) => [p.id, p.title]));
  const platformRows = platforms.map((p) => {
    const remove = h('button', { type: 'button', class: 'btn btn-quiet', text: `Remove ${p.name}` });
    remove.addEventListener('click', async () => {
      await request('DELETE', `/api/lti/platforms/${enc(p.id)}`);
      announce(`Platform ${p.name} removed.`);
      again();
    });
    return h('tr', { 'data-platform': p.id }, h('td', { text: p.name }), h('td', {}, h('code', { text: p.issuer })),
      h('td', { text: p.client_id }), h('td', { text: p.deployment_ids.join(', ') }),
      h('td', { text: titles[p.program_id] || `#${p.program_id}` }), h('td', {}, remove));
  });
  const keyStatus = h('p', { role: 'status', id: 'key-status', class: 'small' });
  const rotate = h('button', { type: 'button', class: 'btn', id: 'rotate-key', text: 'Rotate the signing key' });
  rotate.addEventListener('click', async () => {
    const key = await post('/api/lti/keys/rotate');
    await again();
    const status = document.getElementById('key-status');
    if (status) status.textContent = `New key ${key.kid} is active; the previous key stays in the keyset for the grace period.`;
    focus(document.getElementById('rotate-key'));
  });
  const keyRows = keys.map((k) => h('tr', {}, h('td', {}, h('code', { text: k.kid })), h('td', { text: k.state }),
    h('td', { text: when(k.created_at) }), h('td', { text: when(k.retired_at) }), h('td', { text: k.in_jwks ? 'yes' : 'no' })));
  const logRows = log.map((e) => h('tr', { class: e.outcome === 'refused' ? 'refused' : '' },
    h('td', { text: when(e.at) }), h('td', { text: e.outcome }), h('td', { text: e.reason }), h('td', { text: e.issuer || '—' })));
  const scoreRows = scores.map((s) => h('tr', {}, h('td', { text: when(s.created_at) }), h('td', { text: String(s.attempt_id) }),
    h('td', { text: `${s.score_given} / ${s.score_maximum}` }), h('td', { text: s.status }), h('td', { text: s.last_error || '—' })));
  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'LMS connections (LTI 1.3)' }),
      h('p', { class: 'muted', text: 'Launches from a registered LMS land in a program; scores go back to its gradebook.' })),
    h('div', { class: 'stack' },
      toolValues(tool),
      h('section', { class: 'card', 'aria-labelledby': 'platforms-h' }, h('h2', { id: 'platforms-h', text: 'Registered platforms' }),
        table('Registered platforms', ['Name', 'Issuer', 'Client id', 'Deployments', 'Program', ''], platformRows, 'platforms')),
      platformForm(programs, again),
      h('section', { class: 'card', 'aria-labelledby': 'keys-h' }, h('h2', { id: 'keys-h', text: 'Signing keys' }),
        table('Signing keys', ['Key id', 'State', 'Created', 'Rotated out', 'In the keyset'], keyRows, 'keys'), rotate, keyStatus),
      h('section', { class: 'card', 'aria-labelledby': 'log-h' }, h('h2', { id: 'log-h', text: 'Launch log' }),
        table('The last 50 launches', ['When', 'Outcome', 'Reason', 'Issuer'], logRows, 'launch-log')),
      h('section', { class: 'card', 'aria-labelledby': 'scores-h' }, h('h2', { id: 'scores-h', text: 'Scores sent to LMS gradebooks' }),
        table('The last 50 scores', ['Queued', 'Attempt', 'Score', 'Status', 'Last error'], scoreRows, 'lti-scores'))));
  return null;
}
