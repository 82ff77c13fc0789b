"""The HTTP application: JSON endpoints named after the library's functions, the specification and the page.

======================================  ==============================================
``POST /size``                          ``fs.size`` → ``Requirement.to_dict()``
``POST /clause``                        the clause of a condition letter (text, Markdown, JSON, Word)
``POST /review``                        ``fs.review`` → ``Review.to_dict()``
``GET /rules/{jurisdiction}``           ``fs.rules_in_force``
``POST /rules/check``                   ``fs.check_rules``: a rule file against copies of its documents
``GET /jurisdictions``                  ``fs.jurisdictions``, or a search with ``q``
``POST /scorecard`` · ``POST /duties``  ``fs.scorecard`` · ``fs.duties``
``POST /batch``                         a file sized as ``facility-sizing batch`` sizes it
``GET /health`` · ``GET /version``      liveness; library version and rule-data stamp
``GET /openapi.json`` · ``GET /``       the specification; the web page for planners
======================================  ==============================================
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import pandas as pd
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from ..api.listing import jurisdictions, rules_in_force
from ..api.review import review
from ..api.sizing import size
from ..district.duties import duties
from ..district.scorecard import scorecard
from ..model.version import VERSION
from ..ruledata import RuleBook, rulebook_or_default
from ..spatial.maps.web import tile_origin
from .answers import ERRORS, HealthAnswer, ReviewAnswer, SizeAnswer, TableAnswer, VersionAnswer
from .batch import add_batch_route
from .batch_rows import add_batch_rows_routes
from .context import Context
from .handlers import add_handlers, json_response, requirement_response
from .limits import RequestGate
from .models import (
    DUTIES_EXAMPLE,
    REVIEW_EXAMPLE,
    SCORECARD_EXAMPLE,
    SIZE_EXAMPLE,
    ClauseRequest,
    DutiesRequest,
    ProjectRequest,
    ReviewRequest,
    ScorecardRequest,
)
from .page import add_page_routes
from .rulecheck import add_rule_check_route
from .schemas import tighten
from .search import search
from .settings import Settings

__all__ = ["JSON_PATHS", "create_app", "frame_payload"]

#: The paths whose POST body is JSON (application/json, or curl -d's form type where the body is JSON).
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_LETTER_NAME = "attachment; filename=\"letter.docx\"; filename*=UTF-8''%E6%9D%A1%E4%BB%B6%E4%B9%A6.docx"  # 条件书.docx

JSON_PATHS = frozenset({"/size", "/clause", "/review", "/scorecard", "/duties"})

DESCRIPTION = """托育设施配建计算服务：与 Python 库相同的输入、名称、默认值和错误。
— The infant-care facility sizing service: the library's inputs, names, defaults and errors over HTTP.

错误 errors: `{"error": {"code", "key", "params", "field", "value", "message", "message_zh", "message_en"}}` —
422 输入有误 bad input · 404 行政区未知 unknown jurisdiction · 409 当日无施行规则、仅有征求意见稿或报道
no rule in force, draft or report only · 413 过大 too large · 503 超时 timeout · 500 内部错误 internal."""


def frame_payload(frame: pd.DataFrame, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A result table as the service returns it: ``{"meta": …, "rows": [one object per row]}``.

    Examples
    --------
    >>> frame_payload(pd.DataFrame({"a": [1.0, None]}))
    {'meta': {'rows': 2}, 'rows': [{'a': 1.0}, {'a': None}]}
    """
    rows = json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    return {"meta": {"rows": len(frame), **(meta if meta is not None else dict(frame.attrs))}, "rows": rows}


def _ok(model: type[BaseModel] | None = None, media: dict[str, Any] | None = None) -> dict[int | str, dict[str, Any]]:
    """An operation's answers: its 200 body (the model's schema, or ``media`` by content type) and every error.

    The 200 example is put in by :class:`ServiceAPI`, as the library answered it.
    """
    ok: dict[str, Any] = {"description": "成功 — success", "content": media or {"application/json": {}}}
    if model is not None:
        ok["model"] = model
    return {200: ok, **ERRORS}


#: What ``POST /clause`` answers, by ``format``.
_CLAUSE_MEDIA: dict[str, dict[str, Any]] = {
    "text/plain": {"schema": {"type": "string"}},
    "text/markdown": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object"}},
    DOCX_MEDIA: {"schema": {"type": "string", "format": "binary"}},
}


class ServiceAPI(FastAPI):
    """FastAPI, with each operation's 200 example put into the specification as the library answered it.

    FastAPI drops the null members of an example; an answer's nulls (``"slots": null``: no slot
    figure) are part of the contract, so each example goes in after the specification is built.
    """

    def __init__(self, answers: dict[tuple[str, str], Any], book: RuleBook, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answers = answers
        self.book = book

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            schema = super().openapi()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.setdefault(
                "ProjectRequest", ProjectRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            )
            tighten(schema, self.book)  # the library's bounds, in the specification too
            for (path, method), example in self.answers.items():
                for content in schema["paths"][path][method]["responses"]["200"]["content"].values():
                    content["example"] = example
            self.openapi_schema = schema
        return self.openapi_schema


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """The request body of an endpoint that reads its body itself (:func:`parsed`), for the specification."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


M = TypeVar("M", bound=BaseModel)


async def parsed(request: Request, model: type[M]) -> M:
    """The JSON body of a request as ``model``; a bad body is the same 422 FastAPI's own validation gives."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None


def _examples(book: RuleBook) -> dict[tuple[str, str], Any]:
    """Real answers of the library for the specification's examples (computed once, at start)."""
    req = size(**SIZE_EXAMPLE, rulebook=book)
    design = REVIEW_EXAMPLE["design"]
    project = {k: v for k, v in REVIEW_EXAMPLE.items() if k != "design"}
    rules = rules_in_force("西湖区", on="2025-01-01", area_type="new_build", rulebook=book)
    card = scorecard(SCORECARD_EXAMPLE["inventory"], "柯桥区", 2024, rulebook=book)
    duty = duties(**DUTIES_EXAMPLE, rulebook=book)
    answers = {
        ("/size", "post"): req.to_dict(),
        ("/clause", "post"): req.clause("zh", "text"),
        ("/review", "post"): review(design, **project, rulebook=book).to_dict(),
        ("/rules/{jurisdiction}", "get"): frame_payload(rules, {"jurisdiction": "西湖区"}),
        ("/jurisdictions", "get"): {"meta": {"rows": 1, "q": "西湖"}, "rows": search(book, "西湖", 1)},
        ("/scorecard", "post"): frame_payload(card),
        ("/duties", "post"): frame_payload(duty),
        ("/health", "get"): {"status": "ok"},
        ("/version", "get"): book.produced_by,
    }
    return {key: json.loads(json.dumps(value, default=str)) for key, value in answers.items()}


def _add_project_routes(app: FastAPI, ctx: Context) -> None:
    @app.post("/size", tags=["sizing"], summary="一个项目的配建要求 — size one project", responses=_ok(SizeAnswer),
              openapi_extra=_body(ProjectRequest))  # fmt: skip
    async def size_endpoint(request: Request) -> Response:
        """``fs.size``: the body is its keyword arguments; the answer is ``Requirement.to_dict()``."""
        # the busiest endpoint reads its body itself: FastAPI's parameter machinery costs more than fs.size
        body = await parsed(request, ProjectRequest)
        # one project is about a millisecond of work, bounded by the model's field limits: sized on the
        # event loop, without the worker thread that enforces the timeout of open-ended work (a batch)
        return requirement_response(size(**body.library_args(), rulebook=ctx.book))

    @app.post(
        "/clause",
        tags=["sizing"],
        summary="出让条件书条款 — the clause of a condition letter",
        responses=_ok(media=_CLAUSE_MEDIA),
    )
    async def clause_endpoint(body: ClauseRequest) -> Response:
        """The clause as plain text, Markdown or JSON (``format``), in Chinese or English (``lang``)."""
        args = body.library_args()
        out = await ctx.run(
            lambda: size(**args, rulebook=ctx.book).clause(body.lang, body.format, round_area=body.round_area)
        )
        if isinstance(out, bytes):  # the Word letter
            return Response(content=out, media_type=DOCX_MEDIA, headers={"Content-Disposition": _LETTER_NAME})
        media = {"text": "text/plain", "markdown": "text/markdown", "json": "application/json"}[body.format]
        return Response(content=out.encode("utf-8"), media_type=f"{media}; charset=utf-8")

    @app.post("/review", tags=["sizing"], summary="审查设计方案 — review a design", responses=_ok(ReviewAnswer))
    async def review_endpoint(body: ReviewRequest) -> Response:
        """``fs.review``: a design checked against the rules; ``passed`` is false where any check fails."""

        def work() -> dict[str, Any]:
            result = review(body.design, **body.library_args(), include_unverified=body.include_unverified,
                            rulebook=ctx.book)  # fmt: skip
            return result.require_checked().to_dict()

        return json_response(await ctx.run(work))


def _add_listing_routes(app: FastAPI, ctx: Context) -> None:
    @app.get("/rules/{jurisdiction}", tags=["rules"], summary="施行中的规则 — the rules in force",
             responses=_ok(TableAnswer))  # fmt: skip
    async def rules_endpoint(
        jurisdiction: str,
        on: str | None = Query(
            None, description="日期 YYYY-MM-DD，默认今天 — date, default today", examples=["2025-01-01"]
        ),
        area_type: str | None = Query(
            None, description="只列一种居住区类型 — one area type only", examples=["new_build"]
        ),
        include_drafts: bool = False,
        include_reported: bool = False,
    ) -> Response:
        """``fs.rules_in_force``: one row per rule, own and inherited, and one per quantity with no figure."""
        table = await ctx.run(lambda: rules_in_force(jurisdiction, on=on, area_type=area_type,
                                                     include_drafts=include_drafts, include_reported=include_reported,
                                                     rulebook=ctx.book))  # fmt: skip
        return json_response(frame_payload(table, {"jurisdiction": jurisdiction}))

    @app.get("/jurisdictions", tags=["rules"], summary="行政区 — the places the library knows",
             responses=_ok(TableAnswer))  # fmt: skip
    async def jurisdictions_endpoint(
        under: str | None = Query(
            None, description="省或市：列出其下辖区县 — list what is below it", examples=["杭州市"]
        ),
        with_rules: bool | None = Query(None, description="只列有（无）规则的 — only with (without) rules"),
        q: str | None = Query(None, description="按名称、拼音或代码搜索全国 — search every place", examples=["西湖"]),
        limit: int = Query(20, ge=1, le=200, description="搜索结果数上限 — most search results"),
    ) -> Response:
        """``fs.jurisdictions``; with ``q``, a search over every place in China (names, pinyin, codes)."""
        if q is not None:
            rows = await ctx.run(lambda: search(ctx.book, q, limit))
            return json_response({"meta": {"rows": len(rows), "q": q}, "rows": rows})
        table = await ctx.run(lambda: jurisdictions(ctx.book, under=under, with_rules=with_rules))
        return json_response(frame_payload(table))


def _add_district_routes(app: FastAPI, ctx: Context) -> None:
    @app.post("/scorecard", tags=["district"], summary="区级目标评估 — score a district against its targets",
              responses=_ok(TableAnswer))  # fmt: skip
    async def scorecard_endpoint(body: ScorecardRequest) -> Response:
        """``fs.scorecard``: every target of the year, met or not, with the shortfall and the clause."""
        args = body.model_dump()
        return json_response(frame_payload(await ctx.run(lambda: scorecard(**args, rulebook=ctx.book))))

    @app.post("/duties", tags=["district"], summary="单位义务 — duties of employers, parks and kindergartens",
              responses=_ok(TableAnswer))  # fmt: skip
    async def duties_endpoint(body: DutiesRequest) -> Response:
        """``fs.duties``: which duties apply, with the reason and the clause; unknown where a measure is missing."""
        args = body.model_dump()
        return json_response(frame_payload(await ctx.run(lambda: duties(**args, rulebook=ctx.book))))

    @app.get("/health", tags=["service"], summary="服务是否在运行 — is the service up",
             responses=_ok(HealthAnswer))  # fmt: skip
    async def health() -> Response:
        """Always ``{"status": "ok"}`` while the service runs."""
        return json_response({"status": "ok"})

    @app.get("/version", tags=["service"], summary="版本与规则数据戳 — version and rule-data stamp",
             responses=_ok(VersionAnswer))  # fmt: skip
    async def version() -> Response:
        """The library version and the rule data's stamp (the same a result file records)."""
        return json_response(ctx.book.produced_by)


def create_app(settings: Settings | None = None, rulebook: RuleBook | None = None) -> FastAPI:
    """The service as an ASGI application, with the rule book loaded now (never from a request).

    Parameters
    ----------
    settings : Settings, optional
        Limits; the defaults of :class:`Settings` when left out.
    rulebook : RuleBook, optional
        The rules (``fs.load_rules(...)``); the built-in ones when left out.

    Returns
    -------
    fastapi.FastAPI

    Examples
    --------
    >>> app = create_app(Settings(max_batch_rows=500))
    >>> sorted(p for p in app.openapi()["paths"])[:4]
    ['/batch', '/batch/letters', '/batch/rows', '/clause']
    >>> from fastapi.testclient import TestClient
    >>> TestClient(app).post("/size", json={"jurisdiction": "西湖区", "households": 1200,
    ...                                     "area_type": "new_build", "on": "2025-01-01"}).json()["floor_area_m2"]
    200.0
    """
    ctx = Context(settings or Settings(), rulebook_or_default(rulebook))
    ex = _examples(ctx.book)  # also loads and checks the rule book before the first request
    app = ServiceAPI(
        ex,
        ctx.book,
        title="facility-sizing 托育设施配建计算",
        version=VERSION,
        description=DESCRIPTION,
        docs_url=None,  # the interactive pages load scripts from a CDN: the service works on a closed network
        redoc_url=None,
    )
    add_handlers(app)
    _add_project_routes(app, ctx)
    _add_listing_routes(app, ctx)
    _add_district_routes(app, ctx)
    add_batch_route(app, ctx)
    add_batch_rows_routes(app, ctx)  # the page's batch, row by row; its settings; the map's files
    add_rule_check_route(app, ctx)
    add_page_routes(app)
    tiles = (tile_origin(ctx.settings.tile_url),) if ctx.settings.tile_url else ()  # the map's tiles, if configured
    app.add_middleware(
        RequestGate, max_body_bytes=ctx.settings.max_body_bytes, json_paths=JSON_PATHS, img_sources=tiles
    )
    return app
