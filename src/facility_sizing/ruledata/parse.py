"""Parsing one jurisdiction's rule file: its division, documents and rules.

Which bases a quantity may use, the unit a figure must be written in and the extra numbers a
basis carries all come from :mod:`facility_sizing.model.quantities`; this module holds no
knowledge of any particular quantity or basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import RuleDataError
from ..messages import Message
from ..model.bases import BASES
from ..model.entities import Division, Document, Duty, Indicator, Rule, Target
from ..model.quantities import QUANTITIES
from ..model.triggers import TRIGGER_TOPIC, TRIGGERS
from ..model.vocabulary import ADDRESSEES, AREA_TYPES, GRADES, LEVELS, STATUSES, STRENGTHS
from .common import CODE, MAX_FIGURE_TERM, MAX_PARAM_TERM, TOPIC, condition, document_ref, new_id
from .district import parse_duties, parse_targets
from .table import Table, check_schema

__all__ = ["DIVISION_KEYS", "ParsedFile", "check_overlaps", "parse_division", "parse_rule_file"]

# The keys each table of a rule file may hold (docs/rule-data.md): a key outside its table's set is
# reported as unknown, with the closest of these suggested, before a required key is called missing.
_FILE_KEYS = ("schema", "jurisdiction", "documents", "rules", "targets", "duties")
#: The keys of a ``[[divisions]]`` entry.
DIVISION_KEYS = frozenset({"code", "level", "parent", "name", "name_en", "aliases", "note"})
_JURISDICTION_KEYS = ("code", "name", "name_en", "level", "parent", "aliases", "area_types")
_DOCUMENT_KEYS = (
    "id", "number", "short_name", "title", "title_en", "issuer", "status", "grade", "issued", "issued_basis",
    "effective_from", "effective_from_basis", "effective_from_stated", "effective_until", "plan_period_end",
    "plan_period_basis", "checked_on", "checked", "targets_until", "registration", "source", "seen", "replaces",
)  # fmt: skip
_RULE_KEYS = (
    "id", "document", "clause", "area_types", "quantity", "basis", "value", "unit", "strength", "text",
    "summary_en", "topic", "replaces_figure_for", "trigger", "deadline", "condition", "condition_en",
    "interpretation", "letter_zh", "letter_en", "addressee", "term",
)  # fmt: skip


def _rule_keys() -> frozenset[str]:
    """A rule's keys: its own, and the extra numbers of every basis of the registry as it is now."""
    return frozenset((*_RULE_KEYS, *(name for spec in BASES.values() for name in spec.params)))


@dataclass
class ParsedFile:
    """What one rule file holds, validated."""

    division: Division | None  # set when the file defines a division the book does not know
    code: str
    name: str
    area_types: dict[str, str]
    documents: list[Document]
    rules: list[Rule]
    targets: list[Target]
    duties: list[Duty]


def _code(table: Table) -> str:
    code = table.text("code")
    if not CODE.match(code):
        raise table.error("code", "ruledata.bad_code", value=code)
    return code


def parse_division(table: Table, default_parent: str | None = None) -> Division:
    """A ``[[divisions]]`` entry."""
    code = _code(table)
    level = table.choice("level", LEVELS)
    parent = table.opt_text("parent") or default_parent
    if level != "country" and parent is None:
        raise table.error("parent", "ruledata.parent_required")
    return Division(
        code=code,
        name=table.text("name"),
        name_en=table.text("name_en"),
        level=level,
        parent=parent,
        aliases=table.str_list("aliases", required=False),
        note=table.opt_text("note"),
    )


def _bounded(table: Table, name: str, value: Fraction, text: str, largest: int = MAX_FIGURE_TERM) -> None:
    if value.numerator > largest or value.denominator > MAX_FIGURE_TERM:
        shown = text if len(text) <= 24 else text[:20] + "…"
        raise table.error(name, "ruledata.too_large", value=shown, largest=largest, finest=MAX_FIGURE_TERM)


def _figure(table: Table, quantity: str) -> tuple[str, Fraction, str, str, tuple[tuple[str, Fraction, str], ...]]:
    """A figure rule's basis, value, unit and extra numbers, checked against the registry."""
    basis = table.text("basis")
    allowed = [b.key for b in BASES.values() if quantity in b.units]
    if basis not in allowed:
        raise table.error("basis", "ruledata.basis_not_allowed", quantity=quantity, allowed=allowed, value=basis)
    spec, q = BASES[basis], QUANTITIES[quantity]
    value, value_text = table.number("value")
    whole = q.direction == "at_most" or not q.is_area  # a limit, or a count: 2.5 slots is no requirement
    if spec.constant and whole and (value * q.scale).denominator != 1:
        raise table.error("value", "ruledata.not_whole", label=q.label, unit=q.unit, value=value_text)
    _bounded(table, "value", value, value_text)
    if spec.constant and q.plausible is not None and value > q.plausible:
        raise table.error("value", "ruledata.implausible", value=value_text, most=str(q.plausible))
    unit = table.text("unit")
    expected = spec.units[quantity]
    if unit != expected:
        raise table.error("unit", "ruledata.wrong_unit", quantity=quantity, basis=basis, expected=expected, value=unit)
    params = []
    for name in spec.params:
        pv, pt = table.number(name)
        _bounded(table, name, pv, pt, MAX_PARAM_TERM)
        params.append((name, pv, pt))
    given = {name: pv for name, pv, _ in params}
    for low, high in spec.ordered:
        if given[low] > given[high]:
            raise table.error(low, "ruledata.greater_than", other=high)
    return basis, value, value_text, unit, tuple(params)


def _area_types(jt: Table) -> dict[str, str]:
    ats = jt.table("area_types")
    area_types: dict[str, str] = {}
    for key in ats.data:
        if key not in AREA_TYPES:
            raise ats.error(key, "ruledata.unknown_area_type", options=AREA_TYPES)
        area_types[key] = ats.text(key)
    if not area_types:
        raise jt.error("area_types", "ruledata.no_area_types")
    ats.finish()
    return area_types


def _jurisdiction(root: Table) -> tuple[str, str, Division | None, dict[str, str]]:
    jt = root.table("jurisdiction", _JURISDICTION_KEYS)
    code = _code(jt)
    name = jt.text("name")
    # A file may define a division the built-in list does not know (a planner's own city).
    division = None
    if "level" in jt.data or "parent" in jt.data:
        level = jt.choice("level", LEVELS)
        division = Division(
            code=code,
            name=name,
            name_en=jt.text("name_en"),
            level=level,
            parent=jt.opt_text("parent", required=level != "country"),
            aliases=jt.str_list("aliases", required=False),
        )
    area_types = _area_types(jt)
    jt.finish()
    return code, name, division, area_types


def _document(dtab: Table, code: str, path: str) -> Document:
    status = dtab.choice("status", STATUSES)
    # how the document's text was seen is the author's to say, never assumed: a figure is never
    # called official because its file left the grade out
    grade = dtab.choice("grade", GRADES)
    official = grade == "official"  # a report may not give the number or the date of issue
    issued = dtab.opt_date("issued", required=status == "in_force" and official)
    effective_from = dtab.date("effective_from")
    effective_until = dtab.opt_date("effective_until")
    plan_end = dtab.opt_date("plan_period_end")
    if effective_until is not None and effective_until < effective_from:
        raise dtab.error("effective_until", "ruledata.before", other="effective_from")
    if plan_end is not None and plan_end < effective_from:
        raise dtab.error("plan_period_end", "ruledata.before", other="effective_from")
    if issued is not None and issued > effective_from:
        raise dtab.error("issued", "ruledata.after", other="effective_from")
    checked_on = dtab.opt_date("checked_on")
    if checked_on is not None and issued is not None and checked_on < issued:
        raise dtab.error("checked_on", "ruledata.checked_before_issued")
    number = dtab.opt_text("number", required=status == "in_force" and official)
    doc = Document(
        id=dtab.text("id"),
        number=number,
        short_name=dtab.opt_text("short_name", required=number is None),
        title=dtab.text("title"),
        title_en=dtab.text("title_en"),
        issuer=dtab.text("issuer"),
        status=status,
        issued=issued,
        issued_basis=dtab.text("issued_basis"),
        effective_from=effective_from,
        effective_from_basis=dtab.text("effective_from_basis"),
        effective_until=effective_until,
        plan_period_end=plan_end,
        plan_period_basis=dtab.opt_text("plan_period_basis", required=plan_end is not None),
        checked_on=checked_on,
        checked=dtab.opt_text("checked", required=checked_on is not None),
        targets_until=dtab.opt_date("targets_until"),
        registration=dtab.opt_text("registration"),
        source=dtab.text("source"),
        jurisdiction=code,
        path=path,
        grade=grade,
        seen=dtab.opt_text("seen"),
        replaces=dtab.str_list("replaces", required=False),
        effective_from_stated=dtab.flag("effective_from_stated"),
    )
    dtab.finish()
    return doc


def _documents(root: Table, code: str, path: str) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    for dtab in root.array("documents", _DOCUMENT_KEYS):
        doc = _document(dtab, code, path)
        if doc.id in documents:
            raise dtab.error("id", "ruledata.duplicate_document", value=doc.id)
        documents[doc.id] = doc
    return documents


def _rule_area_types(rtab: Table, area_types: Mapping[str, str]) -> tuple[str, ...]:
    rats = rtab.str_list("area_types")
    if not rats:
        raise rtab.error("area_types", "ruledata.no_area_types")
    for at in rats:
        if at not in area_types:
            raise rtab.error("area_types", "ruledata.undeclared_area_type", value=at, declared=tuple(area_types))
    return rats


def _obligation_fields(rtab: Table) -> tuple[str, tuple[str, ...]]:
    topic = rtab.text("topic")
    if not TOPIC.match(topic):
        raise rtab.error("topic", "ruledata.not_snake_case", value=topic)
    replaces = rtab.str_list("replaces_figure_for", required=False)
    for q in replaces:
        if q not in QUANTITIES:
            raise rtab.error("replaces_figure_for", "ruledata.unknown_quantity", value=q)
    return topic, replaces


def _trigger(rtab: Table) -> dict[str, Any]:
    """A build trigger's measure, value and unit, checked against :data:`~facility_sizing.model.triggers.TRIGGERS`."""
    key = rtab.choice("trigger", tuple(TRIGGERS))
    spec = TRIGGERS[key]
    value, value_text = rtab.number("value")
    if not 0 < value <= spec.most:
        raise rtab.error("value", "ruledata.implausible", value=value_text, most=str(spec.most))
    _bounded(rtab, "value", value, value_text)
    unit = rtab.text("unit")
    if unit != spec.unit:
        raise rtab.error(
            "unit", "ruledata.wrong_unit", quantity=TRIGGER_TOPIC, basis=key, expected=spec.unit, value=unit
        )
    return {"trigger": key, "value": value, "value_text": value_text, "unit": unit}


def _rule(rtab: Table, rid: str, code: str, documents: Mapping[str, Document], area_types: Mapping[str, str]) -> Rule:
    document = document_ref(rtab, documents)
    rats = _rule_area_types(rtab, area_types)
    quantity = rtab.choice("quantity", (*QUANTITIES, "obligation"))
    figure: dict[str, Any] = {}
    if quantity == "obligation":
        figure["topic"], figure["replaces_figure_for"] = _obligation_fields(rtab)
        if figure["topic"] == TRIGGER_TOPIC:  # a build trigger: a point in the housing's progress (model/triggers.py)
            figure.update(_trigger(rtab))
    else:
        basis, value, value_text, unit, params = _figure(rtab, quantity)
        figure.update(basis=basis, value=value, value_text=value_text, unit=unit, params=params)
    rule = Rule(
        id=rid,
        jurisdiction=code,
        document=document,
        clause=rtab.text("clause"),
        area_types=rats,
        quantity=quantity,
        basis=figure.get("basis"),
        value=figure.get("value"),
        value_text=figure.get("value_text"),
        unit=figure.get("unit"),
        strength=rtab.choice("strength", STRENGTHS),
        text=rtab.text("text"),
        summary_en=rtab.text("summary_en"),
        topic=figure.get("topic"),
        replaces_figure_for=figure.get("replaces_figure_for", ()),
        params=figure.get("params", ()),
        deadline=rtab.opt_date("deadline"),
        condition=condition(rtab),
        condition_en=rtab.opt_text("condition_en", required="condition" in rtab.data),
        interpretation=rtab.opt_text("interpretation"),
        letter_zh=rtab.opt_text("letter_zh", required="letter_en" in rtab.data),
        letter_en=rtab.opt_text("letter_en", required="letter_zh" in rtab.data),
        addressee=rtab.opt_choice("addressee", ADDRESSEES) or "project",
        term=rtab.opt_text("term"),
        trigger=figure.get("trigger"),
    )
    if rule.term is not None and not rule.is_figure:
        raise rtab.error("term", "ruledata.term_for_figures_only")
    if rule.addressee == "government" and rule.is_figure:
        raise rtab.error("addressee", "ruledata.government_figure")
    if rule.addressee == "government" and rule.letter_zh is not None:
        raise rtab.error("letter_zh", "ruledata.government_letter")
    if rule.letter_zh is not None and rule.is_figure:
        raise rtab.error("letter_zh", "ruledata.figure_letter")
    rtab.finish()
    return rule


def parse_rule_file(path: str, data: dict[str, Any], indicators: Mapping[str, Indicator]) -> ParsedFile:
    """Validate one jurisdiction's rule file; errors name the file and the key."""
    root = Table(path, "", data, _FILE_KEYS)
    check_schema(root)
    code, name, division, area_types = _jurisdiction(root)
    documents = _documents(root, code, path)
    seen: set[str] = set()
    rules = [_rule(rtab, new_id(rtab, seen), code, documents, area_types) for rtab in root.array("rules", _rule_keys())]
    targets = parse_targets(root, code, documents, indicators, seen)
    duties = parse_duties(root, code, documents, seen)
    root.finish()
    check_overlaps(path, rules)
    return ParsedFile(division, code, name, area_types, list(documents.values()), rules, targets, duties)


def check_overlaps(path: str, rules: list[Rule]) -> None:
    """Two figures of the same kind for the same area type must not apply on the same day."""
    for i, a in enumerate(rules):
        if not a.is_figure:
            continue
        for b in rules[i + 1 :]:
            if (b.quantity, b.basis) != (a.quantity, a.basis) or not set(a.area_types) & set(b.area_types):
                continue
            da, db = a.document, b.document
            a_end = da.effective_until or dt.date.max
            b_end = db.effective_until or dt.date.max
            if da.effective_from <= b_end and db.effective_from <= a_end:
                raise RuleDataError(path, f"rules[id={b.id}]", Message("ruledata.overlaps", {"other": a.id}))
