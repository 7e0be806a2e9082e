// The behaviour battery's result: pass/fail with the reasons, and one chart per scripted
// trainee (resistance and alliance over the eight replies), drawn with the report's SVG chart.

import { h, replace, label, pct } from '../dom.js';
import { lineChart, legend } from '../chart.js';

const NAMES = {
  confrontational: 'Confrontational trainee',
  skilful: 'Skilful (MI-consistent) trainee',
  repair: 'Rupture, then repair',
};

export function renderBattery(root, report) {
  const series = (run) => [
    { name: 'Resistance', cls: 's-resistance', points: run.points.map((p) => ({ x: p.turn, y: p.resistance })) },
    { name: 'Alliance', cls: 's-alliance', points: run.points.map((p) => ({ x: p.turn, y: p.alliance })) },
  ];
  const status = report.ok
    ? h('p', { class: 'notice notice-success', id: 'battery-status', text: `Version ${report.version} passes the behaviour battery.` })
    : h('div', { class: 'notice notice-error', id: 'battery-status' },
      h('p', { text: `Version ${report.version} fails the behaviour battery:` }),
      h('ul', {}, report.failures.map((f) => h('li', { text: f }))));
  replace(root,
    h('h3', { id: 'battery-title', text: 'Behaviour battery' }),
    status,
    h('p', { class: 'small muted', text: `Three scripted trainees, eight replies each, scored by ${report.scorer} and played by the scripted voice (what sim personas check runs).` }),
    legend(series(report.runs[0])),
    h('div', { class: 'battery-grid' }, report.runs.map((run) => {
      const last = run.points.at(-1);
      return h('figure', { class: 'battery-run', 'data-trainee': run.trainee },
        lineChart({
          title: `${NAMES[run.trainee] || label(run.trainee)}: resistance and alliance`,
          desc: `Resistance ends at ${pct(last.resistance)}, alliance at ${pct(last.alliance)}${run.points.some((p) => p.rupture) ? '; a rupture happened' : ''}.`,
          series: series(run), xLabel: 'Reply', width: 360, height: 200,
          markers: run.points.filter((p, i) => p.rupture && !(run.points[i - 1] || {}).rupture)
            .map((p) => ({ x: p.turn, label: 'rupture', kind: 'rupture' })),
        }),
        h('figcaption', { text: `${NAMES[run.trainee] || label(run.trainee)}: resistance ${pct(run.points[0].resistance)} → ${pct(last.resistance)}` }));
    })));
}
