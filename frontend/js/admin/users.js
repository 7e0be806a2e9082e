// Administrators: invite someone by one-time link, search the users, change a role (the last
// administrator is protected), deactivate or reactivate, make a password-reset link, and
// withdraw pending invitations. No e-mail is sent: links are shown here to pass on.

import { user } from '../api.js';
import { h, replace, label, announce, focus } from '../dom.js';
import { admin, absolute, ROLES, NO_EMAIL } from './admin-api.js';

const PAGE = 25;
const day = (iso) => (iso ? new Date(iso).toLocaleDateString([], { dateStyle: 'medium' }) : '—');
const stamp = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** A shown-once link with a copy button; `what` says whom it is for. */
export function linkPanel(id, what, path, expires) {
  const input = h('input', { id, type: 'text', readonly: true, value: absolute(path), class: 'link-field' });
  const note = h('p', { class: 'small', role: 'status' });
  const copy = h('button', { type: 'button', class: 'btn', text: 'Copy link', onclick: async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      note.textContent = 'Copied.';
    } catch {
      input.select();
      note.textContent = 'Selected: press Ctrl+C (or Cmd+C) to copy.';
    }
  } });
  return h('div', { class: 'notice notice-info link-panel' },
    h('div', { class: 'link-body' },
      h('label', { for: id, text: what }),
      h('div', { class: 'link-row' }, input, copy),
      h('p', { class: 'small', text: `Works once, until ${stamp(expires)}. It is shown only now. ${NO_EMAIL}` }),
      note));
}

export async function renderUsers(root) {
  document.title = 'Users · Resistance practice room';
  const me = user();
  const results = h('div', { class: 'table-wrap', id: 'users-results' });
  const status = h('p', { class: 'small muted', id: 'users-status', role: 'status' });
  const pager = h('div', { class: 'pager', role: 'group', 'aria-label': 'Pages of users' });
  const linkBox = h('div', { id: 'link-box', tabindex: '-1' });
  const pending = h('div', { id: 'pending-invites' });
  const q = h('input', { id: 'user-search', type: 'search', name: 'q', autocomplete: 'off' });
  const roleFilter = h('select', { id: 'user-role' }, h('option', { value: '', text: 'Any role' }),
    ROLES.map((r) => h('option', { value: r, text: label(r) })));
  const activeFilter = h('select', { id: 'user-active' }, h('option', { value: '', text: 'Active and deactivated' }),
    h('option', { value: 'true', text: 'Active' }), h('option', { value: 'false', text: 'Deactivated' }));
  let offset = 0;

  function showLink(panel) {
    replace(linkBox, panel);
    focus(linkBox.querySelector('input'));
  }

  async function loadUsers() {
    const page = await admin.users({ q: q.value.trim(), role: roleFilter.value, active: activeFilter.value, limit: PAGE, offset });
    status.textContent = page.total
      ? `Showing ${offset + 1}–${offset + page.items.length} of ${page.total} account(s).`
      : 'No account matches.';
    announce(status.textContent);
    replace(results, page.items.length ? h('table', { class: 'data', id: 'users-table' },
      h('caption', { class: 'visually-hidden', text: 'Accounts' }),
      h('thead', {}, h('tr', {}, ['Name', 'Email', 'Role', 'Status', 'Sessions', 'Since', 'Actions']
        .map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, page.items.map((u) => userRow(u)))) : null);
    replace(pager,
      h('button', { type: 'button', class: 'btn', text: 'Previous page', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); loadUsers(); } }),
      h('button', { type: 'button', class: 'btn', text: 'Next page', disabled: offset + page.items.length >= page.total, onclick: () => { offset += PAGE; loadUsers(); } }));
  }

  function userRow(u) {
    const problem = h('p', { class: 'notice notice-error row-error', role: 'alert', hidden: true });
    const fail = (err) => { problem.textContent = err.message; problem.hidden = false; };
    const role = h('select', { id: `role-${u.id}`, 'aria-label': `Role of ${u.display_name}`, 'data-role-for': u.email },
      ROLES.map((r) => h('option', { value: r, text: label(r), selected: r === u.role })));
    role.addEventListener('change', async () => {
      problem.hidden = true;
      try {
        await admin.updateUser(u.id, { role: role.value });
        announce(`${u.display_name} is now ${label(role.value).toLowerCase()}; they sign in again.`);
        u.role = role.value;
      } catch (err) {
        role.value = u.role;
        fail(err);
      }
    });
    const toggle = h('button', { type: 'button', class: 'btn', text: u.active ? 'Deactivate' : 'Reactivate',
      'aria-label': `${u.active ? 'Deactivate' : 'Reactivate'} ${u.display_name}`, onclick: async () => {
        problem.hidden = true;
        try {
          await admin.updateUser(u.id, { active: !u.active });
          announce(`${u.display_name} ${u.active ? 'can no longer sign in' : 'can sign in again'}.`);
          await loadUsers();
          focus(document.querySelector(`[data-role-for="${CSS.escape(u.email)}"]`));
        } catch (err) { fail(err); }
      } });
    const reset = h('button', { type: 'button', class: 'btn', text: 'Password reset link',
      'aria-label': `Password reset link for ${u.display_name}`, onclick: async () => {
        problem.hidden = true;
        try {
          const made = await admin.resetLink(u.id, 24);
          showLink(linkPanel('reset-link', `Password reset link for ${u.display_name} (${made.email})`, made.link, made.expires_at));
        } catch (err) { fail(err); }
      } });
    return h('tr', { 'data-email': u.email },
      h('th', { scope: 'row' }, u.display_name, u.id === me.id ? h('span', { class: 'badge', text: 'You' }) : null),
      h('td', { text: u.email }),
      h('td', {}, role),
      h('td', {}, h('span', { class: `badge ${u.active ? 'badge-on' : 'badge-off'}`, text: u.active ? 'Active' : 'Deactivated' })),
      h('td', { text: String(u.sessions) }),
      h('td', { text: day(u.created_at) }),
      h('td', { class: 'row-actions' }, toggle, reset, problem));
  }

  async function loadInvites() {
    const rows = await admin.invites('pending');
    replace(pending, rows.length ? h('table', { class: 'data', id: 'invites-table' },
      h('caption', { class: 'visually-hidden', text: 'Pending invitations' }),
      h('thead', {}, h('tr', {}, ['Email', 'Name', 'Role', 'Expires', 'Invited by', 'Actions'].map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, rows.map((i) => h('tr', { 'data-email': i.email },
        h('th', { scope: 'row', text: i.email }), h('td', { text: i.display_name }), h('td', { text: label(i.role) }),
        h('td', { text: stamp(i.expires_at) }), h('td', { text: i.created_by_name || '—' }),
        h('td', {}, h('button', { type: 'button', class: 'btn', text: 'Withdraw', 'aria-label': `Withdraw the invitation of ${i.email}`,
          onclick: async () => {
            await admin.revokeInvite(i.id);
            announce(`The invitation of ${i.email} was withdrawn; its link no longer works.`);
            await loadInvites();
            focus(document.getElementById('invites-title'));
          } })))))) : h('p', { class: 'muted', text: 'No pending invitations.' }));
  }

  replace(root,
    h('div', { class: 'page-head' }, h('h1', { text: 'Users' }),
      h('p', { class: 'muted', text: 'Invite people, find accounts, change roles, deactivate accounts and make password-reset links.' })),
    h('p', { class: 'notice notice-info', id: 'no-email-note', text: NO_EMAIL }),
    inviteForm(showLink, loadInvites),
    linkBox,
    h('section', { class: 'card', 'aria-labelledby': 'users-title' },
      h('h2', { id: 'users-title', text: 'Accounts' }),
      h('form', { class: 'filters', role: 'search', 'aria-label': 'Search accounts', onsubmit: (e) => { e.preventDefault(); offset = 0; loadUsers(); } },
        h('div', { class: 'field' }, h('label', { for: 'user-search', text: 'Search by name or email' }), q),
        h('div', { class: 'field' }, h('label', { for: 'user-role', text: 'Role' }), roleFilter),
        h('div', { class: 'field' }, h('label', { for: 'user-active', text: 'Status' }), activeFilter),
        h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Search' }))),
      status, results, pager),
    h('section', { class: 'card', 'aria-labelledby': 'invites-title' },
      h('h2', { id: 'invites-title', text: 'Pending invitations', tabindex: '-1' }), pending));
  await Promise.all([loadUsers(), loadInvites()]);
  return null;
}

function inviteForm(showLink, reload) {
  const email = h('input', { id: 'invite-email', type: 'email', autocomplete: 'off', required: true, 'aria-describedby': 'invite-error' });
  const name = h('input', { id: 'invite-name', type: 'text', autocomplete: 'off', required: true, maxlength: 120 });
  const role = h('select', { id: 'invite-role' }, ROLES.map((r) => h('option', { value: r, text: label(r) })));
  const days = h('select', { id: 'invite-days' }, [1, 3, 7, 14, 30].map((d) => h('option', { value: d * 24, text: `${d} day${d > 1 ? 's' : ''}`, selected: d === 7 })));
  const error = h('p', { class: 'notice notice-error', role: 'alert', hidden: true, id: 'invite-error' });
  const form = h('form', { class: 'filters invite-form', 'aria-labelledby': 'invite-title', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'invite-email', text: 'Email' }), email),
    h('div', { class: 'field' }, h('label', { for: 'invite-name', text: 'Name' }), name),
    h('div', { class: 'field' }, h('label', { for: 'invite-role', text: 'Role' }), role),
    h('div', { class: 'field' }, h('label', { for: 'invite-days', text: 'Link valid for' }), days),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create invitation link' })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    for (const el of [email, name]) el.removeAttribute('aria-invalid');
    try {
      const made = await admin.invite({ email: email.value, display_name: name.value, role: role.value, expires_in_hours: Number(days.value) });
      showLink(linkPanel('invite-link', `Invitation link for ${made.invite.display_name} (${made.invite.email}, ${made.invite.role})`, made.link, made.invite.expires_at));
      email.value = '';
      name.value = '';
      await reload();
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      const bad = err.field === 'display_name' ? name : email;
      bad.setAttribute('aria-invalid', 'true');
      focus(bad);
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'invite-title' },
    h('h2', { id: 'invite-title', text: 'Invite someone' }),
    h('p', { class: 'small muted', text: 'The invitation makes no account until the person opens the link and sets their own password.' }),
    form, error);
}
