"""The command line in its own terms: messages that name flags, and cells a terminal shows plainly.

An error is worded here from its catalogue key and parameters for the command line: the advice a
Python caller reads as ``include_drafts=True`` or ``fs.jurisdictions()`` names the flag
(``--include-drafts``) or the subcommand. Cells print households as whole numbers, areas with two decimals and a
missing value as 「—」, never ``NaN``, ``<NA>`` or ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import FacilitySizingError
from ..messages import Message

__all__ = ["MISSING", "cell_text", "said_here", "table_text"]

#: What a cell without a value shows.
MISSING = "—"


def said_here(exc: object, columns: Mapping[str, str] | None = None) -> str:
    """An error (or a message) as the command line says it: its flags and commands, Chinese then English, on one line.

    ``columns`` names the file columns a batch row's inputs came from (its error names the cell's
    column, not the flag). Anything not the library's own is said as Python says it.

    Examples
    --------
    >>> from facility_sizing.errors import DraftOnlyError
    >>> said_here(DraftOnlyError("plan.draft_only", place="甲区", title="草案"))[:60]
    '甲区只有征求意见稿《草案》，不是正式规则；如需按草案计算，请传入 --include-drafts，所有取自草案的数值均'
    """
    if isinstance(exc, FacilitySizingError | Message):
        zh, en = (exc.text(language, "cli", columns) for language in ("zh", "en"))
        return " ".join(f"{zh} — {en}".split())
    return " ".join(str(exc).split())


def cell_text(value: object, column: str) -> str:
    """One cell as the terminal shows it: whole households, areas to two decimals, 「—」 for nothing.

    Examples
    --------
    >>> cell_text(1135.0, "households"), cell_text(40.0, "outdoor_area_m2"), cell_text(None, "slots")
    ('1135', '40.00', '—')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return MISSING
        if column.endswith("_m2"):
            return f"{value:.2f}"
        if float(value).is_integer():
            return str(int(value))
        return f"{value:g}"
    if isinstance(value, bool | np.bool_):
        return "是" if value else MISSING
    text = str(value.item() if isinstance(value, np.generic) else value)
    return text if text.strip() else MISSING


def table_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns of a frame as text cells (see :func:`cell_text`), for ``to_string``."""
    return pd.DataFrame(
        {c: [cell_text(v, c) for v in frame[c].astype(object).tolist()] for c in columns}, index=frame.index
    )
