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
from ..model.vocabulary import TRUST_ALIASES, TRUST_LABELS
from .core import MAX_PERSONS_PER_HOUSEHOLD, MICRO
from .inputs import RowErrors, factorize

__all__ = ["TRUST", "reconcile", "trust_codes"]

#: Codes of the ``trust`` column: 0 = not said (check), then these in order.
TRUST: tuple[str, ...] = ("households", "population", "both")


def _trust_error(value: object) -> InputError:
    accepted = "、".join(f"{k!r}" for k in TRUST)
    return InputError(
        "trust",
        value,
        f"trust（以何者为准）须为 {accepted} 或不填，收到 {value!r}",
        f"trust must be one of {', '.join(repr(k) for k in TRUST)} or left out, got {value!r}",
    )


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
        lo = pop < h
        zh = (
            f"常住人口{pop:,.6g}人少于户数{h:,}户（每户至少1人）"
            if lo
            else f"常住人口{pop:,.6g}人超过户数{h:,}户的{MAX_PERSONS_PER_HOUSEHOLD}倍"
        )
        en = (
            f"a population of {pop:,.6g} is fewer than the {h:,} households (a household has at least one person)"
            if lo
            else f"a population of {pop:,.6g} is more than {MAX_PERSONS_PER_HOUSEHOLD} persons for each of the {h:,} households"
        )
    else:
        kk = k / MICRO
        implied = h * kk
        diff = abs(pop - implied)
        zh = (
            f"户数{h:,}户×户均人口{kk:g}人/户={implied:,.6g}人，与所给常住人口{pop:,.6g}人相差{diff:,.6g}人"
            f"（所给户数与人口折合户均{pop / h if h else float('nan'):.3g}人）"
        )
        en = (
            f"{h:,} households × {kk:g} persons per household = {implied:,.6g}, but the population given is "
            f"{pop:,.6g}: a difference of {diff:,.6g}"
        )
    how_zh = "、".join(f"trust={k!r}（{TRUST_LABELS[k].zh}）" for k in TRUST)
    how_en = ", ".join(f"trust={k!r} ({TRUST_LABELS[k].en})" for k in TRUST)
    what_zh = "户数与常住人口" if k is None else "户数、常住人口与户均人口"
    what_en = "households and population" if k is None else "households, population and persons per household"
    return InconsistentInputError(
        "population",
        pop,
        f"{what_zh}互相矛盾：{zh}。按其中任一项计算都可能少算配建要求；请核对输入，或以 {how_zh} 指明以哪项为准",
        f"{what_en} contradict each other: {en}. Either figure could "
        f"understate the requirement; check the inputs, or say which to trust with {how_en}",
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
    both = has_h & has_p
    if not both.any():  # the usual batch gives one of the two: nothing to set aside or check
        return has_h, has_p, RowErrors(len(h))
    has_p = has_p & ~(both & (trust == 1))  # trust the households: set the population aside
    has_h = has_h & ~(both & (trust == 2))  # trust the population: set the households aside
    check = both & (trust == 0)
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
