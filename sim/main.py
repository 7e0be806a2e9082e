"""The FastAPI application: create_app() wires settings, database, engine runtime, routes,
errors and security headers. Engines and LLM clients are built in the lifespan, not at import."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from sim.admin import routes_account, routes_invites, routes_users
from sim.config import REPO_ROOT, Settings, get_settings
from sim.db import make_engine
from sim.errors import install_error_handlers
from sim.logging import AccessLog, configure_logging
from sim.programs import routes_assignments, routes_privacy, routes_programs, routes_records
from sim.programs.lti import routes as lti_routes
from sim.programs.lti import routes_admin as lti_admin
from sim.recovery import RENEW_S, Leases, recover_all
from sim.routes import auth, health, personas, progress, reports, sessions, turns, users
from sim.runtime import build_runtime
from sim.safety import routes as safety_routes
from sim.security.bodylimit import BodyLimit
from sim.security.headers import SecurityHeaders
from sim.security.static import delivered
from sim.shared import build_shared
from sim.studio.personas import routes as studio_personas
from sim.studio.personas import routes_tools as studio_persona_tools
from sim.studio.personas.seed import import_library
from sim.studio.review import routes as review
from sim.studio.review import routes_notes as review_notes
from sim.studio.review import routes_stats as review_stats

log = logging.getLogger("sim.app")
FRONTEND = REPO_ROOT / "frontend"


def settle_heap() -> None:
    """Moves everything built at start-up (imports, personas, the scorer's arrays, the ORM
    mappings) out of the garbage collector's sight. Without it every full collection walks
    that whole heap: 105-141 ms pauses in the middle of turns, measured with gc.callbacks
    under bench/api_latency.py. What requests allocate is still collected as usual."""
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Builds the database engine and the runtime (personas, scorer, voices) for this worker;
    on shutdown, lets running turns finish (bounded) so none is left half-saved."""
    settings: Settings = app.state.settings
    own_engine = app.state.engine is None
    if own_engine:
        app.state.engine = make_engine(settings.database_url)
    if getattr(app.state, "runtime", None) is None:
        app.state.runtime = build_runtime(settings)
    app.state.shared = build_shared(settings, app.state.engine)
    # the turns of workers that died mid-turn: failed (retryable), their locks released
    await asyncio.to_thread(recover_all, app.state.engine)
    # the YAML library is the seed of the persona studio's database (idempotent)
    await asyncio.to_thread(import_library, app.state.engine, settings.personas_dir)
    renewing = asyncio.create_task(_renew_leases(app))
    settle_heap()
    log.info("app started", extra={"voice": settings.voice, "scorer": settings.scorer})
    try:
        yield
    finally:
        loop = asyncio.get_running_loop()
        pending = [t for t in app.state.turn_tasks if t.get_loop() is loop]
        if pending:
            log.info("waiting for running turns", extra={"count": len(pending)})
            _, still = await asyncio.wait(pending, timeout=settings.llm_timeout_s + 5)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=5)
        renewing.cancel()  # after the turns: their leases are renewed while shutdown waits
        if own_engine:
            app.state.engine.dispose()
            app.state.engine = None


async def _renew_leases(app: FastAPI) -> None:
    """Keeps this worker's turn locks alive (sim/recovery.py): a dead worker's run out."""
    leases: Leases = app.state.leases
    while True:
        await asyncio.sleep(RENEW_S)
        try:
            await asyncio.to_thread(leases.renew, app.state.engine)
        except RuntimeError as exc:
            if "after shutdown" in str(exc) or "interpreter shutdown" in str(exc):
                return  # the loop's executor is gone (the process is ending): nothing to renew
            log.warning("lease renewal failed", extra={"error": repr(exc)[:300]})
        except Exception as exc:  # the database may be briefly away; try again next round
            log.warning("lease renewal failed", extra={"error": repr(exc)[:300]})


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for uvicorn (`sim.main:create_app --factory`), tests and the bench."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    app = FastAPI(
        title="Resistance role-play simulator API",
        version="1",
        lifespan=lifespan,
        summary="Practise with a simulated client who resists; see docs/API.md.",
        # Swagger UI/ReDoc pull scripts from a CDN, which the strict CSP forbids: serve the spec
        # only (/openapi.json) and read it with any OpenAPI viewer.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = None
    app.state.runtime = None
    app.state.turn_tasks = set()
    app.state.leases = Leases()
    install_error_handlers(app)
    for module in (health, auth, users, personas, sessions, turns, reports, progress):
        app.include_router(module.router)
    app.include_router(routes_programs.router)
    app.include_router(routes_assignments.router)
    app.include_router(routes_records.router)
    app.include_router(routes_privacy.router)
    app.include_router(lti_routes.router)
    app.include_router(lti_admin.router)
    app.include_router(review.router)  # sim/studio/review: instructors review sessions
    app.include_router(review_notes.router)
    app.include_router(review_stats.router)
    app.include_router(routes_users.router)  # sim/admin: accounts, invitations, resets
    app.include_router(routes_invites.router)
    app.include_router(routes_account.router)
    app.include_router(studio_personas.router)
    app.include_router(studio_persona_tools.router)
    app.include_router(safety_routes.router)
    _mount_frontend(app, FRONTEND)
    _declare_error_bodies(app)
    app.add_middleware(BodyLimit, max_bytes=settings.body_limit)  # inside: its 413 gets headers
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    app.add_middleware(AccessLog)
    return app


def _mount_frontend(app: FastAPI, folder: Path) -> None:
    """`/` serves frontend/index.html and `/static` the folder (no build step)."""

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = folder / "index.html"
        if not page.is_file():
            return Response("The frontend is not installed.", media_type="text/plain",
                            status_code=404)
        return FileResponse(page, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    app.mount("/static", delivered(StaticFiles(directory=folder, check_dir=False)), name="static")


def _declare_error_bodies(app: FastAPI) -> None:
    """Validation errors are rendered as ErrorBody too, so the spec says so (not FastAPI's
    default HTTPValidationError shape)."""
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = default_openapi()
        ref = {"$ref": "#/components/schemas/ErrorBody"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                invalid = operation.get("responses", {}).get("422")
                if invalid is not None:
                    invalid["description"] = "Invalid input; `field` names what was wrong"
                    invalid["content"] = {"application/json": {"schema": ref}}
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
