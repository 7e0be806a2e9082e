// The chat page's parts, built once: the composer (reply box, Send, Stop waiting, the rewind
// bar and the form's error line), the end-of-exam confirmation and the page layout. chat.js
// wires their behaviour.

import { h, label } from './dom.js';

export function voiceText(voice, model) {
  if (!voice) return 'Voice: unknown';
  if (voice === 'scripted') return 'Voice: scripted';
  return `Voice: LLM${model ? ` (${model})` : ''}`;
}

/** A transcript entry: {li, body}. */
export function message(kind, text, extra = {}) {
  const body = h('p', { class: 'msg-text' }, text);
  const who = kind === 'client' ? 'Client' : 'You';
  const li = h('li', { class: `msg msg-${kind}`, ...extra }, h('span', { class: 'who', text: who }), body);
  return { li, body };
}

export function composer(mode = 'coach') {
  const textarea = h('textarea', { id: 'reply', name: 'reply', rows: 3, 'aria-describedby': 'reply-hint' });
  const sendBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'send', text: 'Send' });
  const stopBtn = h('button', { type: 'button', class: 'btn btn-quiet', id: 'stop-waiting', text: 'Stop waiting', hidden: true });
  const formError = h('p', { class: 'notice notice-error', role: 'alert', hidden: true, id: 'form-error' });
  const rewindBar = h('div', { class: 'notice notice-info rewind-bar', id: 'rewind-bar', role: 'status', hidden: true });
  const form = h('form', { class: 'composer', id: 'composer' },
    h('label', { for: 'reply', text: 'Your reply' }), rewindBar, textarea,
    h('div', { class: 'composer-foot' },
      h('p', { class: 'small muted', id: 'reply-hint', text: mode === 'exam'
        ? 'Enter to send · Shift+Enter for a new line · Exam mode: a reply cannot be taken back; every reply stays in the record'
        : 'Enter to send · Shift+Enter for a new line · Esc cancels a rewind' }),
      stopBtn, sendBtn), formError);
  return { form, textarea, sendBtn, stopBtn, formError, rewindBar };
}

/** "End the exam now?" with its two answers (an exam cannot be resumed). */
export function confirmation(onEnd, onKeep) {
  const box = h('div', { class: 'notice notice-warning confirm-end', id: 'confirm-end', role: 'alertdialog',
    'aria-labelledby': 'confirm-end-text', hidden: true },
  h('p', { id: 'confirm-end-text', text: 'End the exam now? You cannot add replies afterwards; the feedback appears in the report.' }),
  h('button', { type: 'button', class: 'btn btn-primary', id: 'confirm-end-yes', text: 'End exam', onclick: onEnd }),
  h('button', { type: 'button', class: 'btn btn-quiet', id: 'confirm-end-no', text: 'Keep going', onclick: onKeep }));
  return box;
}

/** The page: the chat column (head, confirmation, transcript, notices, composer, comparison)
 * and the coach beside it. */
export function layout(session, parts) {
  const ended = session.status === 'ended';
  return h('div', { class: 'chat-layout' },
    h('section', { class: 'chat', 'aria-labelledby': 'chat-title' },
      h('div', { class: 'chat-head' },
        h('div', {},
          h('h1', { id: 'chat-title', text: session.persona_title }),
          h('p', { class: 'chips' },
            h('span', { class: `badge badge-${session.mode}`, id: 'mode-label', text: `${label(session.mode)} mode` }),
            parts.voiceLabel,
            ended ? h('span', { class: 'badge', text: 'Ended' }) : null)),
        ended ? h('a', { class: 'btn', href: `#/report/${session.id}`, text: 'Open the report' }) : parts.endBtn),
      parts.confirmEnd, parts.transcript, parts.notices,
      ended ? h('p', { class: 'muted', text: 'This session has ended.' }) : parts.form,
      parts.compare),
    parts.coach);
}
