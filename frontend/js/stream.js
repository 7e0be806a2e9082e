// Reads the turn endpoint's NDJSON stream with a ReadableStream reader and hands each event to
// a callback as soon as its line is complete, so tokens appear as the client "types".

import { headers, toError } from './api.js';

/**
 * POST `body` to `path` and call `onEvent(event)` for every JSON line of the response.
 * Resolves with the last event (a `result` or an `error`). Throws ApiError for HTTP errors.
 */
export async function streamTurn(path, body, onEvent) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers('POST', { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' }),
    body: JSON.stringify(body || {}),
  });
  if (!response.ok) throw await toError(response);
  if (!response.body) throw new Error('This browser cannot read streamed replies.');

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let last = null;
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
  if (!last || (last.type !== 'result' && last.type !== 'error')) {
    const event = { type: 'error', code: 'stream_cut', message: 'The reply stopped before it finished.' };
    onEvent(event);
    return event;
  }
  return last;
}
