"""Application errors: each carries its HTTP status and a stable code. One handler renders them
all as {"error": {"code", "message", "field"}}; no tracebacks or secrets ever reach a body."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("sim.errors")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class CsrfFailed(AppError):
    status, code = 403, "csrf_failed"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class TooLarge(AppError):
    status, code = 413, "too_large"


class BodyTooLarge(TooLarge):
    """A request body over settings.max_body_bytes (raised and rendered by sim.security.limits)."""

    code = "body_too_large"


class Invalid(AppError):
    status, code = 422, "invalid"


class RateLimited(AppError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 60, field: str | None = None,
                 code: str | None = None):
        super().__init__(message, field=field, code=code)
        self.retry_after = max(1, int(retry_after))


class Unavailable(AppError):
    status, code = 503, "unavailable"


_DESCRIPTIONS = {
    401: "Not signed in, or the session expired",
    403: "Signed in but not allowed, or CSRF token missing/wrong",
    404: "No such object, or not yours",
    409: "Conflicts with the current state (ended session, turn in progress, limit reached)",
    413: "Message longer than max_message_chars, or a body over max_body_bytes",
    422: "Invalid input; `field` names what was wrong",
    429: "Rate limit reached; retry after the Retry-After seconds",
    503: "A dependency (database) is unavailable",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for a route: every error it can return, with the error body shape."""
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS[s]} for s in statuses}


def error_response(status: int, code: str, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, field=field))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def render(exc: AppError) -> JSONResponse:
    """The one rendering of an AppError, used by the handler and the pure ASGI middlewares."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return error_response(exc.status, exc.code, exc.message, exc.field, headers)


def _field_of(loc: Any) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or None


def install_error_handlers(app: FastAPI) -> None:
    """Routes raise AppError (or FastAPI validation fails); everything renders the same way."""

    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return render(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = _field_of(first.get("loc", ()))
        detail = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        if first.get("type") == "string_unicode":  # pydantic's own check for a lone surrogate
            detail = "contains an unpaired UTF-16 surrogate; send valid Unicode text"
        message = f"{field or 'request'}: {detail}"
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem(s))"
        return error_response(422, "invalid", message, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return error_response(exc.status_code, codes.get(exc.status_code, "http_error"), message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
        return error_response(500, "internal", "Internal error; it has been logged.")
