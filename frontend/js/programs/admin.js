// Programs for admins and instructors: the list (admins create one), a program's cohorts, and
// one cohort's page (CSV import, invite link, assignments, dashboard, CSV export).

import { api, user, get } from '../api.js';
import { h, replace, focus, announce, label } from '../dom.js';
import { programsApi, field, errorBox, dateText, STATUS } from './common.js';
import { lmsLinks } from '../lti/links.js';

export async function renderPrograms(root) {
  const programs = await programsApi.programs();
  document.title = 'Programs · Resistance practice room';
  const isAdmin = user().role === 'admin';
  const list = programs.length
    ? h('ul', { class: 'plain-list', id: 'program-list' }, programs.map((p) => h('li', {},
      h('a', { href: `#/program/${p.id}`, text: p.title }), ` · ${p.cohort_ids.length} cohort(s)`)))
    : h('p', { class: 'muted', text: 'No programs yet.' });
  let form = null;
  if (isAdmin) {
    const title = field('title', 'Title', { required: true, maxlength: 200 });
    const approval = field('approval_statement', 'Approval statement (printed on certificates)', { rows: 3, maxlength: 2000 }, 'textarea');
    const err = errorBox('program-error');
    const staff = (await get('/api/users')).filter((u) => u.role === 'instructor');
    const teachers = h('fieldset', {}, h('legend', { text: 'Instructors' }), staff.map((u) => h('span', { class: 'check' },
      h('input', { type: 'checkbox', id: `i-${u.id}`, name: 'instructor_ids', value: u.id }),
      h('label', { for: `i-${u.id}`, text: `${u.display_name} (${u.email})` }))));
    form = h('form', { class: 'card stack', id: 'program-form', 'aria-labelledby': 'new-program' },
      h('h2', { id: 'new-program', text: 'New program' }), title, approval, teachers, err,
      h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create program' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      err.clear();
      try {
        const ids = [...form.querySelectorAll('input[name=instructor_ids]:checked')].map((b) => Number(b.value));
        const p = await programsApi.createProgram({ title: title.control.value, approval_statement: approval.control.value, instructor_ids: ids });
        window.location.hash = `/program/${p.id}`;
      } catch (e) { err.show(e, form); }
    });
  }
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'Programs' })),
    h('section', { class: 'card', 'aria-labelledby': 'list-title' }, h('h2', { id: 'list-title', text: 'Your programs' }), list), form);
  return null;
}

export async function renderProgram(root, id) {
  const [program, cohorts] = await Promise.all([programsApi.program(id), programsApi.cohorts(id)]);
  document.title = `${program.title} · Programs`;
  const name = field('cohort-name', 'Cohort name', { required: true, maxlength: 200 });
  const err = errorBox('cohort-error');
  const form = h('form', { class: 'card stack', id: 'cohort-form', 'aria-labelledby': 'new-cohort' },
    h('h2', { id: 'new-cohort', text: 'New cohort' }), name, err,
    h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create cohort' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const c = await programsApi.createCohort(id, name.control.value);
      window.location.hash = `/cohort/${c.id}`;
    } catch (e) { err.show(e, form); }
  });
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: program.title }),
    h('p', { class: 'muted', text: program.approval_statement || 'No approval statement.' })),
  h('section', { class: 'card', 'aria-labelledby': 'cohorts-title' }, h('h2', { id: 'cohorts-title', text: 'Cohorts' }),
    cohorts.length ? h('ul', { class: 'plain-list' }, cohorts.map((c) => h('li', {},
      h('a', { href: `#/cohort/${c.id}`, text: c.name }), ` · ${c.trainees} trainee(s)`))) : h('p', { class: 'muted', text: 'No cohorts yet.' })),
  form);
  return null;
}

function importForm(cid, onDone) {
  const file = field('csv-file', 'CSV file (columns email, display_name)', { type: 'file', accept: '.csv,text/csv' });
  const err = errorBox('import-error');
  const form = h('form', { class: 'stack', id: 'import-form' }, file, err,
    h('button', { type: 'submit', class: 'btn', text: 'Import trainees' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    err.clear();
    const chosen = file.control.files[0];
    if (!chosen) { err.show({ message: 'Choose a CSV file first.', field: 'csv-file' }, form); return; }
    try {
      const r = await programsApi.importCsv(cid, await chosen.text());
      onDone(`Imported ${r.rows} row(s): ${r.enrolled} enrolled, ${r.already_enrolled} already enrolled, ${r.accounts_created.length} new account(s) with activation links.`);
    } catch (e) { err.show(e, null); focus(err); }
  });
  return form;
}

function assignmentForm(cid, personas, onDone) {
  const title = field('a-title', 'Title', { required: true, maxlength: 200, name: 'title' });
  const boxes = personas.map((p) => h('div', { class: 'check' },
    h('input', { type: 'checkbox', id: `a-p-${p.id}`, name: 'persona_ids', value: p.id }),
    h('label', { for: `a-p-${p.id}`, text: p.title })));
  const mode = h('select', { id: 'a-mode', name: 'mode' }, h('option', { value: 'exam', text: 'Exam' }), h('option', { value: 'coach', text: 'Coach' }));
  const due = field('a-due', 'Due date', { type: 'date', name: 'due_at' });
  const attempts = field('a-attempts', 'Attempts per scenario', { type: 'number', min: 1, max: 50, value: 3, name: 'attempts_allowed' });
  const hours = field('a-hours', 'Credit hours', { type: 'number', min: 0.25, max: 100, step: 0.25, value: 1, name: 'hours' });
  const turns = field('a-turns', 'Pass: at least this many scored turns', { type: 'number', min: 1, max: 200, value: 3, name: 'min_turns' });
  const err = errorBox('assignment-error');
  const form = h('form', { class: 'stack', id: 'assignment-form' }, title,
    h('fieldset', {}, h('legend', { text: 'Scenarios (each must be passed)' }), boxes),
    h('div', { class: 'field' }, h('label', { for: 'a-mode', text: 'Mode' }), mode), due, attempts, hours, turns, err,
    h('button', { type: 'submit', class: 'btn btn-primary', text: 'Assign' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    err.clear();
    const body = {
      title: title.control.value, mode: mode.value,
      persona_ids: [...form.querySelectorAll('input[name=persona_ids]:checked')].map((b) => b.value),
      attempts_allowed: Number(attempts.control.value), hours: Number(hours.control.value),
      criteria: { min_turns: Number(turns.control.value) },
    };
    if (due.control.value) body.due_at = `${due.control.value}T23:59:00Z`;
    try {
      await programsApi.createAssignment(cid, body);
      onDone(`Assignment ${body.title} created.`);
    } catch (e) { err.show(e, form); }
  });
  return form;
}

function dashboardTable(dash) {
  if (!dash.trainees.length) return h('p', { class: 'muted', text: 'No trainees enrolled yet.' });
  const summary = h('ul', { class: 'plain-list', id: 'dash-counts' }, dash.counts.map((c) => h('li', {},
    h('strong', { text: c.title }), ` · due ${dateText(c.due_at)} · ${c.trainees} trainees: ${c.done} done, ${c.in_progress} in progress, ${c.overdue} overdue, ${c.passed} passed`)));
  const head = ['Trainee', ...dash.counts.map((c) => c.title)];
  const table = h('div', { class: 'table-wrap' }, h('table', { id: 'dashboard-table' },
    h('caption', { text: 'Status per trainee and assignment' }),
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, dash.trainees.map((t) => h('tr', {}, h('th', { scope: 'row', text: `${t.display_name} (${t.email})` }),
      t.assignments.map((a) => h('td', { text: `${STATUS[a.status] || label(a.status)}${a.overdue ? ' · overdue' : ''}` })))))));
  return [summary, table];
}

export async function renderCohort(root, id, options = {}) {
  const [dash, assignments, personas, links] = await Promise.all([
    programsApi.dashboard(id), programsApi.assignments(id), api.personas(), lmsLinks(id)]);
  document.title = `${dash.cohort} · ${dash.program}`;
  const invite = h('p', { id: 'invite-line', class: 'small' });
  const inviteBtn = h('button', { type: 'button', class: 'btn', text: 'Make an invite link' });
  inviteBtn.addEventListener('click', async () => {
    const link = await programsApi.invite(id);
    replace(invite, 'Invite link (a new one replaces the old): ', h('code', { text: `${window.location.origin}${link.path}` }));
    announce('A new invite link was made.');
  });
  const reload = (flash) => renderCohort(root, id, { flash });
  const flash = options.flash ? h('p', { class: 'notice notice-info', id: 'cohort-flash', role: 'status', text: options.flash }) : null;
  replace(root, flash,
    h('div', { class: 'page-head' }, h('h1', { text: `${dash.cohort}` }),
      h('p', { class: 'muted' }, h('a', { href: `#/program/${assignments[0]?.program_id ?? ''}`, text: dash.program }))),
    h('section', { class: 'card', 'aria-labelledby': 'dash-title' }, h('h2', { id: 'dash-title', text: 'Dashboard' }),
      dashboardTable(dash),
      h('p', {}, h('a', { class: 'btn', id: 'cohort-csv', href: programsApi.exportUrl(id), download: '', text: 'Download cohort CSV' }))),
    h('section', { class: 'card', 'aria-labelledby': 'enrol-title' }, h('h2', { id: 'enrol-title', text: 'Enrol trainees' }),
      importForm(id, reload), h('div', { class: 'stack' }, inviteBtn, invite)),
    h('section', { class: 'card', 'aria-labelledby': 'assign-title' }, h('h2', { id: 'assign-title', text: 'Assignments' }),
      assignments.length ? h('ul', { class: 'plain-list', id: 'assignment-list' }, assignments.map((a) => h('li', {},
        `${a.title} · ${a.persona_ids.join(', ')} · ${label(a.mode)} · due ${dateText(a.due_at)}`))) : null,
      h('h3', { text: 'New assignment' }), assignmentForm(id, personas, reload)), links);
  if (flash) { announce(options.flash); focus(flash); }
  return null;
}
