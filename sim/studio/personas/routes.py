"""The persona studio's documents: list, create (blank or copy), read, save a draft, publish,
restore. Instructors and admins only (trainees get 403); an instructor changes only the
personas they created, admins any (service.may_edit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy import and_
from sqlmodel import Session, col, select

from sim.deps import IdPath, SessionDep, StaffUser
from sim.errors import responses
from sim.models import User
from sim.models.common import as_utc
from sim.studio.personas import service
from sim.studio.personas.models import (
    Issue,
    PersonaDetail,
    PersonaVersion,
    PersonaVersionCreate,
    PersonaVersionPublic,
    PersonaVersionSummary,
    PublishRequest,
    RestoreRequest,
    StudioPersona,
    StudioPersonaCreate,
    StudioPersonaPublic,
)

router = APIRouter(prefix="/api/studio/personas", tags=["studio"])
PersonaId = Annotated[str, Path(min_length=1, max_length=64, description="The persona's id")]


def names(db: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.exec(select(User.id, User.display_name).where(col(User.id).in_(wanted)))
    return {uid: name for uid, name in rows if uid is not None}


def summary(row: PersonaVersion, who: dict[int, str]) -> PersonaVersionSummary:
    return PersonaVersionSummary(
        persona_id=row.persona_id, version=row.version, state=row.state,
        valid=row.data is not None, issue_count=len(row.issues), author_id=row.author_id,
        author_name=who.get(row.author_id) if row.author_id else None,
        created_at=as_utc(row.created_at), note=row.note, based_on=row.based_on)


def version_public(db: Session, row: PersonaVersion) -> PersonaVersionPublic:
    base = summary(row, names(db, {row.author_id})).model_dump()
    return PersonaVersionPublic(**base, yaml=row.yaml_text, data=row.data,
                                issues=[Issue(**i) for i in row.issues])


def persona_public(p: StudioPersona, head: PersonaVersion, user: User,
                   who: dict[int, str]) -> StudioPersonaPublic:
    return StudioPersonaPublic(
        id=p.id, title=p.title, created_by=p.created_by,
        author_name=who.get(p.created_by) if p.created_by else None,
        created_at=as_utc(p.created_at), head_version=p.head_version, head_state=head.state,
        head_valid=head.data is not None, published_version=p.published_version,
        can_edit=service.may_edit(user, p))


def detail(db: Session, user: User, persona: StudioPersona) -> PersonaDetail:
    rows = service.versions(db, persona.id)
    who = names(db, {persona.created_by} | {r.author_id for r in rows})
    base = persona_public(persona, rows[0], user, who).model_dump()
    return PersonaDetail(**base, versions=[summary(r, who) for r in rows])


@router.get("", response_model=list[StudioPersonaPublic], responses=responses(401, 403))
def list_personas(user: StaffUser, db: SessionDep) -> list[StudioPersonaPublic]:
    """Every persona, drafts included, by title."""
    rows = list(db.exec(
        select(StudioPersona, PersonaVersion)
        .join(PersonaVersion, and_(col(PersonaVersion.persona_id) == StudioPersona.id,
                                   col(PersonaVersion.version) == StudioPersona.head_version))
        .order_by(col(StudioPersona.title))))
    who = names(db, {p.created_by for p, _ in rows})
    return [persona_public(p, head, user, who) for p, head in rows]


@router.post("", status_code=201, response_model=PersonaDetail,
             responses=responses(401, 403, 404, 409, 422))
def create_persona(body: StudioPersonaCreate, user: StaffUser, db: SessionDep) -> PersonaDetail:
    """Version 1 as a draft: the minimal valid template, or a copy of any persona's version."""
    return detail(db, user, service.create(db, user, body))


@router.get("/{persona_id}", response_model=PersonaDetail, responses=responses(401, 403, 404))
def get_persona(persona_id: PersonaId, user: StaffUser, db: SessionDep) -> PersonaDetail:
    return detail(db, user, service.find(db, persona_id))


@router.get("/{persona_id}/versions/{version}", response_model=PersonaVersionPublic,
            responses=responses(401, 403, 404))
def get_version(persona_id: PersonaId, version: IdPath, _: StaffUser,
                db: SessionDep) -> PersonaVersionPublic:
    """One version's YAML, its validated data (null when invalid) and its issues."""
    return version_public(db, service.version_of(db, persona_id, version))


@router.post("/{persona_id}/versions", status_code=201, response_model=PersonaVersionPublic,
             responses=responses(401, 403, 404, 409, 413, 422))
def save_draft(persona_id: PersonaId, body: PersonaVersionCreate, user: StaffUser,
               db: SessionDep, response: Response) -> PersonaVersionPublic:
    """Appends a draft, valid or not (its issues are listed); 200 and no new version when the
    text equals the newest draft's."""
    row, created = service.save_draft(db, user, persona_id, body.yaml, body.note,
                                      body.base_version)
    if not created:
        response.status_code = 200
    return version_public(db, row)


@router.post("/{persona_id}/publish", response_model=PersonaVersionPublic,
             responses=responses(401, 403, 404, 409, 422))
def publish(persona_id: PersonaId, body: PublishRequest, user: StaffUser,
            db: SessionDep) -> PersonaVersionPublic:
    """Publishes a valid draft as a new version; an invalid one is refused with its issues."""
    return version_public(db, service.publish(db, user, persona_id, body.version, body.note))


@router.post("/{persona_id}/restore", status_code=201, response_model=PersonaVersionPublic,
             responses=responses(401, 403, 404, 422))
def restore(persona_id: PersonaId, body: RestoreRequest, user: StaffUser,
            db: SessionDep) -> PersonaVersionPublic:
    """A new draft copying an old version (history is never rewritten)."""
    return version_public(db, service.restore(db, user, persona_id, body.version))
