"""Liveness/readiness for load balancers and the Docker HEALTHCHECK."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel import Session

from sim.deps import EngineDep, RuntimeDep
from sim.errors import Unavailable, responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    voice: str
    scorer: str


@router.get("/healthz", response_model=Health, responses=responses(503))
def healthz(engine: EngineDep, runtime: RuntimeDep) -> Health:
    try:
        with Session(engine) as db:
            db.execute(text("SELECT 1"))
    except Exception as exc:
        raise Unavailable("The database is not reachable.", code="database_down") from exc
    return Health(status="ok", database="ok", voice=runtime.voice_name, scorer=runtime.scorer_name)
