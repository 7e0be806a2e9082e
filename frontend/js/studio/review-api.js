// The review wing's HTTP calls (/api/review/...), on the shared client in ../api.js.

import { get, post, request } from '../api.js';

const q = (params) => {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
};
const id = encodeURIComponent;

export const review = {
  trainees: (search) => get(`/api/review/trainees${q({ q: search })}`),
  sessions: (filters) => get(`/api/review/sessions${q(filters)}`),
  session: (sid) => get(`/api/review/sessions/${id(sid)}`),
  feedback: (sid) => get(`/api/review/sessions/${id(sid)}/feedback`),
  addFeedback: (sid, text) => post(`/api/review/sessions/${id(sid)}/feedback`, { text }),
  deleteFeedback: (fid) => request('DELETE', `/api/review/feedback/${id(fid)}`),
  comment: (turnId, text, shared) => post(`/api/review/turns/${id(turnId)}/comments`, { text, shared }),
  deleteComment: (cid) => request('DELETE', `/api/review/comments/${id(cid)}`),
  rate: (turnId, body) => request('PUT', `/api/review/turns/${id(turnId)}/rating`, body),
  unrate: (turnId) => request('DELETE', `/api/review/turns/${id(turnId)}/rating`),
  agreement: (reviewerId) => get(`/api/review/agreement${q({ reviewer_id: reviewerId })}`),
  exportUrl: (params) => `/api/review/overrides.jsonl${q(params)}`,
};

export const DIMENSIONS = ['validation', 'curiosity', 'confrontation', 'process_comment'];
export const LEVELS = ['none', 'low', 'medium', 'high'];
export const OUTCOMES = ['improved', 'unchanged', 'worsened', 'rupture', 'no_replies'];
