// One turn's verdict on the AI's rating: for each dimension agree, present or absent; for each
// AI code agree, not present, or the right code; codes the AI missed; a note. Saved as one
// override per reviewer and turn (PUT replaces it).

import { h, label, announce, focus } from '../dom.js';
import { review, DIMENSIONS, LEVELS } from './review-api.js';

/** The AI's view of a stored score: {dims: {d: {present, level}}, codes: [code]}. */
export function aiView(score) {
  const dims = {};
  for (const d of DIMENSIONS) {
    const raw = (score && score[d]) || {};
    dims[d] = { present: Boolean(raw.present), level: Math.max(0, LEVELS.indexOf(raw.level || 'none')) };
  }
  const codes = [...new Set(((score && score.codes) || []).map((c) => c.code).filter(Boolean))];
  return { dims, codes };
}

/**
 * The instructor's final codes: each AI code kept ('agree'), dropped ('absent') or replaced by
 * the chosen code, then the missed codes; each code once, in that order.
 */
export function finalCodes(aiCodes, choices, missed) {
  const out = [];
  for (const code of aiCodes) {
    const choice = choices[code] || 'agree';
    if (choice === 'agree') out.push(code);
    else if (choice !== 'absent') out.push(choice);
  }
  for (const code of missed) out.push(code);
  return [...new Set(out)];
}

/** What a saved verdict says, in a few words. */
export function verdictText(override) {
  if (!override) return 'Not rated yet';
  const dims = Object.entries(override.agreed_dimensions || {}).filter(([, ok]) => !ok).map(([d]) => label(d));
  const codes = Object.entries(override.agreed_codes || {}).filter(([, ok]) => !ok).map(([c]) => label(c));
  if (!dims.length && !codes.length) return 'Agrees with the AI';
  return `Changed: ${[...dims, ...codes].join(', ')}`;
}

const aiText = (ai) => (ai.present ? `present, ${LEVELS[ai.level]}` : 'absent');

export function ratingForm({ turn, codes, mine, others, onSaved }) {
  const ai = aiView(turn.score);
  const pre = `r${turn.id}`;
  const status = h('span', { class: `badge verdict ${mine ? (mine.changed ? 'verdict-changed' : 'verdict-agreed') : ''}`, text: verdictText(mine) });
  const dimSelects = {};
  const dimRows = DIMENSIONS.map((d) => {
    const id = `${pre}-${d}`;
    let value = 'agree';
    if (mine && Boolean(mine.dimensions[d]) !== ai.dims[d].present) value = mine.dimensions[d] ? 'present' : 'absent';
    dimSelects[d] = h('select', { id, name: d },
      h('option', { value: 'agree', text: `Agree (${aiText(ai.dims[d])})`, selected: value === 'agree' }),
      h('option', { value: 'present', text: 'Present', selected: value === 'present' }),
      h('option', { value: 'absent', text: 'Absent', selected: value === 'absent' }));
    return h('div', { class: 'field inline' }, h('label', { for: id, text: label(d) }), dimSelects[d]);
  });
  const codeSelects = {};
  const codeRows = ai.codes.map((code) => {
    const id = `${pre}-code-${code}`;
    const kept = !mine || mine.codes.includes(code);
    codeSelects[code] = h('select', { id, name: code },
      h('option', { value: 'agree', text: `Agree: ${label(code)}`, selected: kept }),
      h('option', { value: 'absent', text: 'Not present', selected: !kept }),
      codes.filter((c) => c !== code).map((c) => h('option', { value: c, text: `Should be: ${label(c)}` })));
    return h('div', { class: 'field inline' }, h('label', { for: id, text: `AI code ${label(code)}` }), codeSelects[code]);
  });
  const missedBoxes = codes.filter((c) => !ai.codes.includes(c)).map((c) => {
    const id = `${pre}-miss-${c}`;
    return h('label', { class: 'check', for: id },
      h('input', { type: 'checkbox', id, value: c, checked: Boolean(mine && mine.codes.includes(c)) }), ` ${label(c)}`);
  });
  const note = h('textarea', { id: `${pre}-note`, rows: 2, maxlength: 2000 });
  note.value = (mine && mine.note) || '';
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: 'Save verdict' });
  const withdraw = mine ? h('button', { type: 'button', class: 'btn btn-quiet', text: 'Withdraw my verdict' }) : null;

  const form = h('form', { class: 'rating-form', 'aria-label': `Verdict on the AI's rating of turn ${turn.index}` },
    h('fieldset', {}, h('legend', { text: 'Dimensions' }), dimRows),
    h('fieldset', {}, h('legend', { text: 'Codes the AI gave' }),
      codeRows.length ? codeRows : h('p', { class: 'small muted', text: 'The AI gave no code.' })),
    h('fieldset', { class: 'missed' }, h('legend', { text: 'Codes the AI missed' }), h('div', { class: 'check-grid' }, missedBoxes)),
    h('div', { class: 'field' }, h('label', { for: `${pre}-note`, text: 'Note (optional)' }), note),
    error, h('div', { class: 'form-actions' }, save, withdraw));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const dimensions = Object.fromEntries(DIMENSIONS.map((d) => [d, dimSelects[d].value]));
    const choices = Object.fromEntries(Object.entries(codeSelects).map(([c, el]) => [c, el.value]));
    const missed = missedBoxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    save.disabled = true;
    try {
      const saved = await review.rate(turn.id, {
        dimensions, codes: finalCodes(ai.codes, choices, missed), note: note.value.trim() || null,
      });
      announce(`Turn ${turn.index}: verdict saved. ${verdictText(saved)}.`);
      onSaved(saved);
    } catch (err) {
      error.textContent = `Not saved: ${err.message}`;
      error.hidden = false;
      focus(error);
    } finally { save.disabled = false; }
  });
  if (withdraw) {
    withdraw.addEventListener('click', async () => {
      try {
        await review.unrate(turn.id);
        announce(`Turn ${turn.index}: your verdict was withdrawn.`);
        onSaved(null);
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    });
  }
  const details = h('details', { class: 'rating-review', open: Boolean(mine) },
    h('summary', {}, 'Your verdict on the AI\'s rating ', status), form);
  const theirs = (others || []).length
    ? h('ul', { class: 'small others' }, others.map((o) => h('li', {}, `${o.reviewer_name}: ${verdictText(o)}`, o.note ? ` (“${o.note}”)` : '')))
    : null;
  return h('div', { class: 'rating-block' }, details, theirs);
}

/** The AI's rating as chips: the four dimensions and the codes. */
export function aiSummary(score) {
  if (!score) return h('p', { class: 'small muted', text: 'No AI rating (the turn failed or is running).' });
  const ai = aiView(score);
  return h('div', { class: 'ai-rating' },
    h('ul', { class: 'chips', 'aria-label': 'AI dimensions' }, DIMENSIONS.map((d) => h('li', {
      class: `chip ${ai.dims[d].present ? 'chip-on' : 'chip-quiet'}`,
      text: `${label(d)}: ${aiText(ai.dims[d])}`,
    }))),
    h('ul', { class: 'chips', 'aria-label': 'AI codes' }, ai.codes.length
      ? ai.codes.map((c) => h('li', { class: 'chip chip-code', text: label(c) }))
      : h('li', { class: 'chip chip-quiet', text: 'No code' })));
}
