"""The limits every request meets before and while it runs: body size, JSON bodies, time.

:class:`RequestGate` is plain ASGI middleware in front of the application. It refuses a body
larger than the limit with 413 — at once when ``Content-Length`` says so, or as soon as the
bytes received pass it; refuses a state-changing request from another site's page with 403
(``Origin`` not this host, or ``Sec-Fetch-Site`` cross-site); and reads the body of a JSON
endpoint as JSON when it is ``application/json``, or a form type whose body is JSON (what
``curl -d '{...}'`` sends), and answers 415 to any other. :func:`within`
runs the library's work in a worker thread and gives up after the request timeout.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

from .errors import (
    CrossSiteError,
    ServiceTimeoutError,
    TooLargeError,
    UnsupportedMediaError,
    dumps,
    error_body,
)

__all__ = ["RequestGate", "within"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
T = TypeVar("T")


def security_headers(img_sources: tuple[str, ...] = ()) -> list[tuple[bytes, bytes]]:
    """The headers of every response; ``img_sources`` adds where images may come from (the map's tiles, if any)."""
    img = " ".join(("'self'", "data:", *img_sources))
    return [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (
            b"content-security-policy",
            f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'".encode(),
        ),
    ]


#: Sent with every response: no content sniffing, no framing, and the page's own scripts only.
SECURITY_HEADERS: list[tuple[bytes, bytes]] = security_headers()


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((v for k, v in headers if k == name), None)


def _cross_site(headers: list[tuple[bytes, bytes]]) -> bool:
    """A request a browser sent from another site's page: its ``Sec-Fetch-Site`` says so, or its Origin is not this host.

    A browser names the page a request comes from (``Origin``) and, since 2020, whether that page
    is this site (``Sec-Fetch-Site``: ``same-origin``; ``none`` for the user's own typing); curl and
    Python send neither. ``same-site`` (another host of the same domain) is another site's page too.
    """
    fetch_site = _header(headers, b"sec-fetch-site")
    if fetch_site is not None and fetch_site.strip().lower() in (b"cross-site", b"same-site"):
        return True
    origin = _header(headers, b"origin")
    if origin is None:
        return False
    return origin.split(b"://", 1)[-1].rstrip(b"/") != _header(headers, b"host")


#: The Content-Types a JSON endpoint reads; curl's ``-d`` (a form type) only where the body is JSON.
_FORM = b"application/x-www-form-urlencoded"


def _media(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    value = _header(headers, b"content-type")
    return None if value is None else value.split(b";", 1)[0].strip().lower()


def _json_media(media: bytes | None) -> bool:
    return media is None or media == b"application/json" or media.endswith(b"+json")


async def send_error(send: Send, exc: BaseException) -> None:
    """Answer a request with the JSON error of ``exc``, straight through ASGI."""
    status, payload = error_body(exc)
    body = dumps(payload)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGate:
    """ASGI middleware: the body-size limit, cross-site refusal, and which bodies a JSON endpoint reads.

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

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        json_paths: set[str] | frozenset[str],
        img_sources: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.json_paths = frozenset(json_paths)
        self.headers = security_headers(img_sources)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers", []))
        length = next((v for k, v in headers if k == b"content-length"), None)
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await send_error(send, TooLargeError("body", int(length), self.max_body_bytes))
            return
        if scope.get("method") not in _SAFE_METHODS and _cross_site(headers):
            await send_error(send, CrossSiteError())
            return
        if scope.get("method") == "POST" and scope.get("path") in self.json_paths:
            media = _media(headers)
            if not _json_media(media):
                if media != _FORM:
                    await send_error(send, UnsupportedMediaError(media))
                    return
                try:
                    receive, parses = await _replayed(receive, self.max_body_bytes)
                except TooLargeError as exc:  # a form body without Content-Length that grew too large
                    await send_error(send, exc)
                    return
                if not parses:  # a real form (a=1&b=2), not curl -d '{...}': not this endpoint's kind of body
                    await send_error(send, UnsupportedMediaError(media))
                    return
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
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLargeError as exc:  # a body without Content-Length that grew too large
            if not started:
                await send_error(send, exc)


#: Methods that change nothing: a page elsewhere may link to them.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _replayed(receive: Receive, limit: int) -> tuple[Receive, bool]:
    """The body read whole (up to ``limit``), whether it parses as JSON, and a receive that gives it again."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return receive, False  # the client went away: nothing to size
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > limit:
            raise TooLargeError("body", size, limit)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    try:
        json.loads(body)
        parses = True
    except ValueError:  # not JSON, or not UTF-8
        parses = False
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again, parses


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
