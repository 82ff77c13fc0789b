"""A batch row's own letter: its requirement sized again from the inputs the batch used, and its file name.

Shared by every door that writes one Word letter per row: the command line (``batch --letters``)
and the service (``POST /batch/letters``, the web page's zip of letters).
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pandas as pd

from ..api.sizing import size
from ..errors import InputError, StaleRuleWarning
from ..model.quantities import QUANTITIES
from ..results.requirement import Requirement
from ..ruledata import RuleBook

__all__ = [
    "ADDRESS_COLUMNS",
    "PROJECT_NAME_COLUMNS",
    "letter_names",
    "row_requirement",
    "same_figures",
]

#: Columns that name a project in words (a letter's 项目名称), the first present of which a batch letter takes.
PROJECT_NAME_COLUMNS = ("项目名称", "名称", "地块名称", "project_name", "name")

#: Columns that hold a parcel's address (a letter's 地块坐落), the first present of which a batch letter takes.
ADDRESS_COLUMNS = ("地址", "地块坐落", "坐落", "位置", "address", "location")

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

#: Names Windows keeps for devices: a letter is never named so (CON.docx), whatever its parcel.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


def _file_name(text: str, n: int) -> str:
    """An id made a file name on every system: no separators or control characters, no trailing dot
    or space, not a device name, at most 100 characters; an empty id is the row's number, 第N行."""
    name = _UNSAFE.sub("_", text).strip()[:100].rstrip(". ")
    if name.split(".")[0].upper() in _RESERVED:
        name += "_"
    return name or f"第{n}行"


def letter_names(frame: pd.DataFrame, column: str | None) -> list[tuple[str, str]]:
    """Each row's id and its letter's file name (without ``.docx``): the id, made safe for a file name.

    A row without an id (no id column, or an empty cell) is named by its row number, 第N行. Two
    different ids that make the same file name, or names that differ only in case (one file on
    Windows and macOS), are told apart by a number: ``A_3.docx`` and ``A_3（2）.docx``.

    Raises
    ------
    InputError
        Two rows have the same id: they are one parcel twice, and their letters would overwrite each other.

    Examples
    --------
    >>> frame = pd.DataFrame({"地块编号": ["A/3", "A_3", "a_3", "CON", None]})
    >>> [name for _, name in letter_names(frame, "地块编号")]
    ['A_3', 'A_3（2）', 'a_3（3）', 'CON_', '第5行']
    """
    ids, names = [], []
    for n, value in enumerate(frame[column] if column is not None else [None] * len(frame), start=1):
        text = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
        ids.append(text or f"第{n}行")
        names.append(_file_name(text, n))
    repeated = sorted({key for key in ids if ids.count(key) > 1}) if len(set(ids)) < len(ids) else []
    if repeated:
        raise InputError("cli.repeated_ids", field="id", value=column, shown=repeated[:5])
    taken: dict[str, int] = {}
    for i, name in enumerate(names):
        count = taken.get(name.casefold(), 0) + 1
        taken[name.casefold()] = count
        if count > 1:
            names[i] = f"{name}（{count}）"
    return list(zip(ids, names, strict=True))


def _cell(row: pd.Series, value: object, default_column: str) -> Any:
    """A sizing input of one row: its column (named, or of the default name) or the one value for every row."""
    if isinstance(value, str) and value in row.index:
        return row[value]
    if value is not None:
        return value
    return row[default_column] if default_column in row.index else None


def _number(value: Any) -> float | int | None:
    """A number of the result's input columns (households as used, …), None where empty."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def row_requirement(row: pd.Series, kwargs: dict[str, Any], book: RuleBook | None) -> Requirement:
    """The requirement of one sized row, from the inputs the batch used (households as estimated or derived)."""
    inputs: dict[str, Any] = {"persons_per_household": _number(row.get("persons_per_household"))}
    if bool(row.get("households_derived", False)):  # derived from population: derive it again
        inputs["population"] = _number(row.get("population"))
    elif bool(row.get("population_derived", False)):
        inputs["households"] = _number(row.get("households"))
    else:
        inputs["households"] = _number(row.get("households"))
        inputs["population"] = _number(row.get("population"))
    day = _cell(row, kwargs.get("on"), "on")
    with warnings.catch_warnings():  # a stale rule is flagged in the letter itself, and was warned of once
        warnings.simplefilter("ignore", StaleRuleWarning)
        return size(
            jurisdiction=_cell(row, kwargs.get("jurisdiction"), "jurisdiction"),
            area_type=str(_cell(row, kwargs.get("area_type"), "area_type")),
            on=None if day is None or pd.isna(day) else day,
            include_drafts=bool(kwargs.get("include_drafts") or _cell(row, None, "include_drafts") or False),
            include_reported=bool(kwargs.get("include_reported", False)),
            rulebook=book,
            **inputs,
        )


def same_figures(row: pd.Series, req: Requirement) -> bool:
    """Whether the letter's requirement has the batch row's figures (it is sized by the same rules)."""
    for spec in QUANTITIES.values():
        if spec.column not in row.index:
            continue
        cell, value = row[spec.column], req.value(spec.key)
        if (value is None) != bool(pd.isna(cell)) or (value is not None and float(cell) != float(value)):
            return False
    return True
