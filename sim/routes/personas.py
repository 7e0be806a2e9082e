"""The persona cards a trainee chooses from: the published version of each persona (drafts stay
in the studio), never the backstory, driver detail or disclosures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from sim.deps import CurrentUser, RuntimeDep, SessionDep
from sim.errors import NotFound, responses
from sim.personas import Persona

router = APIRouter(prefix="/api/personas", tags=["personas"])


class ClientCard(BaseModel):
    name: str
    age: int
    pronouns: str
    occupation: str
    setting: str
    cultural_context: str
    presenting_concern: str


class ObjectiveCard(BaseModel):
    id: str
    description: str


class PersonaCard(BaseModel):
    id: str
    version: int
    title: str
    summary: str
    difficulty: str
    tags: list[str]
    stage: str
    driver_kinds: list[str]
    behaviours: list[str]
    client: ClientCard
    objectives: list[ObjectiveCard]


def card(p: Persona) -> PersonaCard:
    return PersonaCard(
        id=p.id, version=p.version, title=p.title, summary=p.summary,
        difficulty=p.difficulty.value, tags=list(p.tags), stage=p.stage.value,
        driver_kinds=sorted({d.kind.value for d in p.drivers}),
        behaviours=[b.value for b in p.resistance.behaviours],
        client=ClientCard(**p.client.model_dump(exclude={"backstory"})),
        objectives=[ObjectiveCard(id=o.id, description=o.description) for o in p.objectives],
    )


@router.get("", response_model=list[PersonaCard], responses=responses(401))
def list_personas(_: CurrentUser, runtime: RuntimeDep, db: SessionDep) -> list[PersonaCard]:
    return [card(p) for p in runtime.catalog.published(db)]


@router.get("/{persona_id}", response_model=PersonaCard, responses=responses(401, 404))
def get_persona(persona_id: Annotated[str, Path(max_length=64)], _: CurrentUser,
                runtime: RuntimeDep, db: SessionDep) -> PersonaCard:
    persona = runtime.catalog.current(db, persona_id)
    if persona is None:
        raise NotFound(f"No persona {persona_id!r}; GET /api/personas lists them.",
                       field="persona_id")
    return card(persona)
