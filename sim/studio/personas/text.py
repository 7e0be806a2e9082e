"""The persona's YAML text as the author wrote it: validation through the one strict loader
(sim/personas/loader.py, the same messages as `sim personas validate`), and the two fields the
studio owns (`id`, `version`) set in place without touching comments or layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from sim.personas import Persona, PersonaError, PersonaIssue, parse_persona
from sim.studio.personas.models import SLUG

TEMPLATE = Path(__file__).with_name("template.yaml")


def filename(persona_id: str) -> str:
    """The name errors carry: the file `sim personas export` writes and the CLI validates."""
    return f"{persona_id}.yaml"


def issue_dict(issue: PersonaIssue) -> dict[str, Any]:
    return {"file": issue.file, "line": issue.line, "column": issue.column, "field": issue.field,
            "message": issue.message, "text": str(issue)}


def check(text: str, persona_id: str | None) -> tuple[Persona | None, list[dict[str, Any]]]:
    """Parses like the CLI does a file named <id>.yaml: the persona, or every issue found."""
    name = filename(persona_id) if persona_id else "persona.yaml"
    try:
        return parse_persona(text, filename=name, stem=persona_id), []
    except PersonaError as exc:
        return None, [issue_dict(i) for i in exc.issues]


def set_fields(text: str, values: dict[str, Any]) -> str:
    """Sets top-level scalar fields in place (the studio owns `id` and `version`). A field that
    is missing is added at the top; text that does not parse as a mapping is left alone (its
    syntax error is what the author sees)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text
    if not isinstance(root, yaml.MappingNode):
        return text
    edits: list[tuple[int, int, str]] = []
    missing = dict(values)
    for key, node in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value in missing:
            rendered = _scalar(missing.pop(key.value))
            if isinstance(node, yaml.ScalarNode) and node.style in (None, "", "'", '"'):
                edits.append((node.start_mark.index, node.end_mark.index, rendered))
            else:  # a block or nested value: replace it from the key's colon to the line's end
                edits.append((node.start_mark.index, node.end_mark.index, rendered + "\n"))
    for start, end, rendered in sorted(edits, reverse=True):
        text = text[:start] + rendered + text[end:]
    if missing:
        head = "".join(f"{k}: {_scalar(v)}\n" for k, v in missing.items())
        text = head + text
    return text


def _scalar(value: Any) -> str:
    """A plain scalar where YAML reads it back unchanged (slugs, numbers), else JSON quoting
    (a JSON string is a valid YAML double-quoted scalar)."""
    if isinstance(value, int) or (isinstance(value, str) and SLUG.match(value)
                                  and yaml.safe_load(value) == value):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def blank(persona_id: str) -> str:
    """The minimal valid template (it passes the battery) with this persona's id."""
    return set_fields(TEMPLATE.read_text(encoding="utf-8"), {"id": persona_id, "version": 1})
