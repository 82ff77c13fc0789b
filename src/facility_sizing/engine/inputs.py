"""Input validation and coercion shared by the scalar and batch APIs.

Each validator takes an array of raw values (one per row) and returns clean arrays plus a
per-row array of exceptions (``None`` where the row is fine). The scalar API raises the
exception of its single row; the batch API writes each row's message into its ``error``
column. Messages name the argument, the value and the fix.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import numbers
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..messages import Message
from ..model.typed import Unreadable, read_date, read_number
from .arrow_codes import arrow_codes
from .core import MAX_HOUSEHOLDS, MAX_PERSONS_PER_HOUSEHOLD, MAX_POPULATION, MICRO
from .masks import some

__all__ = [
    "UNSET",
    "RowErrors",
    "aligned",
    "factorize",
    "frame_column",
    "parse_date",
    "to_days",
    "validate_numeric",
]

EPOCH = dt.date(1970, 1, 1)


class _Unset(enum.Enum):
    """The "not given" default of optional arguments; an enum member, so it survives pickling
    (a dask worker in another process still recognises it)."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "<column of the default name, if present>"


#: Read the column of the argument's own name, if the frame has one.
UNSET: Any = _Unset.UNSET


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating | np.datetime64):
        return bool(value != value)  # NaN, NaT
    return False


def factorize(values: np.ndarray | pd.Series) -> tuple[np.ndarray, list[object]]:
    """``pd.factorize`` that copes with unhashable cells (a list in a cell becomes its repr).

    Short inputs (a scalar call is one row) are factorised in Python, which is much faster
    than going through pandas for a handful of values. A categorical column is already coded: its
    codes are taken as they are (its categories, used or not, are the uniques), as are an Arrow
    dictionary column's indices (``pd.ArrowDtype(pa.dictionary(...))``); an Arrow string column is
    coded by Arrow's dictionary encoding.
    """
    if len(values) <= 16:
        cells = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
        codes = np.empty(len(cells), dtype=np.int64)
        uniques: list[object] = []
        seen: dict[object, int] = {}
        for i, v in enumerate(cells):
            if is_missing(v):
                codes[i] = -1
                continue
            key = v if isinstance(v, Hashable) else repr(v)
            j = seen.get(key)
            if j is None:
                j = seen[key] = len(uniques)
                uniques.append(key)
            codes[i] = j
        return codes, uniques
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        # already coded (a categorical column): its codes as they are, -1 where missing, no hashing
        return values.cat.codes.to_numpy(), list(values.cat.categories)
    arrow = arrow_codes(values)
    if arrow is not None:
        return arrow
    try:
        codes, found = pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        safe = series.map(lambda v: v if isinstance(v, Hashable) else repr(v))
        codes, found = pd.factorize(safe, use_na_sentinel=True)
    return codes, list(found)


def aligned(series: pd.Series, index: pd.Index, name: str) -> pd.Series:
    """A Series argument aligned to the frame by index label (never by position), reset to 0..n-1.

    Raises
    ------
    InputError
        If its labels are not exactly the frame's (in any order), or either has duplicates
        (which would make the alignment ambiguous).
    """
    if series.index.equals(index):
        return series.reset_index(drop=True)
    if index.is_unique and series.index.is_unique and len(series) == len(index) and set(series.index) == set(index):
        return series.reindex(index).reset_index(drop=True)
    raise InputError("inputs.series_index", field=name, value=f"Series of {len(series)} rows")


def frame_column(df: pd.DataFrame, column: object, name: str) -> pd.Series:
    """A column of the frame by name, refusing duplicate column names."""
    where = df.columns.get_loc(column) if column in df.columns else None
    if isinstance(where, int):  # exactly one column of that name: no copy (pandas copies on write)
        return df.iloc[:, where].reset_index(drop=True)
    found = df.loc[:, df.columns == column]
    if found.shape[1] != 1:
        raise InputError("inputs.duplicate_column", field=name, value=column, count=found.shape[1])
    return found.iloc[:, 0].reset_index(drop=True)


class RowErrors:
    """Per-row errors of a batch: the first error recorded for a row is the one it keeps.

    ``mask`` marks the bad rows; ``codes`` gives each row's position in ``table`` (the distinct
    exceptions, -1 for none), so that a million rows failing alike cost a million small integers,
    not a million object references; ``objs`` is the exception of each row (None elsewhere), made
    each time it is read, and :meth:`error_of` one row's.

    The exceptions are held in ``table``, a list, and never in a numpy object array kept here: the
    garbage collector cannot see into one, so an error raised from it (its traceback holding the
    frames that hold this table) would keep every frame and batch of the call alive (a service's
    memory grew 68 MB per 5,000 requests that ended in an error).
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.mask = np.zeros(n, dtype=bool)
        self.table: list[Exception] = []
        self._codes: np.ndarray | None = None  # made at the first error: most batches have none

    @property
    def codes(self) -> np.ndarray:
        """Each row's position in ``table``, -1 where it has no error."""
        if self._codes is None:
            self._codes = np.full(self.n, -1, dtype=np.int64)
        return self._codes

    @property
    def objs(self) -> np.ndarray:
        """The exception of each bad row, None elsewhere (made on each read: keep it no longer than needed)."""
        table = np.empty(len(self.table) + 1, dtype=object)  # the last entry, None: no error
        table[: len(self.table)] = self.table
        return np.take(table, self.codes)

    def first(self) -> Exception:
        """The error of the first bad row (a scalar argument's, raised by the caller)."""
        return self.table[int(self.codes[int(np.flatnonzero(self.mask)[0])])]

    def error_of(self, row: int) -> Exception | None:
        """The exception of one row (None where it has none)."""
        if self._codes is None:
            return None
        code = int(self._codes[row])
        return self.table[code] if code >= 0 else None

    def any(self) -> bool:
        """Whether any row has an error."""
        return bool(self.table) and bool(self.mask.any())

    def _set(self, rows: np.ndarray | slice, codes: np.ndarray | int) -> None:
        self.codes[rows] = codes
        self.mask[rows] = True

    def _add(self, made: list[Exception]) -> int:
        """Append exceptions to the table; returns the position of the first."""
        base = len(self.table)
        self.table.extend(made)
        return base

    def spread(self, n: int) -> RowErrors:
        """The errors of a one-cell column given for every one of ``n`` rows."""
        if self.n == n:
            return self
        out = RowErrors(n)
        if self.any():
            out.assign(np.ones(n, dtype=bool), self.table[int(self.codes[0])])
        return out

    def record(self, mask: np.ndarray, make: Callable[[int], Exception]) -> None:
        """Give ``make(i)`` to each row in ``mask`` that has no error yet."""
        if not some(mask):  # the usual case: nothing to record
            return
        new = np.flatnonzero(mask & ~self.mask)
        if new.size:
            base = self._add([make(int(i)) for i in new])
            self._set(new, np.arange(base, base + new.size, dtype=np.int64))

    def record_by_value(self, mask: np.ndarray, values: np.ndarray, make: Callable[[object], Exception]) -> None:
        """Give each row in ``mask`` without an error ``make(value)``, made once per distinct value.

        A million rows with the same bad value share one exception (and one message), so a batch's
        time and memory hardly depend on how many of its rows fail.
        """
        new = mask & ~self.mask
        if not new.any():
            return
        idx = np.flatnonzero(new)
        cells = values[idx]
        try:
            codes, uniques = pd.factorize(pd.Series(cells, dtype=object) if cells.dtype == object else cells)
        except TypeError:  # an unhashable value (Decimal("sNaN")): one error per row, as they come
            self.record(new, lambda i: make(values[i].item() if isinstance(values[i], np.generic) else values[i]))
            return
        made = [make(u.item() if isinstance(u, np.generic) else u) for u in uniques]
        if (codes < 0).any():  # None and NaN: one group, named by its first cell
            first = cells[np.flatnonzero(codes < 0)[0]]
            made.append(make(first.item() if isinstance(first, np.generic) else first))
            codes = np.where(codes < 0, len(made) - 1, codes)
        self._set(idx, codes.astype(np.int64) + self._add(made))

    def assign(self, mask: np.ndarray, exc: Exception) -> None:
        """Give the same error to each row in ``mask`` that has no error yet."""
        new = mask & ~self.mask
        if new.any():
            self._set(new, self._add([exc]))

    def merge(self, other: RowErrors) -> None:
        """Take ``other``'s errors for rows that have none yet."""
        if not other.any():
            return
        new = other.mask & ~self.mask
        if new.any():
            self._set(new, other.codes[new] + self._add(other.table))


def _bad(field: str, value: object, problem: str, **params: object) -> InputError:
    """A cell whose number breaks a bound: ``problem`` is the catalogue key (``inputs.<problem>``) of the bound."""
    return InputError("inputs.bad_number", field=field, value=value, problem=Message(f"inputs.{problem}", params))


def to_float(values: np.ndarray | pd.Series, field: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Float values and a mask of cells that hold something non-numeric (booleans, words...).

    Text is read as people type it (``1,200``, ``１２００``, ``1200户``: :func:`~facility_sizing.model.typed.read_number`,
    with the units of ``field``); each distinct text is read once.
    """
    kind = values.dtype.kind
    n = len(values)
    if kind in "iuf":
        if isinstance(values, pd.Series):
            return values.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(n, dtype=bool)
        return values.astype(np.float64), np.zeros(n, dtype=bool)
    if kind == "b":
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    objs = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    out = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    read: dict[str, float | None] = {}
    for i, v in enumerate(objs):
        if v is None or v is pd.NA or v is pd.NaT:
            continue
        if isinstance(v, str):
            if v not in read:
                read[v] = _typed_float(v, field)
            number = read[v]
            if number is None:
                bad[i] = True
            else:
                out[i] = number
            continue
        if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real | Decimal):
            bad[i] = True
            continue
        try:
            out[i] = float(v)
        except OverflowError:
            negative = str(v).startswith("-")  # int, Fraction or Decimal too large for a float
            out[i] = -np.inf if negative else np.inf  # beyond any float: reported as not finite
        except ValueError:  # e.g. Decimal("sNaN")
            bad[i] = True
    return out, bad


def _typed_float(text: str, field: str) -> float | None:
    """The number in a typed text, or None if it cannot be read without guessing."""
    if not text.strip():
        return np.nan  # a blank cell: nothing given
    try:
        number = read_number(text, field)
    except Unreadable:
        return None
    try:
        return float(number)
    except OverflowError:
        return -np.inf if number < 0 else np.inf


def _not_numeric(field: str, value: object) -> InputError:
    """The error for a cell that holds no number: the typed text's own problem where it is text."""
    if isinstance(value, str):
        try:
            read_number(value, field)
        except Unreadable as problem:
            return _unreadable(field, value, problem)
    return _bad(field, value, "must_be_number")


def _unreadable(field: str, value: object, problem: Unreadable) -> InputError:
    return InputError("inputs.unreadable", field=field, value=value, problem=problem.problem)


class _Cells:
    """Positional access to a column's cells without converting the whole column."""

    def __init__(self, values: np.ndarray | pd.Series) -> None:
        self.values = values

    def __getitem__(self, i: int) -> object:
        value = self.values.iloc[i] if isinstance(self.values, pd.Series) else self.values[i]
        return value.item() if isinstance(value, np.generic) else value


def validate_numeric(
    field: str,
    values: np.ndarray | pd.Series,
    *,
    nan_is_error: bool,
    whole: bool = False,
    positive: bool = False,
    maximum: float,
    finer: str = "error",
) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Validate a numeric input.

    Values are read to six decimal places (micro-units). A difference below 0.001 micro-unit
    is float noise and is rounded away (``3000 * 2.7`` is 8100.000000000001); a value with
    real digits beyond the sixth place is rounded *up* when ``finer="up"`` (population: only
    ever multiplied, or divided into households) and is an error when ``finer="error"``
    (persons per household, which divides households and multiplies population, so neither
    rounding direction is safe for both).

    Returns
    -------
    scaled : int64 array
        Whole values (``whole=True``) or values in micro-units (1e-6), 0 where absent or bad.
    present : bool array
        Rows holding a valid value.
    errors : RowErrors
        An :class:`InputError` per bad row.
    """
    if len(values) == 1:  # one project: a whole number in range, or nothing, needs no array checks
        cell = values.iloc[0] if isinstance(values, pd.Series) else values[0]
        if cell is None:
            return np.zeros(1, dtype=np.int64), np.zeros(1, dtype=bool), RowErrors(1)
        plain = plain_number(cell, whole=whole, positive=positive, maximum=maximum, finer=finer)
        if plain is not None:
            return np.array([plain], dtype=np.int64), np.ones(1, dtype=bool), RowErrors(1)
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu" and len(values):
        ints = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if int(ints.min()) >= (1 if positive else 0) and int(ints.max()) <= maximum:
            # whole numbers in range (the usual column): nothing can be missing, fractional or bad
            scaled = ints.astype(np.int64, copy=False) if whole else ints.astype(np.int64) * MICRO
            return scaled, np.broadcast_to(True, len(ints)), RowErrors(len(ints))  # present in every row: read once
    cells = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    f, nonnumeric = to_float(values, field)
    n = len(f)
    errors = RowErrors(n)

    def flag(mask: np.ndarray, problem: str, **params: object) -> None:
        errors.record_by_value(mask, cells, lambda v: _bad(field, v, problem, **params))

    errors.record_by_value(nonnumeric, cells, lambda v: _not_numeric(field, v))
    if nan_is_error:
        # An explicit NaN (not None) is an error in scalar use: unknown is spelled None.
        nan = np.isnan(f) & ~nonnumeric
        if values.dtype == object:  # None, NA and blank text are "not given", not NaN
            nan &= np.array([v is not None and v is not pd.NA and not isinstance(v, str) for v in cells], dtype=bool)
        flag(nan, "nan")
    with np.errstate(invalid="ignore"):
        flag(np.isinf(f), "not_finite")
        if positive:
            flag(f <= 0, "not_positive")
        else:
            flag(f < 0, "negative")
        flag(f > maximum, "beyond_range", maximum=maximum)
        if whole:
            flag(np.isfinite(f) & (f != np.floor(f)), "fractional_households")
    present = np.isfinite(f) & ~errors.mask
    clean = np.where(present, f, 0.0)
    if whole:
        scaled = clean.astype(np.int64)
    else:
        micro = clean * MICRO
        nearest = np.rint(micro)
        fine = present & (np.abs(micro - nearest) > 1e-3)
        if finer == "up":
            nearest = np.where(fine, np.ceil(micro), nearest)
        else:
            flag(fine, "too_many_decimals")
            present &= ~fine
        scaled = np.where(present, nearest, 0).astype(np.int64)
    if positive:
        tiny = present & (scaled == 0)
        flag(tiny, "too_small")
        present &= ~tiny
    return scaled, present, errors


def plain_number(
    cell: object, *, whole: bool = False, positive: bool = False, maximum: float, finer: str = "error"
) -> int | None:
    """One cell as :func:`validate_numeric` reads it, where it is a plain number with nothing to say; else None.

    A Python int or float, finite, within the bounds, whole where ``whole``, to six decimals (finer
    digits rounded up where ``finer="up"``), not 0 where ``positive``: the same exact integer the
    array path makes of it (``float × MICRO`` rounded half to even, as ``np.rint``). None for anything
    else (None, text, NaN, a bad number): the array path reads it and gives its error.

    Examples
    --------
    >>> plain_number(2.7, positive=True, maximum=20), plain_number(8000.0000004, maximum=1e8, finer="up")
    (2700000, 8000000001)
    >>> plain_number(1200, whole=True, maximum=1e7), plain_number(-1, whole=True, maximum=1e7), plain_number("1,200", maximum=1)
    (1200, None, None)
    """
    if type(cell) is int:  # exactly int: not a bool, not numpy's (the array path reads those)
        number = int(cell)
        return (number if whole else number * MICRO) if (1 if positive else 0) <= number <= maximum else None
    if type(cell) is not float:
        return None
    value = float(cell)
    if not ((value > 0) if positive else (value >= 0)) or not value <= maximum:
        return None  # NaN fails every comparison
    if whole:
        return int(value) if value.is_integer() else None
    micro = value * MICRO
    nearest = round(micro)
    if abs(micro - nearest) > 1e-3:
        if finer != "up":
            return None
        nearest = math.ceil(micro)
    return None if positive and nearest == 0 else nearest


#: How each number input is read (:func:`validate_numeric`'s settings): one table for the batch's
#: validators and the one-project reader (:func:`plain_input`), so that the two cannot differ.
NUMBER_READS: dict[str, dict[str, Any]] = {
    "households": {"whole": True, "maximum": MAX_HOUSEHOLDS},
    "population": {"maximum": MAX_POPULATION, "finer": "up"},
    "persons_per_household": {"positive": True, "maximum": MAX_PERSONS_PER_HOUSEHOLD},
}
#: The least persons per household, in micro-persons: a household has a person (0.27 typed for 2.7
#: would cut a population-based requirement tenfold).
LEAST_PERSONS_PER_HOUSEHOLD = MICRO


def plain_input(name: str, cell: object) -> int | None:
    """One cell of number input ``name`` as its validator reads it, where it is plain
    (:func:`plain_number`) and valid; else None (the validator reads it and gives its error).

    Examples
    --------
    >>> plain_input("households", 1200), plain_input("persons_per_household", 2.8), plain_input("persons_per_household", 0.28)
    (1200, 2800000, None)
    """
    value = plain_number(cell, **NUMBER_READS[name])
    if name == "persons_per_household" and value is not None and value < LEAST_PERSONS_PER_HOUSEHOLD:
        return None
    return value


def validate_households(values: np.ndarray | pd.Series, nan_is_error: bool) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Households: whole, non-negative, at most ``MAX_HOUSEHOLDS``."""
    return validate_numeric("households", values, nan_is_error=nan_is_error, **NUMBER_READS["households"])


def validate_population(values: np.ndarray | pd.Series, nan_is_error: bool) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Population, in micro-persons (finer digits rounded up): non-negative, at most ``MAX_POPULATION``."""
    return validate_numeric("population", values, nan_is_error=nan_is_error, **NUMBER_READS["population"])


def validate_pph(values: np.ndarray | pd.Series, nan_is_error: bool) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Persons per household, in micro-persons: at least :data:`LEAST_PERSONS_PER_HOUSEHOLD` (a household
    has a person), at most ``MAX_PERSONS_PER_HOUSEHOLD``."""
    name = "persons_per_household"
    scaled, present, errors = validate_numeric(name, values, nan_is_error=nan_is_error, **NUMBER_READS[name])
    below = present & (scaled < LEAST_PERSONS_PER_HOUSEHOLD)
    if below.any():
        cells = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        errors.record_by_value(below, cells, lambda v: _bad(name, v, "below_one_person"))
        present = present & ~below
        scaled = np.where(present, scaled, 0)
    return scaled, present, errors


def parse_date(value: object) -> dt.date:
    """A date from a ``datetime.date``, ``datetime``, ISO string, numpy or pandas timestamp.

    Raises
    ------
    InputError
        Naming ``on`` and the value, for anything else.
    """
    if value is pd.NaT:  # a datetime by type, but no day: pandas' missing date
        raise _date_error(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise _date_error(value)
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise _date_error(value)
        return pd.Timestamp(value).date()
    if isinstance(value, str):
        try:
            return read_date(value)
        except Unreadable as problem:
            raise _unreadable("on", value, problem) from None
    if (
        isinstance(value, int | np.integer)
        and not isinstance(value, bool | np.bool_)
        and 10_000_000 <= value <= 99_991_231
    ):
        return parse_date(str(value))  # 20250601 read from a file as a whole number
    raise _date_error(value)


def _date_error(value: object) -> InputError:
    return InputError("inputs.not_a_date", field="on", value=value)


def to_days(values: np.ndarray | pd.Series) -> tuple[np.ndarray, RowErrors]:
    """Dates as int64 days since 1970-01-01, with per-row errors."""
    n = len(values)
    errors = RowErrors(n)
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.ArrowDtype):
        values = values.astype(object)  # Arrow dates with a null cannot become numpy dates: read each date
    if values.dtype.kind == "M":
        if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)  # the calendar date where the time was taken, not UTC's
        raw = values.to_numpy() if isinstance(values, pd.Series) else values  # keeps its own unit (years > 2262)
        days = raw.astype("datetime64[D]")
        nat = np.isnat(days)
        errors.record(nat, lambda _i: _date_error(None))
        out = np.where(nat, 0, days.astype(np.int64))
        return out.astype(np.int64), errors
    codes, uniques = factorize(values)
    unique_days = np.zeros(len(uniques) + 1, dtype=np.int64)  # the last slot for missing cells (code -1)
    unique_err: list[InputError | None] = [None] * len(uniques)
    for j, u in enumerate(uniques):
        try:
            unique_days[j] = (parse_date(u) - EPOCH).days
        except InputError as problem:
            unique_err[j] = problem
    out = unique_days[codes]  # a blank column has no unique values: every row gets the missing-date error
    cells = _Cells(values)
    errors.record(codes < 0, lambda i: _date_error(cells[i]))
    for j, exc in enumerate(unique_err):
        if exc is not None:
            errors.assign(codes == j, exc)
    return out.astype(np.int64), errors
