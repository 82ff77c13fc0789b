"""How a batch result looks in Jupyter: the ``.sizing`` accessor of a result DataFrame.

:func:`~facility_sizing.size_frame` and :func:`~facility_sizing.size_parcels` return a plain
``pandas.DataFrame`` / ``geopandas.GeoDataFrame``, so that everything pandas and geopandas do
keeps working. ``out.sizing`` is the library's view of such a result: in a notebook it
displays the totals of :func:`~facility_sizing.summary` (rows, errors by kind, required floor
area, outdoor area and slots, draft and stale rows) above the result rows, Chinese first with
English beside it. ``out.sizing.summary()``, ``out.sizing.errors()``, ``out.sizing.plot()``
and ``out.sizing.map()`` give the totals, the failed rows and the two maps.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from ..api.summary import summary
from ..errors import InputError
from ..model.columns import QUANTITY_COLUMNS, shown_quantity_columns
from ..model.headers import headers
from ..model.vocabulary import ERROR_KINDS

__all__ = ["SizingAccessor", "shown_cells", "summary_html"]

#: Columns every result of ``size_frame`` / ``size_parcels`` has; the accessor needs them.
REQUIRED_COLUMNS = (*QUANTITY_COLUMNS, "draft", "stale", "error")

# The columns shown under the summary, in this order, when present.
_SHOWN = (
    "地块编号",
    "项目名称",
    "parcel_id",
    "id",
    "name",
    "jurisdiction",
    "area_type",
    "households",
    "population",
    "*quantities*",  # the quantity columns (see shown_quantity_columns)
    "floor_area_basis",
    "slots_basis",
    "draft",
    "stale",
    "error",
)


def shown_cells(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it: whole households, areas to two decimals, 「—」 for a missing cell.

    Examples
    --------
    >>> shown_cells(pd.DataFrame({"households": [1135.0, None], "floor_area_m2": [200.1, float("nan")]}))
      households floor_area_m2
    0       1135        200.10
    1          —             —
    """
    out = {}
    for column in table.columns:
        cells = []
        for value in table[column].astype(object).tolist():
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                cells.append("—")
            elif isinstance(value, float) and str(column).endswith("_m2"):
                cells.append(f"{value:.2f}")
            elif isinstance(value, float) and value.is_integer():
                cells.append(str(int(value)))
            else:
                cells.append(value)
        out[column] = cells
    return pd.DataFrame(out, index=table.index, columns=table.columns)


def _check_result(obj: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in obj.columns]
    if missing:
        raise InputError("render.not_a_result", field="result", value=missing)


def _num(value: float | int | None) -> str:
    if value is None:  # a total no row has a figure for: never 0
        return "—（无数值指标 no figure）"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def summary_html(totals: dict[str, Any]) -> str:
    """The totals of :func:`~facility_sizing.summary` as a small bilingual HTML table.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    >>> "建筑面积合计" in summary_html(fs.summary(out))
    True
    """
    rows = [
        ("行数", "rows", _num(totals["rows"])),
        ("有错误的行", "rows with errors", _num(totals["errors"])),
        ("建筑面积合计", "total floor area", f"{_num(totals['floor_area_m2'])} m²"),
        ("户外活动场地合计", "total outdoor area", f"{_num(totals['outdoor_area_m2'])} m²"),
        ("托位合计", "total slots", _num(totals["slots"])),
        ("按征求意见稿计算的行", "rows sized on a draft", _num(totals["draft_rows"])),
        ("规划期已过的行", "rows past a plan period", _num(totals["stale_rows"])),
    ]
    cells = "".join(
        f"<tr><td>{zh}<br><small>{en}</small></td><td style='text-align:right'><b>{value}</b></td></tr>"
        for zh, en, value in rows
    )
    notes = []
    for kind, count in totals["errors_by_kind"].items():
        label = " ".join(ERROR_KINDS[kind]) if kind in ERROR_KINDS else kind
        notes.append(f"<div style='color:#b3261e'>✗ {html.escape(label)} [{html.escape(kind)}]: {_num(count)}</div>")
    if totals["draft_rows"]:
        notes.append(
            "<div style='color:#b3261e'>⚠ 部分行按征求意见稿计算，不是现行有效规定 — "
            "some rows are sized on a consultation draft, not a rule in force</div>"
        )
    if totals["stale_rows"]:
        notes.append(
            "<div style='color:#b3261e'>⚠ 部分行的日期已过文件规划期，规则可能已被替代 — "
            "some rows are dated after a document's plan period; the rule may have been superseded</div>"
        )
    note = (
        "<small>合计不含有错误的行和无指标的项；“—”表示规则未设该项指标 — totals leave out rows with errors "
        "and quantities the rules set no figure for; “—” means no figure</small>"
    )
    return (
        "<div><b>配建计算汇总 · Sizing summary</b>"
        f"<table><tr><th>项目 item</th><th>合计 total</th></tr>{cells}</table>{''.join(notes)}{note}</div>"
    )


@pd.api.extensions.register_dataframe_accessor("sizing")
class SizingAccessor:
    """``result.sizing``: a batch result with its summary, for Jupyter, and its maps.

    Available on any DataFrame or GeoDataFrame returned by :func:`~facility_sizing.size_frame`
    or :func:`~facility_sizing.size_parcels` (after ``import facility_sizing``). Displayed in
    a notebook, it shows the totals above the result rows; the frame itself is unchanged.

    Raises
    ------
    InputError
        When the frame lacks the result columns (it was not sized).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    >>> out.sizing.summary()["rows"]
    38
    >>> len(out.sizing.errors())
    0
    >>> html = out.sizing._repr_html_()
    >>> html.index("Sizing summary") < html.index("XH-三墩-01")
    True
    """

    def __init__(self, obj: pd.DataFrame) -> None:
        _check_result(obj)
        self._obj = obj

    def summary(self) -> dict[str, Any]:
        """The totals: see :func:`~facility_sizing.summary`."""
        return summary(self._obj)

    def errors(self) -> pd.DataFrame:
        """The rows that could not be sized, with their ``error`` message."""
        return self._obj[self._obj["error"].notna()]

    def table(self) -> pd.DataFrame:
        """The result rows without geometry, with the columns a planner reads first."""
        obj = self._obj
        quantities = shown_quantity_columns(obj.columns, lambda c: bool(obj[c].notna().any()))
        cols = [q for c in _SHOWN for q in (quantities if c == "*quantities*" else [c]) if q in obj.columns]
        return pd.DataFrame(self._obj[cols])

    def plot(self, column: str = "floor_area_m2", ax: Any = None, **kwargs: Any) -> Any:
        """A static map (matplotlib, no network): see :func:`~facility_sizing.plot_map`."""
        from ..spatial.maps.static import plot_map

        return plot_map(self._obj, column=column, ax=ax, **kwargs)

    def map(self, column: str = "floor_area_m2", **kwargs: Any) -> Any:
        """An interactive map (folium): see :func:`~facility_sizing.explore_map`."""
        from ..spatial.maps.interactive import explore_map

        return explore_map(self._obj, column=column, **kwargs)

    def _repr_html_(self) -> str:
        table = shown_cells(self.table())
        # headers as every output gives them: Chinese first, with the column's name for code
        table.columns = pd.Index(headers([str(c) for c in table.columns], "zh"))
        rows = table._repr_html_() if hasattr(table, "_repr_html_") else html.escape(table.to_string())
        return summary_html(self.summary()) + (rows or "")

    def __repr__(self) -> str:
        t = self.summary()
        return (
            f"配建计算汇总 Sizing summary: {t['rows']:,} 行 rows, {t['errors']:,} 行有错误 with errors; "
            f"建筑面积 floor area {_num(t['floor_area_m2'])} m², 户外活动场地 outdoor {_num(t['outdoor_area_m2'])} m², "
            f"托位 slots {t['slots']:,}; 草案 draft rows {t['draft_rows']:,}; 规划期外 stale rows {t['stale_rows']:,}"
        )
