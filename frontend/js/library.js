// The scenario library: "continue where you left off", filters (stage, driver kind, difficulty,
// tag, text), a sort, and one compact card per persona (the client's details fold out); the
// coach/exam choice sits in a bar that stays above the Start buttons while the list scrolls.

import { api } from './api.js';
import { h, replace, label, announce } from './dom.js';

const STAGES = ['precontemplation', 'contemplation', 'preparation', 'action', 'maintenance'];
const DRIVERS = ['emotional', 'cognitive', 'relational', 'neurobiological'];
const DIFFICULTIES = ['introductory', 'intermediate', 'advanced'];
const SORTS = {
  title: { text: 'Title (A–Z)', key: (p) => [p.title] },
  difficulty: { text: 'Difficulty (easiest first)', key: (p) => [DIFFICULTIES.indexOf(p.difficulty), p.title] },
  stage: { text: 'Stage of change', key: (p) => [STAGES.indexOf(p.stage), p.title] },
};

/** The personas in the order chosen (stable, by the sort's keys). */
export function sorted(personas, by) {
  const key = (SORTS[by] || SORTS.title).key;
  const cmp = (a, b) => {
    const ka = key(a); const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  };
  return personas.slice().sort(cmp);
}

function select(id, text, values, all) {
  return h('div', { class: 'field' },
    h('label', { for: id, text }),
    h('select', { id, name: id },
      h('option', { value: '', text: all }),
      values.map((v) => h('option', { value: v, text: label(v) }))));
}

/** True when a persona card passes every active filter. */
export function matches(persona, filters) {
  if (filters.stage && persona.stage !== filters.stage) return false;
  if (filters.driver && !(persona.driver_kinds || []).includes(filters.driver)) return false;
  if (filters.difficulty && persona.difficulty !== filters.difficulty) return false;
  if (filters.tag && !(persona.tags || []).includes(filters.tag)) return false;
  if (filters.text) {
    const hay = [persona.title, persona.summary, persona.client && persona.client.presenting_concern,
      ...(persona.tags || [])].join(' ').toLowerCase();
    if (!hay.includes(filters.text.toLowerCase())) return false;
  }
  return true;
}

function card(persona, onStart) {
  const c = persona.client || {};
  const titleId = `persona-${persona.id}-title`;
  const facts = [
    ['Client', `${c.name || '—'}, ${c.age ?? '—'} (${c.pronouns || '—'})`],
    ['Occupation', c.occupation],
    ['Setting', c.setting],
    ['Context', c.cultural_context],
    ['Presenting concern', c.presenting_concern],
  ];
  return h('article', { class: 'persona card', 'aria-labelledby': titleId, 'data-persona': persona.id },
    h('header', { class: 'persona-head' },
      h('h2', { id: titleId, text: persona.title }),
      h('ul', { class: 'chips', 'aria-label': 'Scenario facts' },
        h('li', { class: `chip chip-${persona.difficulty}`, text: label(persona.difficulty) }),
        h('li', { class: 'chip', text: `Stage: ${label(persona.stage)}` }),
        (persona.driver_kinds || []).map((k) => h('li', { class: 'chip chip-quiet', text: label(k) })))),
    h('p', { class: 'persona-summary', text: persona.summary }),
    h('details', { class: 'persona-more' },
      h('summary', { text: `About ${c.name || 'the client'} and your objectives` }),
      h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v || '—' })])),
      (persona.behaviours || []).length
        ? h('p', { class: 'muted small' }, 'May show: ', (persona.behaviours || []).map(label).join(', '))
        : null,
      h('h3', { class: 'small-heading', text: 'Your objectives' }),
      h('ul', { class: 'objectives' }, (persona.objectives || []).map((o) => h('li', { text: o.description }))),
      (persona.tags || []).length
        ? h('p', { class: 'tags small' }, (persona.tags || []).map((t) => h('span', { class: 'tag', text: `#${label(t)}` })))
        : null),
    h('div', { class: 'persona-actions' },
      h('button', {
        type: 'button', class: 'btn btn-primary', 'data-start': persona.id,
        'aria-describedby': titleId, text: 'Start session',
        onclick: (event) => onStart(persona, event.currentTarget),
      })));
}

/** "Continue where you left off": the trainee's sessions still open, newest first. */
function continuing(sessions) {
  const open = sessions.filter((x) => x.status === 'active').slice(0, 3);
  if (!open.length) return null;
  return h('section', { class: 'continue card', id: 'continue', 'aria-labelledby': 'continue-title' },
    h('h2', { id: 'continue-title', text: 'Continue where you left off' }),
    h('ul', { class: 'continue-list' }, open.map((x) => h('li', {},
      h('a', { class: 'btn', href: `#/session/${x.id}`, 'data-continue': x.id, text: `Continue: ${x.persona_title}` }),
      h('span', { class: 'muted small', text: ` ${label(x.mode)} mode · ${x.turn_count} ${x.turn_count === 1 ? 'reply' : 'replies'} so far` })))));
}

export async function renderLibrary(root, _arg, { go }) {
  const [personas, sessions] = await Promise.all([api.personas(), api.sessions().catch(() => [])]);
  document.title = 'Scenarios · Resistance practice room';
  const tags = [...new Set(personas.flatMap((p) => p.tags || []))].sort();
  const list = h('div', { class: 'persona-grid', id: 'persona-list' });
  const count = h('p', { class: 'muted', id: 'persona-count', 'aria-live': 'polite' });
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
  const filters = h('form', { class: 'filters', 'aria-label': 'Filter scenarios', role: 'search' },
    h('div', { class: 'field' },
      h('label', { for: 'filter-text', text: 'Search' }),
      h('input', { id: 'filter-text', type: 'search', name: 'text', placeholder: 'Title, concern, tag' })),
    select('filter-stage', 'Stage of change', STAGES, 'Any stage'),
    select('filter-driver', 'Driver', DRIVERS, 'Any driver'),
    select('filter-difficulty', 'Difficulty', DIFFICULTIES, 'Any difficulty'),
    select('filter-tag', 'Tag', tags, 'Any tag'),
    h('div', { class: 'field' },
      h('label', { for: 'sort', text: 'Sort by' }),
      h('select', { id: 'sort', name: 'sort' },
        Object.entries(SORTS).map(([value, sort]) => h('option', { value, text: sort.text })))));
  const mode = h('fieldset', { class: 'mode-choice', id: 'mode-choice' },
    h('legend', { text: 'Start in' }),
    h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'mode', value: 'coach', checked: true, id: 'mode-coach' }),
      h('span', {}, h('strong', { text: 'Coach mode' }), ' — feedback after every reply')),
    h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'mode', value: 'exam', id: 'mode-exam' }),
      h('span', {}, h('strong', { text: 'Exam mode' }), ' — feedback at the end')));

  const read = () => ({
    text: filters.querySelector('#filter-text').value.trim(),
    stage: filters.querySelector('#filter-stage').value,
    driver: filters.querySelector('#filter-driver').value,
    difficulty: filters.querySelector('#filter-difficulty').value,
    tag: filters.querySelector('#filter-tag').value,
  });

  async function start(persona, button) {
    const chosen = mode.querySelector('input[name="mode"]:checked').value;
    button.disabled = true;
    button.textContent = 'Starting…';
    error.hidden = true;
    try {
      const session = await api.startSession(persona.id, chosen);
      go(`/session/${session.id}`);
    } catch (err) {
      error.textContent = `Could not start “${persona.title}”: ${err.message}`;
      error.hidden = false;
      button.disabled = false;
      button.textContent = 'Start session';
    }
  }

  const draw = () => {
    const shown = sorted(personas.filter((p) => matches(p, read())), filters.querySelector('#sort').value);
    replace(list, shown.length ? shown.map((p) => card(p, start))
      : h('p', { class: 'empty', text: 'No scenario matches these filters.' }));
    count.textContent = `${shown.length} of ${personas.length} scenarios`;
  };
  filters.addEventListener('input', draw);
  filters.addEventListener('change', draw);
  filters.addEventListener('submit', (e) => e.preventDefault());

  replace(root,
    h('div', { class: 'page-head' },
      h('h1', { text: 'Scenarios' }),
      h('p', { class: 'muted', text: 'Choose a client to practise with. You see what a therapist would know before a first session; the rest you find out by listening.' })),
    continuing(sessions),
    filters,
    h('div', { class: 'start-bar' }, count, mode),
    error, list);
  draw();
  announce(count.textContent);
  return null;
}
