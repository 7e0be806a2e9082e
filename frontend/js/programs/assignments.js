// "My assignments": each assignment with its status and due date, a start button per
// scenario, then the evaluation and the certificate once it is passed.

import { h, replace, announce, focus } from '../dom.js';
import { programsApi, dateText, STATUS, errorBox } from './common.js';

function scenarioRow(item, scenario) {
  const a = item.assignment;
  let action = null;
  if (scenario.open_session_id) {
    action = h('a', { class: 'btn', href: `#/session/${scenario.open_session_id}`, text: `Continue ${scenario.persona_id}` });
  } else if (!scenario.passed && scenario.attempts_left !== 0) {
    action = h('button', { type: 'button', class: 'btn btn-primary', 'data-start': `${a.id}:${scenario.persona_id}`, text: `Start ${scenario.persona_id} (${a.mode} mode)` });
    action.addEventListener('click', async () => {
      action.disabled = true;
      try {
        const started = await programsApi.startAttempt(a.id, scenario.persona_id);
        window.location.hash = `/session/${started.session_id}`;
      } catch (err) {
        action.disabled = false;
        const box = errorBox(`err-${a.id}`);
        action.after(box);
        box.show(err);
      }
    });
  }
  const left = scenario.attempts_left === null ? 'unlimited' : `${scenario.attempts_left} left`;
  return h('li', {}, h('span', { text: `${scenario.persona_id}: ${scenario.passed ? 'passed' : 'not passed yet'} · attempts used ${scenario.attempts_used} (${left})` }),
    scenario.last_session_id ? [' · ', h('a', { href: `#/report/${scenario.last_session_id}`, text: 'last report' })] : null,
    action ? [' ', action] : null);
}

function card(item) {
  const a = item.assignment;
  const st = item.status;
  const passed = st.status === 'passed';
  let next = null;
  if (passed && !item.evaluation_done) {
    next = h('a', { class: 'btn btn-primary', href: `#/evaluation/${a.id}`, text: 'Fill in the evaluation' });
  } else if (passed) {
    const btn = h('button', { type: 'button', class: 'btn btn-primary', id: `cert-${a.id}`, text: 'Get the certificate' });
    const out = h('p', { role: 'status' });
    btn.addEventListener('click', async () => {
      const cert = await programsApi.certificate(a.id);
      replace(out, h('a', { class: 'btn', href: programsApi.pdfUrl(cert.id), download: '', 'data-certificate': cert.code, text: 'Download the certificate (PDF)' }),
        ' Verification code ', h('code', { text: cert.code }), ' · ', h('a', { href: `#/verify/${cert.code}`, text: 'verification page' }));
      announce('Your certificate is ready to download.');
      focus(out.querySelector('a'));
    });
    next = [btn, out];
  }
  const headingId = `a-${a.id}-title`;
  return h('article', { class: 'card assignment', 'aria-labelledby': headingId, 'data-assignment': a.id },
    h('h2', { id: headingId, text: a.title }),
    h('p', { class: 'muted', text: `${item.program} · ${item.cohort} · ${a.hours} credit hour(s)` }),
    h('p', {}, h('strong', { class: `status status-${st.status}`, text: STATUS[st.status] || st.status }),
      ` · due ${dateText(a.due_at)}`, st.overdue ? h('strong', { class: 'overdue', text: ' · overdue' }) : null),
    item.criteria_text.length ? h('p', { class: 'small', text: `To pass: ${item.criteria_text.join('; ')}.` }) : null,
    a.mode === 'exam' ? h('p', { class: 'small muted', text: 'Exam mode: feedback at the end; replies cannot be taken back and every reply stays in the record.' }) : null,
    h('ul', { class: 'plain-list' }, st.scenarios.map((s) => scenarioRow(item, s))),
    next);
}

export async function renderAssignments(root, arg) {
  const items = await programsApi.mine();
  document.title = 'My assignments · Resistance practice room';
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'My assignments' }),
    h('p', { class: 'muted', text: 'Scenarios your programs assigned, with due dates and what it takes to pass.' })),
  items.length ? h('div', { class: 'stack', id: 'my-assignments' }, items.map(card))
    : h('p', { class: 'muted', text: 'No assignments yet. An invite link from your program enrols you.' }));
  // #/assignments/ID (where an LMS launch lands): that assignment, scrolled to and focused
  const chosen = arg ? root.querySelector(`article[data-assignment="${CSS.escape(arg)}"]`) : null;
  if (chosen) {
    chosen.classList.add('chosen');
    const heading = chosen.querySelector('h2');
    heading.setAttribute('tabindex', '-1');
    heading.scrollIntoView({ block: 'start' });
    focus(heading);
  }
  return null;
}
