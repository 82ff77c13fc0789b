"""The exception handlers: every error leaves the service in the library's error shape, never as a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

try:  # the [serve] extra's fast JSON writer (see errors.dumps)
    import orjson
except ImportError:  # pragma: no cover - the [serve] extra installs it
    orjson = None  # type: ignore[assignment]  # the module is absent: None marks it

from ..errors import FacilitySizingError
from ..messages import Audience, Message
from ..model.memo import ByIdentity
from ..results.requirement import Requirement
from .errors import INTERNAL, TooLargeError, dumps, error_body, error_payload

__all__ = ["add_handlers", "audience", "json_response", "requirement_response", "validation_payload"]

LOG = logging.getLogger("facility_sizing.service")

#: Catalogue keys of the HTTP errors the service answers itself.
_HTTP = {404: "service.not_found", 405: "service.method_not_allowed"}


def audience(request: Request) -> Audience:
    """Whom the words are for: the web page names its own labels (``X-Message-Audience: page``)."""
    return "page" if request.headers.get("x-message-audience", "").strip().lower() == "page" else "python"


def json_response(payload: Any, status: int = 200) -> Response:
    """A JSON response, UTF-8 with Chinese as it is."""
    return Response(content=dumps(payload), status_code=status, media_type="application/json")


#: Each part of a result that is the same for every project (a rule, a document, a use of a rule with no
#: figure of the project's), serialised once: an answer is written with them as they are.
_PARTS: ByIdentity[Any] = ByIdentity(lambda part: orjson.Fragment(dumps(part.to_dict())))


def requirement_response(req: Requirement) -> Response:
    """``req.to_dict()`` as a JSON response, as :func:`json_response` writes it, without building and
    serialising again the parts that are the same for every project (:meth:`Requirement.payload`).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    >>> requirement_response(req).body == json_response(req.to_dict()).body
    True
    """
    if orjson is not None and hasattr(orjson, "Fragment"):
        try:
            body = orjson.dumps(req.payload(_PARTS), default=str, option=orjson.OPT_SERIALIZE_NUMPY)
        except (orjson.JSONEncodeError, TypeError):  # what json_response writes its own way
            pass
        else:
            return Response(content=body, status_code=200, media_type="application/json")
    return json_response(req.to_dict())


def _field(loc: Sequence[Any]) -> str:
    # not the request part, nor the union member pydantic tried ("households.int", "on.str")
    skip = ("body", "query", "path", "form", "int", "float", "str", "bool", "constrained-str")
    parts = [str(p) for p in loc if p not in skip and not str(p).startswith("function-")]
    return ".".join(parts) if parts else "body"


def validation_payload(errors: list[dict[str, Any]], audience: Audience = "python") -> dict[str, Any]:
    """The library's error shape for the first problem FastAPI found in a request.

    Examples
    --------
    >>> p = validation_payload([{"type": "extra_forbidden", "loc": ("body", "household"), "msg": "x", "input": 1200}])
    >>> p["error"]["field"], p["error"]["message_en"]
    ('household', 'unknown field household: see the specification (/openapi.json) for the names')
    """
    first = errors[0] if errors else {"type": "", "loc": (), "msg": ""}
    kind, field, value = first.get("type", ""), _field(first.get("loc", ())), first.get("input")
    if kind == "json_invalid":
        message, field, value = Message("service.invalid_json"), "body", None
    elif kind == "extra_forbidden":
        message = Message("service.unknown_field", {"field": field})
    elif kind == "missing":
        message, value = Message("service.missing_field", {"field": field}), None
    else:
        message = Message("service.invalid_value", {"field": field, "problem": first.get("msg", "")})
    if isinstance(value, dict) and kind != "extra_forbidden":
        value = None  # the whole body: not worth echoing
    return error_payload("input", message, field, value, audience)


def _allow(request: Request) -> dict[str, str]:
    """The methods of a path that is a route of its own (``/rules/check``), not a value of another's parameter.

    Starlette names the methods of the first route the path matches, and ``/rules/check`` also
    matches ``/rules/{jurisdiction}``: its 405 said ``Allow: GET`` of a path that takes POST.
    """
    path = request.url.path
    methods = {m for route in request.app.routes if getattr(route, "path", None) == path
               for m in getattr(route, "methods", None) or ()}  # fmt: skip
    return {"allow": ", ".join(sorted(methods))} if methods else {}


def add_handlers(app: FastAPI) -> None:
    """Register the handlers of the library's errors, FastAPI's validation errors, HTTP errors and anything else."""

    async def library_error(request: Request, exc: Exception) -> Response:
        status, payload = error_body(exc, audience(request))
        if status == 500:
            LOG.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return json_response(payload, status)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        return json_response(validation_payload(list(errors), audience(request)), 422)

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc.__cause__, TooLargeError):  # FastAPI wraps an error raised while reading the body
            return await library_error(request, exc.__cause__)
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 400:  # FastAPI could not read the body (not UTF-8, not JSON): what /size says of it
            return json_response(
                validation_payload([{"type": "json_invalid", "loc": ("body",)}], audience(request)), 422
            )
        key = _HTTP.get(status, "service.http")
        code = key.removeprefix("service.") if status in _HTTP else "http_error"
        answer = json_response(
            error_payload(code, Message(key, {"status": status}), audience=audience(request)), status
        )
        answer.headers.update(getattr(exc, "headers", None) or {})  # 405's Allow
        if status == 405:
            answer.headers.update(_allow(request))
        return answer

    async def unexpected(request: Request, exc: Exception) -> Response:
        if isinstance(exc, ClientDisconnect):  # the client went away mid-body: nothing to answer, nothing broke
            LOG.info("client disconnected during %s %s", request.method, request.url.path)
            return Response(status_code=400)
        LOG.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return json_response(error_payload("internal", INTERNAL), 500)

    app.add_exception_handler(FacilitySizingError, library_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
