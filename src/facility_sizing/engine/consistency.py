"""Households, population and persons per household that contradict each other.

A project given 1,000 households, a population of 100 and 2.7 persons per household cannot be
right: whichever rule reads the population would size it for 100 people and understate the
requirement with no word. Such a row is an :class:`~facility_sizing.errors.InconsistentInputError`
naming the three values and the difference, unless the caller says which to trust
(``trust="households"``, ``"population"`` or ``"both"``).

When are they consistent?

* Households and population both given: a household has at least one person and at most
  ``MAX_PERSONS_PER_HOUSEHOLD``, so the population lies between those multiples.
* Persons per household given as well: the population divided by the households must equal
  it to the precision it was given in (2.7 admits 2.65 to 2.75 persons), or differ from
  ``households × persons per household`` by less than one household. All in exact integers
  (micro-persons), so a float cannot tip a row either way.

``trust="households"`` sets the given population aside (it is derived from the persons per
household where that is given, else unknown); ``"population"`` sets the households aside;
``"both"`` keeps both as given and skips the check (persons per household, then unused).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InconsistentInputError, InputError
from ..messages import Message
from ..model.vocabulary import TRUST_ALIASES, TRUST_LABELS
from .core import MAX_PERSONS_PER_HOUSEHOLD, MICRO
from .inputs import RowErrors, factorize
from .masks import both, some

__all__ = ["TRUST", "reconcile", "trust_codes"]

#: Codes of the ``trust`` column: 0 = not said (check), then these in order.
TRUST: tuple[str, ...] = ("households", "population", "both")


def _trust_error(value: object) -> InputError:
    return InputError("inputs.trust", field="trust", value=value, accepted=[repr(k) for k in TRUST])


def trust_code(value: object) -> int:
    """The code of one ``trust`` value (0 when not given); raises :class:`InputError` if unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return 0
    key = TRUST_ALIASES.get(str(value).strip().lower()) if isinstance(value, str) else None
    if key is None:
        raise _trust_error(value)
    return TRUST.index(key) + 1


def trust_codes(values: np.ndarray | pd.Series) -> tuple[np.ndarray, RowErrors]:
    """One code per row (0 = not said); an unknown value is that row's error."""
    n = len(values)
    errors = RowErrors(n)
    if isinstance(values, pd.Series) and values.dtype == object and values.isna().all():
        return np.zeros(n, dtype=np.int8), errors  # not given: the usual case, checked at once
    codes, uniques = factorize(values)
    table = np.zeros(len(uniques) + 1, dtype=np.int8)  # the last entry: missing cells
    for j, v in enumerate(uniques):
        try:
            table[j] = trust_code(v)
        except InputError as exc:
            errors.assign(codes == j, exc)
    return table[codes], errors


def _half_unit_scale(k: np.ndarray) -> np.ndarray:
    """10 to the power of the trailing zeros of each micro-person figure (at most 10⁶): for 2.7
    (2,700,000) 10⁵, twice the tolerance per household of a figure given to one decimal."""
    if k.size > 1 and (k == k[0]).all():  # one figure for every row (a scalar argument): computed once
        return np.full(k.shape, _half_unit_scale(k[:1])[0], dtype=np.int64)
    scale = np.ones(k.shape, dtype=np.int64)
    for t in range(1, 7):
        scale = np.where(k % 10**t == 0, 10**t, scale)
    return scale


def _contradiction(h: int, p: int, k: int | None) -> InconsistentInputError:
    """The error for one row, naming the values and the difference."""
    pop = p / MICRO
    if k is None:
        detail = Message(
            "inputs.population_below_households" if pop < h else "inputs.population_above_households",
            {"population": pop, "households": h, "most": MAX_PERSONS_PER_HOUSEHOLD},
        )
    else:
        kk = k / MICRO
        implied = h * kk
        detail = Message(
            "inputs.implied_population",
            {
                "households": h,
                "pph": kk,
                "implied": implied,
                "population": pop,
                "difference": abs(pop - implied),
                "given_pph": pop / h if h else float("nan"),
            },
        )
    choices = [Message("inputs.trust_choice", {"choice": c, "label": TRUST_LABELS[c]}) for c in TRUST]
    return InconsistentInputError(
        "inputs.contradiction" if k is None else "inputs.contradiction_pph",
        field="population",
        value=pop,
        detail=detail,
        choices=choices,
    )


def reconcile(
    h: np.ndarray,
    has_h: np.ndarray,
    p: np.ndarray,
    has_p: np.ndarray,
    k: np.ndarray,
    has_k: np.ndarray,
    trust: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Apply ``trust`` and check the rest: the households and population to use, and each row's error.

    ``h`` is whole households, ``p`` and ``k`` micro-persons (exact integers).
    """
    given = both(has_h, has_p)
    if not some(given):  # the usual batch gives one of the two: nothing to set aside or check
        return has_h, has_p, RowErrors(len(h))
    has_p = has_p & ~(given & (trust == 1))  # trust the households: set the population aside
    has_h = has_h & ~(given & (trust == 2))  # trust the population: set the households aside
    check = given & (trust == 0)
    errors = RowErrors(len(h))
    rows = np.flatnonzero(check)
    if not rows.size:
        return has_h, has_p, errors
    idx: np.ndarray | slice = slice(None) if rows.size == len(h) else rows  # every row: views, not copies
    hh, pp = h[idx].astype(np.int64, copy=False), p[idx].astype(np.int64, copy=False)
    impossible = (pp < hh * MICRO) | (pp > hh * (MAX_PERSONS_PER_HOUSEHOLD * MICRO))
    with_k = has_k[idx]
    kk = np.where(with_k, k[idx], MICRO).astype(np.int64, copy=False)
    gap = np.abs(pp - hh * kk)
    # to the precision k was given in (half a unit of its last decimal per household), or within one household
    within = (2 * gap <= hh * _half_unit_scale(kk)) | (gap < kk)
    bad_k = np.zeros(len(h), dtype=bool)
    bad_k[idx] = with_k & (~within | impossible)
    bad = np.zeros(len(h), dtype=bool)
    bad[idx] = impossible
    errors.record(bad_k, lambda i: _contradiction(int(h[i]), int(p[i]), int(k[i])))
    errors.record(bad, lambda i: _contradiction(int(h[i]), int(p[i]), None))
    return has_h, has_p, errors
