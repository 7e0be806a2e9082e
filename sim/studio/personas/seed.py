"""The YAML library (personas/*.yaml) imported as the seed: at start-up and by
`sim personas import`. Idempotent: a file whose id and version are already stored is skipped;
a file with a higher version is appended as a new published version."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from sim.db import session_scope
from sim.personas import Persona, persona_files
from sim.studio.personas.models import PersonaVersion, StudioPersona, VersionState
from sim.studio.personas.service import append
from sim.studio.personas.text import check

log = logging.getLogger("sim.studio.seed")
_READ: dict[Path, tuple[float, str, Persona | None, list[dict[str, Any]]]] = {}


def _read(path: Path) -> tuple[str, Persona | None, list[dict[str, Any]]]:
    """The file's text and what the loader makes of it, cached by modification time (the
    pure-Python YAML parser takes ~0.1 s a file, and every worker start imports the library)."""
    mtime = path.stat().st_mtime
    cached = _READ.get(path)
    if cached is None or cached[0] != mtime:
        text = path.read_text(encoding="utf-8")
        cached = (mtime, text, *check(text, path.stem))
        _READ[path] = cached
    return cached[1], cached[2], cached[3]


def import_file(db: Session, path: Path) -> str:
    """Imports one file; returns what happened, for the log and the CLI."""
    stored = db.exec(select(PersonaVersion.version).where(
        PersonaVersion.persona_id == path.stem,
        PersonaVersion.yaml_text == path.read_text(encoding="utf-8"))).first()
    if stored is not None:  # the usual restart: nothing to parse
        return f"already stored (v{stored})"
    text, parsed, issues = _read(path)
    if parsed is None:
        return f"invalid, not imported: {issues[0]['text']}"
    persona = db.get(StudioPersona, parsed.id)
    note = f"Imported from personas/{path.name}"
    if persona is None:
        persona = StudioPersona(id=parsed.id, title=parsed.title[:200], head_version=parsed.version,
                                published_version=parsed.version)
        db.add(persona)
        db.flush()  # the persona row first: its versions refer to it
        db.add(PersonaVersion(persona_id=parsed.id, version=parsed.version,
                              state=VersionState.PUBLISHED, yaml_text=text,
                              data=parsed.model_dump(mode="json"), issues=[], note=note))
        db.flush()
        return f"imported v{parsed.version}"
    if parsed.version <= persona.head_version:
        return f"already stored (v{parsed.version}; the newest is v{persona.head_version})"
    append(db, persona, text, VersionState.PUBLISHED, None, note, None, number=parsed.version)
    return f"imported v{parsed.version}"


def import_library(engine: Engine, directory: Path) -> dict[str, str]:
    """Imports every file in its own transaction; another worker importing the same file at
    the same moment is not an error (its row is there)."""
    outcomes: dict[str, str] = {}
    for path in persona_files(directory):
        try:
            with session_scope(engine) as db:
                outcomes[path.name] = import_file(db, path)
        except IntegrityError:
            outcomes[path.name] = "imported by another worker"
    return outcomes
