"""A batch's inputs checked row by row: each input's own check, households and population derived.

:func:`validate` takes a column per input of the project registry (a one-cell column for an
argument given once, checked once and spread over the rows as a read-only view: :func:`given_once`
tells it) and never raises for a bad row: the row keeps its own error. Households and population
are exact fractions (households whole, population in micro-persons), derived from one another
through persons per household where one is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ..errors import InputError, UnknownJurisdictionError
from ..messages import Message
from ..model.bases import ceil_div
from ..model.entities import Division
from ..model.project import PROJECT_INPUTS
from ..ruledata import RuleBook
from .area_types import area_type_codes
from .consistency import reconcile, trust_codes
from .core import MAX_HOUSEHOLDS, MAX_POPULATION, MICRO
from .inputs import (
    RowErrors,
    factorize,
    to_days,
    validate_households,
    validate_numeric,
    validate_population,
    validate_pph,
)
from .masks import both, either, every, gather, given_once, identity_or_take, negated, some
from .threads import each

__all__ = [
    "Inputs",
    "Product",
    "check_flag",
    "flag_column",
    "flag_error",
    "one",
    "validate",
]

Column: TypeAlias = np.ndarray | pd.Series


@dataclass
class Inputs:
    """Validated inputs of a batch, with households and population as exact fractions."""

    div_idx: np.ndarray
    divisions: list[Division]
    at_idx: np.ndarray
    at_names: list[str]
    days: np.ndarray
    drafts: np.ndarray
    reported: np.ndarray
    hh_num: np.ndarray
    pop_num: np.ndarray | Product
    known: dict[str, np.ndarray]  # input name -> rows where it is known (given or derived)
    derive_h: np.ndarray
    derive_p: np.ndarray
    pph: np.ndarray
    has_pph: np.ndarray
    given: dict[str, np.ndarray] = field(default_factory=dict)  # every other basis input, in micro-units


def one(value: Any) -> np.ndarray:
    """A one-row column holding ``value`` (the scalar API's input to the batch machinery)."""
    cells = np.empty(1, dtype=object)
    cells[0] = value
    return cells


def _jurisdiction_codes(book: RuleBook, values: Column) -> tuple[np.ndarray, list[Division], RowErrors]:
    codes, uniques = factorize(values)
    divisions: list[Division] = []
    mapping = np.full(len(uniques) + 1, -1, dtype=np.intp)
    errors = RowErrors(len(values))
    for j, u in enumerate(uniques):
        try:
            div = book.division(u)
        except UnknownJurisdictionError as exc:
            errors.assign(codes == j, exc)
            continue
        if div not in divisions:
            divisions.append(div)
        mapping[j] = divisions.index(div)
    errors.record(codes < 0, lambda _i: UnknownJurisdictionError(None, []))
    return identity_or_take(mapping, codes), divisions, errors


def flag_column(values: Column, name: str = "include_drafts") -> tuple[np.ndarray, RowErrors]:
    """An opt-in flag per row; anything but True or False is that row's error."""
    n = len(values)
    errors = RowErrors(n)
    if values.dtype.kind == "b" and not pd.isna(values).any():
        return np.asarray(values, dtype=bool), errors
    codes, uniques = factorize(values)
    table = np.zeros(len(uniques) + 1, dtype=bool)
    for j, v in enumerate(uniques):
        if isinstance(v, bool | np.bool_):
            table[j] = bool(v)
        else:
            errors.assign(codes == j, flag_error(name, v))
    errors.record(codes < 0, lambda _i: flag_error(name, None))
    return table[codes], errors


def check_flag(name: str, value: object) -> None:
    """Raise unless an opt-in is True or False."""
    if not isinstance(value, bool | np.bool_):
        raise flag_error(name, value)


def flag_error(name: str, v: object) -> InputError:
    """The error for an opt-in that is not True or False."""
    return InputError("inputs.not_a_switch", field=name, value=v)


def _derived_error(field: str, value: float, maximum: int, how: Message) -> InputError:
    return InputError("inputs.derived_beyond_range", field=field, value=value, how=how, maximum=maximum)


def spread(n: int, *result: Any) -> tuple[Any, ...]:
    """A check's result for a one-cell column (a scalar argument) given for all ``n`` rows.

    The value is checked once, not a million times; its arrays are then views of it for ``n`` rows
    (:func:`given_once` tells them).
    """
    *parts, errors = result
    if errors.n == n:
        return result
    # read-only views with a stride of 0: no memory, and nothing downstream writes into an input
    return (*[np.broadcast_to(p, n) if isinstance(p, np.ndarray) else p for p in parts], errors.spread(n))


@dataclass(frozen=True)
class Product:
    """Population as households × persons per household (micro-persons) where every row derives it:
    made only for the rows whose rules read it, not as a column of a million products."""

    h: np.ndarray
    k: np.ndarray

    def __getitem__(self, idx: np.ndarray | int) -> np.ndarray:
        return self.of(self.h[idx], idx)

    def of(self, h: np.ndarray, idx: np.ndarray | int) -> np.ndarray:
        """The products of rows ``idx`` whose households ``h`` (``self.h[idx]``) were gathered already."""
        k = self.k[0] if given_once(self.k) else self.k[idx]  # one figure per household for every row
        return h * k

    def above(self, limit: int) -> np.ndarray:
        """Rows whose product exceeds ``limit``, in integers (h × k > limit ⇔ h > ⌊limit / k⌋ for k > 0)."""
        if given_once(self.k):  # one figure per household: no row above where the largest households are not
            most = limit // max(int(self.k[0]), 1)
            return self.h > most if len(self.h) and int(self.h.max()) > most else np.broadcast_to(False, len(self.h))
        return self.h > limit // np.maximum(self.k, 1)

    def floats(self, scale: int, out: np.ndarray | None = None) -> np.ndarray:
        """The products ÷ ``scale`` as floats, exactly as from the int64 products (each below 2⁵³),
        written into ``out`` (float64) where given.

        With one figure per household for many rows of few distinct households (below a quarter of
        the rows), each quotient is worked out once, the same way, and read by its rows.
        """
        if given_once(self.k) and len(self.h) >= 4096:
            low, high = int(self.h.min()), int(self.h.max())
            if low >= 0 and high < len(self.h) // 4:
                table = np.multiply(np.arange(high + 1), self.k[0], dtype=np.float64)
                table /= scale
                return gather(table, self.h, out)
        out = np.multiply(self.h, self.k, dtype=np.float64, out=out)
        out /= scale
        return out


def _derive(
    h: np.ndarray, has_h: np.ndarray, p: np.ndarray, has_p: np.ndarray, k: np.ndarray, has_k: np.ndarray
) -> tuple[np.ndarray, np.ndarray | Product, np.ndarray, np.ndarray]:
    """Households and population to use, and the rows where each was derived from the other.

    Households are whole: derived ones are population ÷ persons per household rounded up (a
    household is never split, and rounding up never understates). Population is exact, in
    micro-persons: given, or households × persons per household. A row without either holds 0.
    """
    # no population given (the usual frame: a households column): nothing to derive households from
    derive_h = both(both(negated(has_h), has_p), has_k) if some(has_p) else np.zeros(len(h), dtype=bool)
    derive_p = both(both(negated(has_p), has_h), has_k)
    hh_num = h if every(has_h) else np.where(has_h, h, 0)
    if some(derive_h):
        hh_num = np.where(derive_h, ceil_div(p, np.where(derive_h, k, 1)), hh_num)
    pop_num: np.ndarray | Product
    # every row derives its population, or none is given and one figure per household holds for every row (the
    # usual frame: a households column, some of its cells bad or empty, whose rows' households are 0 here)
    if len(h) and (every(derive_p) or (not some(has_p) and given_once(k) and bool(has_k[0]))):
        pop_num = Product(hh_num, k)
    else:
        pop_num = p if every(has_p) else np.where(has_p, p, 0)
        if some(derive_p):
            pop_num = np.where(derive_p, h * k, pop_num)
    return hh_num, pop_num, derive_h, derive_p


def validate(book: RuleBook, n: int, raw: Mapping[str, Column], nan_is_error: bool) -> tuple[Inputs, RowErrors]:
    """Check every input; a column of one cell is a scalar argument, checked once for all ``n`` rows."""
    errors = RowErrors(n)
    # the long columns, side by side for a large batch (engine/threads.py); their errors kept in order
    checked: dict[str, Any] = each(
        {
            "jurisdiction": partial(_jurisdiction_codes, book, raw["jurisdiction"]),
            "households": partial(validate_households, raw["households"], nan_is_error),
            "area_type": partial(area_type_codes, raw["area_type"]),
        },
        n,
    )
    div_idx, divisions, e = spread(n, *checked["jurisdiction"])
    errors.merge(e)
    h, has_h, e = spread(n, *checked["households"])
    errors.merge(e)
    p, has_p, e = spread(n, *validate_population(raw["population"], nan_is_error))
    errors.merge(e)
    k, has_k, e = spread(n, *validate_pph(raw["persons_per_household"], nan_is_error))
    errors.merge(e)
    trust, e = spread(n, *trust_codes(raw["trust"]))
    errors.merge(e)
    has_h, has_p, e = reconcile(h, has_h, p, has_p, k, has_k, trust)
    errors.merge(e)
    at_idx, at_names, e = spread(n, *checked["area_type"])
    errors.merge(e)
    days, e = spread(n, *to_days(raw["on"]))
    errors.merge(e)
    drafts, e = spread(n, *flag_column(raw["include_drafts"], "include_drafts"))
    errors.merge(e)
    reported, e = spread(n, *flag_column(raw["include_reported"], "include_reported"))
    errors.merge(e)
    hh_num, pop_num, derive_h, derive_p = _derive(h, has_h, p, has_p, k, has_k)
    _check_derived(errors, hh_num, pop_num, derive_h, derive_p)
    ok = np.broadcast_to(True, n) if not errors.any() else ~errors.mask  # read once where no row failed
    known = {"households": both(either(has_h, derive_h), ok), "population": both(either(has_p, derive_p), ok)}
    given = _given_inputs(n, raw, nan_is_error, errors)
    known |= {name: both(present, negated(errors.mask)) for name, (_, present) in given.items()}
    inputs = Inputs(
        div_idx,
        divisions,
        at_idx,
        at_names,
        days,
        drafts,
        reported,
        hh_num,
        pop_num,
        known,
        derive_h,
        derive_p,
        k,
        has_k,
        {name: values for name, (values, _) in given.items()},
    )
    return inputs, errors


def _check_derived(
    errors: RowErrors, hh_num: np.ndarray, pop_num: np.ndarray | Product, derive_h: np.ndarray, derive_p: np.ndarray
) -> None:
    """Derived values must respect the same bounds as given ones (they keep the int64 exact)."""
    if some(derive_h):  # only a derived count can exceed the bound here: a given one was checked
        errors.record(
            derive_h & (hh_num > MAX_HOUSEHOLDS),
            lambda i: _derived_error("households", hh_num[i], MAX_HOUSEHOLDS, Message("inputs.households_derived")),
        )
    too_many = (
        pop_num.above(MAX_POPULATION * MICRO) if isinstance(pop_num, Product) else pop_num > MAX_POPULATION * MICRO
    )
    errors.record(
        both(derive_p, too_many),
        lambda i: _derived_error(
            "population", float(pop_num[i]) / MICRO, MAX_POPULATION, Message("inputs.population_derived")
        ),
    )


def _given_inputs(
    n: int, raw: Mapping[str, Column], nan_is_error: bool, errors: RowErrors
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every basis input but households and population, read as given: (micro-units, where present).

    Households and population derive one another through persons per household and have checks of
    their own; any other input a basis needs (a registry row with ``basis=``) is a non-negative number
    to six decimals, at most its declared maximum.
    """
    out = {}
    for name, spec in PROJECT_INPUTS.items():
        if spec.basis is None or name in ("households", "population"):
            continue
        maximum = spec.basis.maximum if spec.basis.maximum is not None else MAX_POPULATION
        values, present, e = spread(
            n, *validate_numeric(name, raw[name], nan_is_error=nan_is_error, maximum=maximum, finer="up")
        )
        errors.merge(e)
        out[name] = (values, present)
    return out
