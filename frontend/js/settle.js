// After a reply stream ended early (the connection dropped, the trainee stopped waiting, or it
// went quiet), the turn may still finish on the server: it belongs to the server, not to the
// page. settle() asks the server until the turn is complete or failed, so the page can show
// the real outcome instead of a dead-end Retry and a "…" bubble.

import { api } from './api.js';

const sleep = (ms) => new Promise((resolve) => { window.setTimeout(resolve, ms); });

/** The turn with id `turnId` in a session detail (active branch or other branches). */
export function findTurn(session, turnId) {
  return [...(session.turns || []), ...(session.branch_turns || [])].find((t) => t.id === turnId) || null;
}

/**
 * Polls the session until turn `turnId` is no longer pending. Resolves with {session, turn}
 * (turn.status 'complete' or 'failed'), or {session, turn: null} when it is still pending
 * after `tries` looks (the server bounds a turn to a few minutes).
 */
export async function settle(sessionId, turnId, { tries = 90, delayMs = 1000, stopped = () => false } = {}) {
  let session = null;
  for (let i = 0; i < tries && !stopped(); i += 1) {
    session = await api.session(sessionId);
    const turn = findTurn(session, turnId);
    if (turn && turn.status !== 'pending') return { session, turn };
    await sleep(delayMs);
  }
  return { session, turn: null };
}
