"""Listing what the library knows: the rules in force for a place, and the jurisdictions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..engine.area_types import area_type_codes
from ..engine.batch import check_old_town
from ..engine.inputs import parse_date
from ..engine.plan import Plan, resolve
from ..engine.rows import check_flag
from ..errors import FacilitySizingError, NotInForceError
from ..messages import Audience
from ..model.entities import Division, Rule
from ..model.vocabulary import PLACE_AREA_PREFIX, canonical_area_type, place_word
from ..ruledata import RuleBook, rulebook_or_default
from ..ruledata.standing import standing

__all__ = ["jurisdictions", "rules_in_force"]


def rules_in_force(
    jurisdiction: str | int,
    *,
    on: dt.date | str | None = None,
    area_type: str | None = None,
    include_drafts: bool = False,
    include_reported: bool = False,
    rulebook: RuleBook | None = None,
    audience: Audience = "python",
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
    include_reported : bool, default False
        Include documents known by report only.
    rulebook : RuleBook, optional
        Rules to use instead of the built-in ones.
    audience : {"python", "cli", "page"}, default "python"
        Whom the ``message`` column (why a quantity has no figure) speaks to: a switch is named
        ``include_reported=True`` in Python, ``--include-reported`` on the command line.

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
    check_flag("include_drafts", include_drafts)
    check_flag("include_reported", include_reported)
    types = _area_types(book, division, area_type)
    if not types:  # nothing above or below: the same error size() gives
        resolve(book, division, "new_build", day, bool(include_drafts), bool(include_reported))
    rows: list[dict[str, Any]] = []
    resolved = 0
    last_error: FacilitySizingError | None = None
    for at in types:
        try:
            plan = resolve(book, division, at, day, include_drafts, include_reported)
            word = place_word(area_type)
            if word is not None:
                check_old_town(plan, PLACE_AREA_PREFIX + word)
        except FacilitySizingError as exc:
            last_error = exc
            continue
        resolved += 1
        rows += _plan_rows(at, plan, audience)
    if not resolved and last_error is not None:
        if isinstance(last_error, NotInForceError):
            raise NotInForceError("api.on_date", field="on", on="on", day=day.isoformat(), problem=last_error.message)
        raise last_error
    return pd.DataFrame(rows, columns=_COLUMNS)


#: The columns of :func:`rules_in_force`, in order.
_COLUMNS = [
    "area_type",
    "quantity",
    "kind",
    "basis",
    "value",
    "unit",
    "params",
    "strength",
    "status",
    "grade",
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


def _area_types(book: RuleBook, division: Division, area_type: str | None) -> list[str]:
    """The area types to list: the one asked for, or every one the jurisdiction's levels distinguish."""
    if area_type is not None:
        canon = canonical_area_type(area_type)
        if canon is None:
            _, _, errs = area_type_codes(pd.Series([area_type], dtype=object))
            raise errs.first()
        return [canon]
    types: list[str] = []
    for div in book.chain(division.code):
        types += [t for t in book.area_types.get(div.code, {}) if t not in types]
    return types


def _plan_rows(at: str, plan: Plan, audience: Audience = "python") -> list[dict[str, Any]]:
    """One row per figure rule, per quantity without a figure, and per obligation of one plan."""
    rows: list[dict[str, Any]] = []
    for q, qp in plan.quantities.items():
        if qp.no_figure is not None and qp.listed:
            rows.append(
                {
                    "area_type": at,
                    "quantity": q,
                    "kind": "no_figure",
                    "message": qp.no_figure.message(audience),
                    "rule_set": plan.key,
                }
            )
        for t in qp.terms:
            rows.append(_rule_row(at, "figure", t.rule, t.source, t.inherited, plan))
    for t in plan.obligations:
        rows.append(_rule_row(at, "obligation", t.rule, t.source, t.inherited, plan))
    return rows


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
        "grade": rule.document.grade,
        "document": rule.document.label,
        "clause": rule.clause,
        "text": rule.text,
        "summary_en": rule.summary_en,
        "topic": rule.topic,
        "params": ", ".join(f"{k} {v}" for k, v in rule.param_texts().items()) or None,
        "deadline": rule.deadline.isoformat() if rule.deadline else None,
        "condition": rule.condition,
        "source": source.name,
        "inherited": inherited,
        "rule_id": rule.id,
        "message": None,
        "rule_set": plan.key,
    }


def _row(book: RuleBook, div: Division, kind: str, audience: Audience = "python") -> dict[str, Any]:
    docs = book.documents.get(div.code, [])
    said = standing(docs)  # whether its rules apply by default, said from its own documents
    return {
        "code": div.code,
        "name": div.name,
        "name_en": div.name_en,
        "level": div.level,
        "parent": div.parent,
        "has_rules": div.code in book.rules,
        "area_types": ", ".join(book.area_types.get(div.code, {})),
        "grades": ", ".join(dict.fromkeys(d.grade for d in docs)),
        # a draft's grade is of its copy (the issued text of a draft): the status says it is a draft
        "statuses": ", ".join(dict.fromkeys(d.status for d in docs)),
        "kind": kind,
        "standing": said.text("zh", audience),
        "standing_en": said.text("en", audience),
    }


def jurisdictions(
    rulebook: RuleBook | None = None,
    *,
    under: str | int | None = None,
    with_rules: bool | None = None,
    audience: Audience = "python",
) -> pd.DataFrame:
    """The divisions the library knows, with their parents, whether they hold rules and their grades.

    Parameters
    ----------
    rulebook : RuleBook, optional
        Rules to use instead of the built-in ones.
    under : str or int, optional
        A province or city (any name or code :func:`size` accepts): list it and every division
        below it from the national registry, whether or not the library has rules for them.
        Left out, the rule book's own divisions are listed.
    with_rules : bool, optional
        Only divisions with (True) or without (False) a rule file of their own.
    audience : {"python", "cli", "page"}
        Whose words ``standing`` names an opt-in in (``include_reported=True``, ``--include-reported``…).

    Returns
    -------
    pandas.DataFrame
        ``code``, ``name``, ``name_en``, ``level``, ``parent``, ``has_rules``, ``area_types``,
        ``grades`` and ``statuses`` (of the division's own documents), ``kind`` (``administrative``,
        ``statistical`` for a functional zone, or ``abolished``), and ``standing`` / ``standing_en``:
        whether its rules apply by default or only on an opt-in, said from its own documents
        (:func:`~facility_sizing.ruledata.standing.standing`): a place whose only rules are reported
        is never said to be in force.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> t = fs.jurisdictions()
    >>> t.loc[t.has_rules, "name"].tolist()
    ['浙江省', '杭州市', '苏州市', '西湖区', '滨江区', '余姚市', '柯桥区', '运城市', '安徽省', '厦门市', '湖南省', '广州市']
    >>> hz = fs.jurisdictions(under="杭州市")
    >>> hz.loc[hz.code.isin(["330102", "330106", "330108"]), ["name", "has_rules", "grades", "statuses"]].values.tolist()
    [['上城区', False, '', ''], ['西湖区', True, 'official', 'in_force'], ['滨江区', True, 'official', 'draft']]
    >>> t.set_index("name").loc["杭州市", "standing"]
    '只有据报道的规定（原文未见），需选择纳入才采用（include_reported=True）'
    """
    book = rulebook_or_default(rulebook)
    if under is None:
        rows = [_row(book, div, "administrative", audience) for div in book.divisions.values()]
    else:
        from ..registry import default_registry  # the national registry: loaded only when asked

        registry = default_registry()
        root = book.division(under)
        places = [registry.places[root.code], *registry.under(root.code)] if root.code in registry.places else []
        rows = []
        for place in places:
            div = book.divisions.get(place.code) or book.division(place.code) if not place.abolished else None
            kind = "abolished" if place.abolished else place.kind
            if div is None:
                place_div = Division(place.code, place.name, place.name_en, place.level, place.parent)
                rows.append(_row(book, place_div, kind, audience))
            else:
                rows.append(_row(book, div, kind, audience))
    table = pd.DataFrame(rows, columns=list(_row(book, Division("CN", "", "", "country", None), "").keys()))
    if with_rules is not None:
        table = table[table["has_rules"] == bool(with_rules)].reset_index(drop=True)
    return table
