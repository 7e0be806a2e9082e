"""Session report (JSON) and transcript downloads (JSON, CSV, Markdown).

The content is built by the pure functions in sim/reports/; this router only loads the rows,
checks access, and serves the text with a non-HTML content type and `nosniff`, so nothing the
trainee or the client wrote can ever be rendered as HTML by the browser.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import Session

from sim.deps import CurrentUser, IdPath, RuntimeDep, SessionDep
from sim.errors import Conflict, responses
from sim.models import PracticeSession
from sim.records import every_record
from sim.reports import transcript
from sim.reports.inputs import SessionMeta, TurnRecord
from sim.reports.report import Report, build_report
from sim.routes.access import readable_session

router = APIRouter(prefix="/api/sessions", tags=["reports"])

MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8",
         "md": "text/plain; charset=utf-8"}


def records(db: Session, ps: PracticeSession) -> tuple[SessionMeta, list[TurnRecord]]:
    """SessionMeta and the TurnRecords of the active branch (feedback hidden in a live exam)."""
    meta, path, _ = every_record(db, ps)
    return meta, path


@router.get("/{session_id}/report", response_model=Report, responses=responses(401, 404, 409))
def get_report(session_id: IdPath, user: CurrentUser, db: SessionDep,
               runtime: RuntimeDep) -> Report:
    """The session report; in a live exam session the feedback is held back until it ends."""
    ps = readable_session(db, user, session_id)
    persona = runtime.catalog.pinned(db, ps.persona_id, ps.persona_version)
    if persona is None:
        raise Conflict(f"Persona {ps.persona_id!r} version {ps.persona_version} is not stored.",
                       code="persona_missing")
    meta, turns, every = every_record(db, ps)
    return build_report(persona=persona, meta=meta, turns=turns, all_turns=every)


@router.get("/{session_id}/transcript", response_class=Response,
            responses={200: {"description": "Transcript file (attachment)", "content": {
                "application/json": {}, "text/csv": {}, "text/plain": {}}},
                **responses(401, 404, 422)})
def get_transcript(session_id: IdPath, user: CurrentUser, db: SessionDep,
                   format: Literal["json", "csv", "md"] = Query(default="json")) -> Response:
    ps = readable_session(db, user, session_id)
    meta, turns, every = every_record(db, ps)
    build = {"json": transcript.transcript_json, "csv": transcript.transcript_csv,
             "md": transcript.transcript_markdown}[format]
    name = f"session-{ps.id}-{ps.persona_id}.{format}"
    return Response(build(meta, turns, every), media_type=MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})
