// A trainee's session, read-only, for a reviewer: whose it is, every branch (pick one to read),
// each turn with the AI's rating, the reviewer's verdict, comments, and feedback for the
// trainee. None of the trainee's controls (no reply box, no End, no rewind).

import { user } from '../api.js';
import { h, replace, label, pct, announce, focus } from '../dom.js';
import { review } from './review-api.js';
import { aiSummary, ratingForm } from './review-rating.js';

const when = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '—');

export async function renderReviewSession(root, id) {
  let data = await review.session(id);
  const me = user();
  document.title = `Review: ${data.trainee_name} · ${data.persona_title}`;
  const turns = new Map(data.turns.map((t) => [t.id, t]));
  let branch = data.branches.find((b) => b.active) || data.branches[0] || null;
  const transcript = h('ol', { class: 'review-transcript', id: 'review-transcript', 'aria-label': `Conversation of ${data.trainee_name}` });
  const feedbackBox = h('section', { class: 'card', id: 'feedback-block', 'aria-labelledby': 'feedback-title' });

  const notesFor = (turnId) => ({
    mine: data.overrides.find((o) => o.turn_id === turnId && o.reviewer_id === me.id) || null,
    others: data.overrides.filter((o) => o.turn_id === turnId && o.reviewer_id !== me.id),
    comments: data.comments.filter((c) => c.turn_id === turnId),
  });

  function bubble(kind, who, text, extra = {}) {
    return h('div', { class: `msg msg-${kind}`, ...extra },
      h('span', { class: 'who', text: who }), h('p', { class: 'msg-text' }, text));
  }

  function commentsBlock(turn, comments) {
    const pre = `c${turn.id}`;
    const text = h('textarea', { id: `${pre}-text`, rows: 2, maxlength: 4000 });
    const shared = h('input', { type: 'checkbox', id: `${pre}-shared` });
    const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
    const form = h('form', { class: 'comment-form', 'aria-label': `Comment on turn ${turn.index}` },
      h('div', { class: 'field' }, h('label', { for: `${pre}-text`, text: `Comment on turn ${turn.index}` }), text),
      h('label', { class: 'check', for: `${pre}-shared` }, shared, ' Show this comment to the trainee on their report'),
      error, h('button', { type: 'submit', class: 'btn', text: 'Add comment' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      if (!text.value.trim()) {
        error.textContent = 'Write the comment first.';
        error.hidden = false;
        focus(text);
        return;
      }
      try {
        const made = await review.comment(turn.id, text.value, shared.checked);
        data.comments.push(made);
        announce(`Comment added to turn ${turn.index}${made.shared ? ', shared with the trainee' : ''}.`);
        redrawTurn(turn.id, `${pre}-text`);
      } catch (err) {
        error.textContent = `Not saved: ${err.message}`;
        error.hidden = false;
      }
    });
    return h('div', { class: 'turn-comments' },
      comments.length ? h('ul', { class: 'comments' }, comments.map((c) => h('li', { class: 'comment' },
        h('p', { class: 'small muted' }, `${c.author_name} · ${when(c.created_at)}`,
          c.shared ? h('span', { class: 'badge', text: 'Shared with the trainee' }) : h('span', { class: 'badge badge-quiet', text: 'Reviewers only' })),
        h('p', { class: 'comment-text', text: c.text }),
        c.author_id === me.id || me.role === 'admin' ? h('button', {
          type: 'button', class: 'btn-link', text: 'Delete', 'aria-label': `Delete comment by ${c.author_name} on turn ${turn.index}`,
          onclick: async () => {
            await review.deleteComment(c.id);
            data.comments = data.comments.filter((x) => x.id !== c.id);
            announce('Comment deleted.');
            redrawTurn(turn.id, `${pre}-text`);
          },
        }) : null))) : null,
      form);
  }

  function turnItem(turn) {
    const notes = notesFor(turn.id);
    const state = turn.state ? h('p', { class: 'small muted', text: `After this turn: resistance ${pct(turn.state.resistance)}, alliance ${pct(turn.state.alliance)}${turn.state.rupture ? ', rupture' : ''}.` }) : null;
    return h('li', { class: 'review-turn', id: `turn-${turn.id}`, 'data-turn-id': turn.id },
      h('h3', { text: `Turn ${turn.index}` }),
      bubble('trainee', `Trainee (${data.trainee_name})`, turn.trainee_text),
      turn.status === 'complete'
        ? bubble('client', 'Client', turn.client_text || '')
        : h('p', { class: 'notice notice-warning', text: turn.status === 'failed' ? `This turn failed: ${turn.error || 'no reply'}.` : 'This turn is still running.' }),
      h('div', { class: 'turn-review' },
        h('h4', { class: 'small-heading', text: 'AI rating' }), aiSummary(turn.score), state,
        turn.score ? ratingForm({ turn, codes: data.codes, mine: notes.mine, others: notes.others, onSaved: (saved) => {
          data.overrides = data.overrides.filter((o) => !(o.turn_id === turn.id && o.reviewer_id === me.id));
          if (saved) data.overrides.push(saved);
          redrawTurn(turn.id);
        } }) : null,
        h('h4', { class: 'small-heading', text: 'Comments' }),
        commentsBlock(turn, notes.comments)));
  }

  function redrawTurn(turnId, focusId) {
    const old = document.getElementById(`turn-${turnId}`);
    if (!old) return;
    const fresh = turnItem(turns.get(turnId));
    old.replaceWith(fresh);
    const target = focusId ? document.getElementById(focusId) : fresh.querySelector('summary');
    if (target) focus(target);
  }

  function drawTranscript() {
    const ids = branch ? branch.turn_ids : [];
    replace(transcript,
      h('li', { class: 'review-opening' }, bubble('client', 'Client (opening line)', data.opening_line, { 'data-opening': '' })),
      ids.map((tid) => turns.get(tid)).filter(Boolean).map(turnItem));
  }

  function drawFeedback() {
    const text = h('textarea', { id: 'feedback-text', rows: 4, maxlength: 4000 });
    const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true });
    const form = h('form', { class: 'feedback-form', 'aria-label': 'Feedback for the trainee' },
      h('div', { class: 'field' }, h('label', { for: 'feedback-text', text: `Feedback for ${data.trainee_name}` }), text),
      error, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Send feedback' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      if (!text.value.trim()) {
        error.textContent = 'Write the feedback first.';
        error.hidden = false;
        focus(text);
        return;
      }
      try {
        data.feedback.push(await review.addFeedback(data.id, text.value));
        announce('Feedback sent; the trainee sees it on their report.');
        drawFeedback();
        focus(document.getElementById('feedback-text'));
      } catch (err) {
        error.textContent = `Not sent: ${err.message}`;
        error.hidden = false;
      }
    });
    replace(feedbackBox,
      h('h2', { id: 'feedback-title', text: 'Feedback for the trainee' }),
      h('p', { class: 'small muted', text: `${data.trainee_name} sees this feedback, and the comments you share, on the session report.` }),
      data.feedback.length ? h('ul', { class: 'comments', id: 'feedback-list' }, data.feedback.map((f) => h('li', { class: 'comment' },
        h('p', { class: 'small muted', text: `${f.author_name} · ${when(f.created_at)}` }),
        h('p', { class: 'comment-text', text: f.text }),
        f.author_id === me.id || me.role === 'admin' ? h('button', {
          type: 'button', class: 'btn-link', text: 'Delete', 'aria-label': `Delete feedback by ${f.author_name}`,
          onclick: async () => {
            await review.deleteFeedback(f.id);
            data.feedback = data.feedback.filter((x) => x.id !== f.id);
            announce('Feedback deleted.');
            drawFeedback();
          },
        }) : null))) : null,
      form);
  }

  const branchPicker = data.branches.length > 1 ? h('div', { class: 'field branch-pick' },
    h('label', { for: 'branch', text: 'Branch' }),
    h('select', { id: 'branch', onchange: (event) => {
      branch = data.branches.find((b) => String(b.head_turn_id) === event.target.value);
      drawTranscript();
      announce(`Showing ${branch.label}.`);
    } }, data.branches.map((b, i) => h('option', {
      value: String(b.head_turn_id), selected: b === branch,
      text: b.active ? `${b.label} (the trainee's last path)` : `Branch ${i + 1}: ${b.turn_ids.length} turn(s), rewound at turn ${rewoundAt(b, data.branches)}`,
    })))) : null;

  replace(root,
    h('div', { class: 'page-head report-head' },
      h('div', {},
        h('h1', { text: `Review: ${data.persona_title}` }),
        h('p', { class: 'review-whose' }, h('strong', { text: `Session of ${data.trainee_name}` }), ` (${data.trainee_email})`),
        h('p', { class: 'chips' },
          h('span', { class: `badge badge-${data.mode}`, text: `${label(data.mode)} mode` }),
          h('span', { class: 'badge', text: data.status === 'ended' ? 'Ended' : 'In progress' }),
          h('span', { class: 'badge badge-voice', text: `Scorer ${data.scorer} ${data.scorer_version}` })),
        h('p', { class: 'small muted', text: `Started ${when(data.created_at)}${data.ended_at ? ` · ended ${when(data.ended_at)}` : ''}` })),
      h('div', { class: 'exports' },
        h('a', { class: 'btn', href: `#/report/${data.id}`, text: 'Open the report' }),
        h('a', { class: 'btn btn-quiet', href: '#/review', text: 'Back to the sessions' }))),
    h('p', { class: 'notice notice-info', id: 'read-only-note', text: `Read-only: this is ${data.trainee_name}'s session. You can comment on turns, agree with or correct the AI's ratings and send feedback; you cannot reply in it.` }),
    branchPicker,
    h('section', { class: 'card', 'aria-labelledby': 'transcript-title' },
      h('h2', { id: 'transcript-title', text: data.branches.length > 1 ? `Conversation (${data.branches.length} branches)` : 'Conversation' }),
      transcript),
    feedbackBox);
  drawTranscript();
  drawFeedback();
  return null;
}

/** The turn index where branch b leaves the active branch (for its label). */
function rewoundAt(b, all) {
  const active = (all.find((x) => x.active) || { turn_ids: [] }).turn_ids;
  let i = 0;
  while (i < b.turn_ids.length && b.turn_ids[i] === active[i]) i += 1;
  return i + 1;
}
