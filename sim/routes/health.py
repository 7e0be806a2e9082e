"""Liveness/readiness for load balancers and the Docker HEALTHCHECK."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel import Session

from sim.deps import EngineDep, RuntimeDep, SharedDep
from sim.errors import Unavailable, responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    voice: str
    scorer: str
    shared: str = "database"  # where rate limits, login throttling and caches live


@router.get("/healthz", response_model=Health, responses=responses(503))
def healthz(engine: EngineDep, runtime: RuntimeDep, shared: SharedDep) -> Health:
    try:
        with Session(engine) as db:
            db.execute(text("SELECT 1"))
    except Exception as exc:
        raise Unavailable("The database is not reachable.", code="database_down") from exc
    shared.ping()  # 503 redis_down when SIM_REDIS_URL is set and Redis does not answer
    return Health(status="ok", database="ok", voice=runtime.voice_name,
                  scorer=runtime.scorer_name, shared=shared.kind)
