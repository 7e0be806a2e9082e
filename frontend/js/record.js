// "Every reply written": the record behind a report. The figures follow the kept branch; this
// lists every other branch (a rewind) and failed turn, so nothing a trainee wrote disappears.

import { h } from './dom.js';

function turnItem(t) {
  const facts = [];
  if (t.status !== 'complete') facts.push(t.status);
  if (t.rupture) facts.push('rupture');
  if (t.resistance !== null && t.resistance !== undefined) facts.push(`resistance ${Number(t.resistance).toFixed(2)}`);
  if ((t.codes || []).length) facts.push(t.codes.join(', ').replaceAll('_', ' '));
  return h('li', { class: 'record-turn' },
    h('p', {}, h('span', { class: 'who', text: `Turn ${t.index}, you: ` }), h('q', { text: t.trainee_text })),
    t.client_text ? h('p', { class: 'small muted' }, 'Client: ', h('q', { text: t.client_text })) : null,
    facts.length ? h('p', { class: 'small', text: facts.join(' · ') }) : null);
}

/** The record section's content, or null when there is nothing to show. */
export function recordBlock(record, mode) {
  if (!record) return null;
  const off = record.branches.filter((b) => !b.active);
  const ruptures = record.ruptures_anywhere;
  const lead = h('p', { id: 'record-summary' },
    `${record.replies_written} repl${record.replies_written === 1 ? 'y' : 'ies'} written: `,
    `${record.replies_on_kept_branch} on the kept branch, ${record.replies_off_kept_branch} elsewhere`,
    record.failed_replies ? `, ${record.failed_replies} failed` : '',
    ruptures === null || ruptures === undefined ? '.' : `; ruptures on any branch: ${ruptures}.`);
  const note = mode === 'exam'
    ? h('p', { class: 'muted', text: 'Exam mode: replies cannot be taken back, and every reply written stays in this record.' })
    : null;
  if (!off.length) return [lead, note];
  return [lead, note, off.map((b) => {
    const own = b.turns.slice((b.diverges_at || 1) - 1);
    const title = `Branch ${b.number}: leaves the kept branch at turn ${b.diverges_at}`
      + (b.ruptures ? ` · ${b.ruptures} rupture${b.ruptures === 1 ? '' : 's'}` : '');
    return h('section', { class: 'record-branch', 'data-branch': b.number, 'aria-label': title },
      h('h3', { text: title }), h('ol', { class: 'record-turns' }, own.map(turnItem)));
  })];
}
