// The session report: the resistance/alliance curve with turning points, MITI figures against
// the fair/good bands, the four dimensions over time, resistance by driver, objectives, key
// moments, and exports (JSON, CSV, Markdown) plus print.

import { api, user } from './api.js';
import { h, replace, label, pct, num, signed } from './dom.js';
import { review } from './studio/review-api.js';
import { lineChart, legend, sparkBars, bandChart } from './chart.js';
import { DIMENSIONS } from './coach.js';
import { recordBlock } from './record.js';

const pick = (obj, ...keys) => {
  for (const k of keys) if (obj && obj[k] !== undefined && obj[k] !== null) return obj[k];
  return null;
};

/** The API gives percentages as 0-100; the charts work in 0-1. */
const unit = (v) => (v === null || v === undefined ? null : Number(v) / 100);

function section(id, title, ...children) {
  return h('section', { class: 'report-block card', id: `${id}-block`, 'aria-labelledby': id }, h('h2', { id, text: title }), children);
}

function curve(report) {
  const traj = report.trajectory || [];
  if (!traj.length) return h('p', { class: 'muted', text: 'No scored turns yet.' });
  const series = [
    { name: 'Resistance', cls: 's-resistance', points: traj.map((p) => ({ x: p.turn_index, y: p.resistance })) },
    { name: 'Alliance', cls: 's-alliance', points: traj.map((p) => ({ x: p.turn_index, y: p.alliance })) },
  ];
  const tps = report.turning_points || [];
  const markers = tps.map((tp, i) => ({ x: tp.turn_index, label: String(i + 1), kind: tp.kind }));
  const first = traj[0];
  const last = traj.at(-1);
  return [
    lineChart({
      title: 'Resistance and alliance over the turns',
      desc: `Resistance went from ${pct(first.resistance)} to ${pct(last.resistance)}; alliance from ${pct(first.alliance)} to ${pct(last.alliance)}. ${tps.length} turning points marked.`,
      series, markers,
    }),
    legend(series),
    tps.length
      ? h('ol', { class: 'turning-points' }, tps.map((tp) => h('li', {},
        h('strong', { text: `Turn ${tp.turn_index} · ${label(tp.kind)}: ` }), tp.text)))
      : h('p', { class: 'muted small', text: 'No turning points: the session moved steadily.' }),
  ];
}

function miti(summary) {
  if (!summary || !summary.n_replies) return h('p', { class: 'muted', text: 'MITI figures appear once replies are scored.' });
  const th = summary.thresholds || {};
  const rq = pick(summary, 'rq_ratio', 'reflection_to_question');
  const cr = unit(pick(summary, 'pct_complex_reflections', 'percent_complex_reflection'));
  const rqT = { fair: Number(pick(th, 'rq_fair') ?? 1), good: Number(pick(th, 'rq_good') ?? 2) };
  const crT = { fair: unit(pick(th, 'pct_cr_fair') ?? 40), good: unit(pick(th, 'pct_cr_good') ?? 50) };
  const rqBand = pick(summary, 'rq_band') || 'n/a';
  const crBand = pick(summary, 'pct_complex_band') || 'n/a';
  const counts = pick(summary, 'code_counts', 'counts') || {};
  const flags = summary.teaching_flags || {};
  const countRows = Object.entries(counts).filter(([code, n]) => Number(n) > 0 && !(code in flags));
  const flagRows = Object.entries(flags).filter(([, n]) => Number(n) > 0);
  const rqText = rq === null ? (summary.questions ? '—' : 'no questions asked') : num(rq, 2);
  return [
    h('div', { class: 'miti-grid' },
      h('figure', { class: 'miti-figure', id: 'miti-rq' },
        h('figcaption', {}, h('strong', { text: 'Reflection to question: ' }), `${rqText} `,
          h('span', { class: `band-name band-${rqBand.replace(/[^a-z]/g, '')}`, text: `(${rqBand})` })),
        bandChart({ title: `Reflection to question ratio ${rqText}, band ${rqBand}; fair from ${rqT.fair}, good from ${rqT.good}`,
          value: rq, fair: rqT.fair, good: rqT.good, max: Math.max(3, (rq || 0) * 1.1), format: (v) => num(v, 1) })),
      h('figure', { class: 'miti-figure', id: 'miti-cr' },
        h('figcaption', {}, h('strong', { text: 'Complex reflections: ' }), `${pct(cr)} `,
          h('span', { class: `band-name band-${crBand.replace(/[^a-z]/g, '')}`, text: `(${crBand})` })),
        bandChart({ title: `Percent complex reflections ${pct(cr)}, band ${crBand}; fair from ${pct(crT.fair)}, good from ${pct(crT.good)}`,
          value: cr, fair: crT.fair, good: crT.good, max: 1, format: (v) => pct(v) }))),
    h('p', { class: 'small' },
      `${summary.n_replies} scored replies · ${summary.reflections ?? '—'} reflections · ${summary.questions ?? '—'} questions · `,
      `MI-adherent ${pick(summary, 'mi_adherent', 'adherent') ?? '—'} · MI-non-adherent ${pick(summary, 'mi_non_adherent', 'non_adherent') ?? '—'}`),
    countRows.length
      ? h('table', { class: 'counts' },
        h('caption', { text: 'Behaviour codes' }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Code' }), h('th', { scope: 'col', text: 'Count' }))),
        h('tbody', {}, countRows.map(([code, n]) => h('tr', {}, h('th', { scope: 'row', text: label(code) }), h('td', { text: String(n) })))))
      : null,
    flagRows.length
      ? h('table', { class: 'counts', id: 'teaching-flags' },
        h('caption', { text: 'Teaching flags (not MITI codes)' }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Flag' }), h('th', { scope: 'col', text: 'Count' }))),
        h('tbody', {}, flagRows.map(([code, n]) => h('tr', {}, h('th', { scope: 'row', text: label(code) }), h('td', { text: String(n) })))))
      : null,
    summary.note ? h('p', { class: 'small muted', text: summary.note }) : null,
  ];
}

/** Per-dimension values over turns, from the summary or, failing that, the session's turns. */
function dimensionSeries(summary, turns) {
  const dims = pick(summary, 'trajectories', 'dimensions');
  const out = {};
  for (const d of DIMENSIONS) {
    if (dims && Array.isArray(dims[d])) {
      out[d] = dims[d].map((v) => (typeof v === 'object' && v !== null ? pick(v, 'probability', 'value', 'score') : v));
    } else if (Array.isArray(dims)) {
      out[d] = dims.map((row) => { const v = row[d]; return typeof v === 'object' && v !== null ? pick(v, 'probability') : v; });
    } else {
      out[d] = (turns || []).filter((t) => t.score).map((t) => (t.score[d] && t.score[d].present ? t.score[d].probability : 0));
    }
  }
  return out;
}

function dimensions(summary, turns, indices) {
  const series = dimensionSeries(summary, turns);
  if (!Object.values(series).some((v) => v.length)) return h('p', { class: 'muted', text: 'No scored replies yet.' });
  return h('div', { class: 'dim-grid' }, DIMENSIONS.map((d) => h('figure', { class: 'dim' },
    h('figcaption', { text: label(d) }),
    sparkBars({ title: `${label(d)}: probability per scored turn`, values: series[d], cls: `d-${d}`, turns: indices }))));
}

function drivers(report) {
  const rows = report.resistance_by_driver || [];
  if (!rows.length) return h('p', { class: 'muted', text: 'No resistance was attributed to a driver.' });
  return h('ul', { class: 'drivers' }, rows.map((r) => h('li', { class: 'driver' },
    h('p', {}, h('strong', { text: r.label || label(r.driver) }), ` (${label(r.kind)}) · net `,
      h('span', { class: `delta ${r.total_delta > 0 ? 'bad' : 'good'}`, text: signed(r.total_delta) })),
    (r.moves || []).length
      ? h('ul', { class: 'small' }, r.moves.slice(0, 4).map((m) => h('li', {},
        `Turn ${m.turn_index}: ${label(m.move)} ${signed(m.delta)} — `, h('q', { text: m.reply }))))
      : null)));
}

function objectives(report) {
  const rows = report.objectives || [];
  return h('ul', { class: 'objective-results' }, rows.map((o) => h('li', { class: o.met ? 'met' : 'unmet' },
    h('span', { class: 'obj-mark', text: o.met ? '✓ Met' : '✗ Not yet' }), ' ', h('strong', { text: o.description }),
    o.detail ? h('p', { class: 'small muted', text: o.detail }) : null)));
}

function moments(report) {
  const rows = report.key_moments || [];
  if (!rows.length) return h('p', { class: 'muted', text: 'No key moments yet.' });
  return h('ol', { class: 'moments' }, rows.map((m) => h('li', { class: `moment moment-${m.kind || 'note'}` },
    h('h3', { text: `Turn ${m.turn_index}${m.kind ? ` · ${label(m.kind)}` : ''}` }),
    h('p', {}, h('span', { class: 'who', text: 'You said: ' }), h('q', { text: m.reply })),
    m.client_reply ? h('p', { class: 'small muted' }, 'Client: ', h('q', { text: m.client_reply })) : null,
    h('p', {}, h('span', { class: 'who', text: 'What it did: ' }), m.what_it_did),
    m.alternative ? h('p', { class: 'alt' }, h('span', { class: 'who', text: 'Try instead: ' }), h('q', { text: m.alternative })) : null,
    m.alternative_why ? h('p', { class: 'small muted alt-why', text: `Why it works: ${m.alternative_why}` }) : null)));
}

/** Feedback and shared comments from instructors (the trainee's view of the review). */
function feedbackBlock(notes, own) {
  const items = [...(notes.feedback || []).map((f) => ({ ...f, where: 'On the whole session' })),
    ...(notes.comments || []).map((c) => ({ ...c, where: `On turn ${c.turn_index}` }))];
  if (!items.length) return null;
  return section('r-feedback', own ? 'Feedback from your instructor' : 'Feedback the trainee sees',
    h('ul', { class: 'feedback-items' }, items.map((f) => h('li', { class: 'feedback-item' },
      h('p', { class: 'small muted', text: `${f.where} · ${f.author_name} · ${new Date(f.created_at).toLocaleDateString()}` }),
      h('p', { class: 'feedback-text', text: f.text })))));
}

const yesNo = (v, turn) => (v ? `Yes${turn ? ` (turn ${turn})` : ''}` : 'No');

/** Was the client's hint at risk noticed, asked about directly and kindly, was safety planned. */
export function riskBlock(risk) {
  if (!risk) return null;
  const kindly = risk.asked_kindly === null || risk.asked_kindly === undefined ? '—' : (risk.asked_kindly ? 'Yes' : 'No, in a leading way');
  return h('div', { class: 'risk-section' },
    h('p', { text: risk.verdict }),
    h('dl', {},
      h('dt', { text: 'Hint at risk' }), h('dd', { text: risk.cue_turn ? `Turn ${risk.cue_turn}` : 'None in this session' }),
      h('dt', { text: 'Noticed' }), h('dd', { text: risk.ignored ? 'No — the next replies moved on' : yesNo(risk.noticed, risk.noticed_turn) }),
      h('dt', { text: 'Asked directly' }), h('dd', { text: yesNo(risk.asked_directly, risk.asked_turn) }),
      h('dt', { text: 'Asked kindly' }), h('dd', { text: kindly }),
      h('dt', { text: 'Safety planned' }), h('dd', { text: yesNo(risk.safety_planned, risk.safety_turn) })),
    risk.summary ? h('p', { class: 'small muted' }, h('strong', { text: 'For the instructor: ' }), risk.summary) : null);
}

/** Flags for the trainee and instructors: abuse, promises nobody can keep, ignored risk. */
export function flagList(flags) {
  if (!flags || !flags.length) return null;
  return h('ul', { class: 'flags-list' }, flags.map((f) => h('li', { class: `flag flag-${f.kind}` },
    h('strong', { text: `Turn ${f.turn_index} · ${label(f.kind)}: ` }), f.text, ' ',
    h('q', { text: f.reply }))));
}

export async function renderReport(root, id) {
  const [report, detail, notes] = await Promise.all([api.report(id), api.session(id).catch(() => null),
    review.feedback(id).catch(() => ({ feedback: [], comments: [] }))]);
  const session = report.session || detail || {};
  const me = user();
  const own = !detail || !me || detail.user_id === me.id;
  document.title = `Report: ${session.persona_title || ''}`;
  const hidden = session.mode === 'exam' && session.status !== 'ended';
  const exports = h('div', { class: 'exports no-print', role: 'group', 'aria-label': 'Export the transcript' },
    ['json', 'csv', 'md'].map((f) => h('a', {
      class: 'btn', href: api.transcriptUrl(id, f), download: '', 'data-export': f,
      text: `Download ${f === 'md' ? 'Markdown' : f.toUpperCase()}`,
    })),
    h('button', { type: 'button', class: 'btn', text: 'Print or save as PDF', onclick: () => window.print() }));
  const when = session.created_at ? new Date(session.created_at).toLocaleString() : '';
  replace(root,
    h('div', { class: 'page-head report-head' },
      h('div', {},
        h('h1', { text: `Session report: ${session.persona_title || ''}` }),
        h('p', { class: 'report-whose', id: 'report-whose' }, own
          ? `Your session (${session.trainee || me.display_name})`
          : h('strong', { text: `Session of ${session.trainee}` })),
        h('p', { class: 'muted' }, `${label(session.mode)} mode · ${label(session.status)} · ${when} · `,
          `voice ${session.voice || '—'} · scorer ${session.scorer || '—'} ${session.scorer_version || ''}`)),
      exports),
    h('p', { class: 'no-print' }, own
      ? h('a', { href: `#/session/${id}`, text: session.status === 'ended' ? 'View the conversation' : 'Back to the conversation' })
      : h('a', { href: `#/review/${id}`, text: `Review ${session.trainee}'s conversation` })),
    hidden ? h('p', { class: 'notice notice-info', text: 'Exam mode: scores appear here once you end the session.' }) : null,
    (report.notes || []).map((n) => h('p', { class: 'notice notice-info', text: n })),
    (report.unscored_turns || []).length
      ? h('p', { class: 'notice notice-warning' }, `Not scored: ${report.unscored_turns.map((u) => `turn ${u.turn_index} (${u.status})`).join(', ')}.`)
      : null,
    feedbackBlock(notes, own),
    section('r-curve', 'Resistance and alliance', curve(report)),
    section('r-miti', 'MITI summary', miti(report.summary)),
    section('r-dims', 'The four dimensions over time', dimensions(report.summary, detail && detail.turns, report.scored_turn_indices)),
    section('r-drivers', 'Why the client resisted', drivers(report)),
    section('r-objectives', 'Objectives', objectives(report)),
    report.risk ? section('r-risk', 'Risk and safety', riskBlock(report.risk)) : null,
    (report.flags || []).length ? section('r-flags', 'Flags', flagList(report.flags)) : null,
    section('r-moments', 'Key moments', moments(report)),
    report.record ? section('r-record', 'Every reply written', recordBlock(report.record, session.mode)) : null);
  return null;
}
