"""The index of a batch's letters, 条件书索引.xlsx: one row per parcel, its letter, figures and stamp.

A clerk who files a folder of letters finds each parcel's letter by its id or name, sees the
figures it states without opening it, and checks a printed letter against the file by its
SHA-256; the stamp (library version, rule data, the date the rules apply, the documents) is the
one each letter's annex gives. A parcel that got no letter is listed with why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io.tables import require_xlsxwriter
from ..io.write import atomic_file
from ..model.quantities import QUANTITIES
from ..results.requirement import Requirement

__all__ = ["INDEX_FILE", "IndexRow", "write_index"]

#: The index's file, in the letters' folder.
INDEX_FILE = "条件书索引.xlsx"

#: The index's columns before the figures, and after them.
_HEAD = ["地块编号 parcel_id", "项目名称 project_name", "地块坐落 address", "行政区 jurisdiction", "条件书 letter"]
_TAIL = [
    "规则适用日期 rules as on",
    "依据文件 documents",
    "规则数据 rule data",
    "程序版本 library",
    "SHA-256",
    "未生成原因 no letter because",
]


@dataclass
class IndexRow:
    """One parcel of the index: its id and fields, its letter's file and figures, or why it has none."""

    parcel_id: str
    fields: dict[str, object]
    letter: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    stamp: dict[str, Any] = field(default_factory=dict)
    documents: str = ""
    jurisdiction: str = ""
    sha256: str = ""
    error: str = ""

    @classmethod
    def written(cls, key: str, fields: dict[str, object], name: str, data: bytes, req: Requirement) -> IndexRow:
        """A parcel with its letter: the figures it states (as computed) and the stamp that reproduces them."""
        figures = {q: req.value(q) for q in req.quantities_shown()}
        documents = "；".join(d.label for d in req.plan.documents)
        return cls(key, fields, name, figures, req.stamp, documents, req.jurisdiction.name,
                   hashlib.sha256(data).hexdigest())  # fmt: skip

    @classmethod
    def skipped(cls, key: str, fields: dict[str, object], error: str) -> IndexRow:
        """A parcel without a letter, and why."""
        return cls(key, fields, error=error)

    def cells(self, quantities: list[str]) -> list[Any]:
        def text(name: str) -> str:
            value = self.fields.get(name)
            return "" if value is None else str(value)

        head = [self.parcel_id, text("project_name"), text("address"), self.jurisdiction, self.letter]
        tail = [self.stamp.get("on", ""), self.documents, self.stamp.get("rule_data", ""),
                self.stamp.get("library", ""), self.sha256, self.error]  # fmt: skip
        return [*head, *[self.figures.get(q) for q in quantities], *tail]


def write_index(path: Path, rows: list[IndexRow]) -> Path:
    """Write the index as a workbook, atomically; dated by the latest date its letters' rules apply.

    Raises
    ------
    MissingDependencyError
        xlsxwriter is not installed (the ``word`` or ``excel`` extra).
    """
    xlsxwriter = require_xlsxwriter("io.writing_excel")
    quantities = [q for q in QUANTITIES if any(q in r.figures for r in rows)] or ["floor_area"]
    heads = [*_HEAD, *[f"{QUANTITIES[q].label.zh} ({QUANTITIES[q].unit.zh}) {q}" for q in quantities], *_TAIL]
    days = [str(r.stamp["on"]) for r in rows if "on" in r.stamp]
    day = dt.date.fromisoformat(max(days)) if days else dt.date(2000, 1, 1)
    with atomic_file(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp))
        book.set_properties({"title": "条件书索引 Index of letters", "author": "facility-sizing",
                             "created": dt.datetime(day.year, day.month, day.day)})  # fmt: skip
        sheet = book.add_worksheet("条件书 letters")
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        sheet.write_row(0, 0, heads, bold)
        for n, row in enumerate(rows, start=1):
            sheet.write_row(n, 0, row.cells(quantities))
        sheet.freeze_panes(1, 1)
        sheet.set_column(0, len(heads) - 1, 16)
        sheet.autofilter(0, 0, len(rows), len(heads) - 1)
        book.close()
    return path
