"""The web page's batch, row by row: ``POST /batch/rows``, ``POST /batch/letters``, ``GET /page/settings``.

``POST /batch/rows`` sizes an uploaded file as ``POST /batch`` does and answers each row as the
page shows it: its id and name, its figures, the rule that bound each, and its error in words —
Chinese and English, naming the page's own labels or the file's columns, never a bare code —
with the parcels as GeoJSON for the map. ``POST /batch/letters`` answers the Word letter of
every sized row in one zip, as ``facility-sizing batch --letters`` writes them, with the rows
that got none listed in ``未生成.txt``. ``GET /page/settings`` tells the page the background
tile URL the bureau configured (none by default) and the limits. The map's script and the
vendored Leaflet are served under ``/assets/``.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

import pandas as pd
from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..api.areas import area_table
from ..api.summary import summary
from ..errors import FacilitySizingError, InputError
from ..io.letter_rows import ADDRESS_COLUMNS, PROJECT_NAME_COLUMNS, letter_names, row_requirement, same_figures
from ..io.sizefile import BatchOptions, read_input, size_options, size_rows
from ..io.tables import TABLE_SUFFIXES
from ..io.write import atomic_file
from ..messages import Message
from ..model.headers import HEADERS
from ..model.quantities import QUANTITIES
from ..model.vocabulary import ERROR_KINDS
from ..render.areas import area_letters
from ..spatial.maps.layers import ID_COLUMNS, NAME_COLUMNS
from ..spatial.maps.web import ASSETS, MAX_MAP_FEATURES, asset, map_words, parcel_features, tile_attribution
from .answers import ERRORS
from .batch import MEDIA_TYPES, batch_options, file_suffix, safe_stem, scrub_folder
from .context import Context
from .errors import TooLargeError
from .handlers import json_response
from .schemas import BATCH_MEDIA, typed_name

__all__ = ["MAX_LETTERS", "add_batch_rows_routes", "rows_answer"]

#: The most letters one zip holds: a Word letter takes about 60 ms, and a request has the service's timeout.
MAX_LETTERS = 500

#: Files the page's zip of letters holds beside the letters.
SKIPPED_FILE = "未生成.txt"

_FLAGS = ("draft", "reported", "stale")
_FIGURES = tuple(q.column for q in QUANTITIES.values())
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_ZIP_NAME = "attachment; filename=\"letters.zip\"; filename*=UTF-8''"


class TooManyLettersError(TooLargeError):
    """More letters than one zip holds (HTTP 413): the command line writes any number.

    Examples
    --------
    >>> TooManyLettersError(900, 500).code
    'too_large'
    """

    def __init__(self, count: int, limit: int) -> None:
        self.field = "file"
        self.value = count
        FacilitySizingError.__init__(self, "page.too_many_letters", field="file", value=count, limit=limit)


class RepeatedIdsError(InputError):
    """Two rows of a batch share an id, so their letters would share a file name."""


@dataclass(frozen=True)
class Upload:
    """An uploaded batch: its bytes and name, the options of ``facility-sizing batch``, and the page's own."""

    data: bytes
    name: str
    opts: BatchOptions
    column: str = "floor_area_m2"
    lang: Literal["zh", "en"] = "zh"
    round_area: Literal["exact", "up"] = "exact"


def _text(description: str) -> Any:
    return Form(None, description=description)


async def _upload(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV、xlsx、GeoJSON 或 GeoPackage — the file to size")],
    options: Annotated[dict[str, Any], Depends(batch_options)],
    column: str = Query(
        "floor_area_m2",
        description="地图按哪项着色 — the figure the map is coloured by",
        json_schema_extra={"enum": list(_FIGURES)},
    ),
    lang: Literal["zh", "en"] = Query("zh", description="条件书语言 — the letters' language"),
    round_area: Literal["exact", "up"] = Query(
        "exact", description="面积写法：exact 按计算值，up 向上取整到整平方米 — areas as computed, or rounded up"
    ),
) -> Upload:
    """The upload and its options (a FastAPI dependency); an unknown form field is refused, naming it."""
    if column not in _FIGURES:
        raise InputError("spatial.map_no_column", field="column", value=column, numeric=list(_FIGURES))
    given = dict(options)
    unknown = sorted(set((await request.form()).keys()) - {*given, "file"})
    if unknown:
        known = sorted(given)
        raise InputError("service.unknown_form_field", field=unknown[0], value=None, unknown=unknown, known=known)
    opts = BatchOptions(**{k: v for k, v in given.items() if k in BatchOptions.__dataclass_fields__})
    # a part named only by its media type is read as that type, as POST /batch reads it
    name = typed_name(file.filename or "batch.csv", file.content_type, BATCH_MEDIA, (*MEDIA_TYPES, ".json"))
    return Upload(await file.read(), name, opts, column, lang, round_area)


@dataclass
class Sized:
    """A sized upload: the rows read, the sizing's arguments, the result, and whether it has geometry."""

    frame: pd.DataFrame
    kwargs: dict[str, Any]
    result: pd.DataFrame
    spatial: bool
    table: bool


def _sized(upload: Upload, ctx: Context) -> Sized:
    """Read and size an upload as ``POST /batch`` does, in a fresh temporary folder."""
    suffix = file_suffix(upload.name)
    with tempfile.TemporaryDirectory(prefix="facility-sizing-") as folder:
        try:
            source = Path(folder) / f"{safe_stem(upload.name)}{suffix}"
            with atomic_file(source) as tmp:
                tmp.write_bytes(upload.data)
            opts = BatchOptions(**{**vars(upload.opts), "input": str(source), "sample": False})
            frame, assume, spatial = read_input(opts)
            if len(frame) > ctx.settings.max_batch_rows:
                raise TooLargeError("rows", len(frame), ctx.settings.max_batch_rows)
            kwargs = size_options(opts, list(frame.columns), spatial)
            result = size_rows(frame, opts, assume, ctx.book, kwargs, spatial)
        except FacilitySizingError as exc:
            scrub_folder(exc, folder)
            raise
    return Sized(frame, kwargs, result, spatial, suffix in TABLE_SUFFIXES)


def _columns_read(sized: Sized) -> dict[str, str]:
    """The file's column each sizing input was read from (an error names the cell's column)."""
    return {k: v for k, v in sized.kwargs.items() if isinstance(v, str) and v in sized.frame.columns}


def _error_words(sized: Sized) -> list[dict[str, str] | None]:
    """Each row's error in words for the page — its kind, and the message in Chinese and English — or None."""
    errors = sized.result.attrs.get("errors", {})
    columns = _columns_read(sized)
    said: dict[str, dict[str, str]] = {}
    out: list[dict[str, str] | None] = []
    for text in sized.result["error"].tolist():
        if not isinstance(text, str):
            out.append(None)
            continue
        if text not in said:
            exc = errors.get(text)
            found = re.match(r"\[(\w+)\]\s*", text)  # an error text of the library starts with its code
            code = getattr(exc, "code", found[1] if found else "error")
            kind = ERROR_KINDS.get(code, ERROR_KINDS["error"])
            words = (
                {"zh": exc.text("zh", "page", columns), "en": exc.text("en", "page", columns)}
                if isinstance(exc, FacilitySizingError)
                else {"zh": " ".join(text[found.end() if found else 0 :].split()), "en": ""}
            )
            said[text] = {"kind": code, "kind_zh": kind.zh, "kind_en": kind.en, **words}
        out.append(said[text])
    return out


def _named_by(result: pd.DataFrame) -> tuple[str | None, str | None]:
    """The columns that name each row: an id, and a name beside it."""
    id_col = next((c for c in ID_COLUMNS if c in result.columns), None)
    name_col = next((c for c in (*NAME_COLUMNS, *PROJECT_NAME_COLUMNS) if c in result.columns and c != id_col), None)
    return id_col, name_col


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _area_of(result: pd.DataFrame, i: int) -> dict[str, Any] | None:
    """A row's residential area, whether it hosts the facility and the host's id (sized by area), else None."""
    if "area_id" not in result.columns:
        return None
    return {
        k: _plain(result[c].iloc[i]) for k, c in (("id", "area_id"), ("host", "area_host"), ("host_id", "area_host_id"))
    }


def _shown(result: pd.DataFrame) -> list[Any]:
    """The quantities the batch has a figure or a reason for, in the registry's order."""
    return [q for q in QUANTITIES.values() if q.column in result.columns and result[q.column].notna().any()]


def _rows(sized: Sized, round_area: str, bases: dict[str, int]) -> list[dict[str, Any]]:
    """Each row as the page's table shows it."""
    result = sized.result
    quantities = _shown(result)
    id_col, name_col = _named_by(result)
    errors = _error_words(sized)
    columns = {q.column: result[q.column].tolist() for q in quantities}
    basis = {q.column: result[f"{q.key}_basis"].tolist() for q in quantities if f"{q.key}_basis" in result.columns}
    flags = {f: result[f].tolist() for f in _FLAGS if f in result.columns}
    households = result["households"].tolist() if "households" in result.columns else [None] * len(result)
    ids = result[id_col].tolist() if id_col else [None] * len(result)
    names = result[name_col].tolist() if name_col else [None] * len(result)
    rows = []
    for i in range(len(result)):
        figures, stated, bound = {}, {}, {}
        for q in quantities:
            value = _plain(columns[q.column][i])
            figures[q.column] = value
            if value is not None and q.letter_value(value, round_area) != value:
                stated[q.column] = q.letter_value(value, round_area)
            text = _plain(basis.get(q.column, [None] * len(result))[i])
            if text is not None and errors[i] is None:  # a failed row's error says it all
                bound[q.column] = bases.setdefault(str(text), len(bases))
        rows.append({
            "row": i + 1, "line": i + 2 if sized.table else None, "id": _plain(ids[i]), "name": _plain(names[i]),
            "households": _plain(households[i]), "figures": figures, "stated": stated, "bound": bound,
            "area": _area_of(result, i),
            "flags": [HEADERS[f].zh for f in _FLAGS if f in flags and bool(flags[f][i])], "error": errors[i],
        })  # fmt: skip
    return rows


def _areas(result: pd.DataFrame) -> list[dict[str, Any]] | None:
    """The residential areas of a batch sized by area (``area``): one object per area, else None."""
    if "area_id" not in result.columns:
        return None
    table = area_table(result)
    keep = [c for c in ("area_id", "parcels", "hosts", "households", *(q.column for q in _shown(result))) if c in table]
    return [{k: _plain(v) for k, v in record.items()} for record in table[keep].to_dict("records")]


def rows_answer(sized: Sized, round_area: str = "exact", column: str = "floor_area_m2") -> dict[str, Any]:
    """The page's answer to a batch: totals, one object per row, the rule texts they share, and the map.

    Examples
    --------
    >>> from facility_sizing.ruledata import default_rulebook
    >>> from .settings import Settings
    >>> csv = "project,jurisdiction,area_type,households\\nB,西湖区,new_build,1334\\nX,余杭区,new_build,900\\n".encode()
    >>> sized = _sized(Upload(csv, "p.csv", BatchOptions(on="2025-01-01")), Context(Settings(), default_rulebook()))
    >>> answer = rows_answer(sized, "up")
    >>> answer["rows"][0]["figures"]["floor_area_m2"], answer["rows"][0]["stated"]["floor_area_m2"]
    (200.1, 201)
    >>> answer["rows"][1]["error"]["kind_zh"]
    '仅有据报道的文件'
    """
    bases: dict[str, int] = {}
    rows = _rows(sized, round_area, bases)
    totals = json.loads(json.dumps(summary(sized.result), default=_plain))
    totals["errors_by_kind"] = [
        {"kind": k, "zh": ERROR_KINDS.get(k, ERROR_KINDS["error"]).zh, "en": ERROR_KINDS.get(k, ERROR_KINDS["error"]).en,
         "rows": n} for k, n in totals["errors_by_kind"].items()
    ]  # fmt: skip
    words = [r["error"]["zh"] if r["error"] else None for r in rows]
    parcels = parcel_features(sized.result, column, words) if sized.spatial else None
    quantities = [
        {"column": q.column, "zh": q.label.zh, "en": q.label.en, "unit": q.unit.zh} for q in _shown(sized.result)
    ]
    return {
        "summary": totals,
        "areas": _areas(sized.result),
        "quantities": quantities,
        "bases": list(bases),
        "rows": rows,
        "map": parcels,
        "map_rows": min(len(sized.result), MAX_MAP_FEATURES) if sized.spatial else 0,
        "map_words": map_words(column),
        "column": column,
    }


def _letters_zip(sized: Sized, upload: Upload, ctx: Context) -> bytes:
    """Every sized row's Word letter, named by its id, and the rows without one in 未生成.txt, as one zip."""
    result = sized.result
    if "area_id" in result.columns:  # a per-parcel letter would charge each parcel the whole minimum
        return _area_letters_zip(result, upload, ctx)
    id_col, _ = _named_by(result)
    ids = [str(v).strip() for v in result[id_col] if _plain(v) is not None and str(v).strip()] if id_col else []
    repeated = sorted({v for v in ids if ids.count(v) > 1}) if len(set(ids)) < len(ids) else []
    if repeated:
        raise RepeatedIdsError("page.repeated_ids", field="file", value=id_col, shown=repeated[:5])
    sized_rows = int(result["error"].isna().sum())
    if sized_rows > MAX_LETTERS:
        raise TooManyLettersError(sized_rows, MAX_LETTERS)
    name_col = next((c for c in PROJECT_NAME_COLUMNS if c in result.columns and c != id_col), None)
    address_col = next((c for c in ADDRESS_COLUMNS if c in result.columns and c != id_col), None)
    errors = _error_words(sized)
    buffer = io.BytesIO()
    skipped: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for (key, name), (i, (_, row)) in zip(letter_names(result, id_col), enumerate(result.iterrows()), strict=True):
            error = errors[i]
            if error is not None:
                skipped.append(f"{key}\t{error['zh']} — {error['en']}")
                continue
            req = row_requirement(row, sized.kwargs, ctx.book)
            if not same_figures(row, req):
                skipped.append(f"{key}\t{_message('page.letter_differs')}")
                continue
            fields: dict[str, object] = {"parcel_id": key}
            for field, col in (("project_name", name_col), ("address", address_col)):
                if col is not None and _plain(row[col]) is not None:
                    fields[field] = row[col]
            letter = req.clause(upload.lang, fmt="docx", letter=fields, round_area=upload.round_area)
            archive.writestr(f"{name}.docx", letter)
        if skipped:
            head = _message("page.letters_skipped")
            archive.writestr(SKIPPED_FILE, "\n".join([head, "", *skipped]) + "\n")
    return buffer.getvalue()


def _area_letters_zip(result: pd.DataFrame, upload: Upload, ctx: Context) -> bytes:
    """The host's and the contributors' letters of a batch sized by area (as ``batch --area --letters``)."""
    buffer = io.BytesIO()
    skipped: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for parcel, text in area_letters(result, upload.lang, ctx.book):
            if isinstance(text, FacilitySizingError):
                skipped.append(f"{parcel}\t{text.text('zh', 'page')} — {text.text('en', 'page')}")
                continue
            archive.writestr(f"{safe_stem(str(parcel))}.txt", text.encode("utf-8"))
        if skipped:
            archive.writestr(SKIPPED_FILE, "\n".join([_message("page.letters_skipped"), "", *skipped]) + "\n")
    return buffer.getvalue()


def _message(key: str) -> str:
    message = Message(key)
    return f"{message.text('zh', 'page')} — {message.text('en', 'page')}"


_ROWS_EXAMPLE: dict[str, Any] = {
    "summary": {"rows": 1, "errors": 0, "errors_by_kind": [], "floor_area_m2": 200.1},
    "quantities": [{"column": "floor_area_m2", "zh": "建筑面积", "en": "floor area", "unit": "m²"}],
    "bases": ["每百户15 m² 15 m² per 100 households（西政办函〔2021〕15号 二(三)1）"],
    "rows": [{"row": 1, "line": 2, "id": "B", "name": None, "households": 1334, "figures": {"floor_area_m2": 200.1},
              "stated": {}, "bound": {"floor_area_m2": 0}, "flags": [], "error": None}],
    "map": None,
    "map_rows": 0,
    "map_words": {"title": "托育设施建筑面积 (m²) · required floor area (m²)", "legend": "托育设施建筑面积 (m²) required floor area (m²)",
                  "error": "计算出错 error — not sized", "none": "无此指标 no figure set by the rules", "parcel": "个地块 parcels"},
    "column": "floor_area_m2",
}  # fmt: skip


def add_batch_rows_routes(app: FastAPI, ctx: Context) -> None:
    """Add the page's batch endpoints, its settings and the map's files (see the module's description)."""

    @app.post("/batch/rows", tags=["sizing"], summary="批量计算，逐行结果 — size a file, every row answered",
              responses={200: {"description": "每行的数值、依据与错误，及地块地图 — each row's figures, rule and error, and "
                               "the parcels' map", "content": {"application/json": {"example": _ROWS_EXAMPLE}}},
                         **ERRORS})  # fmt: skip
    async def batch_rows(upload: Annotated[Upload, Depends(_upload)]) -> Response:
        """Size every row of an uploaded file (the options of ``POST /batch``) and answer each row in words."""
        return json_response(await ctx.run(lambda: rows_answer(_sized(upload, ctx), upload.round_area, upload.column)))

    @app.post("/batch/letters", tags=["sizing"], summary="批量条件书（zip）— every sized row's Word letter, zipped",
              response_class=Response, responses={200: {"description": "每个已计算的行一份 Word 条件书 — one Word letter per "
              "sized row", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"},
                                                  "example": "PK… (B.docx, 未生成.txt)"}}}, **ERRORS})  # fmt: skip
    async def batch_letters(upload: Annotated[Upload, Depends(_upload)]) -> Response:
        """One Word letter per sized row, named by its id, in a zip; the rows without one listed in 未生成.txt."""
        data = await ctx.run(lambda: _letters_zip(_sized(upload, ctx), upload, ctx))
        name = f"{safe_stem(upload.name)}_条件书.zip"
        return Response(data, media_type="application/zip", headers={"Content-Disposition": _ZIP_NAME + quote(name)})

    @app.get("/page/settings", tags=["service"], summary="网页的设置 — what the page is told",
             responses={200: {"description": "底图与上限 — the background tiles and the limits", "content": {
                 "application/json": {"example": {"tile_url": None, "tile_attribution": None, "max_batch_rows": 100000,
                                                   "max_letters": MAX_LETTERS, "max_map_parcels": MAX_MAP_FEATURES}}}},
                        **ERRORS})  # fmt: skip
    async def page_settings() -> Response:
        """The tile URL the bureau configured (``serve --tile-url``; none by default) and the page's limits."""
        url = ctx.settings.tile_url or None
        return json_response({
            "tile_url": url, "tile_attribution": tile_attribution(url) if url else None,
            "max_batch_rows": ctx.settings.max_batch_rows, "max_letters": MAX_LETTERS,
            "max_map_parcels": MAX_MAP_FEATURES,
        })  # fmt: skip

    @app.get("/assets/{name}", include_in_schema=False)
    async def map_asset(name: str) -> Response:
        if name not in ASSETS:
            raise HTTPException(404)
        media = _MEDIA[Path(name).suffix]
        return Response(asset(name).encode("utf-8"), media_type=media, headers={"Cache-Control": "no-cache"})
