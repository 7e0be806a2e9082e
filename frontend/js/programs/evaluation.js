// The post-activity evaluation CE sponsors require before a certificate.

import { h, replace } from '../dom.js';
import { programsApi, field, errorBox } from './common.js';

function scale(name, legend) {
  return h('fieldset', { class: 'scale' }, h('legend', { text: legend }),
    [1, 2, 3, 4, 5].map((n) => h('span', { class: 'check' },
      h('input', { type: 'radio', id: `${name}-${n}`, name, value: n, required: n === 1 }),
      h('label', { for: `${name}-${n}`, text: String(n) }))));
}

export async function renderEvaluation(root, id) {
  document.title = 'Evaluation · Resistance practice room';
  const change = field('will_change_practice', 'What will you change in your practice?', { rows: 3, maxlength: 2000 }, 'textarea');
  const comments = field('comments', 'Other comments', { rows: 3, maxlength: 4000 }, 'textarea');
  const err = errorBox('evaluation-error');
  const form = h('form', { class: 'card stack', id: 'evaluation-form' },
    scale('objectives_met', 'The activity met its stated objectives (1 = not at all, 5 = fully)'),
    scale('relevance', 'Relevance to your practice (1-5)'),
    scale('quality', 'Overall quality (1-5)'),
    h('fieldset', {}, h('legend', { text: 'Was the activity free of commercial bias?' }),
      h('span', { class: 'check' }, h('input', { type: 'radio', id: 'bias-yes', name: 'bias_free', value: 'yes', required: true }), h('label', { for: 'bias-yes', text: 'Yes' })),
      h('span', { class: 'check' }, h('input', { type: 'radio', id: 'bias-no', name: 'bias_free', value: 'no' }), h('label', { for: 'bias-no', text: 'No' }))),
    change, comments, err, h('button', { type: 'submit', class: 'btn btn-primary', text: 'Submit the evaluation' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const val = (n) => form.querySelector(`input[name=${n}]:checked`)?.value;
    try {
      await programsApi.evaluate(id, {
        objectives_met: Number(val('objectives_met')), relevance: Number(val('relevance')),
        quality: Number(val('quality')), bias_free: val('bias_free') === 'yes',
        will_change_practice: change.control.value, comments: comments.control.value,
      });
      window.location.hash = '/assignments';
    } catch (e) { err.show(e, form); }
  });
  replace(root, h('div', { class: 'page-head' }, h('h1', { text: 'Activity evaluation' }),
    h('p', { class: 'muted', text: 'Your answers go to the program sponsor; the certificate follows.' })), form);
  return null;
}
