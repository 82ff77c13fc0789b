"""``POST /batch``: a file uploaded, sized as ``facility-sizing batch`` sizes it, and sent back.

The upload is saved in a fresh temporary folder (the request names no file on the server), read
with :func:`~facility_sizing.io.sizefile.read_input`, sized with the same options as the command
line, and written with :func:`~facility_sizing.write_result` in the file type it came in — or
returned as JSON with ``?format=json``. The totals ride along in the ``X-Facility-Sizing-Summary``
header (JSON, ASCII-escaped).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

import pandas as pd
from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from ..api.summary import summary
from ..errors import FacilitySizingError, InputError
from ..io.sizefile import BatchOptions, read_input, size_options, size_rows
from ..io.write import atomic_file, write_result
from .answers import ERRORS
from .context import Context
from .errors import TooLargeError
from .handlers import json_response
from .schemas import BATCH_MEDIA, typed_name

__all__ = ["MEDIA_TYPES", "SUMMARY_HEADER", "add_batch_route", "size_upload"]

#: The file types a batch may be, and the media type of each result.
MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
}
SUMMARY_HEADER = "X-Facility-Sizing-Summary"

_EXAMPLE_SUMMARY = {"rows": 2, "errors": 0, "floor_area_m2": 401.0, "outdoor_area_m2": 80.0, "slots": 0}


def file_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    suffix = ".geojson" if suffix == ".json" else suffix
    if suffix not in MEDIA_TYPES:
        raise InputError(
            "service.file_type" if suffix else "service.no_extension", field="file", value=name, suffix=suffix
        )
    return suffix


def safe_stem(name: str) -> str:
    """A safe file name stem from the client's file name (letters, digits, CJK, - and _ only)."""
    stem = re.sub(r"[^\w\-]+", "_", Path(name).stem, flags=re.UNICODE).strip("_.")
    return stem[:80] or "batch"


def scrub_folder(exc: FacilitySizingError, folder: str) -> None:
    """Take the server's temporary folder out of an error's message and value."""
    prefix = folder.rstrip("/") + "/"
    exc.args = tuple(a.replace(prefix, "") if isinstance(a, str) else a for a in exc.args)
    for attr in ("value", "path"):
        value = getattr(exc, attr, None)
        if isinstance(value, str) and prefix in value:
            setattr(exc, attr, value.replace(prefix, ""))


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)


def size_upload(
    data: bytes, filename: str, opts: BatchOptions, ctx: Context, as_json: bool, style: str = "zh"
) -> tuple[bytes | list[dict[str, Any]], dict[str, Any], str]:
    """Size an uploaded file: (the result file's bytes, or the JSON rows; the totals; the result's name).

    Examples
    --------
    >>> from facility_sizing.ruledata import default_rulebook
    >>> from .settings import Settings
    >>> csv = "jurisdiction,area_type,households\\n西湖区,new_build,1200\\n".encode()
    >>> out, totals, name = size_upload(csv, "p.csv", BatchOptions(on="2025-01-01"), Context(Settings(), default_rulebook()), True)
    >>> totals["rows"], out[0]["floor_area_m2"], name
    (1, 200.0, 'p_result.csv')
    """
    suffix = file_suffix(filename)
    stem = safe_stem(filename)
    with tempfile.TemporaryDirectory(prefix="facility-sizing-") as folder:
        try:
            source = Path(folder) / f"{stem}{suffix}"
            with atomic_file(source) as tmp:
                tmp.write_bytes(data)
            opts = BatchOptions(**{**vars(opts), "input": str(source), "sample": False})
            frame, assume, spatial = read_input(opts)
            if len(frame) > ctx.settings.max_batch_rows:
                raise TooLargeError("rows", len(frame), ctx.settings.max_batch_rows)
            kwargs = size_options(opts, list(frame.columns), spatial)
            result = size_rows(frame, opts, assume, ctx.book, kwargs, spatial)
            totals = json.loads(json.dumps(summary(result), default=_plain))
            name = f"{stem}_result{suffix}"
            if as_json:
                rows = pd.DataFrame(result.drop(columns=result.geometry.name) if spatial else result)
                return json.loads(rows.to_json(orient="records", force_ascii=False)), totals, name
            out = write_result(result, Path(folder) / name, headers=style)
            return out.read_bytes(), totals, name
        except FacilitySizingError as exc:
            scrub_folder(exc, folder)
            raise


def _text(description: str) -> Any:
    return Form(None, description=description)


#: What ``POST /batch`` answers, for the specification.
_BATCH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {
                "example": "jurisdiction,area_type,households,floor_area_m2,…\n西湖区,new_build,1200,200.0,…\n"
            },
            "application/json": {"example": {"summary": _EXAMPLE_SUMMARY, "rows": [{"floor_area_m2": 200.0}]}},
        },
        "description": f"与上传同类型的结果文件；合计见响应头 {SUMMARY_HEADER} — the result file, of the upload's type; "
        f"the totals in the {SUMMARY_HEADER} header",
    },
    **ERRORS,
}


def _file_answer(out: bytes, totals: dict[str, Any], result_name: str) -> Response:
    """The result file, its name, and the totals in a header."""
    answer = {
        SUMMARY_HEADER: json.dumps(totals, ensure_ascii=True),
        "Content-Disposition": f'attachment; filename="result{Path(result_name).suffix}"; '
        f"filename*=UTF-8''{quote(result_name)}",
    }
    return Response(content=out, media_type=MEDIA_TYPES[Path(result_name).suffix], headers=answer)


async def batch_options(
    jurisdiction: str | None = _text("行政区（列名或值）— jurisdiction column or value"),
    area_type: str | None = _text("居住区类型（列名或值）— area type column or value"),
    households: str | None = _text("户数（列名或值）— households column or value"),
    population: str | None = _text("常住人口（列名或值）— population column or value"),
    persons_per_household: str | None = _text("户均人口（列名或值）— persons per household"),
    on: str | None = _text("日期（列名或值，如 2025/6/1）— date column or value"),
    trust: str | None = _text("户数与人口矛盾时以何者为准 — which to trust"),
    far: str | None = _text("容积率 — floor-area ratio column or value"),
    residential_share: str | None = _text("住宅建筑面积占比 — residential share"),
    unit_area_m2: str | None = _text("套均建筑面积 m² — average unit floor area"),
    include_drafts: bool = Form(False),
    include_reported: bool = Form(False),
    layer: str | None = _text("图层 — layer to read"),
    sheet: str | None = _text("Excel 工作表 — Excel sheet"),
    encoding: str | None = _text("CSV 编码 — CSV encoding"),
    assume_crs: str | None = _text("数据无坐标系时声明 — CRS of a file without one"),
    crs: str | None = _text("CSV 坐标的坐标系 — CRS of a CSV's coordinates"),
    wkt: str | None = _text("CSV 的 WKT 几何列 — WKT column"),
    lon: str | None = _text("经度列 — longitude column"),
    lat: str | None = _text("纬度列 — latitude column"),
    repair: bool = Form(False),
    area: str | None = _text("居住区编号列：同一居住区的地块合并计算 — residential-area id column"),
    host: str | None = _text("承建地块列 — host parcel column"),
) -> dict[str, Any]:
    """The options of ``facility-sizing batch`` as form fields, one declaration for every upload route
    (``POST /batch``, the page's ``POST /batch/rows`` and ``/batch/letters``): each a column or a value."""
    return dict(locals())


def add_batch_route(app: FastAPI, ctx: Context) -> None:
    """Add ``POST /batch``: multipart upload (``file``) with the options of ``facility-sizing batch`` as form fields."""

    @app.post("/batch", tags=["sizing"], summary="批量计算文件 — size every row of a file", responses=_BATCH_RESPONSES)
    async def batch_endpoint(
        request: Request,
        file: Annotated[UploadFile, File(description="CSV、xlsx、GeoJSON 或 GeoPackage — the file to size")],
        options: Annotated[dict[str, Any], Depends(batch_options)],
        format: str | None = Query(None, description="json：以 JSON 返回 — json for a JSON answer", examples=["json"]),
        headers: Literal["zh", "en"] = Form(
            "zh", description="表头：zh 中文在前，en 英文列名 — headers for planners or systems"
        ),
    ) -> Response:
        """Size every row of an uploaded file; the answer is the same file type with the result columns."""
        if format not in (None, "json", "file"):
            raise InputError("service.format", field="format", value=format)
        style = headers
        given = {**options, "headers": headers}
        unknown = sorted(set((await request.form()).keys()) - set(given) - {"file"})
        if unknown:  # as the JSON endpoints refuse an unknown field: a misspelt option is not silently dropped
            raise InputError(
                "service.unknown_form_field", field=unknown[0], value=None, unknown=unknown, known=sorted(given)
            )
        opts = BatchOptions(**{k: v for k, v in given.items() if k in BatchOptions.__dataclass_fields__})
        data = await file.read()
        name = typed_name(file.filename or "batch.csv", file.content_type, BATCH_MEDIA, (*MEDIA_TYPES, ".json"))
        out, totals, result_name = await ctx.run(lambda: size_upload(data, name, opts, ctx, format == "json", style))
        if isinstance(out, list):
            return json_response({"summary": totals, "rows": out})
        return _file_answer(out, totals, result_name)
