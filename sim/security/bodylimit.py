"""A request-body size limit, enforced as the bytes arrive (a pure ASGI middleware).

Without it a 100 MB login body was read in full (about 200 MB of memory) and a few concurrent
large bodies stalled every other request of the worker. Here a declared Content-Length over the
limit is refused before one byte of the body is read, and a body without one (chunked) is counted
as it streams: the moment it passes the limit the client gets 413 `body_too_large` and the app
sees a disconnect, so nothing downstream ever holds more than the limit in memory.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sim.errors import BodyTooLarge, render


def too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(
        f"The request body is larger than {limit} bytes, the most this server accepts "
        "(SIM_MAX_BODY_BYTES); send less.", field="body")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = refused = False

        async def send_unless_refused(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 went out instead; the app's own answer is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        async def counted_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    if not started:
                        await render(too_large(self.max_bytes))(scope, _nothing, send)
                        refused = True
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted_receive, send_unless_refused)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await render(too_large(self.max_bytes))(scope, receive, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
