"""How the static frontend is delivered: compressed, and revalidated rather than re-downloaded.

The files have no fingerprint in their names (no build step), so a browser may keep them but
must ask before reusing them (`Cache-Control: no-cache`); the ETag that StaticFiles sends turns
that question into a bodyless 304. Text files go out gzip-compressed when the browser accepts it.
Only /static and the page itself: the API's streamed NDJSON must never be buffered by gzip.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE = (b"cache-control", b"no-cache")


class Revalidate:
    """Adds Cache-Control: no-cache to every response of the wrapped app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                message["headers"] = [*headers, CACHE]
            await send(message)

        await self.app(scope, receive, send_cached)


def delivered(app: ASGIApp) -> ASGIApp:
    """The static app, compressed (bodies over 512 bytes) and revalidated."""
    return GZipMiddleware(Revalidate(app), minimum_size=512)
