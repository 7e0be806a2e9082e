// Tiny DOM helpers. Every piece of text goes in through textContent / text nodes, never HTML,
// so anything a trainee or an LLM typed is shown as text.

/**
 * Create an element. `attrs` keys: class, text, on<Event> (functions), aria-, data- and other keys as
 * attributes. Children may be nodes, strings (become text nodes), arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Append children (nodes, strings, nested arrays); strings become text nodes. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Remove every child of `el`, then append the new ones. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Create an SVG element with attributes (no HTML parsing involved). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

const ACRONYMS = new Set(['adhd', 'cbt', 'dbt', 'gp', 'ptsd', 'ocd', 'miti', 'llm', 'nhs']);

/** Human label for a snake_case slug: "reflection_complex" -> "Reflection complex",
 * "adhd-suspected" -> "ADHD suspected" (known acronyms stay capitals). */
export function label(slug) {
  if (slug === null || slug === undefined) return '';
  const words = String(slug).replace(/[_-]+/g, ' ').trim().split(/\s+/)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Format a 0-1 number as a percentage string. */
export function pct(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  return `${(Number(value) * 100).toFixed(digits)}%`;
}

/** Format a number with fixed digits, or a dash when missing. */
export function num(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  return Number(value).toFixed(digits);
}

/** Signed delta, e.g. +0.05 / −0.10. */
export function signed(value, digits = 2) {
  const n = Number(value) || 0;
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)}`;
}

/** Move keyboard focus to `el` (making it focusable if needed) so screen readers follow. */
export function focus(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) {
    el.setAttribute('tabindex', '-1');
  }
  el.focus({ preventScroll: false });
}

/** Announce a message politely through the page's live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers read repeated messages too.
  window.setTimeout(() => { region.textContent = message; }, 30);
}
