"""One project by itself: the batch's readers and term functions on Python scalars, with no arrays of one.

``fs.size`` sizes one project. The batch machinery (:func:`~facility_sizing.engine.batch.run_one`)
checks one-cell columns and evaluates the plan over arrays of one row, and most of its time is
numpy's cost per call, not arithmetic. This path reads the project's values as Python scalars
through the same readers (:func:`~facility_sizing.engine.inputs.plain_number` inside the batch's
number validators, :func:`~facility_sizing.engine.area_types.area_type_name`,
:func:`~facility_sizing.engine.inputs.parse_date`, :meth:`RuleBook.division`), resolves the same
plan (:func:`~facility_sizing.engine.batch.resolve_spelled`) and calls the same term functions
of the basis registry (:data:`~facility_sizing.model.bases.BASES`) and the same combination of
terms (:meth:`QuantitySpec.combine`): it holds no rule and no wording of its own.

It takes only values it can read without a word to say: anything a reader would refuse or have
to explain (a bad number, households and population both given,
``trust``, an input a rule needs that the project lacks, a plan that cannot be resolved) gives
None, and the caller takes the batch path, which gives the project its error exactly as it gives
a row its error. ``tests/test_properties.py`` holds both paths to the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, TypeAlias, cast

import numpy as np

from ..errors import FacilitySizingError
from ..model.bases import BASES, BasisSpec, TermFn, TermInputs, ceil_div
from ..model.entities import Division, Rule
from ..model.memo import ByIdentity
from ..model.project import PROJECT_INPUTS, TODAY
from ..model.quantities import INPUTS, QUANTITIES, QuantitySpec
from ..ruledata import RuleBook
from .area_types import area_type_name
from .batch import Figure, One, resolve_spelled
from .core import MAX_HOUSEHOLDS, MAX_POPULATION, MICRO, no_residents_one, none_figure
from .inputs import parse_date, plain_input, validate_households, validate_population, validate_pph
from .plan import Plan
from .rows import one

__all__ = ["Read", "read_one"]

_NUMBERS = {"households": validate_households, "population": validate_population, "persons_per_household": validate_pph}


@dataclass(frozen=True)
class Read:
    """One project read and evaluated: as :func:`~facility_sizing.engine.batch.run_one` gives it, with its date and opt-ins."""

    one: One
    day: dt.date
    include_drafts: bool
    include_reported: bool


def _number(name: str, value: object) -> int | None:
    """A number as the batch's validator of ``name`` reads it (exact: whole or micro-units); None if not plain.

    A Python int or float is read by the validator's own settings without arrays (:func:`plain_input`);
    anything else (typed text such as 「3,000户」, numpy's numbers) by the validator itself.
    """
    plain = plain_input(name, value)
    if plain is not None:
        return plain
    scaled, present, errors = _NUMBERS[name](one(value), True)
    return int(scaled[0]) if present[0] and not errors.mask[0] else None


def _switch(project: Mapping[str, Any], name: str) -> bool | None:
    value = project.get(name, PROJECT_INPUTS[name].default)
    return value if type(value) is bool else None


def _day(value: object) -> dt.date | None:
    if value is None or value is TODAY:
        return dt.date.today()
    if type(value) is not str and type(value) is not dt.date:
        return None
    try:
        return parse_date(value)
    except FacilitySizingError:
        return None


def _plain(project: Mapping[str, Any]) -> bool:
    """Whether the project is of the shape this path reads: known inputs, the required given, no trust to
    apply, households or population (not both) and no other input a basis reads (the batch path reads those;
    the registries are read as they are now, so an input added since import is one of them)."""
    return (
        project.keys() <= PROJECT_INPUTS.keys()
        and all(name in project for name, spec in PROJECT_INPUTS.items() if spec.required)
        and project.get("trust") is None
        and all(project.get(name) is None for name in INPUTS if name not in _NUMBERS)
        and (project.get("households") is None or project.get("population") is None)
    )


def read_one(book: RuleBook, project: Mapping[str, Any]) -> Read | None:
    """Read, resolve and evaluate one project of plain values; None where the batch path must say something.

    Examples
    --------
    >>> from facility_sizing.ruledata import default_rulebook
    >>> read = read_one(default_rulebook(), {"jurisdiction": "西湖区", "households": 1334,
    ...                                      "area_type": "new_build", "on": "2025-01-01"})
    >>> read.one.evaluated["floor_area"].value, read.one.households
    (20010, 1334.0)
    >>> read_one(default_rulebook(), {"jurisdiction": "西湖区", "households": -1, "area_type": "new_build"}) is None
    True
    """
    if not _plain(project):
        return None
    jurisdiction, spelled = project["jurisdiction"], project["area_type"]
    day, drafts, reported = (
        _day(project.get("on")),
        _switch(project, "include_drafts"),
        _switch(project, "include_reported"),
    )
    if type(jurisdiction) not in (str, int) or type(spelled) is not str or day is None or None in (drafts, reported):
        return None
    name = area_type_name(spelled)
    numbers = {k: None if project.get(k) is None else _number(k, project[k]) for k in _NUMBERS}
    if name is None or any(v is None for k, v in numbers.items() if project.get(k) is not None):
        return None
    try:
        division = _division(book, jurisdiction)
        plan = resolve_spelled(book, division, name, day, bool(drafts), bool(reported))
    except FacilitySizingError:
        return None
    one_ = _evaluated(plan, numbers["households"], numbers["population"], numbers["persons_per_household"])
    return None if one_ is None else Read(one_, day, bool(drafts), bool(reported))


@lru_cache(maxsize=1024)
def _division(book: RuleBook, jurisdiction: str | int) -> Division:
    """:meth:`RuleBook.division` of a name or code, looked up once per rule book (an unknown one raises each time)."""
    return book.division(jurisdiction)


def _evaluated(plan: Plan, h: int | None, p: int | None, k: int | None) -> One | None:
    """Households and population derived as the batch derives them, and the plan evaluated; None where the batch must speak."""
    derive_h = h is None and p is not None and k is not None
    derive_p = p is None and h is not None and k is not None
    hh = int(ceil_div(p, k)) if derive_h and p is not None and k is not None else (h or 0)
    pop = h * k if derive_p and h is not None and k is not None else (p or 0)
    if hh > MAX_HOUSEHOLDS or pop > MAX_POPULATION * MICRO:  # a derived figure beyond range: the batch's error
        return None
    known = {"households": h is not None or derive_h, "population": p is not None or derive_p}
    if any(not known.get(name, False) for name in _NEEDS(plan)):
        return None  # an input a rule needs is missing: the batch's MissingInputError
    vacant = no_residents_one(hh, known["households"], pop, known["population"])
    return One(
        plan,
        evaluate_one(plan, hh, pop, vacant),
        float(hh) if known["households"] else None,
        float(pop) / MICRO if known["population"] else None,
        float(k) / MICRO if k is not None else None,
        derive_h,
        derive_p,
        {},
    )


#: The inputs a plan's rules read (made once per plan).
_NEEDS = ByIdentity(lambda plan: tuple(name for name in INPUTS if plan.term_needing(name) is not None))
_NO_INPUTS = TermInputs((0, 1), (0, MICRO), {}, {})


def _term(rule: Rule, spec: QuantitySpec, inputs: TermInputs) -> int:
    """A rule's own figure for the project: its basis's term function on Python ints."""
    return int(BASES[rule.basis or ""].term(rule.value or Fraction(0), rule.param_values(), spec, inputs))


#: The figure of a constant term (a minimum, a limit): the same for every project, so computed once per rule.
_CONSTANT = ByIdentity(lambda rule: _term(rule, QUANTITIES[rule.quantity], _NO_INPUTS))


def _fixed(basis: BasisSpec, quantity: str, done: Collection[str]) -> bool:
    """Whether a term is its rule's figure alone: a constant, not multiplied by a facilities count here."""
    return basis.constant and not (set(basis.after_quantities(quantity)) & set(done))


#: A term as evaluated for a project: its figure where it is the same for every project, else None and what
#: its basis's term function is called with (the function, the rule's value and extra numbers).
_Step: TypeAlias = tuple[int | None, TermFn, Fraction, Mapping[str, Fraction]]


def _steps(plan: Plan) -> tuple[tuple[str, QuantitySpec, tuple[_Step, ...]], ...]:
    """The plan's quantities with a figure, in evaluation order, each with its terms (made once per plan)."""
    out: list[tuple[str, QuantitySpec, tuple[_Step, ...]]] = []
    done: list[str] = []
    for q in plan.order:
        terms = plan.quantities[q].terms
        if not terms:
            continue
        spec, steps = QUANTITIES[q], []
        for t in terms:
            basis = BASES[t.rule.basis or ""]
            fixed = _CONSTANT(t.rule) if _fixed(basis, q, done) else None
            steps.append((fixed, basis.term, t.rule.value or Fraction(0), t.rule.param_values()))
        out.append((q, spec, tuple(steps)))
        done.append(q)
    return tuple(out)


_STEPS = ByIdentity(_steps)


def evaluate_one(plan: Plan, households: int, population: int, vacant: bool) -> dict[str, Figure | None]:
    """Every quantity of a plan for one project (households whole, population in micro-persons).

    The plan's term functions on Python ints, combined as :func:`~facility_sizing.engine.core.evaluate`
    combines them: each quantity after those its terms need; a term binds where its figure is the
    requirement (one term always binds); a project of no residents has no requirement (0, a limit
    none: -1) and no binding term.

    Examples
    --------
    >>> import datetime as dt
    >>> from facility_sizing.ruledata import default_rulebook
    >>> from facility_sizing.engine.plan import resolve
    >>> book = default_rulebook()
    >>> plan = resolve(book, book.division("西湖区"), "new_build", dt.date(2025, 1, 1), False)
    >>> evaluate_one(plan, 1334, 0, False)["floor_area"]
    Figure(value=20010, binding=1, terms=(20010, 20000))
    """
    out: dict[str, Figure | None] = dict.fromkeys(plan.quantities)
    done: dict[str, Any] = {}
    inputs = TermInputs((households, 1), (population, MICRO), done, {})
    for q, spec, steps in _STEPS(plan):
        values = tuple([int(term(v, params, spec, inputs)) if fixed is None else fixed
                        for fixed, term, v, params in steps])  # fmt: skip
        if len(values) == 1:  # one term: its figure, and it binds
            value, bits = values[0], 1
        else:  # the registry's combination of terms, on ints; each term equal to it binds
            value = int(spec.combine(cast("list[np.ndarray]", values)))  # ints, combined as ints
            bits = sum(1 << i for i, v in enumerate(values) if v == value)
        if vacant:  # no residential project: no requirement, no term binds, each term the same
            value = none_figure(spec.direction)
            bits, values = 0, (value,) * len(values)
        done[q] = value
        out[q] = Figure(value, bits, values)
    return out
