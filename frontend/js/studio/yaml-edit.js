// Applies one form edit to the author's YAML text as a small splice: a scalar or a list of
// scalars is rewritten where it stands (block text stays a folded block at its indentation,
// quotes only where needed), so comments, layout and every other line stay as written. Edits
// the splice cannot express (adding or removing a group, a field not in the text yet) go
// through the yaml library's document and re-serialise it.

import { parseDocument, parse, isScalar, isSeq } from '../../vendor/yaml/index.js';

const WIDTH = 100;

function plainOrQuoted(value) {
  if (typeof value !== 'string') return value === null || value === undefined ? 'null' : String(value);
  if (value && value === value.trim() && !value.includes('\n')) {
    try {
      const back = parse(`k: ${value}\n`);
      if (back && back.k === value) return value;
    } catch { /* not plain */ }
  }
  return JSON.stringify(value);  // a JSON string is a valid YAML double-quoted scalar
}

function wrap(text, width) {
  const lines = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** Indentation of the key that owns the value starting at `at` ("  - note: >-" -> 4). */
function keyIndent(text, at) {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return (text.slice(start, at).match(/^[ ]*(?:- )*/) || [''])[0].length;
}

function renderScalar(text, node, value) {
  const blockish = String(node.type || '').startsWith('BLOCK');
  if (typeof value === 'string' && blockish && !value.includes('\n')) {
    const indent = ' '.repeat(keyIndent(text, node.range[0]) + 2);
    return `>-\n${wrap(value, WIDTH - indent.length).map((l) => (l ? indent + l : '')).join('\n')}\n`;
  }
  return plainOrQuoted(value);
}

function renderSeq(text, node, values) {
  if (node.flow || !values.length) return `[${values.map(plainOrQuoted).join(', ')}]`;
  const first = node.items[0] && node.items[0].range ? node.items[0].range[0] : node.range[0];
  const lineStart = text.lastIndexOf('\n', first - 1) + 1;
  const dash = ' '.repeat(Math.max(0, first - lineStart - 2));
  return `${values.map((v, i) => `${i ? dash : ''}- ${plainOrQuoted(v)}`).join('\n')}\n`;
}

/** The text after one edit {op: 'set'|'add'|'remove', path, value}; throws on a syntax error. */
export function applyEdit(text, { op, path, value }) {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(doc.errors[0].message);
  if (op === 'set') {
    const node = doc.getIn(path, true);
    let rendered = null;
    if (isScalar(node) && node.range && (value === null || typeof value !== 'object')) {
      rendered = renderScalar(text, node, value);
    } else if (isSeq(node) && node.range && Array.isArray(value)
      && value.every((v) => typeof v !== 'object') && node.items.every(isScalar)) {
      rendered = renderSeq(text, node, value);
    }
    if (rendered !== null) {
      const [start, end] = node.range;
      let tail = text.slice(end);
      if (rendered.endsWith('\n') && tail.startsWith('\n')) tail = tail.slice(1);
      if (!rendered.endsWith('\n') && text.slice(start, end).endsWith('\n')) rendered += '\n';
      return text.slice(0, start) + rendered + tail;
    }
    doc.setIn(path, value);
  } else if (op === 'add') doc.addIn(path, value);
  else if (op === 'remove') doc.deleteIn(path);
  return doc.toString({ lineWidth: WIDTH });
}
