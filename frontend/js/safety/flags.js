// Flagged moments (instructors and administrators): turns where the engine flagged abuse or
// contempt toward the client, a promise nobody can keep, or a hint at risk left unanswered,
// newest first, each linking to the session's report.

import { api } from '../api.js';
import { h, replace, label } from '../dom.js';

export async function renderFlags(root) {
  const items = await api.flags();
  document.title = 'Flagged moments · Resistance practice room';
  const rows = items.map((f) => h('tr', {},
    h('td', { text: f.created_at ? new Date(f.created_at).toLocaleString() : '—' }),
    h('td', { text: f.trainee }),
    h('th', { scope: 'row' }, h('a', { href: `#/report/${f.session_id}`, text: `${f.persona_title}, turn ${f.turn_index}` })),
    h('td', {}, h('ul', { class: 'flag-kinds' }, f.kinds.map((k, i) => h('li', {},
      h('strong', { text: `${label(k)}: ` }), f.notes[i] || '')))),
    h('td', {}, h('q', { text: f.reply }))));
  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Flagged moments' }),
      h('p', { class: 'muted', text: 'Turns the simulator flagged for review across every trainee: abuse or contempt toward the client, promises nobody can keep, and hints at risk that went unanswered or were asked about in a leading way.' })),
    items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'progress', id: 'flags-table' },
        h('caption', { text: 'Flagged turns, newest first' }),
        h('thead', {}, h('tr', {}, ['When', 'Trainee', 'Session and turn', 'Flags', 'What the trainee wrote']
          .map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, rows)))
      : h('p', { class: 'notice notice-info', id: 'no-flags', text: 'Nothing flagged yet.' }));
  return null;
}
