"""The command line in its own terms: messages that name flags, and cells a terminal shows plainly.

The library's messages speak to Python callers (``include_drafts=True``, ``gdf.set_crs(4490)``,
``fs.jurisdictions()``); on the command line the same advice names the flag (``--include-drafts``,
``--assume-crs 4490``). Cells print households as whole numbers, areas with two decimals and a
missing value as 「—」, never ``NaN``, ``<NA>`` or ``None``.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = ["MISSING", "cell_text", "command_line_terms", "plain_values", "table_text"]

#: What a cell without a value shows.
MISSING = "—"

# Python spellings in the library's messages, and what the command line calls them. Order
# matters: the longer phrases first.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"gdf\s*=\s*gdf\.set_crs\(None, allow_override=True\)", "leave out --assume-crs"),
    (r"gdf\.set_crs\((\w+)\)", r"--assume-crs \1"),
    (r"\bset_crs\b", "--assume-crs"),
    (r"\binclude_drafts=True\b", "--include-drafts"),
    (r"\binclude_reported=True（命令行 --include-reported）", "--include-reported"),
    (r"\binclude_reported=True \(--include-reported on the command line\)", "--include-reported"),
    (r"\binclude_reported=True\b", "--include-reported"),
    (r"\binclude_unverified=True\b", "--include-unverified"),
    (r"\brepair=True\b", "--repair"),
    (r"fs\.jurisdictions\(\)", "facility-sizing rules NAME"),
    (r"fs\.service_circles\(\)", "facility-sizing coverage --help"),
    (r"fs\.read_parcels", "facility-sizing"),
    (r"\bcircle='(\w+)'", r"--circle \1"),
    (r"\bdistance_m\b", "--distance"),
)

_FLAGS = {
    "jurisdiction": "--jurisdiction/-j",
    "area_type": "--area-type/-t",
    "households": "--households",
    "population": "--population",
    "persons_per_household": "--persons-per-household",
    "on": "--on",
    "far": "--far",
    "residential_share": "--residential-share",
    "unit_area_m2": "--unit-area-m2",
    "assume_crs": "--assume-crs",
    "encoding": "--encoding",
    "sheet": "--sheet",
}

_ASSIGNMENT = re.compile(r"\b(" + "|".join(_FLAGS) + r")=\s*")
# A bare argument name where a message asks for it: 「请传入 population」, "pass persons_per_household".
_BARE = re.compile(r"(?<!-)\b(" + "|".join(name for name in _FLAGS if "_" in name) + r")\b")
_ASKED = re.compile(r"(传入 |pass |together with )(" + "|".join(_FLAGS) + r")\b")
_NUMPY_SCALAR = re.compile(r"np\.(?:float|int|uint|bool_?|str_)\d*\(([^()]*)\)")


def plain_values(text: str) -> str:
    """A message without numpy's spelling of its values: ``np.float64(-1.0)`` → ``-1.0``.

    Examples
    --------
    >>> plain_values("households must be at least 0, got np.float64(-1.0)")
    'households must be at least 0, got -1.0'
    """
    return _NUMPY_SCALAR.sub(r"\1", text)


def command_line_terms(text: str) -> str:
    """A library message with its Python advice in the command line's terms (flags, subcommands).

    Examples
    --------
    >>> command_line_terms("only a draft applies; pass include_drafts=True to use it")
    'only a draft applies; pass --include-drafts to use it'
    >>> command_line_terms("unrecognised assume_crs='x'; declare it, e.g. gdf.set_crs(4490)")
    "unrecognised --assume-crs 'x'; declare it, e.g. --assume-crs 4490"
    """
    for pattern, replacement in _PHRASES:
        text = re.sub(pattern, replacement, text)
    text = _ASSIGNMENT.sub(lambda m: _FLAGS[m.group(1)] + " ", text)
    text = _ASKED.sub(lambda m: m.group(1) + _FLAGS[m.group(2)].split("/")[0], text)
    text = _BARE.sub(lambda m: _FLAGS[m.group(1)].split("/")[0], text)
    return plain_values(text)


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
    text = plain_values(str(value))
    return text if text.strip() else MISSING


def table_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns of a frame as text cells (see :func:`cell_text`), for ``to_string``."""
    return pd.DataFrame(
        {c: [cell_text(v, c) for v in frame[c].astype(object).tolist()] for c in columns}, index=frame.index
    )
