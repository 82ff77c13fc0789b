"""District scorecards: a district's figures against every target its document sets for a year.

:func:`scorecard` evaluates an *inventory* (see :mod:`.inventory`) against the targets, exactly:
value, target, met or not, gap, the shortfall in the units a planner acts on, and the clause.
Targets and indicator definitions are rule data (``[[targets]]`` in each jurisdiction's file,
``data/indicators.toml``); this module holds no figure of its own.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ..engine.notices import plan_period_notice
from ..errors import DraftOnlyError, InputError, NotInForceError, ReportedOnlyError, StaleRuleWarning, bilingual
from ..model.entities import Division, Indicator, Target
from ..model.vocabulary import SCORE_STATUSES
from ..ruledata import RuleBook, rulebook_or_default
from .inventory import read_inventory

__all__ = ["STATUS_LABELS", "scorecard"]

#: Each status as the scorecard's ``status_label`` column writes it (Chinese, then English).
STATUS_LABELS: dict[str, str] = {k: f"{v.zh} {v.en}" for k, v in SCORE_STATUSES.items()}


def _year(value: object) -> int:
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
        raise InputError("district.year", field="year", value=value)
    return value


def _year_notices(targets: list[Target], year: int) -> tuple[tuple[str, str], ...]:
    """What a scorecard for ``year`` must say of its documents: a plan period the year is past.

    (Not the re-check of a status: a scorecard for 2027 is worked out before 2027, not on a date of
    application as a requirement is.)"""
    docs = {t.document.id: t.document for t in targets}.values()
    told = [plan_period_notice(d, dt.date(year, 12, 31)) for d in docs]
    return tuple(t for t in told if t is not None)


def _names(division: Division) -> dict[str, str]:
    """A division's names, each language its own, as a message parameter."""
    return {"zh": division.name, "en": division.name_en}


def _targets_for(
    book: RuleBook, division: Division, year: int, include_drafts: bool, include_reported: bool
) -> list[Target]:
    own = book.targets.get(division.code, [])
    if not own:
        above = [d for d in book.chain(division.code)[1:] if book.targets.get(d.code)]
        if above:
            parent = above[0]
            raise NotInForceError(
                "district.targets_above",
                division=_names(division),
                parent={**_names(parent), "level": parent.name[-1]},
                argument="jurisdiction",
            )
        raise NotInForceError("district.no_targets", division=_names(division))

    def applies(t: Target) -> bool:
        doc = t.document
        if t.year is not None:
            return t.year == year
        start_ok = doc.effective_from.year <= year
        end_ok = doc.effective_until is None or doc.effective_until.year >= year
        return start_ok and end_ok

    dated = [t for t in own if applies(t)]
    seen = [t for t in dated if t.document.grade_admitted(include_reported)]  # never a weaker grade by default
    chosen = [t for t in seen if include_drafts or not t.document.is_draft]
    if chosen:
        return chosen
    reported = [t.document for t in dated if t.document.is_reported]
    if not seen and reported:  # known by report only
        doc = reported[0]
        raise ReportedOnlyError(
            "district.reported_only",
            division=_names(division),
            year=year,
            title={"zh": doc.title, "en": doc.title_en},
            option="include_reported",
        )
    if not seen and dated:  # e.g. unverified: not a source a default answer may rest on
        weak = dated[0].document
        raise NotInForceError(
            "district.weak_grade",
            division=_names(division),
            year=year,
            grade=weak.grade,
            title={"zh": weak.title, "en": weak.title_en},
        )
    if seen:
        doc = seen[0].document
        raise DraftOnlyError(
            "district.draft_only",
            division=_names(division),
            year=year,
            title={"zh": doc.title, "en": doc.title_en},
            option="include_drafts",
        )
    years = sorted({t.year for t in own if t.year is not None})
    raise NotInForceError("district.no_year", division=_names(division), year=year, years=years)


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _ratio_fields(ind: Indicator) -> tuple[str, str]:
    """Numerator and denominator of an indicator without a ``field`` (the rule loader requires both)."""
    if ind.numerator is None or ind.denominator is None:
        raise ValueError(f"indicator {ind.id!r} has neither a field nor a numerator and a denominator")
    return ind.numerator, ind.denominator


def _row(target: Target, ind: Indicator) -> dict[str, Any]:
    """A target's row before scoring: what it asks, where, and status 'qualitative'."""
    return {
        "target_id": target.id,
        "year": target.year,
        "indicator": ind.id,
        "name": ind.name,
        "name_en": ind.name_en,
        "comparator": target.comparator,
        "target": None if target.value is None else float(target.value),
        "unit": ind.unit,
        "value": None,
        "met": pd.NA,
        "gap": None,
        "shortfall": None,
        "shortfall_of": None,
        "status": "qualitative",
        "missing": "",
        "note": None,
        "strength": target.strength,
        "draft": target.document.is_draft,
        "grade": target.document.grade,
        "citation": target.citation(),
        "document": target.document.label,
        "clause": target.clause,
        "text": target.text,
        "summary_en": target.summary_en,
        "interpretation": target.interpretation,
    }


def _shortfall(
    ind: Indicator, goal: Fraction, value: Fraction, known: Mapping[str, Fraction], at_least: bool
) -> tuple[int | None, str | None]:
    """The shortfall in the units a planner acts on (slots to add, facilities to open), and of what."""
    if ind.field is None:
        field, den_field = _ratio_fields(ind)
        num, den = known[field], known[den_field]
        share = goal / ind.scale
        if at_least and ind.nested and share < 1:
            # each unit added (a new public slot) adds to the denominator (all slots) too:
            # the least x with (num + x) / (den + x) >= share
            short = max(0, _ceil((share * den - num) / (1 - share)))
        elif at_least:
            short = max(0, _ceil(share * den - num))
        else:
            short = max(0, _ceil(num - share * den))
        return short, field
    if ind.unit != "%":
        return (max(0, _ceil(goal - value)) if at_least else max(0, _ceil(value - goal))), ind.field
    return None, None


def _score(book: RuleBook, target: Target, inv: Mapping[str, Fraction | None]) -> dict[str, Any]:
    ind = book.indicators[target.indicator]
    row = _row(target, ind)
    known = {f: v for f in ind.fields if (v := inv.get(f)) is not None}
    missing = [f for f in ind.fields if f not in known]
    # the rule loader gives every target but a qualitative one a value
    if target.comparator == "qualitative" or target.value is None:
        return row
    if missing:
        row["status"] = "no_data"
        row["missing"] = ", ".join(missing)
        return row
    goal = target.value
    if ind.field is not None:
        value = known[ind.field]
    else:
        num_field, den_field = _ratio_fields(ind)
        if known[den_field] == 0:
            # e.g. public share of 0 slots: undefined, neither met nor failed; the rest of the card stands
            row["status"] = "undefined"
            row["note"] = bilingual(
                f"{ind.denominator} 为 0，“{ind.name}”无定义", f"{ind.denominator} is 0: '{ind.name_en}' is undefined"
            )
            return row
        value = known[num_field] / known[den_field] * ind.scale
    at_least = target.comparator == ">="
    met = value >= goal if at_least else value <= goal
    row["value"] = float(value)
    row["met"] = bool(met)
    row["status"] = "met" if met else "not_met"
    row["gap"] = 0.0 if met else float(abs(goal - value))
    short, of = _shortfall(ind, goal, value, known, at_least)
    if of is not None:
        row["shortfall"], row["shortfall_of"] = short, of
    return row


def scorecard(
    inventory: Mapping[str, Any] | pd.DataFrame | pd.Series,
    jurisdiction: str | int,
    year: int,
    *,
    include_drafts: bool = False,
    include_reported: bool = False,
    rulebook: RuleBook | None = None,
) -> pd.DataFrame:
    """Score a district's figures against every target its document sets for a year.

    Parameters
    ----------
    inventory : dict, one-row DataFrame or Series
        The district's figures, by field (see :func:`inventory_fields`): e.g. ``population``,
        ``under3_population``, ``slots``, ``public_slots``, ``under2_slots``,
        ``communities`` and ``communities_served``, ``facilities``, and rates in % such as
        ``health_management_rate_pct``. A field left out or None is *no data*: the targets
        that need it say so (status ``no_data``), never "not met" and never 0.
    jurisdiction : str or int
        The district or city whose document sets the targets (name, pinyin or code). A
        district under a city with city-wide targets is told to score the city instead.
    year : int
        The target year (到 2025 年 → 2025). Standing targets (no year) apply every year of
        their document.
    include_drafts : bool, default False
        Score the targets of a consultation draft (Binjiang). Rows say ``draft``.
    include_reported : bool, default False
        Score targets of documents known by report only (grade ``reported``, their text not seen).
        Rows give each target's document ``grade``.
    rulebook : RuleBook, optional
        Rules from :func:`load_rules`; the built-in rules by default.

    Returns
    -------
    pandas.DataFrame
        One row per target, in document order: ``indicator``, ``name`` (指标), ``comparator``,
        ``target``, ``unit``, ``value``, ``met`` (True/False/NA), ``gap`` (in the indicator's
        unit), ``shortfall`` and ``shortfall_of`` (the least number to add to meet the target,
        e.g. slots; a new public slot also counts among all slots, so a share's shortfall is
        of new slots of that kind; for an "at most" target, the number to remove),
        ``status`` (met, not_met, no_data, qualitative, or undefined where a ratio's
        denominator is 0), ``missing`` (fields the target needs and the inventory lacks),
        ``note``, ``strength``, ``draft``, ``grade``, ``citation``, ``clause``, ``text``
        (原文) and ``summary_en``. ``attrs`` holds the jurisdiction, the year and the counts.
        Comparisons are exact: 4.56 slots per 1,000 meets a 4.56 target.

    Raises
    ------
    InputError
        An unknown field, a negative or non-numeric value, a percentage over 100, a part larger
        than its whole (public slots over all slots), a bad year.
    NotInForceError
        No targets for that jurisdiction or year (the message lists the years that have them).
    DraftOnlyError
        Only a draft sets targets for the year and ``include_drafts`` is False.
    ReportedOnlyError
        Only documents known by report set targets for the year and ``include_reported`` is False.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> card = fs.scorecard({"population": 1_000_000, "slots": 4_560}, "柯桥区", 2024)
    >>> row = card.set_index("indicator").loc["slots_per_1000_population"]
    >>> float(row["value"]), float(row["target"]), bool(row["met"]), row["citation"]
    (4.56, 4.56, True, '绍柯政办发〔2024〕13号 附件1 第1项')
    >>> card.attrs["counts"]["no_data"] > 0     # figures not given are "no data", never 0
    True
    """
    book = rulebook_or_default(rulebook)
    year = _year(year)
    division = book.division(jurisdiction)
    inv = read_inventory(book, inventory)
    targets = _targets_for(book, division, year, bool(include_drafts), bool(include_reported))
    rows = [_score(book, t, inv) for t in targets]
    frame = pd.DataFrame(rows)
    frame["met"] = frame["met"].astype("boolean")
    for col in ("target", "value", "gap"):
        frame[col] = frame[col].astype("float64")
    frame["shortfall"] = frame["shortfall"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    frame.insert(frame.columns.get_loc("status") + 1, "status_label", frame["status"].map(STATUS_LABELS))
    counts = {k: int((frame["status"] == k).sum()) for k in STATUS_LABELS}
    told = _year_notices(targets, year)
    for zh, en in told:
        warnings.warn(StaleRuleWarning(bilingual(zh, en)), stacklevel=2)
    frame.attrs.update(
        {
            "notices": [bilingual(zh, en) for zh, en in told],
            "jurisdiction": division.name,
            "jurisdiction_code": division.code,
            "year": year,
            "counts": counts,
            "draft": bool(frame["draft"].any()),
            "reported": bool((frame["grade"] == "reported").any()),
            "stamp": book.produced_by,
        }
    )
    return frame
