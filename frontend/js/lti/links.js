// A cohort's LMS links (on the cohort page): each link to an assignment, and a roster sync
// (NRPS) that enrols the course's learners before their first launch.

import { get, post } from '../api.js';
import { h, replace, announce } from '../dom.js';
import { errorBox } from '../programs/common.js';

const enc = encodeURIComponent;

export async function lmsLinks(cohortId) {
  const links = await get(`/api/programs/cohorts/${enc(cohortId)}/lti-links`);
  if (!links.length) return null;
  const status = h('p', { role: 'status', id: 'roster-status', class: 'small' });
  const err = errorBox('roster-error');
  const rows = links.map((link) => {
    const sync = h('button', { type: 'button', class: 'btn', 'data-roster': link.id, text: `Enrol the LMS roster (${link.assignment})`, disabled: !link.roster });
    sync.addEventListener('click', async () => {
      err.clear();
      sync.disabled = true;
      try {
        const r = await post(`/api/lti/links/${enc(link.id)}/roster`);
        const text = `Roster: ${r.members} member(s); ${r.enrolled} enrolled now, ${r.already_enrolled} already enrolled, ${r.skipped_staff} staff and ${r.skipped_inactive} inactive skipped.`;
        replace(status, text);
        announce(text);
      } catch (e) { err.show(e); } finally { sync.disabled = !link.roster; }
    });
    return h('li', {}, `${link.platform} · ${link.assignment} · grades ${link.grades ? 'returned' : 'not offered'} `, sync);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'lms-title' }, h('h2', { id: 'lms-title', text: 'LMS links' }),
    h('ul', { class: 'plain-list', id: 'lms-links' }, rows), status, err);
}
