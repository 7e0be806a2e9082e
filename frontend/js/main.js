// Entry point: a small hash router (#/library, #/session/ID, #/report/ID, #/progress, #/login,
// and the wings' pages: #/studio, #/studio/ID, #/review, #/review/ID, #/agreement, #/users,
// #/import, #/account,
// #/invite/TOKEN, #/reset/TOKEN) that checks who is signed in, builds the menu for their role
// and hands the main area to one page module at a time.

import { api, loadMe, logout, user } from './api.js';
import { focus, replace, h } from './dom.js';
import { renderLogin } from './login.js';
import { renderLibrary } from './library.js';
import { renderChat } from './chat.js';
import { renderReport } from './report.js';
import { renderProgress } from './progress.js';
import { renderPrograms, renderProgram, renderCohort } from './programs/admin.js';
import { renderAssignments } from './programs/assignments.js';
import { renderEvaluation } from './programs/evaluation.js';
import { renderVerify, renderActivate, renderJoin } from './programs/public.js';
import { renderPrivacy } from './programs/privacy.js';
import { renderLti } from './lti/platforms.js';
import { menuFor, homeFor, allowed, PUBLIC_ROUTES, RETURNABLE } from './menu.js';
import { renderReviewList } from './studio/review-list.js';
import { renderReviewSession } from './studio/review-session.js';
import { renderAgreement } from './studio/review-agreement.js';
import { renderUsers } from './admin/users.js';
import { renderImport } from './admin/import.js';
import { renderAccount } from './admin/account.js';
import { renderRedeem } from './admin/redeem.js';
import { renderStudio } from './studio/personas.js';
import { renderFlags } from './safety/flags.js';

const main = () => document.getElementById('main');
let cleanup = null;

function parse(hash) {
  const parts = (hash || '').replace(/^#\/?/, '').split('/').filter(Boolean);
  return { name: parts[0] || null, arg: parts[1] ? decodeURIComponent(parts[1]) : null };
}

export function go(path) {
  if (window.location.hash === `#${path}`) route();
  else window.location.hash = path;
}

const home = () => homeFor(user() && user().role);

function updateChrome() {
  const me = user();
  const nav = document.getElementById('nav');
  nav.hidden = !me;
  document.getElementById('account').hidden = !me;
  document.getElementById('account-name').textContent = me ? (me.display_name || me.email) : '';
  const role = me ? me.role : null;
  if (nav.dataset.role !== String(role)) {  // the menu of this role, built once per sign-in
    nav.dataset.role = String(role);
    replace(nav, me ? menuFor(role).map((item) => h('a', { href: `#/${item.route}`, 'data-route': item.route, text: item.text })) : []);
  }
  let { name } = parse(window.location.hash);
  if (name === null && me) name = home();
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** A reviewer opening someone else's session gets the read-only review, never the chat. */
async function sessionPage(root, id, ctx) {
  const me = user();
  if (me && me.role !== 'trainee') {
    const session = await api.session(id);
    if (session.user_id !== me.id) {
      window.location.replace(`#/review/${encodeURIComponent(id)}`);
      return null;
    }
  }
  return renderChat(root, id, ctx);
}

const pages = {
  library: renderLibrary,
  session: sessionPage,
  report: renderReport,
  progress: renderProgress,
  assignments: renderAssignments,
  programs: renderPrograms,
  program: renderProgram,
  cohort: renderCohort,
  evaluation: renderEvaluation,
  join: renderJoin,
  privacy: renderPrivacy,
  lti: renderLti,
  review: (root, arg, ctx) => (arg ? renderReviewSession(root, arg, ctx) : renderReviewList(root, ctx)),
  agreement: renderAgreement,
  users: renderUsers,
  import: renderImport,
  account: renderAccount,
  studio: renderStudio,
  flags: renderFlags,
};

const FORBIDDEN_TEXT = {
  review: 'Reviewing sessions is for instructors and administrators.',
  agreement: 'The agreement statistics are for instructors and administrators.',
  studio: 'The persona studio is for instructors and administrators.',
  users: 'Managing accounts is for administrators.',
  import: 'Importing accounts is for administrators.',
  programs: 'Programs are for instructors and administrators.',
  program: 'Programs are for instructors and administrators.',
  cohort: 'Cohorts are for instructors and administrators.',
  lti: 'LMS platforms are for administrators.',
  flags: 'Flagged moments are for instructors and administrators.',
};
// pages anyone may open without signing in (a certificate's QR code, an activation link)
const publicPages = { verify: renderVerify, activate: renderActivate };

let generation = 0;

async function route() {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  generation += 1;
  const mine = generation;
  const stale = () => mine !== generation;  // a newer navigation started meanwhile
  const { name, arg } = parse(window.location.hash);
  const root = main();
  if (publicPages[name]) {
    updateChrome();
    try {
      await publicPages[name](root, arg, { go });
    } catch (err) {
      if (!stale()) replace(root, h('h1', { text: 'Something went wrong' }), h('p', { class: 'notice notice-error', role: 'alert', text: err.message }));
    }
    if (!stale()) focus(root.querySelector('h1'));
    return;
  }
  if (PUBLIC_ROUTES.includes(name)) {  // one-time links work signed in or not
    if (!user()) { try { await loadMe(); } catch { /* the link page works without */ } }
    if (stale()) return;
    updateChrome();
    await renderRedeem(root, name, arg, { go });
    return;
  }
  if (!user()) {
    try { await loadMe(); } catch (err) {
      if (!stale()) replace(root, h('p', { class: 'notice notice-error', role: 'alert', text: err.message }));
      return;
    }
    if (stale()) return;
  }
  if (!user() || name === 'login') {
    if (user() && name === 'login') { go(`/${home()}`); return; }
    if (name !== 'login' && window.location.hash) remember(window.location.hash.replace(/^#/, ''));
    updateChrome();
    document.title = 'Sign in · Resistance practice room';
    renderLogin(root, { onSignedIn: () => go(takeNext()) });
    return;
  }
  if (name === null) { window.location.replace(`#/${home()}`); return; }
  updateChrome();
  const page = pages[name];
  if (!page) {
    replace(root, h('h1', { text: 'Page not found' }),
      h('p', {}, h('a', { href: `#/${home()}`, text: 'Back to your home page' })));
    return;
  }
  if (!allowed(name, user().role)) {
    replace(root, h('h1', { text: 'Not available' }),
      h('p', { class: 'notice notice-info', text: FORBIDDEN_TEXT[name] || 'This page is not for your role.' }),
      h('p', {}, h('a', { href: `#/${home()}`, text: 'Back to your home page' })));
    focus(root.querySelector('h1'));
    return;
  }
  replace(root, h('p', { class: 'loading', text: 'Loading…' }));
  try {
    const done = await page(root, arg, { go });
    if (stale()) return;
    cleanup = done;
  } catch (err) {
    if (stale()) return;
    replace(root,
      h('h1', { text: 'Something went wrong' }),
      h('p', { class: 'notice notice-error', role: 'alert', text: err.message || String(err) }),
      h('p', {}, h('a', { href: `#/${home()}`, text: 'Back to your home page' })));
  }
  const active = document.activeElement;
  const heading = root.querySelector('h1');
  if (heading && (!active || active === document.body || active === root || !root.contains(active))) focus(heading);
}

const NEXT = 'sim.next';

/** Where to go after signing in: the page the sign-out interrupted, else the role's home. */
function takeNext() {
  let next = null;
  try { next = window.sessionStorage.getItem(NEXT); window.sessionStorage.removeItem(NEXT); } catch { /* none */ }
  return next && RETURNABLE.test(next) ? next : `/${home()}`;
}

window.addEventListener('hashchange', route);
function remember(path) {
  try { if (path && RETURNABLE.test(path)) window.sessionStorage.setItem(NEXT, path); } catch { /* none */ }
}

window.addEventListener('sim:signed-out', () => {
  remember(window.location.hash.replace(/^#/, ''));
  go('/login');
});
document.getElementById('sign-out').addEventListener('click', async () => {
  await logout();
  updateChrome();
  go('/login');
});
route();
