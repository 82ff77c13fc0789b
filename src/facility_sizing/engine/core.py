"""The vectorised numeric core: exact integer arithmetic over numpy arrays.

Everything the library computes goes through :func:`evaluate`, for one project or a million.

Exactness. Households are whole numbers; population and persons per household are read to
six decimal places (micro-persons), so a derived population ``households × persons`` and a
derived household count ``population ÷ persons`` are exact fractions ``num / den`` of int64
arrays. Rule figures are exact fractions too (15 m² per 100 households is 15/1 centi-m² per
household). Each requirement is a ceiling division of integers:

* area in centi-m² (0.01 m²): ``ceil(H × rate)``, never rounded below the exact value;
* slots: ``ceil(P × rate / 1000)``: 3,000 households × 2.7 persons at 10 per 1,000 is
  8,100 × 10 / 1,000 = 81 exactly, not 82 as a float product would give.

Bounds. With households ≤ ``MAX_HOUSEHOLDS``, population ≤ ``MAX_POPULATION``, persons per
household ≤ ``MAX_PERSONS_PER_HOUSEHOLD`` and every rule figure's numerator and denominator
≤ ``ruledata.common.MAX_FIGURE_TERM`` (a basis's extra numbers' numerators ≤ ``MAX_PARAM_TERM``), no
product exceeds 2.1e18 < 2**63: int64 cannot overflow. A new term function must keep to these
bounds (``docs/howto/add-a-basis.md``); ``tests/test_kinds.py`` checks each against a Fraction oracle
at the bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..model.bases import BASES, TermInputs, ceil_div
from ..model.quantities import QUANTITIES
from .masks import some
from .plan import Plan, QuantityPlan

__all__ = [
    "MAX_HOUSEHOLDS",
    "MAX_PERSONS_PER_HOUSEHOLD",
    "MAX_POPULATION",
    "MICRO",
    "Evaluated",
    "ceil_div",
    "evaluate",
    "no_residents",
    "none_figure",
    "vacate",
]

#: Population and persons per household are held in micro-units (1e-6).
MICRO = 1_000_000
#: Input bounds that keep the int64 arithmetic exact (see the module docstring).
MAX_HOUSEHOLDS = 10_000_000
MAX_POPULATION = 100_000_000
MAX_PERSONS_PER_HOUSEHOLD = 20

Num = np.ndarray | int


@dataclass(frozen=True)
class Evaluated:
    """One quantity evaluated over rows.

    ``value`` holds centi-m² for areas, slots for slots and the storey for floor limits;
    ``binding`` is a bitmask per row of the plan terms whose value equals the requirement;
    ``terms`` holds each term's own value (an array, or a scalar for a constant term).
    """

    value: np.ndarray
    binding: np.ndarray
    terms: tuple[np.ndarray, ...]


def evaluate_quantity(
    qplan: QuantityPlan,
    hh: tuple[Num, Num],
    pop: tuple[Num, Num],
    n: int,
    done: Mapping[str, np.ndarray],
    given: Mapping[str, tuple[Num, Num]] | None = None,
) -> Evaluated | None:
    """Evaluate one quantity of a plan; None when the plan has no figure for it.

    ``done`` holds the quantities evaluated before (those a basis such as per-slot needs).
    """
    if not qplan.terms:
        return None
    spec = QUANTITIES[qplan.quantity]
    inputs = TermInputs(hh, pop, done, given or {})
    values = [
        BASES[t.rule.basis or ""].term(t.rule.value or Fraction(0), t.rule.param_values(), spec, inputs)
        for t in qplan.terms
    ]
    result = spec.combine(values)
    result = np.broadcast_to(result, (n,)) if np.ndim(result) == 0 else result
    if len(values) == 1:
        binding = np.broadcast_to(np.uint8(1), (n,))  # one term: it binds in every row
    else:
        binding = (values[0] == result).view(np.uint8)
        for i, v in enumerate(values[1:], start=1):
            binding = binding | ((v == result).view(np.uint8) << np.uint8(i))
    return Evaluated(result, binding, tuple(values))


def no_residents(
    households: Any,
    known_households: np.ndarray,
    population: Any,
    known_population: np.ndarray,
    idx: np.ndarray | None = None,
) -> np.ndarray:
    """The rows that are no residential project: no households, or households unknown and no people.

    A project of 0 households (or, its households unknown, of 0 people) has no one living in it:
    it is no 居住区 of the documents (「新建居住区应按每百户……」), and no requirement arises from it —
    never a minimum such as Xihu's 200 m² (``shared/RULES.md``: "Zero households is no residential
    project"). An input that is unknown is never read as 0.

    Parameters
    ----------
    households, population : array of int64, or anything indexed like one
        Households and population (any scale) as the batch holds them: 0 where unknown.
    known_households, known_population : array of bool
        Where each is known (given or derived).
    idx : array of int, optional
        The rows to answer for (a group of a batch); default every row. The population is read
        only in the rows whose households are unknown.

    Examples
    --------
    >>> import numpy as np
    >>> no_residents(np.array([0, 0, 5, 0]), np.array([True, False, True, False]),
    ...              np.array([0, 0, 9, 7]), np.array([True, True, True, True])).tolist()
    [True, True, False, False]
    >>> no_residents(np.array([0, 0, 5, 0]), np.array([True, False, True, False]),
    ...              np.array([0, 0, 9, 7]), np.array([True, True, True, True]), idx=np.array([2, 3])).tolist()
    [False, False]
    """
    known_h = np.asarray(known_households, dtype=bool)
    known_p = np.asarray(known_population, dtype=bool)
    if idx is not None:
        known_h, known_p, households = known_h[idx], known_p[idx], households[idx]
    vacant = known_h & (np.asarray(households) == 0)
    by_population = ~known_h & known_p
    if by_population.any():  # households unknown, population known: read the population only there
        where = np.flatnonzero(by_population)
        vacant[where] = np.asarray(population[where if idx is None else np.asarray(idx)[where]]) == 0
    return vacant


def no_residents_one(households: int, known_households: bool, population: int, known_population: bool) -> bool:
    """:func:`no_residents` of one project, read from Python values (the one-project path makes no arrays of one).

    The same predicate: no households, or households unknown and no people. A test holds the two
    forms equal in every case (``tests/test_size_answer.py``).

    Examples
    --------
    >>> no_residents_one(0, True, 0, False), no_residents_one(0, False, 0, True), no_residents_one(0, False, 7, True)
    (True, True, False)
    """
    return households == 0 if known_households else bool(known_population) and population == 0


def none_figure(direction: str) -> int:
    """The figure of a row of no residents: no requirement (0) for a requirement, no limit (-1) for a limit."""
    return 0 if direction == "at_least" else -1


def _set(values: Any, rows: np.ndarray, to: int, dtype: Any = None) -> np.ndarray:
    """A copy of ``values`` over ``len(rows)`` rows (a scalar spread), ``to`` in the marked ``rows``."""
    out = np.array(np.broadcast_to(values, rows.shape), dtype=dtype)
    out[rows] = to
    return out


def vacate(none: int, value: Any, binding: Any, vacant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A quantity's figures and binding bits with no requirement in the ``vacant`` rows (``none``, no term binds)."""
    return _set(value, vacant, none), _set(binding, vacant, 0, np.uint8)


def _vacate(spec_direction: str, ev: Evaluated, vacant: np.ndarray) -> Evaluated:
    """``ev`` with no requirement in the ``vacant`` rows: 0 for a requirement, no limit (-1) for a limit."""
    none = none_figure(spec_direction)
    value, binding = vacate(none, ev.value, ev.binding, vacant)
    return Evaluated(value, binding, tuple(_set(t, vacant, none) for t in ev.terms))


def evaluate(
    plan: Plan,
    hh: tuple[Num, Num],
    pop: tuple[Num, Num],
    n: int,
    vacant: np.ndarray | None = None,
    *,
    given: Mapping[str, tuple[Num, Num]] | None = None,
) -> dict[str, Evaluated | None]:
    """Evaluate every quantity of a plan over ``n`` rows.

    Parameters
    ----------
    plan : Plan
        The resolved rules.
    hh, pop : (numerator, denominator)
        Households and population as exact fractions; each part an int64 array of length
        ``n`` or a Python int. Rows whose input is missing must hold 0 / 1 (their result is
        discarded by the caller).
    n : int
        Number of rows.
    given : mapping of str to (numerator, denominator), optional
        Every other input a basis may need (a registry row with ``basis=``), by name, as exact
        fractions like ``hh``.
    vacant : array of bool, optional
        The rows that are no residential project (:func:`no_residents`): every quantity with a
        figure is 0 there (a limit: none, -1), no term binds, and each term's own value is the same.

    Examples
    --------
    >>> import numpy as np, datetime as dt
    >>> from facility_sizing.ruledata import default_rulebook
    >>> from facility_sizing.engine.plan import resolve
    >>> book = default_rulebook()
    >>> plan = resolve(book, book.division("西湖区"), "new_build", dt.date(2025, 1, 1), False)
    >>> out = evaluate(plan, (np.array([1200, 1334]), 1), (np.zeros(2, np.int64), 1), 2)
    >>> (out["floor_area"].value / 100).tolist()
    [200.0, 200.1]
    >>> out = evaluate(plan, (np.array([0, 1334]), 1), (np.zeros(2, np.int64), 1), 2, vacant=np.array([True, False]))
    >>> (out["floor_area"].value / 100).tolist(), out["max_floor"].value.tolist()
    ([0.0, 200.1], [-1, 2])
    """
    out: dict[str, Evaluated | None] = {q: None for q in plan.quantities}
    done: dict[str, np.ndarray] = {}
    vacant = vacant if vacant is not None and some(vacant) else None
    for q in plan.order:  # a quantity comes after the quantities its terms need
        ev = evaluate_quantity(plan.quantities[q], hh, pop, n, done, given)
        if ev is not None and vacant is not None:  # no residential project: no requirement in those rows
            ev = _vacate(QUANTITIES[q].direction, ev, vacant)
        out[q] = ev
        if ev is not None:
            done[q] = ev.value
    return out
