"""The studio's tools around a persona: its JSON Schema (the form is generated from it), live
validation (the CLI's file:line:column: field: messages), a diff of two versions, YAML export,
the behaviour battery and a test-drive session."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from sim.deps import IdPath, RuntimeDep, SessionDep, StaffUser
from sim.errors import responses
from sim.personas.schema import json_schema
from sim.studio.personas import service
from sim.studio.personas.diff import VersionDiff, line_diff
from sim.studio.personas.models import Issue, ValidateRequest, ValidationResult
from sim.studio.personas.routes import PersonaId
from sim.studio.personas.run import BatteryReport, battery, test_drive
from sim.studio.personas.text import check

router = APIRouter(prefix="/api/studio", tags=["studio"])
MAX_VERSION = 2**31 - 1


class TestDrive(BaseModel):
    session_id: int
    persona_id: str
    persona_version: int


@router.get("/schema", responses=responses(401, 403))
def schema(_: StaffUser) -> dict[str, Any]:
    """The persona JSON Schema (the same as `sim personas schema`)."""
    return json_schema()


@router.post("/validate", response_model=ValidationResult, responses=responses(401, 403, 413, 422))
def validate(body: ValidateRequest, user: StaffUser) -> ValidationResult:
    """Validates YAML text without saving it: every issue, as the CLI reports it."""
    _, issues = check(body.yaml, body.persona_id)
    return ValidationResult(valid=not issues, issues=[Issue(**i) for i in issues])


@router.get("/personas/{persona_id}/diff", response_model=VersionDiff,
            responses=responses(401, 403, 404, 422))
def diff(persona_id: PersonaId, _: StaffUser, db: SessionDep,
         old: int = Query(ge=1, le=MAX_VERSION, alias="from"),
         new: int = Query(ge=1, le=MAX_VERSION, alias="to")) -> VersionDiff:
    """The line diff from version `from` to version `to` (any two, either order)."""
    a = service.version_of(db, persona_id, old)
    b = service.version_of(db, persona_id, new)
    hunks, added, removed = line_diff(a.yaml_text, b.yaml_text)
    return VersionDiff(persona_id=persona_id, old_version=old, new_version=new, added=added,
                       removed=removed, hunks=hunks)


@router.get("/personas/{persona_id}/export", response_class=Response,
            responses={200: {"content": {"application/yaml": {}},
                             "description": "The YAML file"}, **responses(401, 403, 404, 422)})
def export(persona_id: PersonaId, _: StaffUser, db: SessionDep,
           version: int | None = Query(default=None, ge=1, le=MAX_VERSION)) -> Response:
    """A version as a persona file (default: the published one, else the newest)."""
    number, text = service.export_text(db, persona_id, version)
    name = f"{persona_id}.yaml" if version is None else f"{persona_id}-v{number}.yaml"
    return Response(text.encode("utf-8"), media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/personas/{persona_id}/versions/{version}/battery", response_model=BatteryReport,
             responses=responses(401, 403, 404, 422))
def run_battery(persona_id: PersonaId, version: IdPath, _: StaffUser, db: SessionDep,
                runtime: RuntimeDep) -> BatteryReport:
    """Runs `sim personas check`'s battery on this version; its trajectories, for charts."""
    return battery(service.version_of(db, persona_id, version), runtime.scorer)


@router.post("/personas/{persona_id}/versions/{version}/test-drive", status_code=201,
             response_model=TestDrive, responses=responses(401, 403, 404, 422))
def start_test_drive(persona_id: PersonaId, version: IdPath, user: StaffUser, db: SessionDep,
                     runtime: RuntimeDep) -> TestDrive:
    """A session on this exact version (drafts too), marked as a test-drive; chat in it with
    the usual turn endpoint. It never counts in anyone's progress or session lists."""
    ps = test_drive(db, user, service.version_of(db, persona_id, version), runtime)
    return TestDrive(session_id=ps.id or 0, persona_id=persona_id, persona_version=version)
