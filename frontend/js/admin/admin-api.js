// The admin wing's HTTP calls (/api/admin/..., /api/account/...), on the shared client.

import { get, post, request } from '../api.js';

const q = (params) => {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
};
const id = encodeURIComponent;

export const admin = {
  users: (filters) => get(`/api/admin/users${q(filters)}`),
  updateUser: (uid, body) => request('PATCH', `/api/users/${id(uid)}`, body),
  resetLink: (uid, hours) => post(`/api/admin/users/${id(uid)}/reset-link`, { expires_in_hours: hours }),
  invite: (body) => post('/api/admin/invites', body),
  invites: (status) => get(`/api/admin/invites${q({ status })}`),
  revokeInvite: (iid) => request('DELETE', `/api/admin/invites/${id(iid)}`),
  checkCsv: (csv, hours) => post('/api/admin/invites/import/check', { csv, expires_in_hours: hours }),
  importCsv: (csv, hours) => post('/api/admin/invites/import', { csv, expires_in_hours: hours }),
};

export const account = {
  checkLink: (token) => post('/api/account/links/check', { token }),
  redeemLink: (token, password) => post('/api/account/links/redeem', { token, password }),
  changePassword: (current, next) => post('/api/account/password', { current_password: current, new_password: next }),
};

/** The full address of a link path such as /#/invite/TOKEN, for copying. */
export const absolute = (path) => `${window.location.origin}${path}`;

export const ROLES = ['trainee', 'instructor', 'admin'];
export const NO_EMAIL = 'The practice room sends no e-mail: copy the link and give it to the person yourself (in person, or through your usual messaging). Anyone holding the link can use it once, until it expires.';
