// The coach panel: the resistance/alliance meter with why it moved (in plain words, biggest
// first, summing to the meter; hidden drivers stay unnamed until the trainee finds them), risk
// moments and flags, the latest reply's four ratings with codes and evidence (highlighted with
// text nodes), and disclosures as they unlock.

import { h, replace, label, pct, signed } from './dom.js';

export const DIMENSIONS = ['validation', 'curiosity', 'confrontation', 'process_comment'];
const DIM_LABEL = {
  validation: 'Validation', curiosity: 'Curiosity', confrontation: 'Confrontation',
  process_comment: 'Process comment',
};

/**
 * Split `text` into segments by evidence spans so the marked parts can be wrapped in <mark>
 * elements made of text nodes. Spans are clamped to the text and may overlap.
 */
export function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  const clean = spans
    .filter((sp) => sp && Number.isInteger(sp.start) && Number.isInteger(sp.end))
    .map((sp) => ({ ...sp, start: Math.max(0, Math.min(sp.start, text.length)),
      end: Math.max(0, Math.min(sp.end, text.length)) }))
    .filter((sp) => sp.end > sp.start);
  for (const sp of clean) { cuts.add(sp.start); cuts.add(sp.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    const tags = clean.filter((sp) => sp.start <= a && sp.end >= b).map((sp) => sp.tag);
    out.push({ text: text.slice(a, b), tags });
  }
  return out;
}

/** The reply with each evidence span wrapped in a <mark> (text nodes only). */
export function highlighted(text, spans) {
  return segments(text, spans).map((seg) => (seg.tags.length
    ? h('mark', { class: `ev ${seg.tags.map((t) => `ev-${t}`).join(' ')}`, title: seg.tags.map(label).join(', ') }, seg.text)
    : seg.text));
}

function bar(name, value, previous, cls) {
  const fill = h('span', { class: `bar-fill ${cls}` });
  fill.style.width = `${Math.round((Number(value) || 0) * 100)}%`;
  const delta = previous === null || previous === undefined ? null : Number(value) - Number(previous);
  let trend = '';
  if (delta !== null && Math.abs(delta) >= 0.005) trend = delta > 0 ? '▲' : '▼';
  return h('div', { class: 'meter-row' },
    h('span', { class: 'meter-name', text: name }),
    h('span', { class: 'bar', role: 'img', 'aria-label': `${name} ${pct(value)}` }, fill),
    h('span', { class: 'meter-value' }, pct(value),
      delta !== null && trend ? h('span', { class: 'meter-delta', text: ` ${trend} ${signed(delta)}` }) : null));
}

/** Whether a change helped the work: resistance falling and alliance rising are good. */
export function tone(change) {
  const d = Number(change.delta) || 0;
  if (change.quantity === 'resistance' || change.quantity === 'rupture') return d > 0 ? 'bad' : 'good';
  return d >= 0 ? 'good' : 'bad';
}

const SHOWN_REASONS = 6;

/**
 * The turn's reasons in plain words, grouped, biggest first: [{text, resistance, alliance}].
 * Every resistance and alliance change is counted once, so the columns sum to the meter's move;
 * beyond SHOWN_REASONS the smallest are pooled into one line (still counted).
 */
export function why(changes) {
  const groups = new Map();
  for (const c of changes || []) {
    if (c.quantity !== 'resistance' && c.quantity !== 'alliance') continue;
    const text = c.plain || withoutAmount(c.reason || '');
    const g = groups.get(text) || { text, resistance: 0, alliance: 0 };
    g[c.quantity] += Number(c.delta) || 0;
    groups.set(text, g);
  }
  const size = (g) => Math.abs(g.resistance) + Math.abs(g.alliance);
  const rows = [...groups.values()].filter((g) => size(g) >= 0.00005).sort((a, b) => size(b) - size(a));
  if (rows.length <= SHOWN_REASONS) return rows;
  const rest = rows.slice(SHOWN_REASONS - 1);
  return [...rows.slice(0, SHOWN_REASONS - 1), {
    text: `${rest.length} smaller effects`,
    resistance: rest.reduce((n, g) => n + g.resistance, 0),
    alliance: rest.reduce((n, g) => n + g.alliance, 0),
  }];
}

const MARKS = {
  risk_cue: ['risk', 'Risk moment: the client hinted at risk. Take it up now — reflect it and ask directly and kindly.'],
  risk_ignored: ['risk', 'The client’s hint at risk went unanswered.'],
  risk_asked: ['risk-good', 'You asked about risk directly.'],
  risk_noticed: ['risk-good', 'You took up the client’s hint at risk.'],
  safety_plan: ['risk-good', 'You planned for safety with the client.'],
  abuse: ['flag', 'Flagged for your instructor: contempt or abuse toward the client.'],
  unkeepable_promise: ['flag', 'Teaching flag: a promise nobody can keep.'],
};

/** Risk moments and flags of this turn, as [{kind, text}] (for the panel and tests). */
export function marks(changes) {
  const out = [];
  for (const c of changes || []) {
    if (c.quantity !== 'risk' && c.quantity !== 'flag') continue;
    const found = MARKS[c.move];
    if (!found) continue;
    const [kind, text] = found;
    const leading = c.move === 'risk_asked' && /leading/.test(c.reason || '');
    out.push(leading ? { kind: 'risk', text: 'You asked about risk, but in a leading way: ask openly, without steering to "no".' } : { kind, text });
  }
  return out;
}

function amount(name, delta) {
  if (Math.abs(delta) < 0.005) return null;
  const tone_ = (name === 'Resistance') === (delta > 0) ? 'bad' : 'good';
  return h('span', { class: `delta ${tone_}`, text: `${name} ${signed(delta)}` });
}

/** Resistance/alliance meter with the reasons it moved this turn. */
export function meter(state, previous, changes) {
  if (!state) {
    return h('p', { class: 'muted', text: 'The meter appears after your first reply.' });
  }
  const rows = why(changes);
  const severity = Number(state.rupture_severity) || 0;
  const level = severity >= 0.7 ? 'severe' : severity >= 0.45 ? 'moderate' : 'mild';
  const flagged = marks(changes);
  return h('div', { class: 'meter', id: 'meter' },
    bar('Resistance', state.resistance, previous && previous.resistance, 'fill-resistance'),
    bar('Alliance', state.alliance, previous && previous.alliance, 'fill-alliance'),
    h('p', { class: 'small muted' }, `Stage: ${label(state.stage)}`,
      state.rupture ? h('strong', { class: 'rupture', text: ` · Rupture (${level}) — repair it: name what happened and own your part` }) : null),
    flagged.length
      ? h('div', { role: 'status', id: 'marks' }, h('ul', { class: 'marks' }, flagged.map((m) => h('li', { class: `mark mark-${m.kind}`, text: m.text }))))
      : null,
    rows.length
      ? h('div', { class: 'why' }, h('h4', { class: 'small-heading', text: 'Why it moved' }),
        h('ul', {}, rows.map((r) => h('li', {},
          amount('Resistance', r.resistance), amount('Alliance', r.alliance), ' ', r.text))))
      : h('p', { class: 'small muted', text: 'No change this turn.' }));
}

/** The engine's reason ends with its amount ("…: +0.08 resistance"); the badge shows it. */
export function withoutAmount(reason) {
  return reason.replace(/:\s*[+-]?\d+(\.\d+)?\s+(resistance|alliance|stage_progress)$/, '');
}

// codes MITI 4.2.1 does not have: shown apart, as the project's teaching flags
export const FLAGS = {
  process_comment: 'Process comment',
  risk_question: 'Asked about safety',
  minimizing: 'Minimizing / reassurance',
  hostility: 'Hostility',
  unkeepable_promise: 'Promise you cannot keep',
};

function levelClass(name, dim) {
  if (dim && dim.unsure) return 'lvl-unsure';
  if (!dim || !dim.present) return 'lvl-none';
  if (name === 'confrontation') return 'lvl-warn';
  return `lvl-${dim.level}`;
}

/** The four ratings, the codes and the evidence of one scored reply. */
export function ratings(score) {
  if (!score) return h('p', { class: 'muted', text: 'No ratings for this reply.' });
  const spans = [];
  const miti = (score.codes || []).filter((c) => !(c.code in FLAGS) || c.code === 'process_comment');
  const flags = (score.codes || []).filter((c) => c.code in FLAGS && c.code !== 'process_comment');
  for (const name of DIMENSIONS) {
    const dim = score[name];
    if (dim && dim.present && dim.evidence) spans.push({ ...dim.evidence, tag: name });
  }
  const rows = DIMENSIONS.map((name) => {
    const dim = score[name] || {};
    const verdict = dim.unsure ? 'Unsure' : (dim.present ? label(dim.level) : 'None');
    return h('li', { class: 'rating', 'data-dimension': name },
      h('div', { class: 'rating-head' },
        h('span', { class: 'rating-name', text: DIM_LABEL[name] }),
        h('span', { class: `level ${levelClass(name, dim)}`, text: verdict })),
      dim.unsure
        ? h('p', { class: 'small', text: `The scorer is unsure here (${pct(dim.probability)}), so the client does not react to it. Read it yourself: ${dim.reason}` })
        : (dim.reason ? h('p', { class: 'small', text: dim.reason }) : null),
      dim.present && dim.evidence
        ? h('p', { class: 'small evidence' }, 'Evidence: ', h('q', { class: `ev-${name}`, text: dim.evidence.text }))
        : null);
  });
  return h('div', { class: 'ratings' },
    h('p', { class: 'reply-quote', 'aria-label': 'Your reply with the evidence highlighted' },
      highlighted(score.reply || '', spans)),
    h('ul', { class: 'rating-list' }, rows),
    codeList('MITI codes', miti, 'No MITI codes for this reply.'),
    flags.length ? codeList('Teaching flags', flags, '') : null,
    tryInstead(score));
}

function codeList(title, codes, empty) {
  if (!codes.length) return h('p', { class: 'small muted', text: empty });
  return h('div', {}, h('h3', { class: 'small-heading', text: title }),
    h('ul', { class: 'chips' }, codes.map((c) => h('li', {
      class: `chip code code-${c.code}`, title: c.evidence ? `“${c.evidence.text}”` : null,
      text: `${FLAGS[c.code] || label(c.code)} ${pct(c.probability)}`,
    }))));
}

/** Two better replies with why each works (older scores carry one suggestion only). */
export function tryInstead(score) {
  const alts = (score.alternatives || []).length
    ? score.alternatives
    : (score.suggestion ? [{ text: score.suggestion, why: '' }] : []);
  if (!alts.length) return null;
  return h('div', { class: 'suggestion' }, h('h3', { class: 'small-heading', text: 'Try instead' }),
    h('ul', { class: 'alternatives' }, alts.map((a) => h('li', {},
      h('p', { class: 'alt-text', text: a.text }),
      a.why ? h('p', { class: 'small muted alt-why', text: a.why }) : null))));
}

/** Render the whole coach panel into `panel`. */
export function renderCoach(panel, { mode, status, turn, previousState, disclosures }) {
  const hidden = mode === 'exam' && status !== 'ended';
  const parts = [h('h2', { id: 'coach-title', text: 'Coach' })];
  if (hidden) {
    parts.push(h('p', { class: 'notice notice-info', id: 'exam-note',
      text: 'Exam mode: ratings and the client\u2019s state stay hidden until you end the session. The report then shows everything.' }));
  } else {
    parts.push(
      h('section', { class: 'coach-block', 'aria-labelledby': 'meter-title' },
        h('h3', { id: 'meter-title', text: 'Client state' }),
        meter(turn && turn.state, previousState, turn && turn.changes)),
      h('section', { class: 'coach-block', 'aria-labelledby': 'ratings-title', id: 'ratings' },
        h('h3', { id: 'ratings-title', text: turn ? `Your reply (turn ${turn.index})` : 'Your reply' }),
        turn ? ratings(turn.score) : h('p', { class: 'muted', text: 'Ratings appear here after each reply.' })));
  }
  parts.push(h('section', { class: 'coach-block', 'aria-labelledby': 'disc-title' },
    h('h3', { id: 'disc-title', text: 'What the client has shared' }),
    disclosures.length
      ? h('ul', { class: 'disclosures', id: 'disclosures' }, disclosures.map((d) => h('li', { text: d.fact })))
      : h('p', { class: 'small muted', text: 'Nothing beyond the opening yet. Trust opens doors.' })));
  replace(panel, parts);
}
