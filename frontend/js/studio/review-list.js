// The reviewer's home: the trainees they review (with activity) and those trainees' sessions,
// filtered by trainee, scenario, mode, status, outcome and date, newest first, paged.

import { api } from '../api.js';
import { h, replace, label, pct, announce, focus } from '../dom.js';
import { review, OUTCOMES } from './review-api.js';

const PAGE = 25;
const KEY = 'sim.reviewFilters';
const OUTCOME_TEXT = {
  improved: 'Resistance down', unchanged: 'Little change', worsened: 'Resistance up',
  rupture: 'Ended in a rupture', no_replies: 'No replies yet',
};

function saved() {
  try { return JSON.parse(window.sessionStorage.getItem(KEY) || '{}') || {}; } catch { return {}; }
}
function save(filters) {
  try { window.sessionStorage.setItem(KEY, JSON.stringify(filters)); } catch { /* none */ }
}

function field(id, text, control) {
  return h('div', { class: 'field' }, h('label', { for: id, text }), control);
}

function choice(id, values, all, current) {
  return h('select', { id, name: id },
    h('option', { value: '', text: all }),
    values.map(([value, text]) => h('option', { value, text, selected: String(value) === String(current ?? '') })));
}

const when = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '—');

export async function renderReviewList(root) {
  document.title = 'Review · Resistance practice room';
  const [people, personas] = await Promise.all([review.trainees(), api.personas()]);
  const filters = { offset: 0, ...saved() };
  const status = h('p', { class: 'small muted', id: 'sessions-status', role: 'status' });
  const tableBox = h('div', { class: 'table-wrap', id: 'review-sessions' });
  const pager = h('div', { class: 'pager', role: 'group', 'aria-label': 'Pages of sessions' });

  const controls = {
    user_id: choice('f-trainee', people.map((p) => [p.id, `${p.display_name} (${p.email})`]), 'All trainees', filters.user_id),
    persona_id: choice('f-persona', personas.map((p) => [p.id, p.title]), 'All scenarios', filters.persona_id),
    mode: choice('f-mode', [['coach', 'Coach'], ['exam', 'Exam']], 'Any mode', filters.mode),
    status: choice('f-status', [['active', 'In progress'], ['ended', 'Ended']], 'Any status', filters.status),
    outcome: choice('f-outcome', OUTCOMES.map((o) => [o, OUTCOME_TEXT[o]]), 'Any outcome', filters.outcome),
    since: h('input', { id: 'f-since', name: 'since', type: 'date', value: filters.since || '' }),
    until: h('input', { id: 'f-until', name: 'until', type: 'date', value: filters.until || '' }),
  };
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true, id: 'filter-error' });
  const form = h('form', { class: 'filters review-filters', id: 'review-filters', 'aria-label': 'Filter sessions' },
    field('f-trainee', 'Trainee', controls.user_id),
    field('f-persona', 'Scenario', controls.persona_id),
    field('f-mode', 'Mode', controls.mode),
    field('f-status', 'Status', controls.status),
    field('f-outcome', 'Outcome', controls.outcome),
    field('f-since', 'Started from', controls.since),
    field('f-until', 'Started until', controls.until),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', text: 'Show sessions' }),
      h('button', { type: 'button', class: 'btn btn-quiet', text: 'Clear filters', onclick: () => {
        for (const el of Object.values(controls)) el.value = '';
        load(0);
      } })));

  function read() {
    const out = {};
    for (const [key, el] of Object.entries(controls)) if (el.value) out[key] = el.value;
    return out;
  }

  async function load(offset) {
    error.hidden = true;
    const current = { ...read(), offset };
    save(current);
    let page;
    try {
      page = await review.sessions({ ...current, limit: PAGE });
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      return;
    }
    const first = page.total ? offset + 1 : 0;
    const last = offset + page.items.length;
    status.textContent = page.total
      ? `Showing sessions ${first}–${last} of ${page.total}.`
      : 'No session matches these filters.';
    announce(status.textContent);
    replace(tableBox, page.items.length ? sessionTable(page.items) : null);
    replace(pager,
      h('button', { type: 'button', class: 'btn', text: 'Previous page', disabled: offset === 0, onclick: () => load(Math.max(0, offset - PAGE)) }),
      h('button', { type: 'button', class: 'btn', text: 'Next page', disabled: last >= page.total, onclick: () => load(offset + PAGE) }));
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); load(0); });

  function pick(person) {
    controls.user_id.value = String(person.id);
    load(0);
    focus(document.getElementById('sessions-title'));
  }

  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Review' }),
      h('p', { class: 'muted', text: 'The trainees you review and their practice sessions. Open a session to read every branch, comment on turns, agree with or correct the AI\'s ratings, and leave feedback the trainee sees on their report.' })),
    h('section', { class: 'card review-sessions-card', 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title', text: 'Sessions', tabindex: '-1' }),
      form, error, status, tableBox, pager),
    h('section', { class: 'card', 'aria-labelledby': 'trainees-title' },
      h('h2', { id: 'trainees-title', text: 'Trainees' }),
      people.length ? traineeList(people, pick) : h('p', { class: 'muted', text: 'No trainees to review yet.' })));
  await load(Number(filters.offset) || 0);
  return null;
}

const SHORT = 10;

/** Trainees, most recently active first: a search box and the first few, or all of them. */
function traineeList(people, pick) {
  const ordered = people.slice().sort((a, b) => String(b.last_session_at || '').localeCompare(String(a.last_session_at || ''))
    || a.display_name.localeCompare(b.display_name));
  const search = h('input', { id: 't-search', type: 'search', autocomplete: 'off' });
  const box = h('div', { class: 'table-wrap' });
  const note = h('p', { class: 'small muted', role: 'status', id: 'trainee-count' });
  let all = false;
  const draw = () => {
    const text = search.value.trim().toLowerCase();
    const found = ordered.filter((p) => !text || `${p.display_name} ${p.email}`.toLowerCase().includes(text));
    const shown = all || text ? found : found.slice(0, SHORT);
    note.textContent = `${shown.length} of ${found.length} trainee(s)${text ? ' matching' : ''}, most recently active first.`;
    replace(box, traineeTable(shown, pick),
      !all && !text && found.length > SHORT
        ? h('button', { type: 'button', class: 'btn', text: `Show all ${found.length} trainees`, onclick: () => { all = true; draw(); } })
        : null);
  };
  search.addEventListener('input', draw);
  draw();
  return [h('div', { class: 'field trainee-search' }, h('label', { for: 't-search', text: 'Find a trainee' }), search), note, box];
}

function traineeTable(people, pick) {
  return h('table', { class: 'data', id: 'trainee-table' },
    h('caption', { class: 'visually-hidden', text: 'Trainees you review' }),
    h('thead', {}, h('tr', {}, ['Trainee', 'Email', 'Sessions', 'Ended', 'Reviewed', 'Last session']
      .map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, people.map((p) => h('tr', {},
      h('th', { scope: 'row' }, h('button', {
        type: 'button', class: 'btn-link trainee-pick', text: p.display_name,
        'aria-label': `Show the sessions of ${p.display_name}`, onclick: () => pick(p),
      }), p.active ? null : h('span', { class: 'badge', text: 'Deactivated' })),
      h('td', { text: p.email }),
      h('td', { text: String(p.sessions) }),
      h('td', { text: String(p.ended) }),
      h('td', { text: String(p.reviewed) }),
      h('td', { text: when(p.last_session_at) })))));
}

function sessionTable(items) {
  const cols = ['Started', 'Trainee', 'Scenario', 'Mode', 'Status', 'Turns', 'Resistance', 'Outcome', 'Reviewed', ''];
  return h('table', { class: 'data', id: 'session-table' },
    h('caption', { class: 'visually-hidden', text: 'Sessions, newest first' }),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden', text: 'Actions' }))))),
    h('tbody', {}, items.map((s) => h('tr', { 'data-session': s.id },
      h('td', { text: when(s.created_at) }),
      h('td', { text: s.trainee_name }),
      h('th', { scope: 'row', text: s.persona_title }),
      h('td', { text: label(s.mode) }),
      h('td', { text: s.status === 'ended' ? 'Ended' : 'In progress' }),
      h('td', { text: `${s.turns}${s.branches > 1 ? ` (${s.branches} branches)` : ''}` }),
      h('td', { text: s.final_resistance === null ? pct(s.opening_resistance) : `${pct(s.opening_resistance)} → ${pct(s.final_resistance)}` }),
      h('td', {}, h('span', { class: `outcome outcome-${s.outcome}`, text: OUTCOME_TEXT[s.outcome] || label(s.outcome) })),
      h('td', { text: s.ratings + s.comments + s.feedback ? `${s.ratings} ratings, ${s.comments} comments, ${s.feedback} feedback` : 'Not yet' }),
      h('td', { class: 'row-actions' },
        h('a', { href: `#/review/${s.id}`, text: 'Review', 'aria-label': `Review ${s.trainee_name}'s session ${s.persona_title}, ${when(s.created_at)}` }),
        h('a', { href: `#/report/${s.id}`, text: 'Report', 'aria-label': `Report of ${s.trainee_name}'s session ${s.persona_title}, ${when(s.created_at)}` }))))));
}
