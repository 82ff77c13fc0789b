"""``POST /rules/check``: a rule file and copies of its documents uploaded, checked as ``facility-sizing rules check`` checks them.

The rule file (``rules``) and each copy (``source``, repeatable: .txt, .md, .html, .docx, .pdf)
come as multipart files; nothing is saved on the server. The answer is the report of
:func:`facility_sizing.check_rules` as ``RuleCheck.to_dict()``, worded in ``lang`` for the
audience the request names (the page sends ``X-Message-Audience: page``).
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from ..errors import InputError
from ..io.documents import DOCUMENT_TYPES, read_document_bytes
from ..messages import Audience
from ..ruledata.check import check_rule_file
from ..ruledata.source_text import SourceText
from .answers import ERRORS
from .context import Context
from .handlers import audience, json_response
from .schemas import DOCUMENT_MEDIA, typed_name

__all__ = ["RuleCheckAnswer", "add_rule_check_route", "check_upload"]


class RuleCheckAnswer(BaseModel):
    """``RuleCheck.to_dict()``: the rule file and its hash, the copies, whether it passed, each finding, the report."""

    model_config = ConfigDict(extra="forbid")

    file: str
    sha256: str
    passed: bool
    copies: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    report: list[str]


def check_upload(
    rules: tuple[bytes, str], copies: list[tuple[bytes, str]], language: Literal["zh", "en"], reader: Audience
) -> dict[str, Any]:
    """Check an uploaded rule file (bytes, name) against uploaded copies; the report as JSON.

    Examples
    --------
    >>> xihu = resources.files("facility_sizing") / "data" / "rules" / "330106_xihu.toml"
    >>> answer = check_upload((xihu.read_bytes(), "330106_xihu.toml"), [], "en", "python")
    >>> answer["passed"], answer["findings"][0]["key"], answer["report"][-1][:7]
    (False, 'source', 'Result:')
    """
    data, name = rules
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("authoring.rules_not_unicode", field="rules", value=name) from None
    sources = [SourceText(*_text_and_digest(d, n)) for d, n in copies]
    return check_rule_file(name, sources, text).to_dict(language, reader)


def _text_and_digest(data: bytes, name: str) -> tuple[str, str, str]:
    text, digest = read_document_bytes(data, name)
    return text, name, digest


def _example() -> dict[str, Any]:
    """A real answer for the specification: a built-in file with no copy supplied."""
    xihu = resources.files("facility_sizing") / "data" / "rules" / "330106_xihu.toml"
    answer = check_upload((xihu.read_bytes(), "330106_xihu.toml"), [], "zh", "python")
    return {**answer, "findings": answer["findings"][:1]}


def add_rule_check_route(app: FastAPI, ctx: Context) -> None:
    """Add ``POST /rules/check``: multipart ``rules`` (the TOML file) and ``source`` (each copy)."""
    responses: dict[int | str, dict[str, Any]] = {
        200: {"model": RuleCheckAnswer, "description": "成功 — success",
              "content": {"application/json": {"example": _example()}}},
        **ERRORS,
    }  # fmt: skip

    @app.post("/rules/check", tags=["rules"], responses=responses,
              summary="对照文件副本核对规则文件 — check a rule file against copies of its documents")  # fmt: skip
    async def rules_check_endpoint(
        request: Request,
        rules: Annotated[UploadFile, File(description="规则文件 TOML — the rule file")],
        source: Annotated[
            list[UploadFile], File(description="文件副本 .txt/.md/.html/.docx/.pdf，可多个 — the copies")
        ],
        lang: Literal["zh", "en"] = Query("zh", description="报告的语言 — the report's language"),
    ) -> Response:
        """Every quote, clause, figure, word of strength, subject and date of the file, against the copies."""
        rule_file = (await rules.read(), rules.filename or "rules.toml")
        copies = [(await s.read(), typed_name(s.filename or "source.txt", s.content_type, DOCUMENT_MEDIA, DOCUMENT_TYPES))
                  for s in source]  # fmt: skip
        reader = audience(request)
        return json_response(await ctx.run(lambda: check_upload(rule_file, copies, lang, reader)))
