// The YAML editor: CodeMirror 6 (vendored ES modules, no build step) with line numbers, undo
// history, YAML highlighting and the loader's issues as lint marks at their line and column.
// Tab is left to move focus (no keyboard trap); Ctrl/Cmd+Z undoes.

import { EditorState } from '../../vendor/codemirror/state.js';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from '../../vendor/codemirror/view.js';
import { defaultKeymap, history, historyKeymap } from '../../vendor/codemirror/commands.js';
import { syntaxHighlighting, defaultHighlightStyle, indentUnit } from '../../vendor/codemirror/language.js';
import { yaml } from '../../vendor/codemirror/lang-yaml.js';
import { lintGutter, setDiagnostics } from '../../vendor/codemirror/lint.js';

/**
 * Mount an editor in `parent`. onChange(text) runs after every edit the author makes (not
 * after setText). Returns {view, getText, setText, showIssues, goTo, focus}.
 */
export function yamlEditor(parent, { text, label, describedBy, onChange }) {
  let quiet = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(),
        history(), keymap.of([...defaultKeymap, ...historyKeymap]),
        indentUnit.of('  '), EditorState.tabSize.of(2),
        yaml(), syntaxHighlighting(defaultHighlightStyle), lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({
          'aria-label': label, 'aria-describedby': describedBy || '', id: 'yaml-input',
          'aria-multiline': 'true', spellcheck: 'false',
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !quiet) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  const getText = () => view.state.doc.toString();

  /** Replace the text (from the form) keeping the undo history and, roughly, the cursor. */
  function setText(next) {
    const current = getText();
    if (next === current) return;
    let start = 0;
    while (start < current.length && start < next.length && current[start] === next[start]) start += 1;
    let endA = current.length;
    let endB = next.length;
    while (endA > start && endB > start && current[endA - 1] === next[endB - 1]) { endA -= 1; endB -= 1; }
    quiet = true;
    try {
      view.dispatch({ changes: { from: start, to: endA, insert: next.slice(start, endB) } });
    } finally { quiet = false; }
  }

  const position = (line, column) => {
    const doc = view.state.doc;
    const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
    return Math.min(l.from + Math.max(0, column - 1), l.to);
  };

  /** Mark the loader's issues (1-based line and column) in the text and the gutter. */
  function showIssues(issues) {
    const diagnostics = issues.map((i) => {
      const from = position(i.line, i.column);
      const lineEnd = view.state.doc.lineAt(from).to;
      return { from, to: Math.max(from, lineEnd), severity: 'error', message: `${i.field || 'file'}: ${i.message}` };
    });
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  /** Put the cursor at a line and column and focus the editor (from the issue list). */
  function goTo(line, column) {
    const pos = position(line, column);
    view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    view.focus();
  }

  const api = { view, getText, setText, showIssues, goTo, focus: () => view.focus() };
  parent.yamlEditor = api;  // CodeMirror renders only the visible lines; tests read the text here
  return api;
}
