"""Results as a workbook planners open: Chinese-first headers, whole households, areas to two decimals.

The workbook has three sheets: 结果 results (one row per project), 合计 summary (the totals of
:func:`facility_sizing.summary`) and 依据 sources (each rule set and each basis the rows used,
with the document and clause it quotes, and how many rows used it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..api.summary import summary
from ..model.columns import basis_column
from ..model.quantities import QUANTITIES
from ..model.vocabulary import COLUMN_LABELS, ERROR_KINDS, FIELD_LABELS, GRADES, STATUSES
from .provenance import documents_present, stamp_of
from .tables import require_openpyxl

__all__ = ["EXCEL_MAX_CELL", "header", "write_workbook"]

#: The most characters an Excel cell holds.
EXCEL_MAX_CELL = 32_767

# Chinese names of the result columns that neither COLUMN_LABELS nor FIELD_LABELS names.
_HEADERS_ZH = {
    "households_derived": "户数为推算",
    "population_derived": "人口为推算",
    "draft": "草案",
    "reported": "据报道",
    "stale": "规划期外",
    "rule_set": "规则集",
    "error": "错误",
    "area_epsg": "面积投影EPSG",
    "far": "容积率",
    "residential_share": "住宅占比",
    "unit_area_m2": "套均面积(m²)",
    "households_estimated": "户数为估算",
    "geometry_repaired": "几何已修复",
    "parcel_id": "地块编号",
    "name": "名称",
    "geometry": "几何(WKT)",
    "index": "行号",
}

_TWO_DECIMALS = "0.00"
_WHOLE = "0"


def _quantity_header(column: str) -> str | None:
    for name, spec in QUANTITIES.items():
        if column == basis_column(name):
            label = COLUMN_LABELS.get(spec.column)
            zh = re.sub(r"\s*\(.*\)$", "", label.zh) if label else name
            return f"{zh}依据"
    return None


def header(column: str) -> str:
    """A result column's header: Chinese first, then the column's own name (「建筑面积 floor_area_m2」).

    A column whose name is already Chinese, or that no label names, keeps its name.

    Examples
    --------
    >>> header("floor_area_m2"), header("地块编号"), header("floor_area_basis")
    ('托育设施建筑面积 (m²) floor_area_m2', '地块编号', '托育设施建筑面积依据 floor_area_basis')
    """
    if not column.isascii():
        return column
    label = COLUMN_LABELS.get(column)
    zh = label.zh if label else FIELD_LABELS.get(column) or _HEADERS_ZH.get(column) or _quantity_header(column)
    return f"{zh} {column}" if zh else column


def _number_format(column: str, dtype: Any) -> str | None:
    if column in ("households", "population", "area_epsg") or (
        pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    ):
        return _WHOLE
    if column.endswith("_m2") or column in ("persons_per_household", "far"):
        return _TWO_DECIMALS
    return None


def _cell(value: Any) -> Any:
    """A cell as openpyxl writes it: None for a missing value, plain Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _write_sheet(sheet: Any, frame: pd.DataFrame, formats: dict[str, str | None]) -> None:
    sheet.append([header(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        cells = [_cell(v) for v in row]
        sheet.append(cells)
        for j, v in enumerate(cells, start=1):  # text that looks like a formula stays text, never a live formula
            if isinstance(v, str) and v.startswith("="):
                sheet.cell(row=sheet.max_row, column=j).data_type = "s"
    for j, column in enumerate(frame.columns, start=1):
        fmt = formats.get(str(column))
        letter = sheet.cell(row=1, column=j).column_letter
        sheet.column_dimensions[letter].width = min(60, max(10, len(header(str(column))) + 4))
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    sheet.freeze_panes = "A2"


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
            rows.append((header(spec.column) + " 合计 total", totals[spec.column]))
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
        grade = GRADES.get(doc.get("grade", ""))
        status = STATUSES.get(doc.get("status", ""))
        trust = f"{grade.zh} {grade.en}" if grade else f"等级未知 grade unknown: {doc.get('grade')!r}"
        if doc.get("status") == "draft" and status:
            trust = f"{status.zh} {status.en}；{trust}"
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


def write_workbook(frame: pd.DataFrame, result: pd.DataFrame, path: Path) -> None:
    """Write the results, summary and sources sheets of ``result`` (``frame`` is its rows as written).

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to write (the index already a column if it carries ids, geometry as WKT).
    result : pandas.DataFrame
        The result the rows come from, for the summary and the sources.
    path : pathlib.Path
        Where to write (the caller makes the write atomic).
    """
    openpyxl = require_openpyxl("写入 Excel 文件", "writing an Excel workbook")
    book = openpyxl.Workbook()
    rows = book.active
    rows.title = "结果 results"
    _write_sheet(rows, frame, {str(c): _number_format(str(c), frame[c].dtype) for c in frame.columns})
    totals = book.create_sheet("合计 summary")
    totals.append(["项目 item", "数值 value"])
    for item, value in _summary_rows(result):
        totals.append([item, _cell(value)])
        if isinstance(value, float):
            totals.cell(row=totals.max_row, column=2).number_format = "#,##0.00"
    totals.column_dimensions["A"].width = 48
    totals.column_dimensions["B"].width = 16
    sources = book.create_sheet("依据 sources")
    _write_sheet(sources, _sources(result), {})
    book.save(path)
