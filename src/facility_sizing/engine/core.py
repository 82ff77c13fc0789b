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

import numpy as np

from ..model.bases import BASES, TermInputs, ceil_div
from ..model.quantities import QUANTITIES
from .plan import Plan, QuantityPlan

__all__ = [
    "MAX_HOUSEHOLDS",
    "MAX_PERSONS_PER_HOUSEHOLD",
    "MAX_POPULATION",
    "MICRO",
    "Evaluated",
    "ceil_div",
    "evaluate",
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


def evaluate(
    plan: Plan,
    hh: tuple[Num, Num],
    pop: tuple[Num, Num],
    n: int,
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
    """
    out: dict[str, Evaluated | None] = {q: None for q in plan.quantities}
    done: dict[str, np.ndarray] = {}
    for q in plan.order:  # a quantity comes after the quantities its terms need
        ev = evaluate_quantity(plan.quantities[q], hh, pop, n, done, given)
        out[q] = ev
        if ev is not None:
            done[q] = ev.value
    return out
