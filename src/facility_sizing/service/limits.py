"""The limits every request meets before and while it runs: body size, JSON bodies, time.

:class:`RequestGate` is plain ASGI middleware in front of the application. It refuses a body
larger than the limit with 413 — at once when ``Content-Length`` says so, or as soon as the
bytes received pass it — and reads the body of every JSON endpoint as JSON whatever its
``Content-Type`` (``curl -d`` sends ``application/x-www-form-urlencoded``). :func:`within`
runs the library's work in a worker thread and gives up after the request timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

from .errors import CrossSiteError, ServiceTimeoutError, TooLargeError, dumps, error_body

__all__ = ["RequestGate", "within"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
T = TypeVar("T")


#: Sent with every response: no content sniffing, no framing, and the page's own scripts only.
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
]


def _cross_site(headers: list[tuple[bytes, bytes]]) -> bool:
    """A POST a browser sent from another site's page: its Origin is not this host.

    A JSON body is read whatever its Content-Type (``curl -d`` sends a form type), so a page
    elsewhere could post a simple form here; a browser names the page's origin, curl names none.
    """
    origin = next((v for k, v in headers if k == b"origin"), None)
    host = next((v for k, v in headers if k == b"host"), b"")
    if origin is None:
        return False
    return origin.split(b"://", 1)[-1].rstrip(b"/") != host


async def send_error(send: Send, exc: BaseException) -> None:
    """Answer a request with the JSON error of ``exc``, straight through ASGI."""
    status, payload = error_body(exc)
    body = dumps(payload)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGate:
    """ASGI middleware: the body-size limit, and JSON bodies read as JSON whatever their Content-Type.

    Parameters
    ----------
    app : ASGI application
    max_body_bytes : int
    json_paths : collection of str
        The paths whose POST body is JSON.

    Examples
    --------
    >>> async def app(scope, receive, send): ...
    >>> RequestGate(app, 1024, {"/size"}).max_body_bytes
    1024
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, json_paths: set[str] | frozenset[str]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.json_paths = frozenset(json_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers", []))
        length = next((v for k, v in headers if k == b"content-length"), None)
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await send_error(send, TooLargeError("body", int(length), self.max_body_bytes))
            return
        if scope.get("method") == "POST" and _cross_site(headers):
            await send_error(send, CrossSiteError())
            return
        if scope.get("method") == "POST" and scope.get("path") in self.json_paths:
            kept = [(k, v) for k, v in headers if k != b"content-type"]
            scope = {**scope, "headers": [*kept, (b"content-type", b"application/json")]}
        started = False
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise TooLargeError("body", received, self.max_body_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLargeError as exc:  # a body without Content-Length that grew too large
            if not started:
                await send_error(send, exc)


async def within(seconds: float, work: Callable[[], T]) -> T:
    """The result of ``work()``, run in a worker thread, or ServiceTimeoutError after ``seconds``.

    The thread cannot be stopped from outside; it finishes its work and its answer is dropped.

    Examples
    --------
    >>> asyncio.run(within(5, lambda: 6 * 7))
    42
    """
    try:
        return await asyncio.wait_for(asyncio.to_thread(work), seconds)
    except TimeoutError:
        raise ServiceTimeoutError(seconds) from None
