"""The batch machinery every sizing call runs through: validate, derive, resolve, evaluate.

:func:`run` takes ``n`` rows of raw inputs and never raises for a bad row: the row keeps its
own error and the others go on. One project (``fs.size``) is a batch of one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ..errors import FacilitySizingError, InputError, MissingInputError, UnknownJurisdictionError
from ..model.bases import BASES, ceil_div
from ..model.entities import Division
from ..model.quantities import INPUTS, QUANTITIES
from ..model.vocabulary import OLD_TOWN_AREA, OLD_TOWN_WORD, OPT_INS
from ..ruledata import RuleBook
from .consistency import reconcile, trust_codes
from .core import MAX_HOUSEHOLDS, MAX_POPULATION, MICRO, evaluate
from .inputs import (
    EPOCH,
    RowErrors,
    area_type_codes,
    factorize,
    old_town_error,
    to_days,
    validate_households,
    validate_population,
    validate_pph,
)
from .plan import Plan, breakpoints, resolve

__all__ = ["Batch", "check_flag", "check_old_town", "flag_column", "flag_error", "one", "run"]

Column: TypeAlias = np.ndarray | pd.Series


@dataclass
class Batch:
    """Arrays of a batch run; row ``i`` of each belongs to input row ``i``."""

    n: int
    plans: list[Plan]
    plan_idx: np.ndarray
    values: dict[str, np.ndarray]  # int64 in each quantity's internal unit, -1 where no figure or error
    binding: dict[str, np.ndarray]  # uint8 bitmask of binding terms
    terms: dict[str, list[np.ndarray]]  # per quantity, each term's own value (kept for n == 1)
    households: np.ndarray
    population: np.ndarray
    households_derived: np.ndarray
    population_derived: np.ndarray
    persons_per_household: np.ndarray
    days: np.ndarray
    drafts: np.ndarray
    reported: np.ndarray
    errors: np.ndarray  # the exception of each bad row, None elsewhere
    error_mask: np.ndarray


@dataclass
class _Inputs:
    """Validated inputs of a batch, with households and population as exact fractions."""

    div_idx: np.ndarray
    divisions: list[Division]
    at_idx: np.ndarray
    at_names: list[str]
    days: np.ndarray
    drafts: np.ndarray
    reported: np.ndarray
    hh_num: np.ndarray
    pop_num: np.ndarray
    known: dict[str, np.ndarray]  # input name -> rows where it is known (given or derived)
    derive_h: np.ndarray
    derive_p: np.ndarray
    pph: np.ndarray
    has_pph: np.ndarray


def one(value: Any) -> np.ndarray:
    """A one-row column holding ``value`` (the scalar API's input to the batch machinery)."""
    cells = np.empty(1, dtype=object)
    cells[0] = value
    return cells


def _jurisdiction_codes(book: RuleBook, values: Column) -> tuple[np.ndarray, list[Division], RowErrors]:
    codes, uniques = factorize(values)
    divisions: list[Division] = []
    mapping = np.full(len(uniques) + 1, -1, dtype=np.int64)
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
    out = mapping[codes]
    errors.record(codes < 0, lambda _i: UnknownJurisdictionError(None, []))
    return out, divisions, errors


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
    zh = OPT_INS[name].zh
    return InputError(
        name, v, f"{name}（{zh}）须为 True 或 False，收到 {v!r}", f"{name} must be True or False, got {v!r}"
    )


def _groups(key: np.ndarray) -> list[np.ndarray]:
    """Positions of equal keys, one array per distinct key, in order of first appearance."""
    codes, uniques = pd.factorize(key)
    if len(uniques) <= 32:
        return [np.flatnonzero(codes == g) for g in range(len(uniques))]
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques)))
    return np.split(order, bounds[:-1])


def _derived_error(field: str, value: float, maximum: int, how: str) -> InputError:
    return InputError(
        field,
        value,
        f"推算的 {field}（{how}）为 {value:,.0f}，超出可计算范围（不超过 {maximum:,}）；请检查输入",
        f"the derived {field} ({how}) is {value:,.0f}, beyond the supported range (at most {maximum:,}); check the inputs",
    )


def _missing_error(plan: Plan, name: str) -> MissingInputError | None:
    """The error for rows of ``plan`` that lack input ``name``, or None if the plan does not need it."""
    term = plan.term_needing(name)
    if term is None:
        return None
    rule = term.rule
    q = QUANTITIES[rule.quantity]
    basis = rule.basis or ""
    how = BASES[basis].label
    hint = INPUTS[name].hint
    return MissingInputError(
        name,
        None,
        f"{plan.division.name}{plan.area_term}的{q.label.zh}指标按{how.zh}计（{rule.citation()}）：{hint.zh}",
        f"the {q.label.en} rule of {plan.division.name_en} ({rule.citation()}) is {how.en}: {hint.en}",
    )


def _validate(book: RuleBook, n: int, raw: dict[str, Column], nan_is_error: bool) -> tuple[_Inputs, RowErrors]:
    errors = RowErrors(n)
    div_idx, divisions, e = _jurisdiction_codes(book, raw["jurisdiction"])
    errors.merge(e)
    h, has_h, e = validate_households(raw["households"], nan_is_error)
    errors.merge(e)
    p, has_p, e = validate_population(raw["population"], nan_is_error)
    errors.merge(e)
    k, has_k, e = validate_pph(raw["persons_per_household"], nan_is_error)
    errors.merge(e)
    trust, e = trust_codes(raw["trust"])
    errors.merge(e)
    has_h, has_p, e = reconcile(h, has_h, p, has_p, k, has_k, trust)
    errors.merge(e)
    at_idx, at_names, e = area_type_codes(raw["area_type"])
    errors.merge(e)
    days, e = to_days(raw["on"])
    errors.merge(e)
    drafts, e = flag_column(raw["include_drafts"], "include_drafts")
    errors.merge(e)
    reported, e = flag_column(raw["include_reported"], "include_reported")
    errors.merge(e)
    # Households are whole: derived ones are population ÷ persons per household rounded up (a
    # household is never split, and rounding up never understates). Population is exact, in
    # micro-persons: given, or households × persons per household.
    derive_h = ~has_h & has_p & has_k
    derive_p = ~has_p & has_h & has_k
    hh_num = np.where(has_h, h, np.where(derive_h, ceil_div(p, np.where(derive_h, k, 1)), 0))
    pop_num = np.where(has_p, p, np.where(derive_p, h * k, 0))
    # Derived values must respect the same bounds as given ones (they keep the int64 exact).
    errors.record(
        derive_h & (hh_num > MAX_HOUSEHOLDS),
        lambda i: _derived_error("households", hh_num[i], MAX_HOUSEHOLDS, "population ÷ persons_per_household"),
    )
    errors.record(
        derive_p & (pop_num > MAX_POPULATION * MICRO),
        lambda i: _derived_error(
            "population", pop_num[i] / MICRO, MAX_POPULATION, "households × persons_per_household"
        ),
    )
    known = {"households": (has_h | derive_h) & ~errors.mask, "population": (has_p | derive_p) & ~errors.mask}
    inputs = _Inputs(
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
    )
    return inputs, errors


def _group_keys(book: RuleBook, x: _Inputs, rows: np.ndarray, n: int) -> np.ndarray:
    """One key per (division, area type, opt-ins, date period): rows with equal keys share a plan."""
    epoch = np.zeros(n, dtype=np.int64)
    for d, div in enumerate(x.divisions):
        sel = rows[x.div_idx[rows] == d]
        bps = np.array([(b - EPOCH).days for b in breakpoints(book, div.code)], dtype=np.int64)
        epoch[sel] = np.searchsorted(bps, x.days[sel], side="right")
    opt_ins = x.drafts[rows].astype(np.int64) + 2 * x.reported[rows]
    return ((x.div_idx[rows] * 4 + x.at_idx[rows]) * 4 + opt_ins) * 4096 + epoch[rows]


def _empty(n: int) -> Batch:
    nan = np.full(n, np.nan)
    return Batch(
        n=n,
        plans=[],
        plan_idx=np.full(n, -1, dtype=np.int32),
        values={q: np.full(n, -1, dtype=np.int64) for q in QUANTITIES},
        binding={q: np.zeros(n, dtype=np.uint8) for q in QUANTITIES},
        terms={q: [] for q in QUANTITIES},
        households=nan,
        population=nan,
        households_derived=np.zeros(n, dtype=bool),
        population_derived=np.zeros(n, dtype=bool),
        persons_per_household=nan,
        days=np.zeros(n, dtype=np.int64),
        drafts=np.zeros(n, dtype=bool),
        reported=np.zeros(n, dtype=bool),
        errors=np.full(n, None, dtype=object),
        error_mask=np.zeros(n, dtype=bool),
    )


def check_old_town(plan: Plan, spelled: str) -> None:
    """Raise where 老城区 was given but the plan's documents do not use the word."""
    if spelled == OLD_TOWN_AREA and OLD_TOWN_WORD not in plan.area_term:
        docs = "、".join(d.label for d in plan.documents)
        raise old_town_error(OLD_TOWN_WORD, plan.division.name, plan.area_term, docs)


def _evaluate_groups(
    book: RuleBook, x: _Inputs, errors: RowErrors, partial: RowErrors, out: Batch, keep_terms: bool
) -> None:
    """Resolve each group's plan once, evaluate its rows, and withdraw the figures a row lacks an input for.

    A row missing an input (population for a per-1,000 slot rule) keeps every figure it can
    compute; the quantities that need the input (and those that rest on them) have no figure, and
    the row's ``partial`` error says why.
    """
    rows = np.flatnonzero(~errors.mask)
    if not rows.size:
        return
    plan_pos: dict[int, int] = {}
    for members in _groups(_group_keys(book, x, rows, out.n)):
        idx = rows[members]
        i0 = idx[0]
        day = EPOCH + dt.timedelta(days=int(x.days[i0]))
        try:
            division, spelled = x.divisions[x.div_idx[i0]], x.at_names[x.at_idx[i0]]
            area_type = "existing" if spelled == OLD_TOWN_AREA else spelled
            plan = resolve(book, division, area_type, day, bool(x.drafts[i0]), bool(x.reported[i0]))
            check_old_town(plan, spelled)
        except FacilitySizingError as exc:
            errors.assign(_mask(out.n, idx), exc)
            continue
        pos = plan_pos.setdefault(id(plan), len(out.plans))
        if pos == len(out.plans):
            out.plans.append(plan)
        evaluated = evaluate(plan, (x.hh_num[idx], 1), (x.pop_num[idx], MICRO), len(idx))
        out.plan_idx[idx] = pos
        for q, ev in evaluated.items():
            if ev is None:
                continue
            out.values[q][idx] = ev.value
            out.binding[q][idx] = ev.binding
            if keep_terms:
                out.terms[q] = list(ev.terms)
        for name in INPUTS:
            missing = _missing_error(plan, name)
            if missing is None:
                continue
            lacking = idx[~x.known[name][idx]]
            partial.assign(_mask(out.n, lacking), missing)
            for q in plan.quantities_needing(name):
                out.values[q][lacking] = -1
                out.binding[q][lacking] = 0


def run(book: RuleBook, n: int, raw: dict[str, Column], *, nan_is_error: bool, keep_terms: bool = False) -> Batch:
    """Validate, resolve and evaluate ``n`` rows. Never raises for a bad row: its error is kept.

    ``raw`` holds one column per input: ``jurisdiction``, ``households``, ``population``,
    ``persons_per_household``, ``trust``, ``area_type``, ``on``, ``include_drafts`` and ``include_reported``.
    """
    x, errors = _validate(book, n, raw, nan_is_error)
    out = _empty(n)
    partial = RowErrors(n)
    _evaluate_groups(book, x, errors, partial, out, keep_terms)
    bad = errors.mask
    out.plan_idx[bad] = -1
    for q in QUANTITIES:
        out.values[q][bad] = -1
    hh_known, pop_known = x.known["households"], x.known["population"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out.households = np.where(hh_known, x.hh_num.astype(np.float64), np.nan)
    out.population = np.where(pop_known, x.pop_num / MICRO, np.nan)
    out.households_derived = x.derive_h
    out.population_derived = x.derive_p
    out.persons_per_household = np.where(x.has_pph, x.pph / MICRO, np.nan)
    out.days = x.days
    out.drafts = x.drafts
    out.reported = x.reported
    keep = partial.mask & ~bad  # a hard error of the row wins over a missing input
    out.errors = np.where(keep, partial.objs, errors.objs)
    out.error_mask = bad | keep
    return out


def _mask(n: int, idx: np.ndarray) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[idx] = True
    return m
