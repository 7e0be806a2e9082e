// The HTTP client: JSON in and out, the CSRF token on every state-changing request, and the
// API's error shape turned into an Error with a readable message.

let csrfToken = null;
let currentUser = null;

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || `Request failed (${status})`);
    this.status = status;
    this.code = code || 'error';
    this.field = field || null;
  }
}

export function user() { return currentUser; }

const HINT = 'sim.signedIn';

function remember(body) {
  currentUser = body && body.user ? body.user : null;
  csrfToken = body && body.csrf_token ? body.csrf_token : null;
  // A hint (not a secret: the session cookie is HttpOnly) so a first visit does not ask the
  // server and log a 401 before anyone has signed in.
  try {
    if (currentUser) window.localStorage.setItem(HINT, '1');
    else window.localStorage.removeItem(HINT);
  } catch { /* storage unavailable: always ask */ }
}

function mayBeSignedIn() {
  try { return window.localStorage.getItem(HINT) !== null; } catch { return true; }
}

/** Headers for a request; POST/PUT/PATCH/DELETE carry X-CSRF-Token. */
export function headers(method, extra = {}) {
  const out = { Accept: 'application/json', ...extra };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) out['X-CSRF-Token'] = csrfToken;
  return out;
}

/** Turn a non-2xx response into an ApiError using the `{error: {...}}` body when present. */
export async function toError(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  const err = body && body.error ? body.error : {};
  let message = err.message;
  if (!message && body && body.detail) {
    message = typeof body.detail === 'string' ? body.detail : 'The request was not valid.';
  }
  if (response.status === 401 && !String(response.url).includes('/api/auth/login')) {
    message = 'You are signed out (the sign-in expired or ended). Sign in again to go on; what you typed is kept.';
  } else if (response.status >= 500 && !err.message) {
    message = `The server had a problem (${response.status}). Try again in a moment.`;
  }
  return new ApiError(response.status, err.code || (response.status === 401 ? 'unauthorized' : null), message, err.field);
}

export const OFFLINE = 'Could not reach the server. Check your connection, then try again.';

/** fetch(), with a network failure ("Failed to fetch") turned into a readable ApiError. */
export async function reach(path, init) {
  try {
    return await fetch(path, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', OFFLINE);
  }
}

/** Send a request; returns parsed JSON (or null for 204). Throws ApiError. */
export async function request(method, path, body) {
  const init = { method, headers: headers(method), credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await reach(path, init);
  if (response.status === 401 && !path.startsWith('/api/auth/')) {
    remember(null);
    window.dispatchEvent(new CustomEvent('sim:signed-out'));
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);

/** Ask the server who is signed in; null when nobody is. */
export async function loadMe() {
  if (!mayBeSignedIn()) return null;
  try {
    remember(await get('/api/auth/me'));
  } catch (err) {
    if (err.status !== 401) throw err;
    remember(null);
  }
  return currentUser;
}

export async function login(email, password) {
  remember(await request('POST', '/api/auth/login', { email, password }));
  return currentUser;
}

export async function logout() {
  try { await post('/api/auth/logout'); } finally { remember(null); }
}

export const api = {
  personas: () => get('/api/personas'),
  persona: (id) => get(`/api/personas/${encodeURIComponent(id)}`),
  startSession: (personaId, mode) => post('/api/sessions', { persona_id: personaId, mode }),
  sessions: () => get('/api/sessions'),
  session: (id) => get(`/api/sessions/${encodeURIComponent(id)}`),
  endSession: (id) => post(`/api/sessions/${encodeURIComponent(id)}/end`),
  report: (id) => get(`/api/sessions/${encodeURIComponent(id)}/report`),
  progress: () => get('/api/me/progress'),
  flags: () => get('/api/flags'),
  health: () => get('/healthz'),
  transcriptUrl: (id, format) =>
    `/api/sessions/${encodeURIComponent(id)}/transcript?format=${encodeURIComponent(format)}`,
};
