"""Errors as the service answers them: the library's code, field, value and bilingual message, and a fitting status.

Every error response has the same shape::

    {"error": {"code": "area_type", "field": "area_type", "value": "villa",
               "message": "中文 — English", "message_zh": "中文", "message_en": "English"}}

422 bad input, 404 an unknown jurisdiction, 409 no rule in force (or a draft or report only),
413 too large, 503 too slow; anything unexpected is 500 with a generic message and never a stack
trace.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..errors import (
    DraftOnlyError,
    FacilitySizingError,
    InputError,
    NotInForceError,
    ReportedOnlyError,
    RuleConflictError,
    UnknownJurisdictionError,
    bilingual,
)
from ..spatial.mapping import MissingDependencyError

__all__ = [
    "INTERNAL",
    "ServiceTimeoutError",
    "TooLargeError",
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
        what_zh, what_en = ("请求体", "the request body") if field == "body" else ("批量行数", "the batch")
        unit_zh, unit_en = ("字节", "bytes") if field == "body" else ("行", "rows")
        super().__init__(
            bilingual(
                f"{what_zh}超过上限 {limit:,} {unit_zh}（收到 {value:,}）；请拆分后分批提交",
                f"{what_en} exceeds the limit of {limit:,} {unit_en} (got {value:,}); split it and send the parts",
            )
        )


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
        super().__init__(
            bilingual(
                f"请求处理超过 {seconds:g} 秒上限，已放弃；请减少批量行数后重试",
                f"the request took longer than the {seconds:g} s limit and was abandoned; send fewer rows",
            )
        )


#: The message of an unexpected error: nothing of the error itself reaches the caller.
INTERNAL = bilingual(
    "服务内部错误，请求未完成；请联系服务管理员（详情见服务日志）",
    "internal error: the request was not completed; ask the service's administrator (details in its log)",
)

_STATUS: list[tuple[type[BaseException], int]] = [
    (TooLargeError, 413),
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
    >>> status_of(fs.DraftOnlyError("only a draft")), status_of(fs.AreaTypeError("area_type", "x", "甲", "a"))
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


def error_payload(code: str, message: str, field: str | None = None, value: Any = None) -> dict[str, Any]:
    """The error object of a response, with the message split into its Chinese and English halves.

    Examples
    --------
    >>> error_payload("input", "户数须为整数 — households must be whole", "households", 1.5)["error"]["message_en"]
    'households must be whole'
    """
    zh, sep, en = message.partition(" — ")
    return {
        "error": {
            "code": code,
            "field": field,
            "value": _plain(value),
            "message": message,
            "message_zh": zh if sep else message,
            "message_en": en if sep else message,
        }
    }


def error_body(exc: BaseException) -> tuple[int, dict[str, Any]]:
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
    field = getattr(exc, "field", None)
    if field is None and isinstance(exc, UnknownJurisdictionError):
        field = "jurisdiction"
    message = " ".join(str(exc).split())
    return status, error_payload(exc.code, message, field, getattr(exc, "value", None))


def dumps(payload: Any) -> bytes:
    """JSON as the service sends it: UTF-8, Chinese as it is.

    Examples
    --------
    >>> dumps({"name": "西湖区"})
    b'{"name":"\\xe8\\xa5\\xbf\\xe6\\xb9\\x96\\xe5\\x8c\\xba"}'
    """
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
