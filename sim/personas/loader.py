"""Reads persona YAML files strictly and reports every problem of a file at once.

Authors are clinicians, not programmers: an error must say which file, which line, which field,
what is wrong and what would be allowed, so they can fix a file in one pass instead of one error
per run. We keep YAML node marks (yaml.compose) to map pydantic's error locations back to lines.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.personas.schema import Persona

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class PersonaIssue:
    """One problem in one persona file, with where it is and what is allowed."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        field = self.field or "<file>"
        return f"{self.file}:{self.line}:{self.column}: {field}: {self.message}"


class PersonaError(ValueError):
    """A persona file (or library) is invalid; `issues` lists every problem found."""

    def __init__(self, issues: list[PersonaIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def _field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Marks:
    """Finds the YAML node for a pydantic loc so errors carry a line and column."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def find(self, loc: Loc) -> tuple[int, int]:
        node = self.root
        if node is None:
            return 1, 1
        for part in loc:
            child = self._child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    @staticmethod
    def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    return value
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            return node.value[part] if part >= 0 else None
        return None

    def key_mark(self, loc: Loc) -> tuple[int, int]:
        """Position of the key itself (for unknown fields), falling back to the value."""
        parent = self.root
        for part in loc[:-1]:
            parent = self._child(parent, part) if parent is not None else None
        if isinstance(parent, yaml.MappingNode):
            for key, _ in parent.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(loc[-1]):
                    return key.start_mark.line + 1, key.start_mark.column + 1
        return self.find(loc)


def _unwrap(tp: Any) -> list[Any]:
    """Inner types of Annotated/Optional/Union so we can walk into models."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _unwrap(arg)]
    return [tp]


def _type_at(loc: Loc) -> Any:
    """The schema type expected at loc (used to list allowed fields for unknown keys)."""
    current: Any = Persona
    for part in loc:
        nxt = None
        for tp in _unwrap(current):
            origin = typing.get_origin(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
                field = tp.model_fields.get(part)
                nxt = field.annotation if field else None
            elif origin is list and isinstance(part, int):
                nxt = typing.get_args(tp)[0]
            elif origin is dict:
                nxt = typing.get_args(tp)[1]
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    return current


def _allowed_fields(loc: Loc) -> list[str]:
    for tp in _unwrap(_type_at(loc)):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return list(tp.model_fields)
    return []


def _describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    loc: Loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_fields(loc[:-1]))
        return f"unknown field (allowed: {allowed})"
    if kind == "missing":
        return "required field is missing"
    if kind in ("enum", "literal_error"):
        return f"{got!r} is not allowed (allowed: {ctx.get('expected', '?')})"
    message = str(err["msg"])
    if kind == "value_error" and message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "string_pattern_mismatch":
        message = f"{got!r} is not a valid slug (allowed: lowercase letters, digits, - and _)"
    elif got is not None and not isinstance(got, dict | list) and kind != "value_error":
        message += f" (got {got!r})"
    return message


def _duplicate_keys(node: yaml.Node | None, path: Loc = ()) -> list[tuple[Loc, yaml.Node]]:
    found: list[tuple[Loc, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            if name in seen:
                found.append(((*path, name), key))
            seen.add(name)
            found.extend(_duplicate_keys(value, (*path, name)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(_duplicate_keys(item, (*path, index)))
    return found


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _reference_issues(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Cross-references (drivers, disclosures) checked on raw data so all are reported at once."""
    out: list[tuple[Loc, str]] = []
    drivers = _list(data.get("drivers"))
    names: list[str] = []
    seen: set[str] = set()
    for i, driver in enumerate(drivers):
        name = _dict(driver).get("name")
        if not isinstance(name, str):
            continue  # a missing or non-text name is pydantic's to report
        if name in seen:
            out.append((("drivers", i, "name"), f"driver name {name!r} is used twice"))
            continue
        seen.add(name)
        names.append(name)
    resistance = _dict(data.get("resistance"))
    for group in ("triggers", "softeners"):
        reactions = _list(resistance.get(group))
        for i, reaction in enumerate(reactions):
            for j, ref in enumerate(_list(_dict(reaction).get("drivers"))):
                if isinstance(ref, str) and ref not in seen:
                    defined = ", ".join(str(n) for n in names) or "none defined"
                    loc: Loc = ("resistance", group, i, "drivers", j)
                    out.append((loc, f"unknown driver {ref!r} (allowed: {defined})"))
    disclosures = _list(data.get("disclosures"))
    for i, item in enumerate(disclosures):
        for j, ref in enumerate(_list(_dict(item).get("drivers"))):
            if isinstance(ref, str) and ref not in seen:
                defined = ", ".join(str(n) for n in names) or "none defined"
                out.append((("disclosures", i, "drivers", j),
                            f"unknown driver {ref!r} (allowed: {defined})"))
    ids = [d.get("id") for d in disclosures if isinstance(d, dict)]
    objectives = _list(data.get("objectives"))
    for i, objective in enumerate(objectives):
        if isinstance(objective, dict) and objective.get("kind") == "unlock_disclosure":
            target = objective.get("target")
            if target not in ids:
                defined = ", ".join(str(x) for x in ids) or "none defined"
                message = f"unknown disclosure {target!r} (allowed: {defined})"
                out.append((("objectives", i, "target"), message))
    return out


def parse_persona(text: str, filename: str = "<string>", stem: str | None = None) -> Persona:
    """Parses and validates persona YAML text; raises PersonaError listing every issue."""
    issues: list[PersonaIssue] = []

    def add(line: int, col: int, loc: Loc, message: str) -> None:
        issues.append(PersonaIssue(filename, line, col, _field_path(loc), message))

    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character, found before any parsing
        before = text[: max(exc.position, 0)]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        add(line, col, (), f"YAML syntax error: character U+{exc.character:04X} is not allowed "
            "(remove control characters; tabs and newlines are fine)")
        raise PersonaError(issues) from None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        add(line, col, (), f"YAML syntax error: {exc.problem or exc}")
        raise PersonaError(issues) from None
    finally:
        loader.dispose()
    marks = _Marks(root)
    if not isinstance(data, dict):
        add(1, 1, (), "a persona file must be a YAML mapping of fields (id, version, title, ...)")
        raise PersonaError(issues)
    for loc, key in _duplicate_keys(root):
        add(key.start_mark.line + 1, key.start_mark.column + 1, loc, "duplicate key (keep one)")
    if stem is not None and data.get("id") != stem:
        message = f"id {data.get('id')!r} must equal the file name {stem!r}"
        add(*marks.find(("id",)), ("id",), message)
    refs = _reference_issues(data)
    for loc, message in refs:
        add(*marks.find(loc), loc, message)
    persona: Persona | None = None
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if not loc and refs:
                continue  # the root validator repeats a reference issue already located above
            if loc and loc[-1] == "[key]":
                loc = loc[:-1]
            place = marks.key_mark(loc) if err["type"] == "extra_forbidden" else marks.find(loc)
            add(*place, loc, _describe(dict(err)))
    if issues or persona is None:
        issues.sort(key=lambda i: (i.line, i.column))
        raise PersonaError(issues)
    return persona


def load_persona(path: str | Path) -> Persona:
    """Loads one persona file; its id must equal the file's stem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaError([PersonaIssue(str(path), 1, 1, "", f"cannot read file: {exc}")]) from exc
    return parse_persona(text, filename=str(path), stem=path.stem)


_CACHE: dict[Path, tuple[float, Persona]] = {}


def persona_files(directory: str | Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.yaml") if p.is_file())


def load_library(directory: str | Path) -> dict[str, Persona]:
    """Loads every personas/*.yaml (cached by mtime); raises PersonaError with all issues."""
    library: dict[str, Persona] = {}
    issues: list[PersonaIssue] = []
    for path in persona_files(directory):
        key = path.resolve()
        mtime = path.stat().st_mtime
        cached = _CACHE.get(key)
        if cached and cached[0] == mtime:
            library[cached[1].id] = cached[1]
            continue
        try:
            persona = load_persona(path)
        except PersonaError as exc:
            issues.extend(exc.issues)
            continue
        _CACHE[key] = (mtime, persona)
        library[persona.id] = persona
    if issues:
        raise PersonaError(issues)
    return library
