"""The batch machinery every sizing call runs through: validate, resolve, evaluate.

:func:`run` takes ``n`` rows of inputs (:class:`~facility_sizing.model.project.Projects`), checks
them (:func:`facility_sizing.engine.rows.validate`), groups the rows by the plan they share,
resolves each plan once and evaluates its rows; it never raises for a bad row: the row keeps its
own error and the others go on. :func:`run_one` takes one project through the same checks and
term functions without the grouping (``fs.size``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import pandas as pd

from ..errors import FacilitySizingError, MissingInputError
from ..messages import Message
from ..model.bases import BASES
from ..model.entities import Division
from ..model.project import Projects
from ..model.quantities import INPUTS, QUANTITIES
from ..model.vocabulary import PLACE_AREA_PREFIX
from ..ruledata import RuleBook
from .area_types import old_town_error
from .core import MICRO, Evaluated, evaluate, no_residents
from .inputs import EPOCH, RowErrors
from .masks import every, given_once, negated, some
from .plan import Plan, breakpoints, resolve
from .rows import Inputs, Product, validate
from .tables import (
    CellFigures,
    Cells,
    GroupTable,
    cell_inputs,
    cell_width,
    cells_fit,
    first_appearance,
)

__all__ = ["Batch", "Figure", "GroupTable", "One", "check_old_town", "resolve_spelled", "run", "run_one"]

Column: TypeAlias = np.ndarray | pd.Series


@dataclass
class Batch:
    """Arrays of a batch run; row ``i`` of each belongs to input row ``i``.

    Rows are grouped by the plan they share: ``group`` gives each row's group (the last group:
    the bad rows), ``group_plan`` each group's plan (-1: none), and ``tables`` each quantity's
    figures by group, or by cell where ``cells`` is set (:mod:`facility_sizing.engine.tables`).
    ``plan_idx``, ``values`` and ``binding`` are the per-row arrays made from them when first read.
    """

    n: int
    plans: list[Plan]
    group: np.ndarray  # per row: intp, or the small key where figures are read by cell
    group_plan: np.ndarray  # intp per group: position in ``plans``, -1 for none
    tables: dict[str, GroupTable]
    inputs: Inputs  # the inputs as checked: households, population and persons per household are read from them
    households_derived: np.ndarray
    population_derived: np.ndarray
    row_errors: RowErrors  # each row's error (a hard one, or an input some quantity lacks)
    vacant_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))  # by group: see ``vacant``
    present: np.ndarray | None = None  # bool per group: whether any row is in it (None: not recorded)
    cells: Cells | None = None  # where each row reads its figures, if by cell

    @cached_property
    def households(self) -> np.ndarray:
        """Each row's households as used, as floats (NaN where unknown): :meth:`as_used`."""
        return self.as_used("households")

    @cached_property
    def population(self) -> np.ndarray:
        """Each row's population as used, as floats (NaN where unknown): :meth:`as_used`."""
        return self.as_used("population")

    @cached_property
    def persons_per_household(self) -> np.ndarray:
        """Each row's persons per household as given, as floats (NaN where not given): :meth:`as_used`."""
        return self.as_used("persons_per_household")

    def as_used(self, name: str, out: np.ndarray | None = None) -> np.ndarray:
        """Each row's ``households``, ``population`` or ``persons_per_household`` as used, as floats
        (NaN where unknown; persons per household: where not given), written into ``out`` where given.

        Population that is households × one figure per household is read from a table of the
        distinct households (:meth:`Product.floats`).
        """
        x = self.inputs
        if name == "households":
            return _known_or_nan(x.hh_num, x.known["households"], 1, out)
        if name == "population":
            return _known_or_nan(x.pop_num, x.known["population"], MICRO, out)
        if name == "persons_per_household":
            return _known_or_nan(x.pph, x.has_pph, MICRO, out)
        raise ValueError(f"no input as used named {name!r}")

    @cached_property
    def vacant(self) -> np.ndarray:
        """The rows sized as no residential project (no households; or, those unknown, no people)."""
        if self.cells is None:
            return self.vacant_rows
        c = self.cells  # a cell of no households begins each block (a row of no plan has an error)
        return np.flatnonzero((c.cell % c.width == 0) & ~self.row_errors.mask)

    def groups_present(self) -> np.ndarray:
        """Whether each group has rows (the last group, the bad rows, has rows only where some row failed)."""
        if self.present is None:
            return np.bincount(self.group, minlength=len(self.group_plan)) > 0
        return self.present

    @property
    def errors(self) -> np.ndarray:
        """The exception of each bad row, None elsewhere."""
        return self.row_errors.objs

    @property
    def error_mask(self) -> np.ndarray:
        """The rows with an error."""
        return self.row_errors.mask

    @cached_property
    def plan_idx(self) -> np.ndarray:
        """Each row's position in ``plans``, -1 where it has none."""
        return np.take(self.group_plan, self.group)

    @cached_property
    def values(self) -> dict[str, np.ndarray]:
        """int64 in each quantity's internal unit, -1 where no figure or error."""
        return {q: t.values(self.group) for q, t in self.tables.items()}

    @cached_property
    def binding(self) -> dict[str, np.ndarray]:
        """uint8 bitmask of the binding terms of each row's figure."""
        return {q: t.bindings(self.group) for q, t in self.tables.items()}


def _missing_error(plan: Plan, name: str) -> MissingInputError | None:
    """The error for rows of ``plan`` that lack input ``name``, or None if the plan does not need it."""
    term = plan.term_needing(name)
    if term is None:
        return None
    rule = term.rule
    q = QUANTITIES[rule.quantity]
    basis = rule.basis or ""
    return MissingInputError(
        "inputs.missing",
        field=name,
        value=None,
        place=plan.division.name,
        place_en=plan.division.name_en,
        area_term=plan.area_term,
        quantity=q.label,
        basis=BASES[basis].label,
        citation=rule.citation(),
        hint=Message(INPUTS[name].hint),
    )


def _same_everywhere(values: np.ndarray) -> bool:
    """Whether ``values`` is one value given for every row (a scalar argument, or a column that never varies)."""
    return len(values) > 0 and (given_once(values) or bool((values == values[0]).all()))


def _division_part(book: RuleBook, x: Inputs, step: int) -> tuple[np.ndarray, int]:
    """Each row's (division, date period) as one number × ``step``, and the number of keys.

    Rules change only at breakpoints, so rows of a division dated within one period share its rules:
    the periods of each division are numbered one after another (one per division where every row
    has one date). The part is int8 or int16 where every key fits (the usual case), so the rows
    are sorted by one radix pass.
    """
    days = x.days
    if _same_everywhere(days):  # one date for every row (the usual case): a division's rows share one period
        size = max(len(x.divisions), 1) * step
        # division × step, in the key's own type (a bad row's -1 gives a key it never keeps: see _group_keys)
        return np.multiply(x.div_idx, step, dtype=_key_dtype(size), casting="unsafe"), size
    bps = [_breakpoint_days(book, div.code) for div in x.divisions]
    first = np.cumsum([0, *(1 + len(b) for b in bps)])  # each division's first period
    size = max(int(first[-1]), 1) * step
    epoch = np.take(np.append(first[:-1], 0).astype(np.int32), x.div_idx)
    for d, b in enumerate(bps):
        sel = np.flatnonzero(x.div_idx == d)
        epoch[sel] += np.searchsorted(b, days[sel], side="right").astype(np.int32)
    return (epoch * step).astype(_key_dtype(size)), size


def _key_dtype(size: int) -> type[np.signedinteger[Any]]:
    """The smallest integer type that holds ``size + 1`` keys (the last: the bad rows)."""
    return np.int8 if size < np.iinfo(np.int8).max else np.int16 if size < np.iinfo(np.int16).max else np.int32


@lru_cache(maxsize=4096)
def _breakpoint_days(book: RuleBook, code: str) -> np.ndarray:
    """The dates a division's rules change on, as days since 1970 (read-only: shared between calls)."""
    days = np.array([(b - EPOCH).days for b in breakpoints(book, code)], dtype=np.int64)
    days.flags.writeable = False
    return days


def _group_keys(book: RuleBook, x: Inputs, bad: np.ndarray) -> tuple[np.ndarray, int]:
    """One small key per row, ``size`` for a bad row: rows with equal keys share a plan.

    The key packs (division, date period, area type, opt-ins) densely, so that the rows are
    grouped by counting, not by hashing: ``size`` is the number of keys there can be. A part given
    once for every row (one area type, the opt-ins) takes no room in it.
    """
    kinds = max(len(x.at_names), 1) if not _same_everywhere(x.at_idx) else 1
    flags = 1 if _same_everywhere(x.drafts) and _same_everywhere(x.reported) else 4
    key, size = _division_part(book, x, kinds * flags)
    if kinds > 1:
        np.add(key, x.at_idx if flags == 1 else x.at_idx * flags, out=key, casting="unsafe")
    if flags > 1:
        key += (x.drafts + 2 * x.reported.astype(np.int32)).astype(key.dtype)
    if bad.any():
        key[bad] = size
    return key, size


def _groups(key: np.ndarray, size: int) -> list[np.ndarray]:
    """Positions of equal keys below ``size``, one array per key present, by first appearance."""
    if len(key) == 1:  # one project
        return [np.zeros(1, dtype=np.intp)] if key[0] < size else []
    counts = np.bincount(key, minlength=size + 1)
    order = np.argsort(key, kind="stable")  # a radix sort for int8 and int16 keys
    bounds = np.concatenate([[0], np.cumsum(counts)])
    groups = [order[bounds[g] : bounds[g + 1]] for g in np.flatnonzero(counts[:size])]
    return sorted(groups, key=lambda idx: int(idx[0]))  # in order of first appearance, as the rows came


def check_old_town(plan: Plan, spelled: str) -> None:
    """Raise where a place word (老城区, 老旧小区) was given but the plan's documents do not use it.

    The word is the document's where its term for existing areas says it, or the quoted clause of
    one of the plan's existing-area figures does (Keqiao 二(一)2 「在已建城市居住区，要结合老旧小区改造……」).
    """
    if not spelled.startswith(PLACE_AREA_PREFIX):
        return
    word = spelled.removeprefix(PLACE_AREA_PREFIX)
    quoted = (t.rule.text for qp in plan.quantities.values() for t in qp.terms)
    if word not in plan.area_term and not any(word in text for text in quoted):
        docs = "、".join(d.label for d in plan.documents)
        raise old_town_error(word, plan.division.name, plan.area_term, docs)


def resolve_spelled(
    book: RuleBook, division: Division, spelled: str, day: dt.date, include_drafts: bool, include_reported: bool
) -> Plan:
    """The plan of one case, its area type as :func:`~facility_sizing.engine.area_types.area_type_name` names it."""
    area_type = "existing" if spelled.startswith(PLACE_AREA_PREFIX) else spelled
    plan = resolve(book, division, area_type, day, include_drafts, include_reported)
    check_old_town(plan, spelled)
    return plan


def _resolve_group(book: RuleBook, x: Inputs, idx: np.ndarray) -> Plan:
    """The plan of a group of rows (they share division, area type, opt-ins and date period)."""
    i0 = idx[0]
    day = EPOCH + dt.timedelta(days=int(x.days[i0]))
    division, spelled = x.divisions[x.div_idx[i0]], x.at_names[x.at_idx[i0]]
    return resolve_spelled(book, division, spelled, day, bool(x.drafts[i0]), bool(x.reported[i0]))


def _input(plan: Plan, name: str, values: np.ndarray | Product, idx: np.ndarray) -> np.ndarray | int:
    """The rows' values of an input the plan reads, or 0 for one it does not (nothing gathered)."""
    return values[idx] if plan.term_needing(name) is not None else 0


def _evaluate_rows(plan: Plan, x: Inputs, idx: np.ndarray) -> dict[str, Evaluated | None]:
    """The term functions of ``plan`` on rows ``idx``: each input as an exact fraction, gathered only if read.

    A row of no households (or, its households unknown, of no people) is no residential project: no
    requirement arises from it (:func:`~facility_sizing.engine.core.no_residents`).
    """
    hh, pop = _input(plan, "households", x.hh_num, idx), _input(plan, "population", x.pop_num, idx)
    given = {name: (_input(plan, name, values, idx), MICRO) for name, values in x.given.items()}
    vacant = no_residents(x.hh_num, x.known["households"], x.pop_num, x.known["population"], idx)
    return evaluate(plan, (hh, 1), (pop, MICRO), len(idx), vacant, given=given)


def _evaluate_group(
    plan: Plan, x: Inputs, idx: np.ndarray, everywhere: dict[str, bool]
) -> tuple[dict[str, Evaluated | None], np.ndarray | None]:
    """The term functions of ``plan`` on a group's rows, and its rows of no residents (None if none).

    As :func:`_evaluate_rows`, but the rows of no residents are returned beside the figures rather
    than set in them (:meth:`GroupTable.add` sets them): a group of one figure stays one entry.
    Where every row's households are known (the usual frame), they alone say which rows are empty.
    """
    hh_rows = x.hh_num[idx]
    hh = hh_rows if plan.term_needing("households") is not None else 0
    if isinstance(x.pop_num, Product) and x.pop_num.h is x.hh_num and plan.term_needing("population") is not None:
        pop: np.ndarray | int = x.pop_num.of(hh_rows, idx)  # households × persons, the households gathered once
    else:
        pop = _input(plan, "population", x.pop_num, idx)
    given = {name: (_input(plan, name, values, idx), MICRO) for name, values in x.given.items()}
    if everywhere["households"]:
        vacant = hh_rows == 0
    else:
        vacant = no_residents(x.hh_num, x.known["households"], x.pop_num, x.known["population"], idx)
    return evaluate(plan, (hh, 1), (pop, MICRO), len(idx), given=given), vacant if some(vacant) else None


@dataclass
class _Grouped:
    """The rows' groups, each group's plan and each quantity's figures by group (see :class:`Batch`)."""

    plans: list[Plan]
    group: np.ndarray
    group_plan: np.ndarray
    tables: dict[str, GroupTable]
    vacant: np.ndarray  # the rows of no residents (their figures set by :meth:`GroupTable.add`)
    present: np.ndarray  # bool per group: whether any row is in it
    cells: Cells | None = None  # where each row reads its figures, if by cell


def _resolve_first(
    book: RuleBook, x: Inputs, key: np.ndarray, groups: np.ndarray
) -> dict[int, Plan | FacilitySizingError]:
    """Each group's plan (or why it has none), resolved from its first row, in order of first appearance."""
    firsts = first_appearance(lambda lo, hi: key[lo:hi], len(key), set(groups.tolist()))
    out: dict[int, Plan | FacilitySizingError] = {}
    for k, row in firsts.items():
        try:
            out[k] = _resolve_group(book, x, np.array([row], dtype=np.intp))
        except FacilitySizingError as exc:
            out[k] = exc
    return out


def _evaluate_cells(
    book: RuleBook, x: Inputs, errors: RowErrors, key: np.ndarray, size: int, force: bool
) -> _Grouped | None:
    """As :func:`_evaluate_groups`, by cell (:mod:`facility_sizing.engine.tables`); None where cells do not fit.

    Each group's term functions are evaluated once over households ``0 … width - 1`` (the cell of no
    households: no residential project), and each row reads the cell of its group and households.
    """
    bad = key == size if errors.any() else None
    width = cell_width(x, bad, size, force)
    if width is None:
        return None
    cells = Cells.build(key, size, width, x.hh_num, bad)
    resolved = _resolve_first(book, x, key, cells.present())
    if not cells_fit(x, [p for p in resolved.values() if isinstance(p, Plan)], bad):
        return None
    plans: list[Plan] = []
    plan_of_key = np.full(size + 1, -1, dtype=np.intp)  # the last key: a bad row, no plan
    for k, plan in resolved.items():
        if not isinstance(plan, Plan):  # the group's rows share its error, as rows of no plan
            lost = key == k
            errors.assign(lost, plan)
            key[lost] = size  # its cells keep no figure; its households and population are still as given
            continue
        pos = next((i for i, known in enumerate(plans) if known is plan), len(plans))
        if pos == len(plans):
            plans.append(plan)
        plan_of_key[k] = pos
    figures = {q: CellFigures.empty(cells) for q in QUANTITIES}
    for k in np.flatnonzero(plan_of_key >= 0).tolist():
        plan = plans[plan_of_key[k]]
        hh, pop, given = cell_inputs(x, plan, width)
        for q, ev in evaluate(plan, (hh, 1), (pop, MICRO), width, hh == 0, given=given).items():
            if ev is not None:
                figures[q].set_block(k, ev.value, ev.binding)
    tables = {q: GroupTable.empty(size + 1, q) for q in QUANTITIES}
    for q, table in tables.items():
        table.by_cell = figures[q]
    present = plan_of_key >= 0
    present[size] = errors.any()
    # the key as it is: rows read their figures by cell, and the rule set alone is gathered by it
    return _Grouped(plans, key, plan_of_key, tables, np.zeros(0, dtype=np.intp), present, cells)


def _evaluate_groups(
    book: RuleBook, x: Inputs, errors: RowErrors, partial: RowErrors, cells: bool | None = None
) -> _Grouped:
    """Resolve each group's plan once, evaluate its rows, and withdraw the figures a row lacks an input for.

    A row missing an input (population for a per-1,000 slot rule) keeps every figure it can
    compute; the quantities that need the input (and those that rest on them) have no figure, and
    the row's ``partial`` error says why. ``cells``: by cell where they pay (None), wherever they
    fit (True), or never (False): see :func:`_evaluate_cells`.
    """
    key, size = _group_keys(book, x, errors.mask)
    if cells is not False:
        by_cell = _evaluate_cells(book, x, errors, key, size, force=cells is True)
        if by_cell is not None:
            return by_cell
    everywhere = {name: every(known) for name, known in x.known.items()}
    plan_of_key = np.full(size + 1, -1, dtype=np.intp)  # the last key: a bad row, no plan
    tables = {q: GroupTable.empty(size + 1, q) for q in QUANTITIES}
    plans: list[Plan] = []
    vacant_rows = [np.zeros(0, dtype=np.intp)]
    present = np.zeros(size + 1, dtype=bool)
    present[size] = errors.any()  # the bad rows' key
    n = len(key)
    for idx in _groups(key, size):
        try:
            plan = _resolve_group(book, x, idx)
        except FacilitySizingError as exc:
            errors.assign(_mask(n, idx), exc)
            key[idx] = size
            present[size] = True
            continue
        pos = next((i for i, known in enumerate(plans) if known is plan), len(plans))
        if pos == len(plans):
            plans.append(plan)
        k = int(key[idx[0]])
        plan_of_key[k] = pos
        present[k] = True
        evaluated, vacant = _evaluate_group(plan, x, idx, everywhere)
        if vacant is not None:
            vacant_rows.append(idx[vacant])
        for q, ev in evaluated.items():
            if ev is not None:
                tables[q].add(k, idx, ev.value, ev.binding, vacant)
        for name in INPUTS:
            missing = None if everywhere[name] else _missing_error(plan, name)
            if missing is not None:
                lacking = idx[~x.known[name][idx]]
                partial.assign(_mask(n, lacking), missing)
                for q in plan.quantities_needing(name) if lacking.size else ():
                    tables[q].withdrawn.append(lacking)
    # the key converted once: each gather by it would convert a smaller index again
    vacant = np.concatenate(vacant_rows).astype(np.intp)
    return _Grouped(plans, key.astype(np.intp), plan_of_key, tables, vacant, present)


def run(book: RuleBook, projects: Projects, *, nan_is_error: bool, cells: bool | None = None) -> Batch:
    """Validate, resolve and evaluate a batch of projects. Never raises for a bad row: its error is kept.

    ``projects`` holds one column per input of the registry (:data:`~facility_sizing.model.project.PROJECT_INPUTS`);
    build it with :mod:`facility_sizing.engine.projects`. ``cells``: evaluate by cell
    (:mod:`facility_sizing.engine.tables`) where it pays (None), wherever it fits (True), or never (False).
    """
    n = projects.n
    x, errors = validate(book, n, projects.columns, nan_is_error)
    partial = RowErrors(n)
    g = _evaluate_groups(book, x, errors, partial, cells)
    errors.merge(partial)  # a hard error of the row wins over a missing input
    return Batch(
        n=n,
        plans=g.plans,
        group=g.group,
        group_plan=g.group_plan,
        tables=g.tables,
        inputs=x,
        households_derived=x.derive_h,
        population_derived=x.derive_p,
        row_errors=errors,
        vacant_rows=g.vacant,
        present=g.present,
        cells=g.cells,
    )


_FIRST = np.zeros(1, dtype=np.intp)


class Figure(NamedTuple):
    """One quantity of one project: the requirement, the bitmask of binding terms and each term's own figure.

    In the quantity's internal unit (centi-m² for areas), as :class:`~facility_sizing.engine.core.Evaluated`
    holds them for a row, as Python ints.
    """

    value: int
    binding: int
    terms: tuple[int, ...]

    @classmethod
    def of(cls, ev: Evaluated) -> Figure:
        """The figure of the one row of ``ev``."""
        return cls(int(ev.value[0]), int(ev.binding[0]), tuple(int(np.ravel(t)[0]) for t in ev.terms))


@dataclass(frozen=True)
class One:
    """One project evaluated: its plan, each quantity's figure and terms, the inputs as used.

    ``evaluated`` holds, per quantity of the plan, its :class:`Figure` (None where the plan has no
    figure); households and population are None where unknown.
    """

    plan: Plan
    evaluated: dict[str, Figure | None]
    households: float | None
    population: float | None
    persons_per_household: float | None
    households_derived: bool
    population_derived: bool
    given: dict[str, float] = field(default_factory=dict)  # every other basis input the project gave


def run_one(book: RuleBook, projects: Projects) -> One:
    """Validate, resolve and evaluate one project: the batch's checks and term functions, without its grouping.

    A batch groups rows by plan and keeps a table of figures per group, to size a million rows
    at once; one project has one plan, so this resolves it directly and evaluates the same
    :func:`~facility_sizing.engine.core.evaluate` on the one row. ``projects`` is one row
    (:func:`~facility_sizing.engine.projects.one_project`).

    Raises
    ------
    FacilitySizingError
        The project's error, as :func:`run` would give it the row: a bad input first, then a plan
        that cannot be resolved, then an input a rule needs but the project lacks.
    """
    x, errors = validate(book, 1, projects.columns, nan_is_error=True)
    if errors.any():
        raise errors.first()
    plan = _resolve_group(book, x, _FIRST)
    evaluated = _evaluate_rows(plan, x, _FIRST)
    for name in INPUTS:
        missing = None if x.known[name][0] else _missing_error(plan, name)
        if missing is not None:
            raise missing

    def known(values: np.ndarray | Product, name: str, scale: int) -> float | None:
        return float(values[_FIRST][0]) / scale if x.known[name][0] else None

    return One(
        plan,
        {q: None if ev is None else Figure.of(ev) for q, ev in evaluated.items()},
        known(x.hh_num, "households", 1),
        known(x.pop_num, "population", MICRO),
        float(x.pph[0]) / MICRO if x.has_pph[0] else None,
        bool(x.derive_h[0]),
        bool(x.derive_p[0]),
        {name: float(values[0]) / MICRO for name, values in x.given.items() if x.known[name][0]},
    )


def _known_or_nan(
    values: np.ndarray | Product, known: np.ndarray, scale: int, out: np.ndarray | None = None
) -> np.ndarray:
    """``values / scale`` as floats, NaN where unknown (written into ``out``, float64, where given)."""
    if isinstance(values, Product):
        floats = values.floats(scale, out)
    else:
        floats = np.empty(len(values)) if out is None else out
        if given_once(values):  # one figure for every row
            floats.fill(values[0] / scale)
        elif scale != 1:
            np.divide(values, scale, out=floats)
        else:
            floats[...] = values
    if not every(known):
        np.copyto(floats, np.nan, where=negated(known))
    return floats


def _mask(n: int, idx: np.ndarray) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[idx] = True
    return m
