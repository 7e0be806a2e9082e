// A form generated from the persona JSON Schema (GET /api/studio/schema, the same as
// `sim personas schema`): fieldsets for objects, selects for enums, checkboxes for lists of
// enums, "one per line" boxes for lists of text, repeatable groups for lists of objects. It
// reports each edit as {op, path, value}; the page applies it to the YAML document.

import { h, replace, label as human } from '../dom.js';

const LONG = new Set(['summary', 'backstory', 'detail', 'note', 'fact', 'line', 'style',
  'presenting_concern', 'cultural_context', 'description', 'opening_line', 'setting']);
const OWNED = new Set(['id', 'version']);  // set by the studio, shown read-only

/** Follow $ref and drop the null branch of an optional; returns {node, optional}. */
export function resolve(schema, node) {
  let optional = false;
  let current = node || {};
  for (let guard = 0; guard < 10; guard += 1) {
    if (current.$ref) {
      current = { ...schema.$defs[current.$ref.split('/').pop()], ...stripRef(current) };
    } else if (current.anyOf) {
      const options = current.anyOf.filter((o) => o.type !== 'null');
      optional = optional || options.length < current.anyOf.length;
      if (options.length === 1) current = { ...options[0], title: current.title, description: current.description };
      else return { node: { ...current, mixed: options }, optional };
    } else break;
  }
  return { node: current, optional };
}

function stripRef(node) {
  const { $ref, ...rest } = node;
  return rest;
}

const idFor = (path) => `f-${path.join('-')}`;

/** A value for a new list item: required text empty, numbers at their minimum, lists empty. */
export function skeleton(schema, node) {
  const { node: n } = resolve(schema, node);
  if (n.type === 'object' && n.properties) {
    const out = {};
    for (const key of n.required || []) out[key] = skeleton(schema, n.properties[key]);
    return out;
  }
  if (n.type === 'array') return [];
  if (n.enum) return n.enum[0];
  if (n.type === 'number' || n.type === 'integer') return n.minimum ?? 0;
  return '';
}

/**
 * Mount the form in `root`. onEdit({op: 'set'|'add'|'remove', path, value}).
 * Returns {render(data), contains(element)}.
 */
export function personaForm(root, { schema, onEdit, readOnly = false }) {
  const hintId = (path) => `${idFor(path)}-hint`;

  function described(node, path) {
    return node.description ? h('p', { class: 'hint small muted', id: hintId(path), text: node.description }) : null;
  }

  function control(key, node, optional, value, path) {
    const id = idFor(path);
    const title = node.title || human(key);
    const attrs = { id, name: path.join('.'), 'aria-describedby': node.description ? hintId(path) : null, disabled: readOnly };
    const set = (v) => onEdit({ op: 'set', path, value: v });
    if (OWNED.has(key) && path.length === 1) {
      return h('div', { class: 'field' }, h('label', { for: id, text: title }),
        h('input', { ...attrs, value: value ?? '', readonly: true, 'aria-readonly': 'true' }),
        h('p', { class: 'hint small muted', id: hintId(path), text: 'Set by the studio' }));
    }
    let input;
    if (node.enum) {
      input = h('select', { ...attrs, onchange: (e) => set(e.target.value) },
        node.enum.map((v) => h('option', { value: v, text: human(v), selected: v === value })));
    } else if (node.type === 'integer' || node.type === 'number') {
      input = h('input', {
        ...attrs, type: 'number', inputmode: 'decimal', value: value ?? '', min: node.minimum, max: node.maximum,
        step: node.type === 'integer' ? 1 : 0.05,
        oninput: (e) => set(e.target.value === '' ? null : Number(e.target.value)),
      });
    } else if (node.mixed) {
      input = h('input', {
        ...attrs, type: 'text', value: value ?? '',
        oninput: (e) => {
          const raw = e.target.value.trim();
          set(raw === '' ? null : (Number.isNaN(Number(raw)) ? raw : Number(raw)));
        },
      });
    } else if (LONG.has(key)) {
      input = h('textarea', { ...attrs, rows: key === 'backstory' ? 4 : 2, oninput: (e) => set(e.target.value) });
      input.value = value ?? '';
    } else {
      input = h('input', { ...attrs, type: 'text', value: value ?? '', oninput: (e) => set(e.target.value) });
    }
    return h('div', { class: 'field' }, h('label', { for: id }, title, optional ? h('span', { class: 'muted', text: ' (optional)' }) : null),
      input, described(node, path));
  }

  function enumList(key, items, value, path, node) {
    const chosen = new Set(Array.isArray(value) ? value : []);
    const id = idFor(path);
    return h('fieldset', { class: 'field checks', id },
      h('legend', { text: node.title || human(key) }),
      items.enum.map((v) => h('label', { class: 'check' },
        h('input', {
          type: 'checkbox', value: v, checked: chosen.has(v), disabled: readOnly,
          onchange: () => {
            const picked = [...root.querySelectorAll(`#${id} input:checked`)].map((i) => i.value);
            onEdit({ op: 'set', path, value: picked });
          },
        }), ` ${human(v)}`)));
  }

  function textList(key, node, value, path) {
    const id = idFor(path);
    const box = h('textarea', {
      id, name: path.join('.'), rows: Math.min(8, Math.max(2, (value || []).length + 1)),
      'aria-describedby': `${id}-hint`, disabled: readOnly,
      oninput: (e) => onEdit({ op: 'set', path, value: e.target.value.split('\n').map((s) => s.trim()).filter(Boolean) }),
    });
    box.value = (Array.isArray(value) ? value : []).join('\n');
    const min = node.minItems ? ` (at least ${node.minItems})` : '';
    return h('div', { class: 'field' }, h('label', { for: id, text: node.title || human(key) }), box,
      h('p', { class: 'hint small muted', id: `${id}-hint`, text: `One per line${min}` }));
  }

  function objectList(key, node, items, value, path) {
    const list = Array.isArray(value) ? value : [];
    const title = node.title || human(key);
    const singular = title.replace(/s$/, '');
    return h('fieldset', { class: 'group', id: idFor(path) },
      h('legend', { text: title }),
      list.map((item, i) => h('fieldset', { class: 'group item' },
        h('legend', { text: `${singular} ${i + 1}` }),
        fields(items, item, [...path, i]),
        readOnly ? null : h('button', {
          type: 'button', class: 'btn btn-quiet', text: `Remove ${singular.toLowerCase()} ${i + 1}`,
          onclick: () => onEdit({ op: 'remove', path: [...path, i] }),
        }))),
      readOnly ? null : h('button', {
        type: 'button', class: 'btn', text: `Add ${singular.toLowerCase()}`,
        onclick: () => onEdit({ op: 'add', path, value: skeleton(schema, node.items) }),
      }));
  }

  function field(key, raw, value, path) {
    const { node, optional } = resolve(schema, raw);
    if (node.type === 'array') {
      const { node: items } = resolve(schema, node.items);
      if (items.enum) return enumList(key, items, value, path, node);
      if (items.type === 'object') return objectList(key, node, items, value, path);
      return textList(key, node, value, path);
    }
    if (node.type === 'object' && node.properties) {
      return h('fieldset', { class: 'group', id: idFor(path) }, h('legend', { text: node.title || human(key) }),
        fields(node, value, path));
    }
    if (node.type === 'object') {
      return h('p', { class: 'small muted', text: `${node.title || human(key)}: edit these in the YAML.` });
    }
    return control(key, node, optional, value, path);
  }

  function fields(node, data, path) {
    const value = data && typeof data === 'object' ? data : {};
    return Object.entries(node.properties).map(([key, raw]) => field(key, raw, value[key], [...path, key]));
  }

  return {
    render(data) { replace(root, fields(schema, data, [])); },
    contains(el) { return root.contains(el); },
  };
}
