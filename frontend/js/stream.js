// Reads the turn endpoint's NDJSON stream with a ReadableStream reader and hands each event to
// a callback as soon as its line is complete, so tokens appear as the client "types". A reply
// that goes quiet for `idleMs`, or that the trainee stops waiting for (`signal`), ends with an
// error event the chat reconciles with the server (the turn may still finish there).

import { headers, toError, reach } from './api.js';

export const IDLE_MS = 60000;

/**
 * POST `body` to `path` and call `onEvent(event)` for every JSON line of the response.
 * Resolves with the last event (a `result` or an `error`: `stream_cut`, `timeout`, `stopped`
 * when the stream ended early). Throws ApiError for HTTP errors and an unreachable server.
 */
export async function streamTurn(path, body, onEvent, { signal = null, idleMs = IDLE_MS } = {}) {
  const abort = new AbortController();
  let why = null;
  const stop = (reason) => { if (!why) { why = reason; abort.abort(); } };
  if (signal) signal.addEventListener('abort', () => stop('stopped'), { once: true });
  let timer = window.setTimeout(() => stop('timeout'), idleMs);
  const alive = () => { window.clearTimeout(timer); timer = window.setTimeout(() => stop('timeout'), idleMs); };
  let last = null;
  try {
    const response = await reach(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: headers('POST', { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' }),
      body: JSON.stringify(body || {}),
      signal: abort.signal,
    });
    if (!response.ok) throw await toError(response);
    if (!response.body) throw new Error('This browser cannot read streamed replies.');

    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const handle = (line) => {
      const trimmed = line.trim();
      if (!trimmed) return;
      let event;
      try { event = JSON.parse(trimmed); } catch {
        event = { type: 'error', code: 'bad_stream', message: 'The server sent an unreadable line.' };
      }
      last = event;
      onEvent(event);
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      alive();
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    }
    buffer += decoder.decode();
    handle(buffer);
  } catch (err) {
    if (!why) throw err;
  } finally {
    window.clearTimeout(timer);
  }
  if (why || !last || (last.type !== 'result' && last.type !== 'error')) {
    const messages = {
      timeout: 'The reply went quiet for too long.',
      stopped: 'You stopped waiting for this reply.',
    };
    const event = { type: 'error', code: why || 'stream_cut', message: messages[why] || 'The reply stopped before it finished.' };
    onEvent(event);
    return event;
  }
  return last;
}
