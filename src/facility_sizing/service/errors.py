"""Errors as the service answers them: the library's code, field, value and bilingual message, and a fitting status.

Every error response has the same shape::

    {"error": {"code": "area_type", "key": "inputs.area_type_unknown", "params": {...},
               "field": "area_type", "value": "villa",
               "message": "中文 — English", "message_zh": "中文", "message_en": "English"}}

``key`` and ``params`` are the message before it is worded (``data/messages/*.toml``); the web
page asks for its own labels with the header ``X-Message-Audience: page``.

422 bad input, 404 an unknown jurisdiction, 409 no rule in force (or a draft or report only),
413 too large, 503 too slow; anything unexpected is 500 with a generic message and never a stack
trace.
"""

from __future__ import annotations

import json
import math
from typing import Any

try:  # the [serve] extra's fast JSON writer; an install from before it was added writes with the standard library
    import orjson
except ImportError:  # pragma: no cover - the [serve] extra installs it
    orjson = None  # type: ignore[assignment]  # the module is absent: None marks it, dumps falls back

from ..errors import (
    DraftOnlyError,
    FacilitySizingError,
    InputError,
    MissingDependencyError,
    NotInForceError,
    ReportedOnlyError,
    RuleConflictError,
    UnknownJurisdictionError,
)
from ..io.tables import InflatedFileError
from ..messages import Audience, Message

__all__ = [
    "INTERNAL",
    "CrossSiteError",
    "ServiceTimeoutError",
    "TooLargeError",
    "UnsupportedMediaError",
    "dumps",
    "error_body",
    "error_payload",
    "status_of",
]


class TooLargeError(FacilitySizingError, ValueError):
    """A request body or a batch larger than the service's limit (HTTP 413).

    Examples
    --------
    >>> TooLargeError("rows", 200, 100).code
    'too_large'
    """

    code = "too_large"

    def __init__(self, field: str, value: int, limit: int) -> None:
        self.field = field
        self.value = value
        key = "service.body_too_large" if field == "body" else "service.batch_too_large"
        super().__init__(key, field=field, value=value, limit=limit)


class ServiceTimeoutError(FacilitySizingError, TimeoutError):
    """A request that took longer than the service's request timeout (HTTP 503).

    Examples
    --------
    >>> ServiceTimeoutError(60).code
    'timeout'
    """

    code = "timeout"

    def __init__(self, seconds: float) -> None:
        self.field = "request"
        self.value = seconds
        super().__init__("service.timeout", field="request", value=seconds)


class CrossSiteError(FacilitySizingError, PermissionError):
    """A POST a browser sent from a page of another site (HTTP 403): the service answers its own page only.

    Examples
    --------
    >>> CrossSiteError().code
    'cross_site'
    """

    code = "cross_site"

    def __init__(self) -> None:
        self.field = "origin"
        self.value = None
        super().__init__("service.cross_site")


class UnsupportedMediaError(FacilitySizingError, ValueError):
    """A body whose Content-Type a JSON endpoint does not read (HTTP 415): JSON, or curl's ``-d`` of JSON.

    Examples
    --------
    >>> UnsupportedMediaError(b"text/plain").value
    'text/plain'
    """

    code = "unsupported_media_type"

    def __init__(self, media: bytes | str | None) -> None:
        self.field = "content-type"
        self.value = media.decode("latin-1") if isinstance(media, bytes) else (media or "")
        super().__init__("service.unsupported_media_type", field="content-type", value=self.value)


#: The message of an unexpected error: nothing of the error itself reaches the caller.
INTERNAL = Message("service.internal")

_STATUS: list[tuple[type[BaseException], int]] = [
    (CrossSiteError, 403),
    (UnsupportedMediaError, 415),
    (TooLargeError, 413),
    (InflatedFileError, 413),
    (ServiceTimeoutError, 503),
    (MissingDependencyError, 501),
    (InputError, 422),
    (UnknownJurisdictionError, 404),
    (NotInForceError, 409),
    (DraftOnlyError, 409),
    (ReportedOnlyError, 409),
    (RuleConflictError, 409),
]


def status_of(exc: BaseException) -> int:
    """The HTTP status that fits an error of the library.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> status_of(fs.DraftOnlyError("plan.draft_only", place="x", title="y")), status_of(fs.AreaTypeError("inputs.area_type_unknown", field="area_type", value="x", spellings=[]))
    (409, 422)
    """
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    if isinstance(exc, FacilitySizingError):
        return 422 if isinstance(exc, ValueError) else 404 if isinstance(exc, LookupError) else 500
    return 500


def _plain(value: Any) -> Any:
    """A value as JSON can carry it: numbers, text, lists and objects as they are, anything else as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def error_payload(
    code: str, message: Message, field: str | None = None, value: Any = None, audience: Audience = "python"
) -> dict[str, Any]:
    """The error object of a response: its code, message key and parameters, and the words in both languages.

    ``audience`` is ``"page"`` when the web page asks (it names its own labels), else ``"python"``
    (the API's field names).

    Examples
    --------
    >>> body = error_payload("input", Message("inputs.nan"), "households", 1.5)["error"]
    >>> body["key"], body["message_en"]
    ('inputs.nan', 'must not be NaN (pass None when unknown)')
    """
    zh, en = message.text("zh", audience), message.text("en", audience)
    return {
        "error": {
            "code": code,
            "key": message.key,
            "params": _plain(dict(message.params)),
            "field": field,
            "value": _plain(value),
            "message": f"{zh} — {en}",
            "message_zh": zh,
            "message_en": en,
        }
    }


def error_body(exc: BaseException, audience: Audience = "python") -> tuple[int, dict[str, Any]]:
    """The status and JSON body for an error: the library's own, or a generic one for anything else.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> status, body = error_body(fs.UnknownJurisdictionError("西湖", ["西湖区"]))
    >>> status, body["error"]["code"], body["error"]["field"]
    (404, 'unknown_jurisdiction', 'jurisdiction')
    >>> error_body(KeyError("secret"))[1]["error"]["code"]
    'internal'
    """
    status = status_of(exc)
    if not isinstance(exc, FacilitySizingError) or status == 500:
        return 500, error_payload("internal", INTERNAL)
    field = getattr(exc, "field", None) or None
    return status, error_payload(exc.code, exc.message, field, getattr(exc, "value", None), audience)


def dumps(payload: Any) -> bytes:
    """JSON as the service sends it: UTF-8, Chinese as it is.

    Examples
    --------
    >>> dumps({"name": "西湖区"})
    b'{"name":"\\xe8\\xa5\\xbf\\xe6\\xb9\\x96\\xe5\\x8c\\xba"}'
    """
    if orjson is not None:
        try:
            return orjson.dumps(payload, default=str, option=orjson.OPT_SERIALIZE_NUMPY)
        except (orjson.JSONEncodeError, TypeError):  # an integer beyond 64 bits, say: the standard library's way
            pass
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
