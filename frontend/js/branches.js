// Rewind comparison: two branches of the same session side by side from the turn where they
// part, each reply with the client's answer and (in coach mode) where the meter ended up.

import { h, replace, pct } from './dom.js';

/** Index of the first position where the two id paths differ. */
export function forkIndex(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

function column(title, ids, from, turns, showState, note) {
  const rest = ids.slice(from);
  if (rest.some((id) => !turns.has(id))) {
    // Only if the page has not loaded that branch's turns (the API sends them as branch_turns).
    return h('section', { class: 'branch-col', 'aria-label': title },
      h('h3', { text: title }),
      h('p', { class: 'muted small', text: `${rest.length} reply(ies) after the fork. Their text is shown only in the page where they were written; the branch: ${note || 'unlabelled'}.` }));
  }
  return h('section', { class: 'branch-col', 'aria-label': title },
    h('h3', { text: title }),
    rest.length
      ? h('ol', { class: 'branch-turns' }, rest.map((id) => {
        const t = turns.get(id);
        if (!t) return h('li', { class: 'muted', text: `Turn ${id} (not loaded on this page)` });
        return h('li', { class: 'branch-turn' },
          h('p', { class: 'branch-you' }, h('span', { class: 'who', text: 'You: ' }), t.trainee_text),
          h('p', { class: 'branch-client' }, h('span', { class: 'who', text: 'Client: ' }),
            t.client_text || (t.status === 'failed' ? '(failed)' : '…')),
          showState && t.state
            ? h('p', { class: 'small muted',
              text: `Resistance ${pct(t.state.resistance)} · Alliance ${pct(t.state.alliance)}` })
            : null);
      }))
      : h('p', { class: 'muted', text: 'No replies on this branch after the fork.' }));
}

/**
 * Render the comparison of `older` and `newer` (arrays of turn ids from the opening) into
 * `section`, using the turn objects in the `turns` map.
 */
export function renderCompare(section, { older, newer, turns, showState, choices, onChoose }) {
  const from = forkIndex(older.ids, newer.ids);
  const forkTurn = from > 0 ? turns.get(older.ids[from - 1]) : null;
  const picker = choices && choices.length > 1
    ? h('div', { class: 'field inline' },
      h('label', { for: 'compare-with', text: 'Compare the current branch with' }),
      h('select', { id: 'compare-with', onchange: (e) => onChoose(e.target.value) },
        choices.map((c) => h('option', { value: c.value, text: c.text, selected: c.value === older.key }))))
    : null;
  replace(section,
    h('h2', { id: 'compare-title', text: 'Compare branches' }),
    h('p', { class: 'muted small',
      text: forkTurn ? `The branches part after turn ${forkTurn.index}.` : 'The branches part right after the opening line.' }),
    picker,
    h('div', { class: 'branch-grid' },
      column(older.title, older.ids, from, turns, showState, older.note),
      column(newer.title, newer.ids, from, turns, showState, newer.note)));
  section.hidden = false;
}
