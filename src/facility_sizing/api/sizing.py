"""The public sizing API: :func:`size`, :func:`size_frame`, :func:`rules_in_force`.

:func:`size` is a thin wrapper: it runs the batch machinery (:func:`facility_sizing.engine.batch.run`) on one row and
turns that row into a :class:`~facility_sizing.results.Requirement`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from typing import Any, Unpack

import numpy as np
import pandas as pd

from ..engine.batch import Batch, run
from ..engine.consistency import TRUST, trust_code
from ..engine.plan import Plan, known_by_report
from ..engine.projects import frame_projects, one_project
from ..errors import InputError, NotInForceError, StaleRuleWarning
from ..model.bases import BASES
from ..model.columns import RESULT_COLUMNS
from ..model.entities import Rule
from ..model.project import ProjectInputs, project_signature
from ..model.quantities import QUANTITIES
from ..results.requirement import Requirement, RuleUse
from ..ruledata import RuleBook, rulebook_or_default
from .result_frame import checked_input, result_frame

__all__ = ["RESULT_COLUMNS", "size", "size_frame"]


@project_signature()
def size(*, rulebook: RuleBook | None = None, **project: Unpack[ProjectInputs]) -> Requirement:
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
        Persons per household (户均人口), used to derive whichever of households and
        population is missing, and to check the two when both are given. The library ships no
        default.
    on : date or ISO string, optional
        The date whose rules apply; default today. A date before the jurisdiction's rules took
        effect raises :class:`~facility_sizing.NotInForceError`.
    include_drafts : bool, default False
        Use consultation drafts (征求意见稿) too; their figures are marked draft.
    include_reported : bool, default False
        Use documents known by report only (their text not seen; ``shared/SOURCES.md`` grades
        them ``reported``) too; their figures are marked reported.
    trust : {"households", "population", "both"}, optional
        Which input to trust when households and population contradict each other (fewer people
        than households, or a population far from households × persons per household). Left
        out, a contradiction raises :class:`~facility_sizing.InconsistentInputError`: sizing
        from either figure could understate the requirement. ``"households"`` sets the given
        population aside (derived from persons per household where given), ``"population"``
        the households; ``"both"`` keeps both unchecked.
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
        households or population that cannot be derived; :class:`InconsistentInputError` when
        they contradict each other and ``trust`` does not say which to use.
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
    projects = one_project(project)
    day = projects["on"][0]
    include_drafts, include_reported = projects["include_drafts"][0], projects["include_reported"][0]
    batch = run(book, projects, nan_is_error=True, keep_terms=True)
    error = batch.errors[0]
    if error is not None:
        if isinstance(error, NotInForceError):
            raise NotInForceError("api.on_date", field="on", on="on", day=day.isoformat(), problem=error.message)
        raise error
    plan = batch.plans[batch.plan_idx[0]]
    req = _requirement(batch, plan, day, bool(include_drafts), bool(include_reported))
    if project.get("trust") is not None:
        req = _trusted(req, project)
    reports = () if include_reported else known_by_report(book, plan.division, plan.area_type, day)
    # say what a report would add, without applying it; and what produced the figures
    req = dataclasses.replace(req, known_by_report=reports, produced_by=tuple(book.produced_by.items()))
    if plan.stale:
        for w in plan.warnings:
            warnings.warn(StaleRuleWarning(w), stacklevel=2)
    return req


def _trusted(req: Requirement, project: ProjectInputs) -> Requirement:
    """The requirement saying which input the caller trusted, and the given value it set aside."""
    said = TRUST[trust_code(project.get("trust")) - 1]
    households, population = project.get("households"), project.get("population")
    aside = {"households": "population", "population": "households"}.get(said)
    value = {"households": households, "population": population}.get(aside or "")
    both = households is not None and population is not None
    set_aside = (aside, float(value)) if aside is not None and value is not None and both else None
    return dataclasses.replace(req, trust=said, set_aside=set_aside)


def _binding_rules(batch: Batch, plan: Plan, quantities: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules that bound the given quantities in the batch's one row (what a dependent figure rests on)."""
    rules: list[Rule] = []
    for q in quantities:
        bits = int(batch.binding[q][0])
        rules += [t.rule for i, t in enumerate(plan.quantities[q].terms) if bits >> i & 1]
    return tuple(rules)


def _requirement(batch: Batch, plan: Plan, day: dt.date, include_drafts: bool, include_reported: bool) -> Requirement:
    uses: list[RuleUse] = []
    for q, qp in plan.quantities.items():
        spec = QUANTITIES[q]
        nf = qp.no_figure
        if nf is not None:
            if qp.listed:
                unmet, known = tuple(t.rule for t in nf.unmet), tuple(t.rule for t in nf.known)
                said = nf.words()  # worded once, for both the message and its languages
                name = plan.division.name
                uses.append(
                    RuleUse(
                        q,
                        "no_figure",
                        None,
                        name,
                        False,
                        message=f"{said.zh} — {said.en}",
                        unmet=unmet,
                        known=known,
                        words=said,
                    )
                )
            continue
        bits = int(batch.binding[q][0])
        for i, term in enumerate(qp.terms):
            computed = spec.output(int(np.ravel(batch.terms[q][i])[0]))
            via = _binding_rules(batch, plan, BASES[term.rule.basis or ""].needs_quantities())
            use = RuleUse(
                q, "figure", term.rule, term.source.name, term.inherited, computed, bool(bits >> i & 1), via=via
            )
            uses.append(use)
    for term in plan.obligations:
        uses.append(RuleUse("obligation", "obligation", term.rule, term.source.name, term.inherited))

    def opt(a: np.ndarray) -> float | None:
        return None if np.isnan(a[0]) else float(a[0])

    values: dict[str, Any] = {spec.column: spec.output(int(batch.values[q][0])) for q, spec in QUANTITIES.items()}
    return Requirement(
        jurisdiction=plan.division,
        area_type=plan.area_type,
        area_term=plan.area_term,
        on=day,
        include_drafts=include_drafts,
        include_reported=include_reported,
        households=opt(batch.households),
        population=opt(batch.population),
        persons_per_household=opt(batch.persons_per_household),
        households_derived=bool(batch.households_derived[0]),
        population_derived=bool(batch.population_derived[0]),
        rules=tuple(uses),
        warnings=plan.warnings,
        plan=plan,
        **values,
    )


# ---------------------------------------------------------------------------------------
# Batch


@project_signature(annotation="Any")
def size_frame(df: pd.DataFrame, *, rulebook: RuleBook | None = None, **columns: Any) -> pd.DataFrame:
    """Size every row of a DataFrame, through the same core as :func:`size`.

    Each argument is a column name, a Series aligned with ``df``, or a scalar applied to every
    row. Left out, an argument reads the column of its own name if there is one
    (``jurisdiction``, ``area_type``, ``households``, ``population``,
    ``persons_per_household``, ``on``, ``include_drafts``, ``include_reported``, ``trust``); ``on`` then
    defaults to today, the opt-ins to False and ``trust`` to unsaid (see :func:`size`: a row whose
    households and population contradict each other gets an ``inconsistent_input`` error). A bad
    scalar argument raises; a bad value in a row gives that row an error and leaves the others untouched.

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
        raise InputError("api.not_a_frame", field="df", value=type(df).__name__)
    book = rulebook_or_default(rulebook)
    df = checked_input(df)
    batch = run(book, frame_projects(df, columns), nan_is_error=False)
    out = result_frame(df, batch)
    out.attrs["stamp"] = book.produced_by  # what produced these figures
    return out
