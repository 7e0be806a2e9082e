"""The personas sessions run with, read from the database by (id, version).

A version's text never changes once written (persona_version is append-only), so a parsed
persona is cached by (id, version) for the life of the worker and never goes stale: a session
that started on v1 keeps getting v1 after v2 is published, and a turn costs no extra query once
its version is cached. One catalog serves one database (the runtime's).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from sim.personas import Persona
from sim.studio.personas.models import PersonaVersion, StudioPersona


class PersonaCatalog:
    def __init__(self) -> None:
        self._parsed: dict[tuple[str, int], Persona] = {}

    def pinned(self, db: Session, persona_id: str, version: int) -> Persona | None:
        """Exactly this version (draft or published), or None if it does not exist or is
        invalid (an invalid draft cannot be run)."""
        key = (persona_id, version)
        persona = self._parsed.get(key)
        if persona is not None:
            return persona
        data = db.exec(select(PersonaVersion.data).where(
            PersonaVersion.persona_id == persona_id, PersonaVersion.version == version)).first()
        if data is None:
            return None
        persona = Persona.model_validate(data)
        self._parsed[key] = persona
        return persona

    def current(self, db: Session, persona_id: str) -> Persona | None:
        """The published version trainees start new sessions on; None if none is published."""
        row = db.get(StudioPersona, persona_id)
        if row is None or row.published_version is None:
            return None
        return self.pinned(db, persona_id, row.published_version)

    def published(self, db: Session) -> list[Persona]:
        """Every persona's published version (the trainee library), by title."""
        rows = db.exec(select(StudioPersona.id, StudioPersona.published_version)
                       .where(col(StudioPersona.published_version).is_not(None)))
        out = [self.pinned(db, pid, version) for pid, version in rows if version is not None]
        return sorted((p for p in out if p is not None), key=lambda p: p.title)
