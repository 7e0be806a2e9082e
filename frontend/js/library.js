// The scenario library: filters (stage, driver kind, difficulty, tag, text) and one card per
// persona with what the trainee may know before starting; the mode is chosen when starting.

import { api } from './api.js';
import { h, replace, label, announce } from './dom.js';

const STAGES = ['precontemplation', 'contemplation', 'preparation', 'action', 'maintenance'];
const DRIVERS = ['emotional', 'cognitive', 'relational', 'neurobiological'];
const DIFFICULTIES = ['introductory', 'intermediate', 'advanced'];

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
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v || '—' })])),
    (persona.behaviours || []).length
      ? h('p', { class: 'muted small' }, 'May show: ', (persona.behaviours || []).map(label).join(', '))
      : null,
    h('h3', { class: 'small-heading', text: 'Your objectives' }),
    h('ul', { class: 'objectives' }, (persona.objectives || []).map((o) => h('li', { text: o.description }))),
    (persona.tags || []).length
      ? h('p', { class: 'tags small' }, (persona.tags || []).map((t) => h('span', { class: 'tag', text: `#${t}` })))
      : null,
    h('div', { class: 'persona-actions' },
      h('button', {
        type: 'button', class: 'btn btn-primary', 'data-start': persona.id,
        'aria-describedby': titleId, text: 'Start session',
        onclick: (event) => onStart(persona, event.currentTarget),
      })));
}

export async function renderLibrary(root, _arg, { go }) {
  const personas = await api.personas();
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
    select('filter-tag', 'Tag', tags, 'Any tag'));
  const mode = h('fieldset', { class: 'mode-choice' },
    h('legend', { text: 'Feedback when you start' }),
    h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'mode', value: 'coach', checked: true, id: 'mode-coach' }),
      h('span', {}, h('strong', { text: 'Coach mode' }), ' — ratings and the client\u2019s reactions after every reply')),
    h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'mode', value: 'exam', id: 'mode-exam' }),
      h('span', {}, h('strong', { text: 'Exam mode' }), ' — no feedback until you end the session')));

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
    const shown = personas.filter((p) => matches(p, read()));
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
    h('div', { class: 'library-controls' }, filters, mode),
    count, error, list);
  draw();
  announce(count.textContent);
  return null;
}
