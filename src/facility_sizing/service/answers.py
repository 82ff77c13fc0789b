"""What the service answers, as schemas: the contract a generated client reads from ``/openapi.json``.

Each operation documents its 200 body and every error it can answer (the library's one error
shape, with the status that fits). The figure fields of a sizing come from the quantity
registry, so a new quantity is a new documented field at once. A test validates real answers
against these schemas, so the specification cannot drift from what the service sends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..model.quantities import QUANTITIES

__all__ = ["ERRORS", "ErrorAnswer", "HealthAnswer", "ReviewAnswer", "SizeAnswer", "TableAnswer", "VersionAnswer"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(_Closed):
    """The library's error: its kind, its message before and after wording, and the field it is about."""

    code: str = Field(description="错误类别 — the kind of error (input, unknown_jurisdiction, not_in_force…)")
    key: str = Field(description="消息目录键 — the catalogue key of the message (domain.name)")
    params: dict[str, Any] = Field(description="消息参数 — the message's parameters")
    field: str | None = Field(description="出错的字段 — the field it is about")
    value: Any = Field(description="收到的值 — the value received")
    message: str = Field(description="中文 — English")
    message_zh: str
    message_en: str


class ErrorAnswer(_Closed):
    """Every error answer: ``{"error": {...}}``."""

    error: ErrorBody


def _error(status_zh: str, status_en: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": f"{status_zh} — {status_en}"}


#: The errors an operation can answer, with their statuses.
ERRORS: dict[int | str, dict[str, Any]] = {
    403: _error("其他网站页面发来的请求", "a request sent from another site's page"),
    404: _error("行政区未知", "unknown jurisdiction"),
    409: _error("当日无施行规则、仅有征求意见稿或报道", "no rule in force, or a draft or report only"),
    413: _error("请求体、批量或文件过大", "body, batch or file too large"),
    422: _error("输入有误", "bad input"),
    500: _error("内部错误（不含细节）", "internal error (no details)"),
    503: _error("超过请求时限", "over the request timeout"),
}


class Place(_Closed):
    code: str
    name: str
    name_en: str


class _SizeBase(_Closed):
    """``Requirement.to_dict()``: the figures, the rules behind them and what bound."""

    jurisdiction: Place
    area_type: str
    area_term: str
    on: str
    include_drafts: bool
    assumptions: dict[str, Any]
    draft: bool
    reported: bool
    include_reported: bool
    stale: bool
    rule_set: str
    warnings: list[str]
    explanation: dict[str, Any]
    rules: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    known_by_report: list[dict[str, Any]]
    stamp: dict[str, Any]


if TYPE_CHECKING:
    SizeAnswer = _SizeBase
else:
    #: One figure field per quantity of the registry: None where no rule sets a figure, never 0.
    SizeAnswer = create_model(
        "SizeAnswer",
        __base__=_SizeBase,
        **{
            q.column: (float | None if q.is_area else int | None, Field(description=f"{q.label.zh} — {q.label.en}"))
            for q in QUANTITIES.values()
        },
    )


class ReviewAnswer(_Closed):
    """``Review.to_dict()``: whether the design passed, each finding, and the class mix."""

    passed: bool = Field(description="有所检查且无一不通过 — something was checked and nothing failed")
    checked: bool
    complete: bool
    design: dict[str, Any]
    requirement: dict[str, Any]
    findings: list[dict[str, Any]]
    class_mix: dict[str, int]


class TableAnswer(_Closed):
    """A table: what it is (``meta``) and one object per row."""

    meta: dict[str, Any]
    rows: list[dict[str, Any]]


class HealthAnswer(_Closed):
    status: str


class VersionAnswer(_Closed):
    library: str
    rule_data: str
