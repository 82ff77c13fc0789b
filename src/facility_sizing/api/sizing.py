"""The public sizing API: :func:`size`, :func:`size_frame`, :func:`rules_in_force`.

:func:`size` is a thin wrapper: it runs the batch machinery (:func:`_run`) on one row and
turns that row into a :class:`~facility_sizing.results.Requirement`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..engine.core import CENTI, MAX_HOUSEHOLDS, MAX_POPULATION, MICRO, ceil_div, evaluate
from ..engine.inputs import (
    EPOCH,
    FIELD_LABELS,
    RowErrors,
    _is_missing,
    aligned,
    area_type_codes,
    factorize,
    frame_column,
    parse_date,
    to_days,
    validate_households,
    validate_population,
    validate_pph,
)
from ..engine.plan import QUANTITY_LABELS, Plan, breakpoints, canonical_area_type, resolve
from ..errors import (
    FacilitySizingError,
    InputError,
    MissingInputError,
    NotInForceError,
    StaleRuleWarning,
    UnknownJurisdictionError,
    bilingual,
)
from ..results.requirement import Requirement, RuleUse
from ..ruledata.book import QUANTITIES, Division, Rule, RuleBook, rulebook_or_default

__all__ = ["jurisdictions", "rules_in_force", "size", "size_frame"]

_AREA_QUANTITIES = ("floor_area", "outdoor_area")


@dataclass
class _Batch:
    """Arrays of a batch run; row ``i`` of each belongs to input row ``i``."""

    n: int
    plans: list[Plan]
    plan_idx: np.ndarray
    values: dict[str, np.ndarray]  # int64, -1 where no figure or error
    binding: dict[str, np.ndarray]  # uint8 bitmask of binding terms
    terms: dict[str, list[np.ndarray]]  # per quantity, each term's own value (kept for n == 1)
    households: np.ndarray
    population: np.ndarray
    households_derived: np.ndarray
    population_derived: np.ndarray
    persons_per_household: np.ndarray
    days: np.ndarray
    drafts: np.ndarray
    errors: np.ndarray  # the exception of each bad row, None elsewhere
    error_mask: np.ndarray


def _one(value: Any) -> np.ndarray:
    """A one-row column holding ``value`` (the scalar API's input to the batch machinery)."""
    cells = np.empty(1, dtype=object)
    cells[0] = value
    return cells


def _jurisdiction_codes(book: RuleBook, values: np.ndarray | pd.Series) -> tuple[np.ndarray, list[Division], RowErrors]:
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
    errors.record(codes < 0, lambda i: UnknownJurisdictionError(None, []))
    return out, divisions, errors


def _drafts(values: np.ndarray | pd.Series) -> tuple[np.ndarray, RowErrors]:
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
            errors.assign(codes == j, _drafts_error(v))
    errors.record(codes < 0, lambda i: _drafts_error(None))
    return table[codes], errors


def _check_drafts_flag(value: object) -> None:
    if not isinstance(value, bool | np.bool_):
        raise _drafts_error(value)


def _drafts_error(v: object) -> InputError:
    return InputError(
        "include_drafts",
        v,
        f"include_drafts（是否采用征求意见稿）须为 True 或 False，收到 {v!r}",
        f"include_drafts must be True or False, got {v!r}",
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


def _missing_error(plan: Plan, needs: str) -> MissingInputError:
    rule: Rule = next(t.rule for q in plan.quantities.values() for t in q.terms if t.rule.basis == needs)
    where = f"{plan.division.name}{plan.area_term}"
    if needs == "per_100_households":
        return MissingInputError(
            "households",
            None,
            f"{where}的{QUANTITY_LABELS[rule.quantity][0]}指标按每百户计（{rule.citation()}）：请传入 households，"
            "或同时传入 population 与 persons_per_household 以推算户数",
            f"the {QUANTITY_LABELS[rule.quantity][1]} rule of {plan.division.name_en} ({rule.citation()}) is per 100 "
            "households: pass households, or population together with persons_per_household",
        )
    return MissingInputError(
        "population",
        None,
        f"{where}的托位指标按每千人口计（{rule.citation()}）：请传入 population，或传入 persons_per_household "
        "由户数推算人口（库不内置默认户均人口）",
        f"the slot rule of {plan.division.name_en} ({rule.citation()}) is per 1,000 population: pass population, "
        "or persons_per_household to derive it from households (the library ships no default)",
    )


def _run(
    book: RuleBook,
    n: int,
    *,
    jurisdiction: np.ndarray | pd.Series,
    households: np.ndarray | pd.Series,
    population: np.ndarray | pd.Series,
    persons_per_household: np.ndarray | pd.Series,
    area_type: np.ndarray | pd.Series,
    on: np.ndarray | pd.Series,
    include_drafts: np.ndarray | pd.Series,
    nan_is_error: bool,
    keep_terms: bool = False,
) -> _Batch:
    """Validate, resolve and evaluate ``n`` rows. Never raises for a bad row: its error is kept."""
    errors = RowErrors(n)
    div_idx, divisions, e = _jurisdiction_codes(book, jurisdiction)
    errors.merge(e)
    h, has_h, e = validate_households(households, nan_is_error)
    errors.merge(e)
    p, has_p, e = validate_population(population, nan_is_error)
    errors.merge(e)
    k, has_k, e = validate_pph(persons_per_household, nan_is_error)
    errors.merge(e)
    at_idx, at_names, e = area_type_codes(area_type)
    errors.merge(e)
    days, e = to_days(on)
    errors.merge(e)
    drafts, e = _drafts(include_drafts)
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
    hh_known = (has_h | derive_h) & ~errors.mask
    pop_known = (has_p | derive_p) & ~errors.mask

    values = {q: np.full(n, -1, dtype=np.int64) for q in QUANTITIES}
    binding = {q: np.zeros(n, dtype=np.uint8) for q in QUANTITIES}
    terms: dict[str, list[np.ndarray]] = {q: [] for q in QUANTITIES}
    plan_idx = np.full(n, -1, dtype=np.int32)
    plans: list[Plan] = []
    plan_pos: dict[int, int] = {}

    rows = np.flatnonzero(~errors.mask)
    if rows.size:
        # One group per (division, area type, drafts, date period): each resolves to one plan.
        epoch = np.zeros(n, dtype=np.int64)
        for d, div in enumerate(divisions):
            sel = rows[div_idx[rows] == d]
            bps = np.array([(b - EPOCH).days for b in breakpoints(book, div.code)], dtype=np.int64)
            epoch[sel] = np.searchsorted(bps, days[sel], side="right")
        key = ((div_idx[rows] * 4 + at_idx[rows]) * 2 + drafts[rows]) * 4096 + epoch[rows]
        for members in _groups(key):
            idx = rows[members]
            i0 = idx[0]
            day = EPOCH + dt.timedelta(days=int(days[i0]))
            try:
                plan = resolve(book, divisions[div_idx[i0]], at_names[at_idx[i0]], day, bool(drafts[i0]))
            except FacilitySizingError as exc:
                errors.assign(_mask(n, idx), exc)
                continue
            pos = plan_pos.setdefault(id(plan), len(plans))
            if pos == len(plans):
                plans.append(plan)
            if plan.needs_households:
                errors.assign(_mask(n, idx[~hh_known[idx]]), _missing_error(plan, "per_100_households"))
            if plan.needs_population:
                errors.assign(_mask(n, idx[~pop_known[idx]]), _missing_error(plan, "per_1000_population"))
            out = evaluate(plan, (hh_num[idx], 1), (pop_num[idx], MICRO), len(idx))
            plan_idx[idx] = pos
            for q, ev in out.items():
                if ev is None:
                    continue
                values[q][idx] = ev.value
                binding[q][idx] = ev.binding
                if keep_terms:
                    terms[q] = list(ev.terms)

    bad = errors.mask
    plan_idx[bad] = -1
    for q in QUANTITIES:
        values[q][bad] = -1
    with np.errstate(invalid="ignore", divide="ignore"):
        hh_float = np.where(hh_known, hh_num.astype(np.float64), np.nan)
    pop_float = np.where(pop_known, pop_num / MICRO, np.nan)
    return _Batch(
        n=n,
        plans=plans,
        plan_idx=plan_idx,
        values=values,
        binding=binding,
        terms=terms,
        households=hh_float,
        population=pop_float,
        households_derived=derive_h,
        population_derived=derive_p,
        persons_per_household=np.where(has_k, k / MICRO, np.nan),
        days=days,
        drafts=drafts,
        errors=errors.objs,
        error_mask=errors.mask,
    )


def _mask(n: int, idx: np.ndarray) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[idx] = True
    return m


def _scalar(name: str, value: Any) -> Any:
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray | list | tuple | set | dict):
        raise InputError(
            name,
            value,
            f"{name}（{FIELD_LABELS[name]}）须为单个值，收到 {type(value).__name__}；成批计算请用 fs.size_frame",
            f"{name} must be a single value, got a {type(value).__name__}; use fs.size_frame for many rows",
        )
    return value


def _scalar_jurisdiction(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int | np.integer | float | np.floating):
        raise UnknownJurisdictionError(value, [])
    return value


def size(
    *,
    jurisdiction: str | int,
    area_type: str,
    households: float | None = None,
    population: float | None = None,
    persons_per_household: float | None = None,
    on: dt.date | str | None = None,
    include_drafts: bool = False,
    rulebook: RuleBook | None = None,
) -> Requirement:
    """Size the infant-care facility one residential project must provide.

    Parameters
    ----------
    jurisdiction : str or int
        Chinese name with or without its city (``"西湖区"``, ``"杭州市西湖区"``), pinyin
        (``"xihu"``), English (``"Xihu District"``) or 6-digit GB/T 2260 code (``"330106"``).
    area_type : str
        ``"new_build"`` (新建), ``"existing"`` (已建成) or ``"rural"`` (农村) where the
        jurisdiction distinguishes it. There is no default: the rules differ.
    households : int, optional
        Number of households (户). Whole and non-negative.
    population : float, optional
        Permanent population (常住人口).
    persons_per_household : float, optional
        Persons per household (户均人口), used only to derive whichever of households and
        population is missing. The library ships no default.
    on : date or ISO string, optional
        The date whose rules apply; default today. A date before the jurisdiction's rules took
        effect raises :class:`~facility_sizing.NotInForceError`.
    include_drafts : bool, default False
        Use consultation drafts (征求意见稿) too; their figures are marked draft.
    rulebook : RuleBook, optional
        Rules to use instead of the built-in ones (see :func:`facility_sizing.load_rules`).

    Returns
    -------
    Requirement
        ``floor_area_m2``, ``outdoor_area_m2``, ``slots``, ``max_floor`` (None where no rule
        sets a figure), ``rules`` (each rule used, which bound, and why a quantity has no
        figure), ``warnings`` and the assumptions.

    Raises
    ------
    InputError
        A bad argument (also a ValueError); :class:`MissingInputError` when a rule needs
        households or population that cannot be derived.
    UnknownJurisdictionError
        Unknown jurisdiction (also a LookupError), with the closest names.
    NotInForceError, DraftOnlyError
        No rule applies on the date, or only a draft does and drafts were not included.

    Notes
    -----
    Per-100-household rates are proportional (1,334 households × 15 m²/100 = 200.1 m²).
    Areas are exact and rounded up to 0.01 m²; slots are rounded up to whole slots with exact
    arithmetic (3,000 households × 2.7 persons at 10 per 1,000 is 81, not 82). Where both an
    area and a slot rule exist, both apply. A date after a plan period still answers, with a
    :class:`StaleRuleWarning`.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    >>> req.floor_area_m2, req.outdoor_area_m2, req.slots, req.max_floor
    (200.0, 40.0, None, 2)
    >>> fs.size(jurisdiction="keqiao", households=3000, persons_per_household=2.7,
    ...         area_type="新建", on="2025-01-01").slots
    81
    """
    book = rulebook_or_default(rulebook)
    if on is None:
        on = dt.date.today()
    day = parse_date(on)
    _check_drafts_flag(include_drafts)
    batch = _run(
        book,
        1,
        jurisdiction=_one(_scalar_jurisdiction(jurisdiction)),
        households=_one(_scalar("households", households)),
        population=_one(_scalar("population", population)),
        persons_per_household=_one(_scalar("persons_per_household", persons_per_household)),
        area_type=_one(_scalar("area_type", area_type)),
        on=_one(day),
        include_drafts=_one(bool(include_drafts)),
        nan_is_error=True,
        keep_terms=True,
    )
    error = batch.errors[0]
    if error is not None:
        if isinstance(error, NotInForceError):
            raise NotInForceError(f"on={day.isoformat()}: {error}")
        raise error
    plan = batch.plans[batch.plan_idx[0]]
    req = _requirement(batch, plan, day, bool(include_drafts))
    if plan.stale:
        for w in plan.warnings:
            warnings.warn(StaleRuleWarning(w), stacklevel=2)
    return req


def _out_value(quantity: str, raw: int) -> float | int | None:
    if raw < 0:
        return None
    if quantity in _AREA_QUANTITIES:
        return raw / CENTI
    return int(raw)


def _requirement(batch: _Batch, plan: Plan, day: dt.date, include_drafts: bool) -> Requirement:
    uses: list[RuleUse] = []
    for q, qp in plan.quantities.items():
        if qp.no_figure is not None:
            uses.append(RuleUse(q, "no_figure", None, plan.division.name, False, message=qp.no_figure.message()))
            continue
        bits = int(batch.binding[q][0])
        for i, term in enumerate(qp.terms):
            computed = _out_value(q, int(np.ravel(batch.terms[q][i])[0]))
            uses.append(
                RuleUse(q, "figure", term.rule, term.source.name, term.inherited, computed, bool(bits >> i & 1))
            )
    for term in plan.obligations:
        uses.append(RuleUse("obligation", "obligation", term.rule, term.source.name, term.inherited))

    def opt(a: np.ndarray) -> float | None:
        return None if np.isnan(a[0]) else float(a[0])

    values = {q: _out_value(q, int(batch.values[q][0])) for q in QUANTITIES}
    return Requirement(
        jurisdiction=plan.division,
        area_type=plan.area_type,
        area_term=plan.area_term,
        on=day,
        include_drafts=include_drafts,
        floor_area_m2=values["floor_area"],  # type: ignore[arg-type]
        outdoor_area_m2=values["outdoor_area"],  # type: ignore[arg-type]
        slots=values["slots"],  # type: ignore[arg-type]
        max_floor=values["max_floor"],  # type: ignore[arg-type]
        households=opt(batch.households),
        population=opt(batch.population),
        persons_per_household=opt(batch.persons_per_household),
        households_derived=bool(batch.households_derived[0]),
        population_derived=bool(batch.population_derived[0]),
        rules=tuple(uses),
        warnings=plan.warnings,
        plan=plan,
    )


# ---------------------------------------------------------------------------------------
# Batch


_DEFAULT_COLUMNS = {
    "jurisdiction": "jurisdiction",
    "households": "households",
    "population": "population",
    "persons_per_household": "persons_per_household",
    "area_type": "area_type",
    "on": "on",
    "include_drafts": "include_drafts",
}

#: Result columns of :func:`size_frame`, in order.
RESULT_COLUMNS = (
    "floor_area_m2",
    "outdoor_area_m2",
    "slots",
    "max_floor",
    "population",
    "households",
    "persons_per_household",
    "households_derived",
    "population_derived",
    "floor_area_basis",
    "outdoor_area_basis",
    "slots_basis",
    "max_floor_basis",
    "draft",
    "stale",
    "rule_set",
    "error",
)


class _Unset:
    def __repr__(self) -> str:
        return "<column of the default name, if present>"


_UNSET: Any = _Unset()


def _argument(df: pd.DataFrame, name: str, value: Any, default: Any, numeric: bool) -> pd.Series:
    n = len(df)
    if value is _UNSET:
        column = _DEFAULT_COLUMNS[name]
        if column in df.columns:
            return frame_column(df, column, name)
        if default is _UNSET:
            raise InputError(
                name,
                None,
                f"数据表没有 {column!r} 列：请传入 {name}=列名 或 {name}=数值",
                f"the frame has no {column!r} column: pass {name}= a column name or a value",
            )
        value = default
    if isinstance(value, Hashable) and not isinstance(value, float | int | bool) and value in df.columns:
        return frame_column(df, value, name)
    if isinstance(value, pd.Series):
        return aligned(value, df.index, name)
    if numeric and isinstance(value, str):
        raise not_a_column(name, value, df.columns)
    return _broadcast_scalar(name, value, n, numeric)


def not_a_column(name: str, value: object, columns: pd.Index) -> InputError:
    """The error for a string argument that names no column of the frame."""
    listed = ", ".join(map(str, columns))
    return InputError(
        name,
        value,
        f"{name}={value!r} 既不是数据表的列名也不是数值；现有列：{listed}",
        f"{name}={value!r} is neither a column of the frame nor a number; columns: {listed}",
    )


def _broadcast_scalar(name: str, value: Any, n: int, numeric: bool) -> pd.Series:
    """Validate a scalar argument once (raising if bad) and repeat it for every row."""
    probe = pd.Series([value], dtype=object)
    if numeric and value is not None:
        validator = {"households": validate_households, "population": validate_population}.get(name, validate_pph)
        _, _, errs = validator(probe, True)
        if errs.mask[0]:
            raise errs.objs[0]
    if name == "on":
        value = parse_date(value)
    if name == "area_type" and canonical_area_type(value) is None:
        _, _, errs = area_type_codes(probe)
        raise errs.objs[0]
    if name == "include_drafts" and not isinstance(value, bool | np.bool_):
        _, errs = _drafts(probe)
        raise errs.objs[0]
    if numeric:
        return pd.Series(np.full(n, np.nan if value is None else float(value)))
    if value is None or _is_missing(value):
        return pd.Series([None] * n, dtype=object)
    if isinstance(value, bool | np.bool_):
        return pd.Series(np.full(n, bool(value)))
    return pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int64), categories=[value]))


def size_frame(
    df: pd.DataFrame,
    *,
    jurisdiction: Any = _UNSET,
    area_type: Any = _UNSET,
    households: Any = _UNSET,
    population: Any = _UNSET,
    persons_per_household: Any = _UNSET,
    on: Any = _UNSET,
    include_drafts: Any = _UNSET,
    rulebook: RuleBook | None = None,
) -> pd.DataFrame:
    """Size every row of a DataFrame, through the same core as :func:`size`.

    Each argument is a column name, a Series aligned with ``df``, or a scalar applied to every
    row. Left out, an argument reads the column of its own name if there is one
    (``jurisdiction``, ``area_type``, ``households``, ``population``,
    ``persons_per_household``, ``on``, ``include_drafts``); ``on`` then defaults to today and
    ``include_drafts`` to False. A bad scalar argument raises; a bad value in a row gives that
    row an error and leaves the others untouched.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` (same index and order, every row) with the result columns
        ``floor_area_m2``, ``outdoor_area_m2`` (float, NaN where no figure or error),
        ``slots``, ``max_floor`` (nullable Int64), ``population``, ``households`` (as used;
        derived ones flagged in ``households_derived`` / ``population_derived``),
        ``persons_per_household``, ``*_basis`` (which rule bound, or why there is no figure),
        ``draft``, ``stale``, ``rule_set`` (see :func:`rules_in_force`) and ``error`` (None
        where the row succeeded, else ``"[code] message"``).

    Examples
    --------
    >>> import pandas as pd, facility_sizing as fs
    >>> df = pd.DataFrame({"jurisdiction": ["西湖区", "余姚市", "nowhere"],
    ...                    "households": [1200, 2000, 10]})
    >>> out = fs.size_frame(df, area_type="new_build", persons_per_household=2.8, on="2025-01-01")
    >>> out[["floor_area_m2", "slots"]].to_string()
    '   floor_area_m2  slots\\n0          200.0   <NA>\\n1            NaN     51\\n2            NaN   <NA>'
    >>> out["error"].notna().tolist()
    [False, False, True]
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError("df", type(df).__name__, "须为 pandas.DataFrame", "must be a pandas DataFrame")
    book = rulebook_or_default(rulebook)
    n = len(df)
    batch = _run(
        book,
        n,
        jurisdiction=_argument(df, "jurisdiction", jurisdiction, _UNSET, False),
        households=_argument(df, "households", households, None, True),
        population=_argument(df, "population", population, None, True),
        persons_per_household=_argument(df, "persons_per_household", persons_per_household, None, True),
        area_type=_argument(df, "area_type", area_type, _UNSET, False),
        on=_argument(df, "on", on, dt.date.today(), False),
        include_drafts=_argument(df, "include_drafts", include_drafts, False, False),
        nan_is_error=False,
    )
    return _frame(df, batch)


def _frame(df: pd.DataFrame, batch: _Batch) -> pd.DataFrame:
    out = df.copy()
    ok = batch.plan_idx >= 0
    for q in QUANTITIES:
        raw = batch.values[q]
        has = raw >= 0
        if q in _AREA_QUANTITIES:
            col: Any = np.where(has, raw / CENTI, np.nan)
        else:
            col = pd.array(np.where(has, raw, 0), dtype="Int64")
            col[~has] = pd.NA
        out[f"{q}_m2" if q in _AREA_QUANTITIES else q] = col
    out["population"] = batch.population
    out["households"] = batch.households
    out["persons_per_household"] = batch.persons_per_household
    out["households_derived"] = batch.households_derived & ok
    out["population_derived"] = batch.population_derived & ok
    for q in QUANTITIES:
        out[f"{q}_basis"] = _basis_column(batch, q)
    flags = np.array([(p.draft, p.stale) for p in batch.plans] + [(False, False)], dtype=bool)
    out["draft"] = flags[batch.plan_idx, 0]
    out["stale"] = flags[batch.plan_idx, 1]
    keys = [p.key for p in batch.plans]
    out["rule_set"] = (
        pd.Categorical.from_codes(batch.plan_idx, categories=keys) if keys else pd.Categorical([None] * batch.n)
    )
    errors = np.full(batch.n, None, dtype=object)
    for i in np.flatnonzero(batch.error_mask):
        exc = batch.errors[i]
        errors[i] = f"[{getattr(exc, 'code', 'error')}] {exc}"
    out["error"] = pd.Series(errors, index=out.index, dtype=object)
    stale = int(out["stale"].sum())
    if stale:
        warnings.warn(
            StaleRuleWarning(
                bilingual(
                    f"{stale} 行的日期超出规则的规划期，规则可能已被替代（见 stale 列）",
                    f"{stale} rows are dated after a rule's plan period; the rule may be stale (see the stale column)",
                )
            ),
            stacklevel=3,
        )
    return out


def _term_label(rule: Rule) -> str:
    v = rule.value_text
    tag = "（草案 draft）" if rule.document.is_draft else ""
    label = {
        "per_100_households": f"每百户{v}m² {v} m²/100 households",
        "minimum": f"最小{v}{'托位' if rule.quantity == 'slots' else 'm²'} minimum",
        "per_1000_population": f"每千人{v}托位 {v} per 1,000 people",
        "limit": f"不高于第{v}层 floor ≤ {v}",
    }[rule.basis or ""]
    return f"{label}（{rule.citation()}）{tag}"


def _basis_column(batch: _Batch, quantity: str) -> pd.Categorical:
    """Which rule bound each row's figure (or that there is none), as a categorical."""
    combos = batch.plan_idx.astype(np.int64) * 256 + batch.binding[quantity]
    combos[batch.plan_idx < 0] = -1
    inverse, uniques = pd.factorize(combos)
    labels: list[str | None] = []
    for u in uniques:
        if u < 0:
            labels.append(None)
            continue
        plan = batch.plans[int(u) // 256]
        bits = int(u) % 256
        qp = plan.quantities[quantity]
        if not qp.terms:
            labels.append("无指标 no figure")
            continue
        labels.append(" = ".join(_term_label(t.rule) for i, t in enumerate(qp.terms) if bits >> i & 1))
    cats = list(dict.fromkeys(lbl for lbl in labels if lbl is not None))
    codes = np.array([cats.index(lbl) if lbl is not None else -1 for lbl in labels], dtype=np.int64)
    return pd.Categorical.from_codes(codes[inverse], categories=cats)


# ---------------------------------------------------------------------------------------
# Listing rules


def rules_in_force(
    jurisdiction: str | int,
    *,
    on: dt.date | str | None = None,
    area_type: str | None = None,
    include_drafts: bool = False,
    rulebook: RuleBook | None = None,
) -> pd.DataFrame:
    """The rules the library applies to a jurisdiction on a date, own and inherited.

    Parameters
    ----------
    jurisdiction : str or int
        As for :func:`size`.
    on : date or ISO string, optional
        Default today.
    area_type : str, optional
        One area type; default every area type the jurisdiction distinguishes.
    include_drafts : bool, default False
        Include consultation drafts.

    Returns
    -------
    pandas.DataFrame
        One row per rule (figures and obligations) and one per quantity with no figure, with
        the area type, quantity, basis, value, unit, strength, status, document, clause, the
        original text, its source division and whether it is inherited, and ``rule_set``.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> t = fs.rules_in_force("西湖区", on="2025-01-01", area_type="new_build")
    >>> t.loc[t.kind == "figure", ["quantity", "basis", "value"]].values.tolist()
    [['floor_area', 'per_100_households', '15'], ['floor_area', 'minimum', '200'], ['outdoor_area', 'minimum', '40'], ['max_floor', 'limit', '2']]
    """
    book = rulebook_or_default(rulebook)
    division = book.division(jurisdiction)
    day = parse_date(dt.date.today() if on is None else on)
    _check_drafts_flag(include_drafts)
    if area_type is None:
        types: list[str] = []
        for div in book.chain(division.code):
            types += [t for t in book.area_types.get(div.code, {}) if t not in types]
    else:
        canon = canonical_area_type(area_type)
        if canon is None:
            _, _, errs = area_type_codes(pd.Series([area_type], dtype=object))
            raise errs.objs[0]
        types = [canon]
    if not types:  # nothing above or below: the same error size() gives
        resolve(book, division, "new_build", day, bool(include_drafts))
    rows: list[dict[str, Any]] = []
    resolved = 0
    last_error: FacilitySizingError | None = None
    for at in types:
        try:
            plan = resolve(book, division, at, day, include_drafts)
        except FacilitySizingError as exc:
            last_error = exc
            continue
        resolved += 1
        for q, qp in plan.quantities.items():
            if qp.no_figure is not None:
                rows.append(
                    {
                        "area_type": at,
                        "quantity": q,
                        "kind": "no_figure",
                        "message": qp.no_figure.message(),
                        "rule_set": plan.key,
                    }
                )
            for t in qp.terms:
                rows.append(_rule_row(at, "figure", t.rule, t.source, t.inherited, plan))
        for t in plan.obligations:
            rows.append(_rule_row(at, "obligation", t.rule, t.source, t.inherited, plan))
    if not resolved and last_error is not None:
        if isinstance(last_error, NotInForceError):
            raise NotInForceError(f"on={day.isoformat()}: {last_error}")
        raise last_error
    columns = [
        "area_type",
        "quantity",
        "kind",
        "basis",
        "value",
        "unit",
        "strength",
        "status",
        "document",
        "clause",
        "text",
        "summary_en",
        "topic",
        "deadline",
        "condition",
        "source",
        "inherited",
        "rule_id",
        "message",
        "rule_set",
    ]
    return pd.DataFrame(rows, columns=columns)


def _rule_row(at: str, kind: str, rule: Rule, source: Division, inherited: bool, plan: Plan) -> dict[str, Any]:
    return {
        "area_type": at,
        "quantity": rule.quantity,
        "kind": kind,
        "basis": rule.basis,
        "value": rule.value_text,
        "unit": rule.unit,
        "strength": rule.strength,
        "status": rule.document.status,
        "document": rule.document.label,
        "clause": rule.clause,
        "text": rule.text,
        "summary_en": rule.summary_en,
        "topic": rule.topic,
        "deadline": rule.deadline.isoformat() if rule.deadline else None,
        "condition": rule.condition,
        "source": source.name,
        "inherited": inherited,
        "rule_id": rule.id,
        "message": None,
        "rule_set": plan.key,
    }


def jurisdictions(rulebook: RuleBook | None = None) -> pd.DataFrame:
    """The divisions the library knows, with their parents and whether they hold rules.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> t = fs.jurisdictions()
    >>> t.loc[t.has_rules, "name"].tolist()
    ['苏州市', '西湖区', '滨江区', '余姚市', '柯桥区']
    """
    book = rulebook_or_default(rulebook)
    rows = []
    for div in book.divisions.values():
        rows.append(
            {
                "code": div.code,
                "name": div.name,
                "name_en": div.name_en,
                "level": div.level,
                "parent": div.parent,
                "has_rules": div.code in book.rules,
                "area_types": ", ".join(book.area_types.get(div.code, {})),
            }
        )
    return pd.DataFrame(rows)
