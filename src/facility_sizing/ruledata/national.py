"""National design rules and service circles: parsed and checked like the local rules.

``data/national/design.toml`` holds the national design rules design review applies (fire code,
nursery design code, class sizes), ``data/national/circles.toml`` the service-circle distances
coverage uses. Both are read as data, validated (types, keys, plausible values) with errors
naming the file and key, and kept in the :class:`~facility_sizing.ruledata.RuleBook` beside the
local rules: parsed once, stamped, and overridable by a file of the same name given to
:func:`~facility_sizing.load_rules` (``--rules``).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..model.entities import Circle, DesignRule, Standard
from ..model.quantities import DESIGN_QUANTITIES
from ..model.vocabulary import DESIGN_BASES, DESIGN_CONDITIONS, GRADES, STRENGTHS
from .table import Table, check_schema

__all__ = ["parse_circles", "parse_design"]

#: The largest figure a national design rule may set: storeys, m² per child, children per class.
_MAX_VALUE = Fraction(100)
#: The longest service-circle distance accepted, in metres.
_MAX_CIRCLE_M = Fraction(50_000)

# The keys each table may hold: a key outside its table's set is reported as unknown, with the
# closest of these suggested, before a required key is called missing.
_STANDARD_KEYS = ("id", "number", "title", "title_en", "effective_from", "verified")
_DESIGN_KEYS = (
    "id", "document", "clause", "check", "quantity", "basis", "value", "strength", "text", "summary_en", "grade",
    "seen_in", "when", "class_type", "class_type_en",
)  # fmt: skip
_CIRCLE_KEYS = (
    "id", "name", "name_en", "distance_m", "max_m", "clause", "text", "seen_in", "interpretation",
)  # fmt: skip


def _standard(table: Table) -> Standard:
    return Standard(
        id=table.text("id") if "id" in table.data else "document",
        number=table.text("number"),
        title=table.text("title"),
        title_en=table.text("title_en"),
        effective_from=table.opt_date("effective_from"),
        verified=table.flag("verified", default=True),
    )


def _when(table: Table) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The design fields a rule is limited to, with the values it is for."""
    if "when" not in table.data:
        return ()
    when = table.table("when")
    out = []
    for name in list(when.data):
        values = when.raw(name, True)
        if name not in DESIGN_CONDITIONS:
            raise when.error(name, "ruledata.not_one_of", options=tuple(DESIGN_CONDITIONS), value=name)
        if not isinstance(values, list) or not values or not all(type(v) is int for v in values):
            raise when.error(name, "ruledata.not_an_int_list", value=values)
        out.append((name, tuple(values)))
    when.finish()
    return tuple(out)


def _design_rule(table: Table, standards: Mapping[str, Standard]) -> DesignRule:
    ref = table.text("document")
    if ref not in standards:
        raise table.error("document", "ruledata.unknown_document", value=ref)
    quantity = table.choice("quantity", DESIGN_QUANTITIES)
    basis = table.opt_choice("basis", DESIGN_BASES) or "limit"
    value, text = table.number("value")
    if value > _MAX_VALUE:
        raise table.error("value", "ruledata.implausible", value=text, most=str(_MAX_VALUE))
    per_class = basis == "per_class"
    return DesignRule(
        id=table.text("id"),
        standard=standards[ref],
        clause=table.text("clause"),
        check=table.text("check"),
        quantity=quantity,
        basis=basis,
        value=value,
        value_text=text,
        strength=table.choice("strength", STRENGTHS),
        text=table.text("text"),
        summary_en=table.text("summary_en"),
        grade=table.choice("grade", GRADES),
        seen_in=table.text("seen_in"),
        when=_when(table),
        class_type=table.opt_text("class_type", required=per_class),
        class_type_en=table.opt_text("class_type_en", required=per_class),
    )


def parse_design(path: str, data: dict[str, Any]) -> tuple[dict[str, Standard], list[DesignRule]]:
    """The standards and the national design rules of a ``design.toml`` file.

    Raises
    ------
    RuleDataError
        A field missing, misspelt or implausible; the error names the file and the key.
    """
    root = Table(path, "", data, ("schema", "documents", "rules"))
    check_schema(root)
    standards: dict[str, Standard] = {}
    for table in root.opt_array("documents", _STANDARD_KEYS):
        standard = _standard(table)
        table.finish()
        standards[standard.id] = standard
    rules = []
    seen: set[str] = set()
    for table in root.array("rules", _DESIGN_KEYS):
        rule = _design_rule(table, standards)
        table.finish()
        if rule.id in seen:
            raise table.error("id", "ruledata.duplicate_id", value=rule.id)
        seen.add(rule.id)
        rules.append(rule)
    root.finish()
    return standards, rules


def parse_circles(path: str, data: dict[str, Any]) -> list[Circle]:
    """The service circles of a ``circles.toml`` file, with the standard that sets them."""
    root = Table(path, "", data, ("schema", "document", "circles"))
    check_schema(root)
    document = root.table("document", _STANDARD_KEYS)
    standard = _standard(document)
    document.finish()
    circles = []
    for table in root.array("circles", _CIRCLE_KEYS):
        distance, text = table.number("distance_m")
        top = table.number("max_m")[0] if "max_m" in table.data else distance
        if distance > _MAX_CIRCLE_M or top < distance:
            raise table.error("distance_m", "ruledata.implausible", value=text, most=str(_MAX_CIRCLE_M))
        circles.append(
            Circle(
                id=table.text("id"),
                name=table.text("name"),
                name_en=table.text("name_en"),
                distance_m=distance,
                max_m=top,
                standard=standard,
                clause=table.text("clause"),
                text=table.text("text"),
                seen_in=table.text("seen_in"),
                interpretation=table.opt_text("interpretation"),
            )
        )
        table.finish()
    root.finish()
    return circles
