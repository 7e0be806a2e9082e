// The practice chat: the client's reply streamed in token by token, Enter to send (Shift+Enter
// for a new line), notices for voice fallback and failed turns (with Retry), rewind to an
// earlier turn, and the coach panel beside it.

import { api } from './api.js';
import { streamTurn } from './stream.js';
import { settle } from './settle.js';
import { h, replace, focus, announce } from './dom.js';
import { renderCoach } from './coach.js';
import { renderCompare } from './branches.js';
import { voiceText, message, composer, confirmation, layout as pageLayout } from './chatview.js';
import { Rewind } from './rewind.js';

export async function renderChat(root, id) {
  let session = await api.session(id);
  document.title = `${session.persona_title} · Practice`;
  // the active branch, then the turns of other branches (for the side-by-side comparison)
  const turns = new Map([...(session.branch_turns || []), ...(session.turns || [])].map((t) => [t.id, t]));
  const initialState = session.turn_count === 0 ? session.state : null;
  let busy = false;
  let lastTurn = (session.turns || []).at(-1) || null;
  let comparison = null;  // {older: {ids,title,key}} once a branch exists

  const transcript = h('ol', { class: 'transcript', id: 'transcript', 'aria-label': 'Conversation', tabindex: '0' });
  const notices = h('div', { class: 'notices', id: 'notices' });
  const voiceLabel = h('span', { class: 'badge badge-voice', id: 'voice-label', text: voiceText(session.voice, session.model) });
  const coach = h('aside', { class: 'coach', id: 'coach', 'aria-labelledby': 'coach-title', tabindex: '0' });
  const compare = h('section', { class: 'compare card', id: 'compare', 'aria-labelledby': 'compare-title', hidden: true });
  const { form, textarea, sendBtn, stopBtn, formError, rewindBar } = composer(session.mode);
  const rewind = new Rewind(transcript, rewindBar, textarea);
  let waiting = null;  // the AbortController of the reply being streamed
  const endBtn = h('button', { type: 'button', class: 'btn', id: 'end-session', text: 'End session and see report' });
  const ended = () => session.status === 'ended';
  const showFeedback = () => session.mode === 'coach' || ended();

  const activeIds = () => (session.turns || []).map((t) => t.id);
  const prevState = (turn) => {
    if (!turn) return null;
    if (turn.parent_id === null || turn.parent_id === undefined) return initialState;
    const parent = turns.get(turn.parent_id);
    return parent ? parent.state : null;
  };
  const disclosures = () => (session.turns || []).flatMap((t) => t.disclosed_now || []);
  const drawCoach = () => renderCoach(coach, {
    mode: session.mode, status: session.status, turn: lastTurn, previousState: prevState(lastTurn),
    disclosures: disclosures(),
  });

  function notice(kind, message, action) {
    const el = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      h('p', { text: message }), action || null);
    notices.append(el);
    return el;
  }

  function trainee(turn) {
    const { li } = message('trainee', turn.trainee_text, { 'data-turn-id': turn.id });
    if (turn.status === 'failed') li.classList.add('msg-failed');
    // exam mode: no rewind (docs/PROGRAMS.md); a failed turn is retried, not rewound to
    if (!ended() && session.mode !== 'exam' && turn.status !== 'failed') {
      li.append(h('button', {
        type: 'button', class: 'btn btn-link rewind', 'data-rewind': turn.id,
        text: 'Try a different reply here', 'aria-label': `Try a different reply here instead of turn ${turn.index}`,
        onclick: () => rewind.start(turn),
      }));
    }
    return li;
  }

  function drawTranscript() {
    const items = [message('client', session.opening_line || '…', { 'data-opening': '' }).li];
    for (const t of session.turns || []) {
      items.push(trainee(t));
      if (t.client_text) items.push(message('client', t.client_text, { 'data-reply-to': t.id }).li);
    }
    replace(transcript, items);
    transcript.scrollTop = transcript.scrollHeight;
  }

  /** A reply that failed after the last complete turn (seen again after a reload, or when the
   * session is opened later, in coach and exam mode alike): the trainee's text, kept, with
   * Retry. Only the newest such failure; older ones were followed by another reply. */
  function showUnfinished() {
    if (ended()) return;
    const head = session.head_turn_id ?? null;
    const failed = [...turns.values()]
      .filter((t) => t.status === 'failed' && (t.parent_id ?? null) === head)
      .sort((a, b) => b.id - a.id)[0];
    if (!failed) return;
    const li = trainee(failed);
    transcript.append(li);
    offerRetry(failed.id, li, failed.error || 'the reply could not be made');
  }

  function setBusy(value) {
    busy = value;
    sendBtn.disabled = value;
    stopBtn.hidden = !value;
    textarea.setAttribute('aria-busy', value ? 'true' : 'false');
    sendBtn.textContent = value ? 'Client is replying…' : 'Send';
  }

  function offerRetry(turnId, traineeLi, why) {
    traineeLi.classList.add('msg-failed');
    const retry = h('button', { type: 'button', class: 'btn', text: 'Retry', 'data-retry': turnId });
    const box = notice('error', `This turn failed: ${why}. Your text is kept.`, retry);
    retry.addEventListener('click', async () => {
      box.remove();
      const bubble = message('client', '');
      traineeLi.after(bubble.li);
      traineeLi.classList.remove('msg-failed');
      await guarded(async () => {
        try {
          await run(`/api/sessions/${session.id}/turns/${turnId}/retry`, {}, bubble, traineeLi);
        } catch (err) {
          // it finished (or is running) after all: show what the server has, not a dead end
          if (err.code !== 'not_failed' && err.code !== 'turn_in_progress') throw err;
          await reconcile(turnId, bubble, traineeLi);
        }
      });
    });
    focus(retry);
    announce('The turn failed. You can retry it.');
  }

  /** The stream ended early: wait for the server's outcome of the turn and show it. */
  async function reconcile(turnId, bubble, traineeLi) {
    const info = notice('info', 'The reply was interrupted; checking whether the server finished it…');
    const { turn } = await settle(session.id, turnId);
    info.remove();
    if (turn && turn.status === 'complete') {
      await applyResult(turn, bubble);
      return true;
    }
    bubble.li.remove();
    if (turn) offerRetry(turnId, traineeLi, turn.error || 'the server could not finish it');
    else notice('error', 'The server has not finished this reply yet. Reload the page in a minute to see it.');
    return false;
  }

  async function run(path, body, clientBubble, traineeLi) {
    const typing = h('span', { class: 'typing', 'aria-hidden': 'true', text: '…' });
    clientBubble.body.replaceChildren(typing);
    let result = null;
    waiting = new AbortController();
    const final = await streamTurn(path, body, (event) => {
      if (event.type === 'turn') {
        traineeLi.dataset.turnId = String(event.turn_id);
        clientBubble.li.dataset.replyTo = String(event.turn_id);
      } else if (event.type === 'token') {
        typing.remove();
        clientBubble.body.append(document.createTextNode(event.text));
        transcript.scrollTop = transcript.scrollHeight;
      } else if (event.type === 'notice') {
        notice('warning', `Voice notice: ${event.message}`);
        voiceLabel.textContent = `${voiceText('scripted')} (fallback)`;
      } else if (event.type === 'result') {
        result = event.turn;
      }
    }, { signal: waiting.signal });
    waiting = null;
    if (final.type === 'error') {
      const turnId = final.turn_id ?? Number(traineeLi.dataset.turnId);
      if (!Number.isInteger(turnId)) {
        clientBubble.li.remove();
        traineeLi.classList.add('msg-failed');
        if (!textarea.value) textarea.value = body.text || '';  // ready to send again
        notice('error', ['stopped', 'timeout'].includes(final.code)
          ? `${final.message} The server had not confirmed it: reload to see whether it was saved, or send it again.`
          : `This turn failed before it was saved: ${final.message || final.code}. Send it again.`);
        return false;
      }
      if (['stream_cut', 'timeout', 'stopped', 'bad_stream'].includes(final.code)) {
        return reconcile(turnId, clientBubble, traineeLi);
      }
      clientBubble.li.remove();
      offerRetry(turnId, traineeLi, final.message || final.code);
      return false;
    }
    if (result) await applyResult(result, clientBubble);
    return true;
  }

  async function applyResult(turn, clientBubble) {
    turns.set(turn.id, turn);
    clientBubble.body.replaceChildren(document.createTextNode(turn.client_text || ''));
    if (turn.fallback_notice) notice('warning', `Voice notice: ${turn.fallback_notice}`);
    if (turn.voice && turn.voice !== session.voice) voiceLabel.textContent = `${voiceText(turn.voice)} (fallback)`;
    const wasRewind = rewind.turn;
    const olderIds = activeIds();
    const fresh = await api.session(session.id);
    for (const t of fresh.turns || []) turns.set(t.id, { ...turns.get(t.id), ...t });
    session = fresh;
    lastTurn = turns.get(turn.id) || turn;
    if (wasRewind) {
      rewind.done();
      comparison = { older: { ids: olderIds, title: 'Earlier branch', key: String(olderIds.at(-1)) } };
    }
    drawTranscript();
    if (comparison) drawComparison();
    drawCoach();
    const shared = (turn.disclosed_now || []).length ? ' The client shared something new.' : '';
    const before = prevState(lastTurn);
    const ruptured = showFeedback() && lastTurn.state && lastTurn.state.rupture && !(before && before.rupture)
      ? ' Rupture: the client feels pushed away. Repair it before moving on.' : '';
    announce(`Client: ${turn.client_text || ''}${shared}${ruptured}`);
  }

  function drawComparison() {
    const choices = (session.branches || []).filter((b) => b.head_turn_id !== session.head_turn_id)
      .map((b) => ({ value: String(b.head_turn_id), text: b.label || `Branch ending at turn ${b.head_turn_id}`, ids: b.turn_ids }));
    renderCompare(compare, {
      older: comparison.older,
      newer: { ids: activeIds(), title: 'Current branch' },
      turns, showState: showFeedback(),
      choices,
      onChoose: (value) => {
        const pick = choices.find((c) => c.value === value);
        if (pick) { comparison.older = { ids: pick.ids, title: 'Other branch', note: pick.text, key: pick.value }; drawComparison(); }
      },
    });
  }

  async function guarded(fn) {
    setBusy(true);
    try { await fn(); } catch (err) {
      replace(formError, err.message || String(err));
      if (err.status === 401) formError.append(' ', h('a', { href: '#/login', text: 'Sign in again' }));
      formError.hidden = false;
    } finally { setBusy(false); }
  }

  async function send() {
    const text = textarea.value;
    if (busy) return;
    formError.hidden = true;
    if (!text.trim()) {
      formError.textContent = 'Write a reply before sending.';
      formError.hidden = false;
      focus(textarea);
      return;
    }
    const body = { text };
    if (rewind.turn) {
      body.parent_turn_id = rewind.turn.parent_id ?? null;
      rewind.hideReplaced();
    }
    const traineeLi = message('trainee', text).li;
    const bubble = message('client', '');
    transcript.append(traineeLi, bubble.li);
    transcript.scrollTop = transcript.scrollHeight;
    textarea.value = '';
    let ok = false;
    await guarded(async () => {
      try {
        ok = await run(`/api/sessions/${session.id}/turns`, body, bubble, traineeLi);
      } catch (err) {
        traineeLi.remove();
        bubble.li.remove();
        rewind.restore();
        textarea.value = text;
        throw err;
      }
    });
    if (ok || !formError.hidden) focus(textarea);
  }

  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  stopBtn.addEventListener('click', () => { if (waiting) waiting.abort(); });
  const onEscape = (event) => {
    if (event.key === 'Escape' && rewind.turn && !busy) { event.preventDefault(); rewind.cancel(); }
  };
  document.addEventListener('keydown', onEscape);
  form.addEventListener('submit', (event) => { event.preventDefault(); send(); });
  const confirmEnd = confirmation(() => finish(), () => { confirmEnd.hidden = true; focus(endBtn); });
  endBtn.addEventListener('click', () => {
    if (session.mode === 'exam' && !ended()) {  // an exam cannot be resumed: ask first
      confirmEnd.hidden = false;
      focus(confirmEnd.querySelector('#confirm-end-no'));
      return;
    }
    finish();
  });
  async function finish() {
    endBtn.disabled = true;
    try {
      if (!ended()) await api.endSession(session.id);
      window.location.hash = `/report/${session.id}`;
    } catch (err) {
      endBtn.disabled = false;
      notice('error', `Could not end the session: ${err.message}`);
    }
  }

  const layout = pageLayout(session, {
    voiceLabel, endBtn, confirmEnd, transcript, notices, form, compare, coach });
  replace(root, layout);
  // on a phone the coach (meter first) sits right above the reply box, not below it
  const phone = window.matchMedia('(max-width: 640px)');
  const place = () => { if (phone.matches) notices.after(coach); else layout.append(coach); };
  phone.addEventListener('change', place);
  place();
  drawTranscript();
  showUnfinished();
  drawCoach();
  if ((session.branches || []).length > 1) {
    const other = session.branches.find((b) => b.head_turn_id !== session.head_turn_id);
    comparison = { older: { ids: other.turn_ids, title: 'Other branch', note: other.label, key: String(other.head_turn_id) } };
    drawComparison();
  }
  if (!ended()) focus(textarea);
  return () => {
    document.removeEventListener('keydown', onEscape);
    phone.removeEventListener('change', place);
  };
}
