// Entry point: a small hash router (#/library, #/session/ID, #/report/ID, #/progress, #/login)
// that checks who is signed in and hands the main area to one page module at a time.

import { loadMe, logout, user } from './api.js';
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
import { renderFlags } from './safety/flags.js';

const main = () => document.getElementById('main');
let cleanup = null;

function parse(hash) {
  const parts = (hash || '').replace(/^#\/?/, '').split('/').filter(Boolean);
  return { name: parts[0] || 'library', arg: parts[1] ? decodeURIComponent(parts[1]) : null };
}

export function go(path) {
  if (window.location.hash === `#${path}`) route();
  else window.location.hash = path;
}

function updateChrome() {
  const me = user();
  document.getElementById('nav').hidden = !me;
  document.getElementById('account').hidden = !me;
  document.getElementById('account-name').textContent = me ? (me.display_name || me.email) : '';
  const { name } = parse(window.location.hash);
  for (const link of document.querySelectorAll('#nav a[data-gated]')) {  // shown to these roles only
    link.hidden = !me || !link.dataset.gated.split(' ').includes(me.role);
  }
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

const pages = {
  library: renderLibrary,
  session: renderChat,
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
  flags: renderFlags,
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
  if (!user()) {
    try { await loadMe(); } catch (err) {
      if (!stale()) replace(root, h('p', { class: 'notice notice-error', role: 'alert', text: err.message }));
      return;
    }
    if (stale()) return;
  }
  if (!user() || name === 'login') {
    if (user() && name === 'login') { go('/library'); return; }
    if (name !== 'login' && window.location.hash) remember(window.location.hash.replace(/^#/, ''));
    updateChrome();
    document.title = 'Sign in · Resistance practice room';
    renderLogin(root, { onSignedIn: () => go(takeNext()) });
    return;
  }
  updateChrome();
  const page = pages[name];
  if (!page) {
    replace(root, h('h1', { text: 'Page not found' }),
      h('p', {}, h('a', { href: '#/library', text: 'Back to the scenarios' })));
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
      h('p', {}, h('a', { href: '#/library', text: 'Back to the scenarios' })));
  }
  const active = document.activeElement;
  const heading = root.querySelector('h1');
  if (heading && (!active || active === document.body || active === root || !root.contains(active))) focus(heading);
}

const NEXT = 'sim.next';

/** Where to go after signing in: the page the sign-out interrupted, else the library. */
function takeNext() {
  let next = null;
  try { next = window.sessionStorage.getItem(NEXT); window.sessionStorage.removeItem(NEXT); } catch { /* none */ }
  return next && /^\/(session|report|progress|library|assignments|programs?|cohort|evaluation|join|privacy|lti|flags)\b/.test(next) ? next : '/library';
}

window.addEventListener('hashchange', route);
function remember(path) {
  try { if (path && path !== '/login') window.sessionStorage.setItem(NEXT, path); } catch { /* none */ }
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
