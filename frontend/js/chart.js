// Inline SVG charts drawn by hand: a line chart with turning-point markers for the report, and
// small multiples for the four dimensions. SVG is built with createElementNS, no markup strings.

import { s, h } from './dom.js';

let uid = 0;

/**
 * A line chart of 0-1 series over turn indexes.
 * series: [{name, cls, points: [{x, y}]}]; markers: [{x, label, kind}].
 */
export function lineChart({ title, desc, series, markers = [], width = 640, height = 260, xLabel = '', xFrom = 0 }) {
  uid += 1;
  const pad = { top: 16, right: 16, bottom: 36, left: 44 };
  const xs = series.flatMap((sr) => sr.points.map((p) => p.x));
  const xMin = Math.min(xFrom, ...xs);
  const xMax = Math.max(xFrom + 1, ...xs);
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const X = (x) => pad.left + ((x - xMin) / (xMax - xMin || 1)) * innerW;
  const Y = (y) => pad.top + (1 - Math.max(0, Math.min(1, y))) * innerH;
  const titleId = `chart-title-${uid}`;
  const descId = `chart-desc-${uid}`;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-labelledby': `${titleId} ${descId}`, preserveAspectRatio: 'xMidYMid meet',
  }, s('title', { id: titleId, text: title }), s('desc', { id: descId, text: desc || '' }));

  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(
      s('line', { x1: pad.left, x2: width - pad.right, y1: Y(tick), y2: Y(tick), class: 'grid' }),
      s('text', { x: pad.left - 8, y: Y(tick) + 4, class: 'axis-label', 'text-anchor': 'end', text: `${Math.round(tick * 100)}%` }));
  }
  const step = Math.max(1, Math.ceil((xMax - xMin) / 12));
  for (let x = xMin; x <= xMax; x += step) {
    svg.append(s('text', { x: X(x), y: height - pad.bottom + 18, class: 'axis-label', 'text-anchor': 'middle', text: String(x) }));
  }
  svg.append(s('text', { x: pad.left + innerW / 2, y: height - 4, class: 'axis-label', 'text-anchor': 'middle', text: xLabel || 'Turn' }));

  const onTurn = new Map();  // markers already on a turn: a second label goes one line lower
  for (const m of markers) {
    const mx = X(m.x);
    const row = onTurn.get(m.x) || 0;
    onTurn.set(m.x, row + 1);
    svg.append(s('line', { x1: mx, x2: mx, y1: pad.top, y2: pad.top + innerH, class: `marker-line marker-${m.kind || 'point'}` }));
    svg.append(s('text', { x: mx + 3, y: pad.top + 10, dy: `${(row * 1.25).toFixed(2)}em`, class: 'marker-label', text: m.label }));
  }
  for (const sr of series) {
    if (!sr.points.length) continue;
    const d = sr.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ');
    svg.append(s('path', { d, class: `series ${sr.cls}` }));
    for (const p of sr.points) {
      svg.append(s('circle', { cx: X(p.x), cy: Y(p.y), r: 3.5, class: `dot ${sr.cls}` },
        s('title', { text: `${sr.name}, turn ${p.x}: ${Math.round(p.y * 100)}%` })));
    }
  }
  readable(svg, width);
  return svg;
}

/** Keeps the chart's text near 12 px on screen however narrow the chart is drawn: the SVG
 * scales with its viewBox, so on a phone 11-unit labels shrank to about 5 px. */
export function readable(svg, width, px = 12) {
  if (typeof ResizeObserver === 'undefined') return;
  new ResizeObserver((entries) => {
    const drawn = entries[0].contentRect.width;
    if (drawn > 0) svg.style.setProperty('--chart-font', `${Math.max(11, (px * width) / drawn).toFixed(1)}px`);
  }).observe(svg);
}

/** A legend for the given series (HTML, so it reflows and prints well). */
export function legend(series) {
  return h('ul', { class: 'legend' }, series.map((sr) => h('li', {},
    h('span', { class: `swatch ${sr.cls}`, 'aria-hidden': 'true' }), sr.name)));
}

/** A small bar strip of 0-1 values per turn (one dimension over time). */
export function sparkBars({ title, values, cls, turns = null, width = 220, height = 56 }) {
  uid += 1;
  const titleId = `spark-${uid}`;
  const n = Math.max(values.length, 1);
  const gap = 2;
  const bw = Math.min(28, Math.max(2, (width - gap * (n - 1)) / n));
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img', 'aria-labelledby': titleId },
    s('title', { id: titleId, text: title }),
    s('line', { x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5, class: 'grid' }));
  values.forEach((v, i) => {
    const val = v === null || v === undefined ? 0 : Math.max(0, Math.min(1, Number(v)));
    const bh = Math.max(val > 0 ? 2 : 0, val * (height - 4));
    svg.append(s('rect', { x: i * (bw + gap), y: height - bh, width: bw, height: bh, class: `spark-bar ${cls}` },
      s('title', { text: `Turn ${turns && turns[i] !== undefined ? turns[i] : i + 1}: ${Math.round(val * 100)}%` })));
  });
  return svg;
}

/**
 * A horizontal band chart: where `value` sits against the fair and good thresholds.
 * max is the right end of the scale.
 */
export function bandChart({ title, value, fair, good, max, format }) {
  uid += 1;
  const width = 320;
  const height = 44;
  const X = (v) => 4 + (Math.max(0, Math.min(max, v)) / max) * (width - 8);
  const titleId = `band-${uid}`;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'band', role: 'img', 'aria-labelledby': titleId },
    s('title', { id: titleId, text: title }),
    s('rect', { x: X(0), y: 8, width: X(fair) - X(0), height: 14, class: 'band-low' }),
    s('rect', { x: X(fair), y: 8, width: X(good) - X(fair), height: 14, class: 'band-fair' }),
    s('rect', { x: X(good), y: 8, width: X(max) - X(good), height: 14, class: 'band-good' }),
    s('text', { x: X(fair) - 3, y: 38, class: 'axis-label', 'text-anchor': 'end', text: `fair ${format(fair)}` }),
    s('text', { x: X(good) + 3, y: 38, class: 'axis-label', 'text-anchor': 'start', text: `good ${format(good)}` }));
  if (value !== null && value !== undefined && !Number.isNaN(Number(value))) {
    svg.append(s('rect', { x: X(Number(value)) - 2, y: 3, width: 4, height: 24, class: 'band-value' }));
  }
  return svg;
}
