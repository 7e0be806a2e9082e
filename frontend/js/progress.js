// "My progress": past sessions with headline figures, oldest to newest trend on top, so a
// trainee sees whether alliance rises and resistance falls over their practice.

import { api } from './api.js';
import { h, replace, label, pct, num } from './dom.js';
import { lineChart, legend } from './chart.js';

export async function renderProgress(root) {
  const sessions = await api.progress();
  document.title = 'My progress · Resistance practice room';
  const scored = sessions.filter((s) => s.headline && s.headline.final_alliance !== null && s.headline.final_alliance !== undefined)
    .slice().sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  const series = [
    { name: 'Final resistance', cls: 's-resistance', points: scored.map((s, i) => ({ x: i + 1, y: s.headline.final_resistance })) },
    { name: 'Final alliance', cls: 's-alliance', points: scored.map((s, i) => ({ x: i + 1, y: s.headline.final_alliance })) },
  ];
  const trend = scored.length >= 2
    ? [lineChart({ title: 'Final resistance and alliance per session', desc: `${scored.length} sessions, oldest first.`,
      series, xLabel: 'Session (oldest first)', height: 220, xFrom: 1 }), legend(series)]
    : h('p', { class: 'muted', text: 'Finish two or more sessions to see a trend.' });
  const rows = sessions.map((s) => {
    const hl = s.headline || {};
    const when = s.created_at ? new Date(s.created_at).toLocaleDateString() : '—';
    return h('tr', {},
      h('td', { text: when }),
      h('th', { scope: 'row' }, h('a', { href: `#/report/${s.id}`, text: s.persona_title })),
      h('td', { text: label(s.mode) }),
      h('td', { text: label(s.status) }),
      h('td', { text: String(hl.turns ?? s.turn_count ?? '—') }),
      h('td', { text: hl.replies_written === undefined ? String(s.turn_count ?? '—')
        : `${hl.replies_written}${hl.replies_off_branch ? ` (${hl.replies_off_branch} on other branches)` : ''}` }),
      h('td', { text: hl.ruptures_anywhere === null || hl.ruptures_anywhere === undefined ? '—' : String(hl.ruptures_anywhere) }),
      h('td', { text: pct(hl.final_resistance) }),
      h('td', { text: pct(hl.final_alliance) }),
      h('td', { text: num(hl.reflection_to_question, 2) }),
      h('td', { text: hl.percent_complex_reflection === null || hl.percent_complex_reflection === undefined
        ? '—' : `${Number(hl.percent_complex_reflection).toFixed(0)}%` }),
      h('td', { text: hl.objectives_total && hl.objectives_met !== null && hl.objectives_met !== undefined
        ? `${hl.objectives_met}/${hl.objectives_total}` : '—' }),
      h('td', {}, s.status === 'active' ? h('a', { href: `#/session/${s.id}`, text: 'Continue' }) : null));
  });
  const cols = ['Date', 'Scenario', 'Mode', 'Status', 'Turns', 'Replies written', 'Ruptures', 'Resistance', 'Alliance', 'R:Q', '% CR', 'Objectives', ''];
  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'My progress' }),
      h('p', { class: 'muted', text: 'Your sessions with their headline figures. Lower resistance, higher alliance and more reflections than questions are signs of progress.' })),
    h('section', { class: 'card', 'aria-labelledby': 'trend-title' }, h('h2', { id: 'trend-title', text: 'Trend' }), trend),
    sessions.length
      ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'progress-caption' }, h('table', { class: 'progress', id: 'progress-table' },
        h('caption', { id: 'progress-caption', text: 'Past sessions, newest first' }),
        h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden', text: 'Actions' }))))),
        h('tbody', {}, rows)))
      : h('p', {}, 'No sessions yet. ', h('a', { href: '#/library', text: 'Choose a scenario' }), ' to start.'));
  return null;
}
