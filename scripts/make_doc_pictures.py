"""Make the pictures of the documentation: a result table, a batch summary and two maps.

    venv/bin/python scripts/make_doc_pictures.py          # writes docs/_static/*.png
    venv/bin/python scripts/make_doc_pictures.py DIR      # writes them to DIR instead

Made from the built-in sample parcels, offline (matplotlib only). Each file is written to a
temporary file in the same folder and renamed, so a failed run leaves the old picture as it was.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

import facility_sizing as fs
from facility_sizing.io.write import atomic_file

OUT = Path(__file__).resolve().parents[1] / "docs" / "_static"
# ASCII columns only: the machine that makes the pictures need not have a CJK font
COLUMNS = ["rule_set", "households", "floor_area_m2", "outdoor_area_m2", "slots", "max_floor"]
WHOLE = {"households", "slots", "max_floor"}


def _save(fig: plt.Figure, folder: Path, name: str) -> Path:
    """Write a figure atomically, as the library writes its own files (a temporary file beside it, renamed)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    try:
        with atomic_file(target) as tmp:
            fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png")
    finally:
        plt.close(fig)
    return target


def _text(value: object, whole: bool) -> str:
    """A cell as the docs show it: no figure is "—", never 0."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):  # None, NA, NaN
        return "—"
    if isinstance(value, (int, float)):
        return f"{value:,.0f}" if whole else f"{value:,.2f}"
    return str(value)


def table_picture(out: pd.DataFrame, folder: Path) -> Path:
    """One row per rule set of a batch result, as a table."""
    firsts = out.drop_duplicates("rule_set")  # one row per rule set
    rows = firsts[[c for c in COLUMNS if c in firsts.columns]].head(8)
    fig, ax = plt.subplots(figsize=(9, 2.6))
    ax.axis("off")
    whole = [c in WHOLE for c in rows.columns]
    cells = [[_text(v, w) for v, w in zip(row, whole, strict=True)] for row in rows.itertuples(index=False)]
    table = ax.table(cellText=cells, colLabels=list(rows.columns), loc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.auto_set_column_width(list(range(len(rows.columns))))
    ax.set_title("size_parcels(sample_parcels()) — one row per rule set", fontsize=9)
    return _save(fig, folder, "result-table.png")


def summary_picture(out: pd.DataFrame, folder: Path) -> Path:
    """The batch summary: rows, errors, totals, draft rows."""
    totals = fs.summary(out)
    lines = [
        f"rows {totals['rows']:,}   errors {totals['errors']:,}   draft rows {totals['draft_rows']:,}",
        f"floor area {totals['floor_area_m2']:,.2f} m²   outdoor {totals['outdoor_area_m2']:,.2f} m²   "
        f"slots {totals['slots']:,}",
    ]
    fig, ax = plt.subplots(figsize=(7, 1.0))
    ax.axis("off")
    ax.text(0.0, 0.5, "\n".join(lines), family="monospace", fontsize=9, va="center")
    ax.set_title("fs.summary(out) — the batch summary", fontsize=9, loc="left")
    return _save(fig, folder, "batch-summary.png")


def map_picture(out: pd.DataFrame, folder: Path) -> Path:
    """The static map of the sample's floor areas (errors hatched, rows with no figure dashed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.FontWarning)  # no CJK font: English labels
        one_place = out[out["rule_set"].str.startswith("330106/", na=False)]  # 西湖区: the map of one district
        ax = fs.plot_map(one_place, column="floor_area_m2", figsize=(6, 5))
    return _save(ax.figure, folder, "floor-area-map.png")


def notebook_map_picture(folder: Path) -> Path:
    """The map of examples/02: every sample parcel, one with a bad FAR and one in a place that does not exist."""
    bad = fs.sample_parcels()
    bad.loc[3, "far"] = -1.0
    bad.loc[20, "jurisdiction"] = "西糊区"
    checked = fs.size_parcels(bad, on="2025-01-01")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fs.FontWarning)  # no CJK font: English labels
        ax = fs.plot_map(checked, column="floor_area_m2")
    return _save(ax.figure, folder, "notebook-map.png")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else OUT
    out = fs.size_parcels(fs.sample_parcels(), on="2025-01-01")
    pictures = (table_picture(out, folder), summary_picture(out, folder), map_picture(out, folder),
                notebook_map_picture(folder))  # fmt: skip
    for path in pictures:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
