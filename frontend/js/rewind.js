// Rewinding the chat to an earlier turn: the bar that says so (a live region, so screen
// readers hear it), the replies that would be replaced dimmed, then hidden while the new reply
// is sent, and brought back when that send fails or the rewind is cancelled (Escape too).

import { h, replace, focus, announce } from './dom.js';

export class Rewind {
  constructor(transcript, bar, textarea) {
    this.transcript = transcript;
    this.bar = bar;
    this.textarea = textarea;
    this.turn = null;  // the turn whose reply is being replaced
  }

  start(turn) {
    this.turn = turn;
    replace(this.bar, h('p', { text: `Rewinding: your new reply replaces turn ${turn.index} and starts a new branch. The original branch is kept.` }),
      h('button', { type: 'button', class: 'btn btn-quiet', text: 'Cancel rewind', onclick: () => this.cancel() }));
    this.bar.hidden = false;
    announce(`Rewinding to turn ${turn.index}. Your next reply starts a new branch; press Escape to cancel.`);
    for (const li of this.transcript.querySelectorAll('.msg')) li.classList.remove('msg-dim');
    let dim = false;
    for (const li of this.transcript.querySelectorAll('.msg')) {
      if (li.dataset.turnId === String(turn.id)) dim = true;
      if (dim) li.classList.add('msg-dim');
    }
    this.textarea.value = '';
    focus(this.textarea);
  }

  /** Sending: the replaced replies leave the view (hidden, not removed). */
  hideReplaced() {
    for (const li of this.transcript.querySelectorAll('.msg-dim')) {
      li.classList.add('msg-replaced');
      li.hidden = true;
    }
  }

  /** The send failed before anything was saved: the conversation comes back as it was. */
  restore() {
    for (const li of this.transcript.querySelectorAll('.msg-replaced')) {
      li.classList.remove('msg-replaced');
      li.hidden = false;
    }
  }

  /** The new branch exists: the rewind is over. */
  done() {
    this.turn = null;
    this.bar.hidden = true;
  }

  cancel() {
    this.done();
    this.restore();
    for (const li of this.transcript.querySelectorAll('.msg-dim')) li.classList.remove('msg-dim');
    announce('Rewind cancelled; the conversation continues from the latest reply.');
    focus(this.textarea);
  }
}
