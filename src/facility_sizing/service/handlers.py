"""The exception handlers: every error leaves the service in the library's error shape, never as a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..errors import FacilitySizingError, bilingual
from .errors import INTERNAL, TooLargeError, dumps, error_body, error_payload

__all__ = ["add_handlers", "json_response", "validation_payload"]

LOG = logging.getLogger("facility_sizing.service")

_HTTP = {
    404: ("not_found", "没有这个地址；见 /openapi.json", "no such path; see /openapi.json"),
    405: (
        "method_not_allowed",
        "此地址不接受该请求方法；见 /openapi.json",
        "this path does not take that method; see /openapi.json",
    ),
}


def json_response(payload: Any, status: int = 200) -> Response:
    """A JSON response, UTF-8 with Chinese as it is."""
    return Response(content=dumps(payload), status_code=status, media_type="application/json")


def _field(loc: Sequence[Any]) -> str:
    # not the request part, nor the union member pydantic tried ("households.int", "on.str")
    skip = ("body", "query", "path", "form", "int", "float", "str", "bool", "constrained-str")
    parts = [str(p) for p in loc if p not in skip and not str(p).startswith("function-")]
    return ".".join(parts) if parts else "body"


def validation_payload(errors: list[dict[str, Any]]) -> dict[str, Any]:
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
        zh, en, field, value = "请求体不是有效的 JSON", "the request body is not valid JSON", "body", None
    elif kind == "extra_forbidden":
        zh, en = (
            f"未知字段 {field}：字段名见规范（/openapi.json）",
            f"unknown field {field}: see the specification (/openapi.json) for the names",
        )
    elif kind == "missing":
        zh, en, value = f"缺少必填字段 {field}", f"the required field {field} is missing", None
    else:
        msg = first.get("msg", "")
        zh, en = f"字段 {field} 的值无效（{msg}）", f"invalid value for {field}: {msg}"
    if isinstance(value, dict) and kind != "extra_forbidden":
        value = None  # the whole body: not worth echoing
    return error_payload("input", bilingual(zh, en), field, value)


def add_handlers(app: FastAPI) -> None:
    """Register the handlers of the library's errors, FastAPI's validation errors, HTTP errors and anything else."""

    async def library_error(request: Request, exc: Exception) -> Response:
        status, payload = error_body(exc)
        if status == 500:
            LOG.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return json_response(payload, status)

    async def invalid_request(_request: Request, exc: Exception) -> Response:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        return json_response(validation_payload(list(errors)), 422)

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc.__cause__, TooLargeError):  # FastAPI wraps an error raised while reading the body
            return await library_error(request, exc.__cause__)
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        code, zh, en = _HTTP.get(status, ("http_error", f"HTTP {status}", f"HTTP {status}"))
        return json_response(error_payload(code, bilingual(zh, en)), status)

    async def unexpected(request: Request, exc: Exception) -> Response:
        LOG.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return json_response(error_payload("internal", INTERNAL), 500)

    app.add_exception_handler(FacilitySizingError, library_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
