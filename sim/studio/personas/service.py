"""What the studio does to personas: create (blank or copy), save a draft, publish, restore.

Every change appends one persona_version row; the persona row's pointers (head, published)
move with a compare-and-set, so two saves at once cannot both become version N: the second
gets 409 and its text is still in the editor. An invalid draft is stored with its issues;
only publishing requires a valid one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from sim.errors import Conflict, Forbidden, Invalid, NotFound
from sim.models import Role, User
from sim.studio.personas.models import (
    PersonaVersion,
    StudioPersona,
    StudioPersonaCreate,
    VersionState,
)
from sim.studio.personas.text import blank, check, set_fields


def may_edit(user: User, persona: StudioPersona) -> bool:
    """Admins change any persona; an instructor changes the ones they created. The seed library
    (no creator) is the admins'; instructors copy it."""
    return user.role == Role.ADMIN or (persona.created_by is not None
                                       and persona.created_by == user.id)


def editable(db: Session, user: User, persona_id: str) -> StudioPersona:
    persona = find(db, persona_id)
    if not may_edit(user, persona):
        whose = ("an administrator" if persona.created_by is None
                 else "its author or an administrator")
        raise Forbidden(f"Only {whose} can change persona {persona_id!r}; you can copy it "
                        "into a persona of your own.")
    return persona


def find(db: Session, persona_id: str) -> StudioPersona:
    persona = db.get(StudioPersona, persona_id)
    if persona is None:
        raise NotFound(f"No persona {persona_id!r}; GET /api/studio/personas lists them.")
    return persona


def version_of(db: Session, persona_id: str, version: int) -> PersonaVersion:
    row = db.exec(select(PersonaVersion).where(PersonaVersion.persona_id == persona_id,
                                               PersonaVersion.version == version)).first()
    if row is None:
        raise NotFound(f"Persona {persona_id!r} has no version {version}.", field="version")
    return row


def versions(db: Session, persona_id: str) -> list[PersonaVersion]:
    """Newest first."""
    return list(db.exec(select(PersonaVersion).where(PersonaVersion.persona_id == persona_id)
                        .order_by(col(PersonaVersion.version).desc())))


def append(db: Session, persona: StudioPersona, text: str, state: VersionState,
           author: User | None, note: str, based_on: int | None,
           number: int | None = None) -> PersonaVersion:
    """Appends the next version (or `number`, for the seed import) with `id` and `version`
    set in its text, validated by the loader; moves the persona's pointers."""
    expected = persona.head_version
    number = number or expected + 1
    text = set_fields(text, {"id": persona.id, "version": number})
    parsed, issues = check(text, persona.id)
    if state == VersionState.PUBLISHED and parsed is None:
        raise Invalid(not_valid(number, issues), field="version")
    values: dict[str, Any] = {"head_version": number}
    if parsed is not None:
        values["title"] = parsed.title[:200]
    if state == VersionState.PUBLISHED:
        values["published_version"] = number
    moved = db.connection().execute(
        update(StudioPersona).where(col(StudioPersona.id) == persona.id,
                                    col(StudioPersona.head_version) == expected).values(**values))
    if moved.rowcount != 1:
        raise Conflict(f"Persona {persona.id!r} changed while you were editing (someone saved a "
                       "newer version); your text is still in the editor: reload the history, "
                       "then save again.", code="stale_version")
    row = PersonaVersion(
        persona_id=persona.id, version=number, state=state, yaml_text=text,
        data=parsed.model_dump(mode="json") if parsed else None, issues=issues,
        author_id=author.id if author else None, note=note[:500], based_on=based_on)
    db.add(row)
    db.flush()
    db.refresh(persona)
    return row


def not_valid(number: int, issues: list[dict[str, Any]]) -> str:
    lines = "\n".join(i["text"] for i in issues)
    return (f"Version {number} has {len(issues)} problem(s); fix them, save, then publish:\n"
            f"{lines}")


def create(db: Session, user: User, body: StudioPersonaCreate) -> StudioPersona:
    """A new persona whose version 1 is a draft: the blank template or a copy of another."""
    if db.get(StudioPersona, body.id) is not None:
        raise Conflict(f"A persona with id {body.id!r} already exists; choose another id.",
                       field="id", code="persona_exists")
    if body.source == "copy":
        if not body.copy_of:
            raise Invalid("Name the persona to copy (copy_of).", field="copy_of")
        source = find(db, body.copy_of)
        number = body.copy_version or source.head_version
        text = version_of(db, source.id, number).yaml_text
        note = f"Copy of {source.id} v{number}"
    else:
        text, note = blank(body.id), "Blank template"
    persona = StudioPersona(id=body.id, title=body.id, created_by=user.id, head_version=0)
    db.add(persona)
    db.flush()
    append(db, persona, text, VersionState.DRAFT, user, note, None)
    return persona


def save_draft(db: Session, user: User, persona_id: str, text: str, note: str,
               base_version: int | None) -> tuple[PersonaVersion, bool]:
    """Appends a draft (valid or not); returns (version, created). Saving the newest draft's
    own text again appends nothing."""
    persona = editable(db, user, persona_id)
    if base_version is not None and base_version != persona.head_version:
        raise Conflict(f"You started from version {base_version}, but version "
                       f"{persona.head_version} has been saved since; your text is still in the "
                       "editor: compare it with the history, then save again.",
                       field="base_version", code="stale_version")
    head = version_of(db, persona_id, persona.head_version)
    candidate = set_fields(text, {"id": persona.id, "version": persona.head_version})
    if head.state == VersionState.DRAFT and head.yaml_text == candidate:
        return head, False
    return append(db, persona, text, VersionState.DRAFT, user, note, persona.head_version), True


def publish(db: Session, user: User, persona_id: str, number: int, note: str) -> PersonaVersion:
    """Appends a published copy of a valid draft; trainees' new sessions get it from now on,
    sessions already running keep the version they started on."""
    persona = editable(db, user, persona_id)
    draft = version_of(db, persona_id, number)
    if draft.state != VersionState.DRAFT:
        raise Conflict(f"Version {number} is already published; publish a draft.",
                       field="version", code="not_a_draft")
    if draft.data is None:
        raise Invalid(not_valid(number, draft.issues), field="version")
    return append(db, persona, draft.yaml_text, VersionState.PUBLISHED, user,
                  note or f"Published from draft v{number}", number)


def restore(db: Session, user: User, persona_id: str, number: int) -> PersonaVersion:
    """Restoring never rewrites history: the old text becomes a new draft on top."""
    persona = editable(db, user, persona_id)
    old = version_of(db, persona_id, number)
    return append(db, persona, old.yaml_text, VersionState.DRAFT, user,
                  f"Restored from v{number}", number)


def export_text(db: Session, persona_id: str, number: int | None) -> tuple[int, str]:
    """A version's YAML (default: the published one, else the newest), as a file would hold it."""
    persona = find(db, persona_id)
    number = number or persona.published_version or persona.head_version
    return number, version_of(db, persona_id, number).yaml_text
