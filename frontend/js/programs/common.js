// Shared bits of the programs pages: the API calls, form fields with labels, and an error
// line that names the field the server named.

import { request, get, post } from '../api.js';
import { h } from '../dom.js';

const enc = encodeURIComponent;

export const programsApi = {
  programs: () => get('/api/programs'),
  createProgram: (body) => post('/api/programs', body),
  program: (id) => get(`/api/programs/${enc(id)}`),
  cohorts: (pid) => get(`/api/programs/${enc(pid)}/cohorts`),
  createCohort: (pid, name) => post(`/api/programs/${enc(pid)}/cohorts`, { name }),
  importCsv: (cid, csv) => post(`/api/programs/cohorts/${enc(cid)}/import`, { csv }),
  invite: (cid) => post(`/api/programs/cohorts/${enc(cid)}/invite`),
  assignments: (cid) => get(`/api/programs/cohorts/${enc(cid)}/assignments`),
  createAssignment: (cid, body) => post(`/api/programs/cohorts/${enc(cid)}/assignments`, body),
  dashboard: (cid) => get(`/api/programs/cohorts/${enc(cid)}/dashboard`),
  exportUrl: (cid) => `/api/programs/cohorts/${enc(cid)}/export`,
  mine: () => get('/api/me/assignments'),
  startAttempt: (aid, personaId) => post(`/api/me/assignments/${enc(aid)}/attempts`, { persona_id: personaId }),
  evaluate: (aid, body) => post(`/api/me/assignments/${enc(aid)}/evaluation`, body),
  certificate: (aid) => post(`/api/me/assignments/${enc(aid)}/certificate`),
  pdfUrl: (certId) => `/api/certificates/${enc(certId)}/pdf`,
  verify: (code) => get(`/api/verify/${enc(code)}`),
  join: (code) => post(`/api/programs/join/${enc(code)}`),
  activate: (token, password) => request('POST', '/api/programs/activate', { token, password }),
  deleteMe: (email) => post('/api/me/deletion', { confirm_email: email }),
  exportMeUrl: () => '/api/me/export',
};

/** A labelled input (or textarea/select via `tag`); returns the wrapper, the control in .control. */
export function field(id, labelText, attrs = {}, tag = 'input') {
  const control = h(tag, { id, name: id, ...attrs });
  const wrap = h('div', { class: 'field' }, h('label', { for: id, text: labelText }), control);
  wrap.control = control;
  return wrap;
}

/** An error box (role=alert) that can show an ApiError, focusing the named field if any. */
export function errorBox(id) {
  const box = h('p', { class: 'notice notice-error', role: 'alert', id, hidden: true });
  box.show = (err, form) => {
    box.textContent = err.message || String(err);
    box.hidden = false;
    const name = err.field ? err.field.split('.')[0] : null;
    const target = name && form ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
    if (target) { target.setAttribute('aria-invalid', 'true'); target.focus(); }
  };
  box.clear = () => { box.hidden = true; box.textContent = ''; };
  return box;
}

export function dateText(value) {
  return value ? new Date(value).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : '—';
}

export const STATUS = {
  not_started: 'Not started', in_progress: 'In progress', not_passed: 'Not passed yet',
  passed: 'Passed', failed: 'Not passed (no attempts left)',
};
