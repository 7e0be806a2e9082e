// Agreement between the AI and the instructors: Cohen's kappa per dimension and per code, with
// the 2x2 counts and a 95% interval, from every verdict saved on the review pages; and the
// export of those verdicts as training items for the scorer (docs/REVIEW.md).

import { user } from '../api.js';
import { h, replace, label, num, announce } from '../dom.js';
import { review } from './review-api.js';

const COLS = ['Rated turns', 'Both present', 'AI only', 'Instructor only', 'Both absent', 'Observed agreement', 'Kappa', '95% interval', 'Note'];

function table(id, caption, rows) {
  if (!rows.length) return h('p', { class: 'muted', text: 'No ratings yet.' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data agreement', id },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: id === 'kappa-codes' ? 'Code' : 'Dimension' }),
      COLS.map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-name': r.name },
      h('th', { scope: 'row', text: label(r.name) }),
      h('td', { text: String(r.n) }),
      h('td', { text: String(r.both) }),
      h('td', { text: String(r.ai_only) }),
      h('td', { text: String(r.instructor_only) }),
      h('td', { text: String(r.neither) }),
      h('td', { text: r.observed === null ? '—' : `${Math.round(r.observed * 100)}%` }),
      h('td', { class: 'kappa', text: num(r.kappa, 2) }),
      h('td', { text: r.ci_low === null ? '—' : `${num(r.ci_low, 2)} to ${num(r.ci_high, 2)}` }),
      h('td', { class: 'small', text: r.note || '' }))))));
}

export async function renderAgreement(root) {
  document.title = 'Agreement · Resistance practice room';
  const me = user();
  const body = h('div', { id: 'agreement-body' });
  const mine = h('input', { type: 'checkbox', id: 'only-mine' });
  const changedOnly = h('input', { type: 'checkbox', id: 'changed-only' });
  const link = h('a', { class: 'btn', id: 'export-link', download: 'overrides.jsonl', text: 'Download the verdicts (JSON lines)' });

  async function load() {
    const data = await review.agreement(mine.checked ? me.id : null);
    const params = { reviewer_id: mine.checked ? me.id : null, changed_only: changedOnly.checked ? 'true' : null };
    link.setAttribute('href', review.exportUrl(params));
    replace(body,
      h('p', { id: 'agreement-summary' },
        h('strong', { text: `${data.overrides} rated turn(s)` }),
        ` by ${data.reviewers} reviewer(s); the instructor changed the AI's rating on ${data.changed}.`),
      h('p', { class: 'small muted', text: data.method }),
      h('section', { 'aria-labelledby': 'dims-title' }, h('h2', { id: 'dims-title', text: 'Per dimension' }),
        table('kappa-dimensions', 'Agreement per dimension (present or absent)', data.dimensions)),
      h('section', { 'aria-labelledby': 'codes-title' }, h('h2', { id: 'codes-title', text: 'Per code' }),
        table('kappa-codes', 'Agreement per behaviour code (given or not)', data.codes)));
    announce(`${data.overrides} rated turns.`);
  }

  mine.addEventListener('change', load);
  changedOnly.addEventListener('change', load);
  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Agreement between the AI and instructors' }),
      h('p', { class: 'muted', text: 'Every verdict saved on a session review is one pair of judgements about one reply: the AI\'s and the instructor\'s. Kappa corrects their agreement for chance: 1 is perfect, 0 is what chance alone gives, and below 0.6 the AI needs work on that dimension or code.' })),
    h('div', { class: 'card agreement-controls' },
      h('label', { class: 'check', for: 'only-mine' }, mine, ' Only my verdicts'),
      h('h2', { class: 'small-heading', text: 'Export for retraining' }),
      h('p', { class: 'small' }, 'One JSON object per verdict, in the scorer\'s training format; ',
        h('code', { text: 'python -m scoring.training.build --extra overrides.jsonl' }),
        ' learns from it (docs/REVIEW.md: export, build, bench, ship).'),
      h('label', { class: 'check', for: 'changed-only' }, changedOnly, ' Only verdicts that changed the AI\'s rating'),
      h('p', {}, link)),
    h('section', { class: 'card', 'aria-label': 'Agreement tables' }, body));
  await load();
  return null;
}
