"""What a result carries in ``attrs`` beside its columns, in a form ``to_parquet`` can write.

pandas writes ``df.attrs`` with :func:`json.dumps` (``to_parquet``) and gives back what
:func:`json.loads` reads (``read_parquet``). A result keeps two things there that are more than JSON:

* ``attrs["errors"]``, an :class:`ErrorTable`: each error text of the ``error`` column with its typed
  error. It is a ``dict`` whose stored values are JSON records (the error's class, code, field and
  words in both languages), so it is written as they are; ``get`` and ``[]`` give the typed error
  (:class:`~facility_sizing.FacilitySizingError`). Read back from a file, the records are a plain
  ``dict``: :func:`result_errors` gives the table again, each error rebuilt from its record (its
  class, code and field, and its words as written: the Python audience's, in both languages).
* ``attrs["areas"]``, an :class:`Areas`: the table of areas of a result sized with ``area=``, as a
  ``str`` (JSON) that is also the table (``.frame``). Read back, it is the plain string, from which
  :func:`~facility_sizing.area_table` rebuilds the table, its dtypes and dates as they were.

Both are copied as they are (not deep-copied: they are never changed), so slicing a large result does
not copy its table of areas.

Examples
--------
>>> import facility_sizing as fs
>>> table = ErrorTable({"[input] x": fs.InputError("areas.not_sized_by_area", field="result", value="x")})
>>> type(table["[input] x"]).__name__, table.to_records()["[input] x"]["class"]
('InputError', 'InputError')
>>> import json
>>> type(result_errors({"errors": json.loads(json.dumps(table))})["[input] x"]).__name__
'InputError'
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .. import errors as _errors
from ..errors import FacilitySizingError

__all__ = ["Areas", "ErrorTable", "result_errors"]


def _classes() -> dict[str, type[FacilitySizingError]]:
    """Every error class of the library, by name."""
    found: dict[str, type[FacilitySizingError]] = {}
    todo: list[type[FacilitySizingError]] = [FacilitySizingError]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.__name__, cls)
        todo.extend(cls.__subclasses__())
    return found


def _record(err: FacilitySizingError) -> dict[str, Any]:
    """An error as JSON: its class, code, field, value (where it is plain) and its words."""
    value = getattr(err, "value", None)
    plain = value if isinstance(value, str | int | float | bool) or value is None else str(value)
    return {"class": type(err).__name__, "code": err.code, "field": str(getattr(err, "field", "") or ""),
            "value": plain, "zh": err.text("zh"), "en": err.text("en")}  # fmt: skip


def _rebuilt(record: Mapping[str, Any]) -> FacilitySizingError:
    """The typed error a record stands for, its words those it was written with."""
    cls = _classes().get(str(record.get("class")), FacilitySizingError)
    words = {"text": {"zh": str(record.get("zh", "")), "en": str(record.get("en", ""))}}
    state = {"message_key": "legacy.text", "params": words, "field": record.get("field", "")}
    if "value" in record:
        state["value"] = record["value"]
    return _errors._rebuild(cls, ("legacy.text",), state)


class ErrorTable(dict[str, Any]):
    """Each error text of a result's ``error`` column and its typed error (``attrs["errors"]``).

    Stored as JSON records (what :func:`json.dumps` and ``to_parquet`` write); ``get`` and ``[]``
    give the typed error: the one raised where this table was made, or one rebuilt from its record.
    """

    def __init__(self, errors: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> None:
        super().__init__()
        self._typed: dict[str, FacilitySizingError] = {}
        self.update(errors)

    def update(self, errors: Any = (), /, **more: Any) -> None:
        """Add errors (typed, or their records) by text, as :meth:`dict.update` takes them."""
        items = [(k, errors[k]) for k in errors] if isinstance(errors, Mapping) else list(errors)
        for text, err in [*items, *more.items()]:
            self[text] = err

    def __setitem__(self, text: str, err: Any) -> None:
        if isinstance(err, FacilitySizingError):
            self._typed[text] = err
            super().__setitem__(text, _record(err))
        else:
            self._typed.pop(text, None)
            super().__setitem__(text, dict(err))

    def __getitem__(self, text: str) -> FacilitySizingError:
        if text not in self._typed:
            self._typed[text] = _rebuilt(super().__getitem__(text))
        return self._typed[text]

    def get(self, text: str, default: Any = None) -> Any:
        """The typed error of ``text`` (not its record), or ``default``."""
        try:
            return self[text]
        except KeyError:
            return default

    def to_records(self) -> dict[str, dict[str, Any]]:
        """The JSON records, by error text (what a file keeps)."""
        return {k: dict(v) for k, v in super().items()}

    def copy(self) -> ErrorTable:
        return ErrorTable(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> ErrorTable:
        return self.copy()  # the typed errors are shared: an error is never changed

    def __reduce__(self) -> tuple[Any, ...]:
        return (ErrorTable, (self.to_records(),))


def result_errors(attrs_or_frame: pd.DataFrame | Mapping[str, Any]) -> ErrorTable:
    """A result's errors by text, typed: those it was sized with, or rebuilt after ``read_parquet``.

    Parameters
    ----------
    attrs_or_frame : DataFrame or mapping
        A result of :func:`~facility_sizing.size_frame` (or :func:`~facility_sizing.size_parcels`), as
        returned or read back from a file that keeps ``attrs`` (Parquet), or its ``attrs``.

    Returns
    -------
    ErrorTable
        A mapping from each text of the ``error`` column to its typed error (class, field, value and
        words as they were written).

    Examples
    --------
    >>> import pandas as pd
    >>> import facility_sizing as fs
    >>> df = pd.DataFrame({"jurisdiction": ["西湖区", "西湖区"], "households": [100, -5], "area_type": "new_build"})
    >>> out = fs.size_frame(df, on="2025-06-01")
    >>> err = fs.result_errors(out)[out["error"][1]]
    >>> type(err).__name__, err.field, err.value
    ('InputError', 'households', -5)
    """
    attrs = attrs_or_frame.attrs if isinstance(attrs_or_frame, pd.DataFrame) else attrs_or_frame
    held = attrs.get("errors") or {}
    return held if isinstance(held, ErrorTable) else ErrorTable(held)


# ---------------------------------------------------------------------------------------
# The table of areas


def _cell(value: Any) -> Any:
    """A cell as JSON: numbers and text as they are, a date as its ISO day, a missing value as null."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, np.generic):
        return _cell(value.item())
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _values(column: pd.Series) -> list[Any]:
    """A column's cells as JSON values (numbers and flags a column at a time; other cells one by one)."""
    if column.dtype == object:
        return [_cell(v) for v in column.tolist()]
    return column.astype(object).where(column.notna(), None).tolist()


def _encoded(frame: pd.DataFrame) -> str:
    """A frame as JSON: its columns, dtypes, the columns that hold dates, and each column's values."""
    dates = [str(c) for c in frame.columns
             if frame[c].dtype == object and any(isinstance(v, dt.date) for v in frame[c].tolist())]  # fmt: skip
    data = {str(c): _values(frame[c]) for c in frame.columns}
    dtypes = {str(c): str(frame[c].dtype) for c in frame.columns}
    return json.dumps({"columns": [str(c) for c in frame.columns], "dtypes": dtypes, "dates": dates, "data": data},
                      ensure_ascii=False, separators=(",", ":"))  # fmt: skip


def _decoded(text: str) -> pd.DataFrame:
    """The frame :func:`_encoded` wrote."""
    held = json.loads(text)
    out = {}
    for column in held["columns"]:
        values = held["data"][column]
        if column in held["dates"]:
            values = [None if v is None else dt.date.fromisoformat(v) for v in values]
        dtype = held["dtypes"][column]
        series = pd.Series(values, dtype=object)
        out[column] = series.astype(dtype) if dtype not in ("object", "float64") else series
        if dtype == "float64":
            out[column] = pd.to_numeric(series, errors="coerce").astype("float64")
    return pd.DataFrame(out, columns=held["columns"])


class Areas(str):
    """The table of areas a result carries (``result.attrs["areas"]``), held as JSON text.

    A ``str``, so that ``to_parquet`` writes it and pandas compares two results' attributes by it;
    ``.frame`` is the table.
    """

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Areas:
        held = cls(_encoded(frame))
        held.__dict__["frame"] = frame
        return held

    @cached_property
    def frame(self) -> pd.DataFrame:
        return _decoded(str(self))

    def __deepcopy__(self, memo: dict[int, Any]) -> Areas:
        return self  # never changed

    def __reduce__(self) -> tuple[Any, ...]:
        return (Areas, (str(self),))


def areas_frame(held: object) -> pd.DataFrame | None:
    """The table of areas ``attrs["areas"]`` holds (an :class:`Areas`, or its text read back), or None."""
    if isinstance(held, Areas):
        return held.frame
    if isinstance(held, str):
        try:
            return _decoded(held)
        except (ValueError, KeyError, TypeError):
            return None
    return None
