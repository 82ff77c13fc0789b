"""Results as a workbook planners open: Chinese-first headers, whole households, areas to two decimals.

The workbook has three sheets (four for a result sized by residential area, with 居住区 areas, one row per
area): 结果 results (one row per project), 合计 summary (the totals of
:func:`facility_sizing.summary`) and 依据 sources (each rule set and each basis the rows used,
with the document and clause it quotes, and how many rows used it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..api.summary import summary
from ..model.columns import basis_column
from ..model.entities import grade_words
from ..model.headers import HeaderStyle, headers
from ..model.headers import header as column_header
from ..model.quantities import QUANTITIES
from ..model.vocabulary import ERROR_KINDS, GRADES
from .provenance import documents_present, stamp_of
from .tables import require_xlsxwriter

__all__ = ["EXCEL_MAX_CELL", "header", "write_workbook"]

#: The most characters an Excel cell holds.
EXCEL_MAX_CELL = 32_767

_TWO_DECIMALS = "0.00"
_WHOLE = "0"


def header(column: str, style: HeaderStyle = "zh") -> str:
    """A result column's header: Chinese first, then the column's own name (「建筑面积 floor_area_m2」).

    The one vocabulary of :mod:`facility_sizing.model.headers`; a column whose name is already
    Chinese, or that no label names, keeps its name.

    Examples
    --------
    >>> header("floor_area_m2"), header("地块编号"), header("floor_area_basis")
    ('托育设施建筑面积 (m²) floor_area_m2', '地块编号', '托育设施建筑面积依据 floor_area_basis')
    """
    return column_header(column, style)


def _number_format(column: str, dtype: Any) -> str | None:
    if column in ("households", "population", "area_epsg") or (
        pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    ):
        return _WHOLE
    if column.endswith("_m2") or column in ("persons_per_household", "far"):
        return _TWO_DECIMALS
    return None


def _cell(value: Any) -> Any:
    """A cell as the writer takes it: None for a missing value, plain Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _column_cells(values: pd.Series) -> list[Any]:
    """A column's cells as plain Python values, None where missing: numbers column-wise, the rest cell by cell."""
    if pd.api.types.is_float_dtype(values.dtype) and isinstance(values.dtype, np.dtype):
        data = values.to_numpy()
        return [None if v != v else v for v in data.tolist()]  # NaN is the one value unequal to itself
    if pd.api.types.is_integer_dtype(values.dtype) and isinstance(values.dtype, np.dtype):
        return values.to_numpy().tolist()
    return [_cell(v) for v in values.astype(object).tolist()]


def _write_sheet(
    book: Any,
    sheet: Any,
    frame: pd.DataFrame,
    formats: dict[str, str | None],
    style: HeaderStyle = "zh",
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Headers, then the rows in order (the sheet streams them: constant memory), a column's format set once."""
    bold = book.add_format({"bold": True})
    titles = headers([str(c) for c in frame.columns], style)
    for j, column in enumerate(frame.columns):
        fmt = formats.get(str(column))
        width = min(60, max(10, len(titles[j]) + 4))
        sheet.set_column(j, j, width, book.add_format({"num_format": fmt}) if fmt else None)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, titles, bold)
    columns = [_column_cells(frame[c]) for c in frame.columns]
    write = sheet.write
    n = len(frame)
    for i, row in enumerate(zip(*columns, strict=True), start=1):
        for j, v in enumerate(row):
            if v is not None:
                write(i, j, v)  # strings are written as text, never as formulas (the book's options)
        if progress is not None and i % 10_000 == 0:
            progress(i, n)


def _summary_rows(result: pd.DataFrame) -> list[tuple[str, Any]]:
    if not {"error", "draft", "stale", "rule_set"} <= set(result.columns):
        return [("行数 rows", len(result))]
    totals = summary(result)
    rows: list[tuple[str, Any]] = [
        ("行数 rows", totals["rows"]),
        ("有错误的行 rows with errors", totals["errors"]),
    ]
    for spec in QUANTITIES.values():
        if spec.column in totals:
            total = totals[spec.column]  # None where no row has a figure: said, never written as 0
            rows.append((header(spec.column) + " 合计 total", "—（无数值指标 no figure）" if total is None else total))
    rows += [("草案行 draft rows", totals["draft_rows"]), ("规划期外行 stale rows", totals["stale_rows"])]
    if "reported_rows" in totals:
        rows.append(("据报道行 reported rows", totals["reported_rows"]))
    for code, count in totals["errors_by_kind"].items():
        label = ERROR_KINDS.get(code)
        rows.append((f"错误 error: {label.zh} {label.en}" if label else f"错误 error: {code}", count))
    return rows


_LOST = (
    "未知：结果经合并或拼接后不再带有来源记录，请重新计算后写出 — unknown: the result lost its record "
    "(merged or concatenated); size the rows again, then write them"
)


def _document_records(result: pd.DataFrame) -> list[dict[str, Any]]:
    """Each document behind the rule sets still in the result, with its grade, status and row count."""
    present = documents_present(result)
    if present is None:
        return [{"kind": "文件 document", "source": _LOST, "clause": None, "rows": None}]
    records = []
    for doc in present:
        draft = doc.get("status") == "draft"
        if doc.get("grade") in GRADES:
            trust = " ".join(grade_words(doc["grade"], draft))  # a draft's copy is never 「官方文本」 alone
        else:
            trust = f"等级未知 grade unknown: {doc.get('grade')!r}"
        source = f"{doc.get('label')}《{doc.get('title')}》"
        clause = f"{trust}（{doc.get('seen') or doc.get('source')}）"
        records.append({"kind": "文件 document", "source": source, "clause": clause, "rows": doc["rows"]})
    return records


def _sources(result: pd.DataFrame) -> pd.DataFrame:
    """Each rule set and each basis the rows used, with its document and clause and its row count."""
    records: list[dict[str, Any]] = []
    if "rule_set" in result.columns:
        for key, count in result["rule_set"].astype(object).dropna().value_counts(sort=False).items():
            records.append({"kind": "规则集 rule set", "source": str(key), "clause": None, "rows": int(count)})
    for name in QUANTITIES:
        column = basis_column(name)
        if column not in result.columns:
            continue
        counts = result[column].astype(object).dropna().value_counts(sort=False)
        for text, count in counts.items():
            clause = re.search(r"（([^（）]*\d[^（）]*)）$", str(text))
            records.append(
                {
                    "kind": header(column),
                    "source": str(text),
                    "clause": clause.group(1) if clause else None,
                    "rows": int(count),
                }
            )
    records += _document_records(result)
    stamp = stamp_of(result)
    records.append(  # what produced the figures: the library and the exact rule data
        {
            "kind": "版本 stamp",
            "source": f"facility_sizing {stamp.get('library')}" if stamp else _LOST,
            "clause": f"规则数据 rule data {stamp.get('rule_data')}" if stamp else None,
            "rows": None,
        }
    )
    frame = pd.DataFrame.from_records(records, columns=["kind", "source", "clause", "rows"])
    frame.columns = pd.Index(["类别 kind", "依据 basis or rule set", "文件及条款 document and clause", "行数 rows"])
    return frame


def write_workbook(
    frame: pd.DataFrame,
    result: pd.DataFrame,
    path: Path,
    style: HeaderStyle = "zh",
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the results, summary and sources sheets of ``result`` (``frame`` is its rows as written).

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to write (the index already a column if it carries ids, geometry as WKT).
    result : pandas.DataFrame
        The result the rows come from, for the summary and the sources.
    path : pathlib.Path
        Where to write (the caller makes the write atomic).
    style : {"zh", "en"}
        The headers (:mod:`facility_sizing.model.headers`).
    progress : callable, optional
        ``progress(done, total)`` every 10,000 rows of the results sheet.
    """
    xlsxwriter = require_xlsxwriter("io.writing_excel")
    options = {
        "constant_memory": True,  # rows go to disk as written: 300k rows cost no more memory than 3
        "strings_to_formulas": False,  # a cell 「=1+1」 or 「-1+cmd|…」 stays text, never a live formula
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd",
    }
    with xlsxwriter.Workbook(str(path), options) as book:
        rows = book.add_worksheet("结果 results")
        formats = {str(c): _number_format(str(c), frame[c].dtype) for c in frame.columns}
        _write_sheet(book, rows, frame, formats, style, progress)
        totals = book.add_worksheet("合计 summary")
        totals.set_column(0, 0, 48)
        totals.set_column(1, 1, 16)
        totals.write_row(0, 0, ["项目 item", "数值 value"], book.add_format({"bold": True}))
        money = book.add_format({"num_format": "#,##0.00"})
        for i, (item, value) in enumerate(_summary_rows(result), start=1):
            totals.write_string(i, 0, item)
            cell = _cell(value)
            if cell is not None:
                totals.write(i, 1, cell, money if isinstance(value, float) else None)
        sources = book.add_worksheet("依据 sources")
        _write_sheet(book, sources, _sources(result), {})
        held = result.attrs.get("areas")  # sized by residential area: one row per area (api/areas.py)
        areas = getattr(held, "frame", None)
        if isinstance(areas, pd.DataFrame):
            sheet = book.add_worksheet("居住区 areas")
            area_formats = {str(c): _number_format(str(c), areas[c].dtype) for c in areas.columns}
            _write_sheet(book, sheet, areas, area_formats, style)
