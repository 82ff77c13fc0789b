"""Rule data: loading, validation and lookup.

Rule figures live in TOML files, one per jurisdiction (``data/rules/*.toml``), read as data
only with :mod:`tomllib` (numbers with a decimal point are read as :class:`decimal.Decimal`,
so 4.56 stays 4.56). Every file is validated when it is loaded; a problem raises
:class:`~facility_sizing.errors.RuleDataError` naming the file and the key.

The file format is documented in ``docs/rule-data.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RuleDataError, UnknownJurisdictionError

__all__ = [
    "AREA_TYPES",
    "QUANTITIES",
    "Division",
    "Document",
    "Duty",
    "Indicator",
    "Rule",
    "RuleBook",
    "Target",
    "default_rulebook",
    "load_rules",
]

SCHEMA_VERSION = 1

#: The quantities a rule can set a figure for, in the order results list them.
QUANTITIES: tuple[str, ...] = ("floor_area", "outdoor_area", "slots", "max_floor")

#: The area types a jurisdiction can distinguish.
AREA_TYPES: tuple[str, ...] = ("new_build", "existing", "rural")

#: (quantity, basis) -> the one unit a figure of that kind must be written in.
UNITS: dict[tuple[str, str], str] = {
    ("floor_area", "per_100_households"): "m²/100户",
    ("floor_area", "minimum"): "m²",
    ("outdoor_area", "per_100_households"): "m²/100户",
    ("outdoor_area", "minimum"): "m²",
    ("slots", "per_1000_population"): "托位/千人",
    ("slots", "minimum"): "托位",
    ("max_floor", "limit"): "层",
}

#: How binding a rule's wording is. Chinese term first, English beside it.
STRENGTHS: dict[str, tuple[str, str]] = {
    "mandatory": ("应/不少于", "mandatory"),
    "generally": ("一般", "generally (a default an approval may override)"),
    "in_principle": ("原则上", "in principle"),
    "target": ("力争/目标", "target"),
    "encouraged": ("鼓励", "encouraged"),
    "supported": ("支持", "supported (eligible for support, not required)"),
    "promoted": ("推动", "promoted (a policy direction)"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "in_force": ("现行有效", "in force"),
    "draft": ("征求意见稿", "consultation draft"),
}

#: How a target compares an indicator with its value.
COMPARATORS: dict[str, tuple[str, str]] = {
    ">=": ("不低于", "at least"),
    "<=": ("不高于", "at most"),
    "qualitative": ("定性目标", "qualitative (no figure)"),
}

#: Who a duty (employer, park, kindergarten) is addressed to, and the measures its thresholds use.
SUBJECTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "employer": ("用人单位", "employer", ("staff", "eligible_children")),
    "industrial_park": ("产业园区", "industrial park", ("employees", "eligible_children")),
    "kindergarten": ("幼儿园", "kindergarten", ()),
}

#: Kindergarten projects a duty can be limited to.
KINDERGARTEN_PROJECTS: dict[str, tuple[str, str]] = {
    "new": ("新建", "new"),
    "expanded": ("改扩建", "expanded or rebuilt"),
    "idle": ("闲置", "idle"),
}

#: Kindergarten ownership a duty can be limited to.
OWNERSHIP: dict[str, tuple[str, str]] = {
    "public": ("公办", "public"),
    "private": ("民办", "private"),
}

#: How many nursery classes (托班) a kindergarten duty asks for.
NURSERY_CLASSES: dict[str, tuple[str, str]] = {
    "equal_to_first_year_classes": ("与小班数量一致", "as many as first-year (小班) classes"),
    "some": ("开设托班，班数未规定", "nursery classes, number not fixed"),
}

LEVELS: tuple[str, ...] = ("country", "province", "city", "district")

# Rate figures are kept as exact fractions and multiplied in int64; bounding their numerator
# and denominator here (with the input bounds in core.py) guarantees no int64 overflow.
MAX_FIGURE_TERM = 10_000

_TOPIC = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^(CN|\d{6})$")


@dataclass(frozen=True)
class Division:
    """An administrative division (GB/T 2260 code) in the country → district hierarchy."""

    code: str
    name: str
    name_en: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Document:
    """A policy document that rules come from, with its dates and status."""

    id: str
    number: str | None
    short_name: str | None
    title: str
    title_en: str
    issuer: str
    status: str
    issued: dt.date | None
    issued_basis: str
    effective_from: dt.date
    effective_from_basis: str
    effective_until: dt.date | None
    plan_period_end: dt.date | None
    plan_period_basis: str | None
    registration: str | None
    source: str
    jurisdiction: str
    path: str

    @property
    def label(self) -> str:
        """How results cite the document: its number (文号), or its short name if it has none."""
        return self.number or self.short_name or self.title

    @property
    def is_draft(self) -> bool:
        """True for a consultation draft (征求意见稿)."""
        return self.status == "draft"

    def applies_on(self, day: dt.date) -> bool:
        """Whether the document applies on ``day`` (ignoring its status)."""
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "id": self.id,
            "number": self.number,
            "label": self.label,
            "title": self.title,
            "title_en": self.title_en,
            "issuer": self.issuer,
            "status": self.status,
            "issued": _iso(self.issued),
            "effective_from": self.effective_from.isoformat(),
            "effective_from_basis": self.effective_from_basis,
            "effective_until": _iso(self.effective_until),
            "plan_period_end": _iso(self.plan_period_end),
            "registration": self.registration,
            "source": self.source,
        }


@dataclass(frozen=True)
class Rule:
    """One rule: a figure for a quantity, or a qualitative obligation with no figure."""

    id: str
    jurisdiction: str
    document: Document
    clause: str
    area_types: tuple[str, ...]
    quantity: str
    basis: str | None
    value: Fraction | None
    value_text: str | None
    unit: str | None
    strength: str
    text: str
    summary_en: str
    topic: str | None = None
    replaces_figure_for: tuple[str, ...] = ()
    deadline: dt.date | None = None
    condition: str | None = None
    interpretation: str | None = None
    letter_zh: str | None = None
    letter_en: str | None = None

    @property
    def is_figure(self) -> bool:
        """True if the rule sets a number (as opposed to a qualitative obligation)."""
        return self.quantity != "obligation"

    def citation(self) -> str:
        """Document number and clause, e.g. ``西政办函〔2021〕15号 二(三)1``."""
        return f"{self.document.label} {self.clause}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""
        return {
            "id": self.id,
            "jurisdiction": self.jurisdiction,
            "quantity": self.quantity,
            "basis": self.basis,
            "value": self.value_text,
            "unit": self.unit,
            "topic": self.topic,
            "area_types": list(self.area_types),
            "strength": self.strength,
            "status": self.document.status,
            "document": self.document.label,
            "document_number": self.document.number,
            "document_title": self.document.title,
            "clause": self.clause,
            "text": self.text,
            "summary_en": self.summary_en,
            "deadline": _iso(self.deadline),
            "condition": self.condition,
            "letter_zh": self.letter_zh,
            "letter_en": self.letter_en,
            "replaces_figure_for": list(self.replaces_figure_for),
            "interpretation": self.interpretation,
            "effective_from": self.document.effective_from.isoformat(),
            "effective_until": _iso(self.document.effective_until),
            "plan_period_end": _iso(self.document.plan_period_end),
        }


@dataclass(frozen=True)
class Indicator:
    """How a target's indicator is computed from a district inventory (``data/indicators.toml``).

    Either ``field`` (the inventory gives the value itself, e.g. a rate in %) or
    ``numerator`` / ``denominator`` × ``scale`` (e.g. slots / population × 1,000). ``nested``
    marks a numerator that is part of its denominator (public slots are slots): a new public
    slot then raises both. ``at_most`` marks a numerator that can never exceed its denominator
    (communities served of all communities); ``nested`` implies it.
    """

    id: str
    name: str
    name_en: str
    unit: str
    field: str | None
    numerator: str | None
    denominator: str | None
    scale: Fraction
    note: str | None = None
    nested: bool = False
    at_most: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        """The inventory fields the indicator needs."""
        if self.field is not None:
            return (self.field,)
        return (self.numerator, self.denominator)  # type: ignore[return-value]


@dataclass(frozen=True)
class Target:
    """A district target (目标) a document sets for a year: an indicator against a value.

    ``year`` is None for a standing target that holds every year from the document's date of
    effect (e.g. "every street has at least one inclusive facility"). ``comparator`` is ``>=``,
    ``<=`` or ``qualitative`` (a target with no number, such as "明显提高", listed but never
    scored as met).
    """

    id: str
    jurisdiction: str
    document: Document
    clause: str
    year: int | None
    indicator: str
    comparator: str
    value: Fraction | None
    value_text: str | None
    unit: str | None
    strength: str
    text: str
    summary_en: str
    interpretation: str | None = None

    def citation(self) -> str:
        """Document number and clause."""
        return f"{self.document.label} {self.clause}"


@dataclass(frozen=True)
class Duty:
    """A duty or encouragement for employers, industrial parks or kindergartens.

    ``thresholds`` are (measure, value, value_text) triples; the duty applies when any one of
    them is reached (each is inclusive: "达到" and "以上" include the number itself). A duty
    with no thresholds applies to every subject of its kind. ``projects`` limits a kindergarten
    duty to new (新建), expanded (改扩建) or idle (闲置) kindergartens, and ``ownership`` to
    public (公办) or private (民办) ones.
    ``nursery_classes`` says how many nursery classes (托班) the duty asks for:
    ``equal_to_first_year_classes``, ``some`` (at least one, number not fixed) or None.
    """

    id: str
    jurisdiction: str
    document: Document
    clause: str
    subject: str
    thresholds: tuple[tuple[str, Fraction, str], ...]
    projects: tuple[str, ...]
    nursery_classes: str | None
    strength: str
    text: str
    summary_en: str
    condition: str | None = None
    interpretation: str | None = None
    ownership: str | None = None

    def citation(self) -> str:
        """Document number and clause."""
        return f"{self.document.label} {self.clause}"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# --------------------------------------------------------------------------------------
# Validation helpers: each names the file and the dotted key of what is wrong.


class _Table:
    """A TOML table being validated; remembers the file and the key path for errors."""

    def __init__(self, path: str, key: str, data: object) -> None:
        if not isinstance(data, dict):
            raise RuleDataError(path, key or "<file>", f"must be a table, got {type(data).__name__}")
        self.path = path
        self.key = key
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def _k(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def error(self, name: str, problem: str) -> RuleDataError:
        return RuleDataError(self.path, self._k(name), problem)

    def raw(self, name: str, required: bool) -> Any:
        self.used.add(name)
        if name not in self.data:
            if required:
                raise self.error(name, "required field is missing")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.raw(name, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def date(self, name: str, required: bool = True) -> dt.date | None:
        value = self.raw(name, required)
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.error(name, f"must be a TOML date such as 2021-09-20 (unquoted), got {value!r}")
        return value

    def str_list(self, name: str, required: bool = True) -> tuple[str, ...]:
        value = self.raw(name, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(name, f"must be a list of strings, got {value!r}")
        return tuple(value)

    def required_date(self, name: str) -> dt.date:
        value = self.date(name, True)
        if value is None:  # pragma: no cover - date(required=True) raises first
            raise self.error(name, "required field is missing")
        return value

    def table(self, name: str) -> _Table:
        return _Table(self.path, self._k(name), self.raw(name, True))

    def array(self, name: str) -> list[_Table]:
        value = self.raw(name, True)
        if not isinstance(value, list) or not value:
            raise self.error(name, "must be a non-empty array of tables ([[" + name + "]])")
        return [_Table(self.path, f"{self._k(name)}[{i}]", v) for i, v in enumerate(value)]

    def choice(self, name: str, options: Iterable[str], required: bool = True) -> str | None:
        value = self.text(name, required)
        options = tuple(options)
        if value is not None and value not in options:
            raise self.error(name, f"must be one of {', '.join(options)}; got {value!r}")
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "unknown field (misspelt?)")


def _read_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(path, "<file>", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleDataError(path, "<file>", f"cannot be read: {exc}") from None


def _schema(table: _Table) -> None:
    version = table.raw("schema", True)
    if version != SCHEMA_VERSION:
        raise table.error("schema", f"must be {SCHEMA_VERSION}, got {version!r}")


def _division(table: _Table, default_parent: str | None = None) -> Division:
    code = table.text("code")
    if not _CODE.match(code or ""):
        raise table.error("code", f"must be a 6-digit GB/T 2260 code or 'CN', got {code!r}")
    level = table.choice("level", LEVELS)
    parent = table.text("parent", required=False) or default_parent
    if level != "country" and parent is None:
        raise table.error("parent", "required for every level below country")
    division = Division(
        code=code,  # type: ignore[arg-type]
        name=table.text("name"),  # type: ignore[arg-type]
        name_en=table.text("name_en"),  # type: ignore[arg-type]
        level=level,  # type: ignore[arg-type]
        parent=parent,
        aliases=table.str_list("aliases", required=False),
        note=table.text("note", required=False),
    )
    return division


def _figure(table: _Table, quantity: str) -> tuple[str, Fraction, str, str]:
    basis = table.text("basis")
    allowed = [b for (q, b) in UNITS if q == quantity]
    if basis not in allowed:
        raise table.error("basis", f"for quantity {quantity!r} must be one of {', '.join(allowed)}; got {basis!r}")
    value, value_text = _number(table, "value")
    if quantity == "max_floor" and value.denominator != 1:
        raise table.error("value", f"a floor limit must be a whole storey, got {value_text}")
    if value.numerator > MAX_FIGURE_TERM or value.denominator > MAX_FIGURE_TERM:
        raise table.error(
            "value",
            f"{value_text} is too large or too finely divided (numerator and denominator of the exact "
            f"fraction must not exceed {MAX_FIGURE_TERM})",
        )
    unit = table.text("unit")
    expected = UNITS[(quantity, basis)]  # type: ignore[index]
    if unit != expected:
        raise table.error("unit", f"for {quantity}/{basis} must be {expected!r}, got {unit!r}")
    return basis, value, value_text, unit  # type: ignore[return-value]


def _number(table: _Table, name: str, allow_zero: bool = False) -> tuple[Fraction, str]:
    """A required exact number (int or decimal) greater than 0 (or >= 0), with its text as written."""
    raw = table.raw(name, True)
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        raise table.error(name, f"must be a number, got {raw!r}")
    if isinstance(raw, Decimal) and not raw.is_finite():
        raise table.error(name, f"must be finite, got {raw!r}")
    value = Fraction(raw)
    if value < 0 or (value == 0 and not allow_zero):
        raise table.error(name, f"must be greater than {'or equal to ' if allow_zero else ''}0, got {raw}")
    text = str(raw.normalize()) if isinstance(raw, Decimal) else str(raw)
    if "E" in text:
        text = format(raw, "f")
    return value, text


@dataclass
class _ParsedFile:
    division: Division | None  # set when the file defines a division the book does not know
    code: str
    name: str
    area_types: dict[str, str]
    documents: list[Document]
    rules: list[Rule]
    targets: list[Target]
    duties: list[Duty]


def _parse_rule_file(path: str, data: dict[str, Any], indicators: Mapping[str, Indicator]) -> _ParsedFile:
    root = _Table(path, "", data)
    _schema(root)
    jt = root.table("jurisdiction")
    code = jt.text("code")
    if not _CODE.match(code or ""):
        raise jt.error("code", f"must be a 6-digit GB/T 2260 code or 'CN', got {code!r}")
    name = jt.text("name")
    # A file may define a division the built-in list does not know (a planner's own city).
    division = None
    if "level" in jt.data or "parent" in jt.data:
        division = Division(
            code=code,  # type: ignore[arg-type]
            name=name,  # type: ignore[arg-type]
            name_en=jt.text("name_en"),  # type: ignore[arg-type]
            level=jt.choice("level", LEVELS),  # type: ignore[arg-type]
            parent=jt.text("parent", required=jt.data.get("level") != "country"),
            aliases=jt.str_list("aliases", required=False),
        )
    ats = jt.table("area_types")
    area_types: dict[str, str] = {}
    for key in ats.data:
        if key not in AREA_TYPES:
            raise ats.error(key, f"unknown area type; use one of {', '.join(AREA_TYPES)}")
        area_types[key] = ats.text(key)  # type: ignore[assignment]
    if not area_types:
        raise jt.error("area_types", "must name at least one area type")
    ats.finish()
    jt.finish()

    documents: dict[str, Document] = {}
    for dtab in root.array("documents"):
        status = dtab.choice("status", STATUSES)
        issued = dtab.date("issued", required=status == "in_force")
        effective_from = dtab.required_date("effective_from")
        effective_until = dtab.date("effective_until", required=False)
        plan_end = dtab.date("plan_period_end", required=False)
        if effective_until is not None and effective_until < effective_from:
            raise dtab.error("effective_until", "is before effective_from")
        if plan_end is not None and plan_end < effective_from:
            raise dtab.error("plan_period_end", "is before effective_from")
        if issued is not None and issued > effective_from:
            raise dtab.error("issued", "is after effective_from")
        number = dtab.text("number", required=status == "in_force")
        short_name = dtab.text("short_name", required=number is None)
        doc = Document(
            id=dtab.text("id"),  # type: ignore[arg-type]
            number=number,
            short_name=short_name,
            title=dtab.text("title"),  # type: ignore[arg-type]
            title_en=dtab.text("title_en"),  # type: ignore[arg-type]
            issuer=dtab.text("issuer"),  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            issued=issued,
            issued_basis=dtab.text("issued_basis"),  # type: ignore[arg-type]
            effective_from=effective_from,
            effective_from_basis=dtab.text("effective_from_basis"),  # type: ignore[arg-type]
            effective_until=effective_until,
            plan_period_end=plan_end,
            plan_period_basis=dtab.text("plan_period_basis", required=plan_end is not None),
            registration=dtab.text("registration", required=False),
            source=dtab.text("source"),  # type: ignore[arg-type]
            jurisdiction=code,  # type: ignore[arg-type]
            path=path,
        )
        if doc.id in documents:
            raise dtab.error("id", f"duplicate document id {doc.id!r}")
        dtab.finish()
        documents[doc.id] = doc

    rules: list[Rule] = []
    seen: set[str] = set()
    for rtab in root.array("rules"):
        rid = rtab.text("id")
        if rid in seen:
            raise rtab.error("id", f"duplicate rule id {rid!r}")
        seen.add(rid)  # type: ignore[arg-type]
        doc_id = rtab.text("document")
        if doc_id not in documents:
            raise rtab.error("document", f"no [[documents]] entry has id {doc_id!r}")
        rats = rtab.str_list("area_types")
        if not rats:
            raise rtab.error("area_types", "must name at least one area type")
        for at in rats:
            if at not in area_types:
                raise rtab.error(
                    "area_types",
                    f"{at!r} is not declared in [jurisdiction.area_types] ({', '.join(area_types)})",
                )
        quantity = rtab.choice("quantity", (*QUANTITIES, "obligation"))
        basis = value = value_text = unit = topic = None
        replaces: tuple[str, ...] = ()
        if quantity == "obligation":
            topic = rtab.text("topic")
            if not _TOPIC.match(topic or ""):
                raise rtab.error("topic", f"must be snake_case, got {topic!r}")
            replaces = rtab.str_list("replaces_figure_for", required=False)
            for q in replaces:
                if q not in QUANTITIES:
                    raise rtab.error("replaces_figure_for", f"unknown quantity {q!r}")
        else:
            basis, value, value_text, unit = _figure(rtab, quantity)  # type: ignore[arg-type]
        rule = Rule(
            id=rid,  # type: ignore[arg-type]
            jurisdiction=code,  # type: ignore[arg-type]
            document=documents[doc_id],  # type: ignore[index]
            clause=rtab.text("clause"),  # type: ignore[arg-type]
            area_types=rats,
            quantity=quantity,  # type: ignore[arg-type]
            basis=basis,
            value=value,
            value_text=value_text,
            unit=unit,
            strength=rtab.choice("strength", STRENGTHS),  # type: ignore[arg-type]
            text=rtab.text("text"),  # type: ignore[arg-type]
            summary_en=rtab.text("summary_en"),  # type: ignore[arg-type]
            topic=topic,
            replaces_figure_for=replaces,
            deadline=rtab.date("deadline", required=False),
            condition=rtab.text("condition", required=False),
            interpretation=rtab.text("interpretation", required=False),
            letter_zh=rtab.text("letter_zh", required="letter_en" in rtab.data),
            letter_en=rtab.text("letter_en", required="letter_zh" in rtab.data),
        )
        if rule.letter_zh is not None and rule.is_figure:
            raise rtab.error("letter_zh", "only obligations carry letter wording; figures are worded by the library")
        rtab.finish()
        rules.append(rule)
    targets = _parse_targets(root, code, documents, indicators, seen)  # type: ignore[arg-type]
    duties = _parse_duties(root, code, documents, seen)  # type: ignore[arg-type]
    root.finish()
    _check_overlaps(path, rules)
    return _ParsedFile(division, code, name, area_types, list(documents.values()), rules, targets, duties)  # type: ignore[arg-type]


def _optional_array(root: _Table, name: str) -> list[_Table]:
    return root.array(name) if name in root.data else []


def _document_ref(table: _Table, documents: Mapping[str, Document]) -> Document:
    doc_id = table.text("document")
    if doc_id not in documents:
        raise table.error("document", f"no [[documents]] entry has id {doc_id!r}")
    return documents[doc_id]  # type: ignore[index]


def _new_id(table: _Table, seen: set[str]) -> str:
    rid = table.text("id")
    if rid in seen:
        raise table.error("id", f"duplicate id {rid!r}")
    seen.add(rid)  # type: ignore[arg-type]
    return rid  # type: ignore[return-value]


def _parse_targets(
    root: _Table, code: str, documents: Mapping[str, Document], indicators: Mapping[str, Indicator], seen: set[str]
) -> list[Target]:
    targets: list[Target] = []
    for t in _optional_array(root, "targets"):
        tid = _new_id(t, seen)
        doc = _document_ref(t, documents)
        year = t.raw("year", False)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100):
            raise t.error(
                "year", f"must be a whole year such as 2025 (or left out for a standing target), got {year!r}"
            )
        if year is not None and year < doc.effective_from.year:
            raise t.error("year", f"{year} is before its document took effect ({doc.effective_from.isoformat()})")
        indicator = t.text("indicator")
        if indicator not in indicators:
            close = difflib.get_close_matches(indicator or "", list(indicators), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else " (see data/indicators.toml)"
            raise t.error("indicator", f"unknown indicator {indicator!r}{hint}")
        comparator = t.choice("comparator", COMPARATORS)
        value = value_text = unit = None
        if comparator != "qualitative":
            value, value_text = _number(t, "value", allow_zero=True)
            unit = t.text("unit")
            expected = indicators[indicator].unit  # type: ignore[index]
            if unit != expected:
                raise t.error("unit", f"indicator {indicator!r} is measured in {expected!r}, got {unit!r}")
        targets.append(
            Target(
                id=tid,
                jurisdiction=code,
                document=doc,
                clause=t.text("clause"),  # type: ignore[arg-type]
                year=year,
                indicator=indicator,  # type: ignore[arg-type]
                comparator=comparator,  # type: ignore[arg-type]
                value=value,
                value_text=value_text,
                unit=unit,
                strength=t.choice("strength", STRENGTHS),  # type: ignore[arg-type]
                text=t.text("text"),  # type: ignore[arg-type]
                summary_en=t.text("summary_en"),  # type: ignore[arg-type]
                interpretation=t.text("interpretation", required=False),
            )
        )
        t.finish()
    return targets


def _parse_duties(root: _Table, code: str, documents: Mapping[str, Document], seen: set[str]) -> list[Duty]:
    duties: list[Duty] = []
    for d in _optional_array(root, "duties"):
        did = _new_id(d, seen)
        doc = _document_ref(d, documents)
        subject = d.choice("subject", SUBJECTS)
        measures = SUBJECTS[subject][2]  # type: ignore[index]
        thresholds: list[tuple[str, Fraction, str]] = []
        if "thresholds" in d.data:
            tt = d.table("thresholds")
            for measure in list(tt.data):
                if measure not in measures:
                    allowed = ", ".join(measures) or "none"
                    raise tt.error(measure, f"not a measure of a {subject} duty (allowed: {allowed})")
                value, text = _number(tt, measure)
                thresholds.append((measure, value, text))
            tt.finish()
            if not thresholds:
                raise d.error("thresholds", "is empty; leave it out for a duty that applies to every " + str(subject))
        projects = d.str_list("projects", required=False)
        for project in projects:
            if project not in KINDERGARTEN_PROJECTS:
                raise d.error("projects", f"unknown project {project!r}; use {', '.join(KINDERGARTEN_PROJECTS)}")
        if projects and subject != "kindergarten":
            raise d.error("projects", "only kindergarten duties are limited to projects")
        ownership = d.choice("ownership", OWNERSHIP, required=False)
        if ownership is not None and subject != "kindergarten":
            raise d.error("ownership", "only kindergarten duties are limited by ownership")
        nursery = d.choice("nursery_classes", NURSERY_CLASSES, required=False)
        if nursery is not None and subject != "kindergarten":
            raise d.error("nursery_classes", "only kindergarten duties ask for nursery classes")
        duties.append(
            Duty(
                id=did,
                jurisdiction=code,
                document=doc,
                clause=d.text("clause"),  # type: ignore[arg-type]
                subject=subject,  # type: ignore[arg-type]
                thresholds=tuple(thresholds),
                projects=projects,
                nursery_classes=nursery,
                strength=d.choice("strength", STRENGTHS),  # type: ignore[arg-type]
                text=d.text("text"),  # type: ignore[arg-type]
                summary_en=d.text("summary_en"),  # type: ignore[arg-type]
                condition=d.text("condition", required=False),
                interpretation=d.text("interpretation", required=False),
                ownership=ownership,
            )
        )
        d.finish()
    return duties


def _parse_indicators(
    path: str, data: dict[str, Any], known: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, tuple[str, str]], dict[str, Fraction], dict[str, Indicator]]:
    root = _Table(path, "", data)
    _schema(root)
    fields: dict[str, tuple[str, str]] = {}
    limits: dict[str, Fraction] = {}
    for f in _optional_array(root, "fields"):
        fid = f.text("id")
        if not _TOPIC.match(fid or "") or fid in fields:
            raise f.error("id", f"must be a unique snake_case name, got {fid!r}")
        fields[fid] = (f.text("name"), f.text("name_en"))  # type: ignore[assignment,index]
        if "max_value" in f.data:
            limits[fid] = _number(f, "max_value")[0]  # type: ignore[index]
        f.finish()
    indicators: dict[str, Indicator] = {}
    for t in root.array("indicators"):
        iid = t.text("id")
        if not _TOPIC.match(iid or "") or iid in indicators:
            raise t.error("id", f"must be a unique snake_case name, got {iid!r}")
        field = t.text("field", required=False)
        numerator = t.text("numerator", required=field is None)
        denominator = t.text("denominator", required=field is None)
        if field is not None and (numerator or denominator):
            raise t.error("field", "give either field, or numerator and denominator, not both")
        for key, ref in (("field", field), ("numerator", numerator), ("denominator", denominator)):
            if ref is not None and ref not in fields and ref not in known:
                raise t.error(key, f"unknown inventory field {ref!r}; declare it under [[fields]]")
        scale = _number(t, "scale")[0] if "scale" in t.data else Fraction(1)
        flags = {}
        for key in ("numerator_within_denominator", "numerator_at_most_denominator"):
            flag = t.raw(key, False)
            flag = False if flag is None else flag
            if not isinstance(flag, bool) or (flag and field is not None):
                raise t.error(key, f"must be true or false, for a ratio only; got {flag!r}")
            flags[key] = flag
        nested = flags["numerator_within_denominator"]
        indicators[iid] = Indicator(  # type: ignore[index]
            id=iid,  # type: ignore[arg-type]
            name=t.text("name"),  # type: ignore[arg-type]
            name_en=t.text("name_en"),  # type: ignore[arg-type]
            unit=t.text("unit"),  # type: ignore[arg-type]
            field=field,
            numerator=numerator,
            denominator=denominator,
            scale=scale,
            note=t.text("note", required=False),
            nested=nested,
            at_most=nested or flags["numerator_at_most_denominator"],
        )
        t.finish()
    root.finish()
    return fields, limits, indicators


def _check_overlaps(path: str, rules: list[Rule]) -> None:
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
                raise RuleDataError(
                    path,
                    f"rules[id={b.id}]",
                    f"overlaps rule {a.id!r}: same quantity/basis/area type on overlapping dates; "
                    "end the older document with effective_until",
                )


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).strip().lower()
    return re.sub(r"[\s_\-·.]+", "", text)


_SUFFIXES = ("省", "市", "区", "县")


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return name


class RuleBook:
    """The divisions, documents and rules the library knows, with name lookup.

    Most callers use the built-in book through the module functions; build one with
    :func:`load_rules` to add a jurisdiction's rules from your own files.
    """

    def __init__(self) -> None:
        self.divisions: dict[str, Division] = {}
        self.area_types: dict[str, dict[str, str]] = {}
        self.documents: dict[str, list[Document]] = {}
        self.rules: dict[str, list[Rule]] = {}
        self.targets: dict[str, list[Target]] = {}
        self.duties: dict[str, list[Duty]] = {}
        self.fields: dict[str, tuple[str, str]] = {}
        self.field_limits: dict[str, Fraction] = {}
        self.indicators: dict[str, Indicator] = {}
        self.files: list[str] = []
        self._aliases: dict[str, str] | None = None

    # -- building ---------------------------------------------------------------------

    def add_divisions(self, path: Path | str, text: str | None = None) -> None:
        """Add the divisions listed in a ``divisions.toml`` file."""
        spath = str(path)
        root = _Table(spath, "", _read_toml(path, text))
        _schema(root)
        for table in root.array("divisions"):
            division = _division(table)
            table.finish()
            self._add_division(spath, table.key, division)
        root.finish()
        self._aliases = None

    def _add_division(self, path: str, key: str, division: Division) -> None:
        if division.code in self.divisions:
            raise RuleDataError(path, f"{key}.code", f"division {division.code} is defined twice")
        if division.parent is not None and division.parent not in self.divisions:
            raise RuleDataError(
                path, f"{key}.parent", f"unknown parent division {division.parent!r}; define the parent first"
            )
        self.divisions[division.code] = division

    def add_file(self, path: Path | str, text: str | None = None) -> None:
        """Validate and add one jurisdiction's rule file.

        Raises
        ------
        RuleDataError
            If a field is missing or malformed; the error names the file and the key.
        """
        spath = str(path)
        parsed = _parse_rule_file(spath, _read_toml(path, text), self.indicators)
        if parsed.division is not None and parsed.code not in self.divisions:
            self._add_division(spath, "jurisdiction", parsed.division)
        if parsed.code not in self.divisions:
            raise RuleDataError(
                spath,
                "jurisdiction.code",
                f"unknown division {parsed.code!r}: give its level, parent and name_en in [jurisdiction] to define it",
            )
        known = self.divisions[parsed.code]
        if known.name != parsed.name:
            raise RuleDataError(
                spath, "jurisdiction.name", f"code {parsed.code} is {known.name!r}, not {parsed.name!r}"
            )
        if parsed.code in self.rules:
            raise RuleDataError(
                spath, "jurisdiction.code", f"rules for {parsed.code} ({parsed.name}) are already loaded"
            )
        self.area_types[parsed.code] = parsed.area_types
        self.documents[parsed.code] = parsed.documents
        self.rules[parsed.code] = parsed.rules
        self.targets[parsed.code] = parsed.targets
        self.duties[parsed.code] = parsed.duties
        self.files.append(spath)
        self._aliases = None

    def add_indicators(self, path: Path | str, text: str | None = None) -> None:
        """Add the inventory fields and target indicators of an ``indicators.toml`` file."""
        fields, limits, indicators = _parse_indicators(str(path), _read_toml(path, text), self.fields)
        for key in fields.keys() & self.fields.keys():
            raise RuleDataError(path, f"fields[id={key}]", "is already defined")
        for key in indicators.keys() & self.indicators.keys():
            raise RuleDataError(path, f"indicators[id={key}]", "is already defined")
        self.fields.update(fields)
        self.field_limits.update(limits)
        self.indicators.update(indicators)

    # -- lookup -----------------------------------------------------------------------

    def _alias_map(self) -> dict[str, str]:
        if self._aliases is not None:
            return self._aliases
        names: dict[str, set[str]] = {}

        def add(alias: str, code: str) -> None:
            names.setdefault(_normalise(alias), set()).add(code)

        for code, div in self.divisions.items():
            own = {div.name, _short(div.name), div.name_en, *div.aliases}
            if code != "CN":
                add(code, code)
            for alias in own:
                add(alias, code)
            prefixes = [""]
            parent = div.parent
            while parent is not None and parent != "CN":
                pdiv = self.divisions[parent]
                prefixes = [p2 + p for p in prefixes for p2 in ("", pdiv.name, _short(pdiv.name))]
                parent = pdiv.parent
            for prefix in prefixes:
                if prefix:
                    add(prefix + div.name, code)
                    add(prefix + _short(div.name), code)
        # An alias shared by two divisions is ambiguous: keep it out so it cannot pick one silently.
        self._aliases = {alias: next(iter(codes)) for alias, codes in names.items() if len(codes) == 1}
        return self._aliases

    def division(self, jurisdiction: object) -> Division:
        """Find a division by Chinese name (with or without its city), pinyin, English or code.

        Raises
        ------
        UnknownJurisdictionError
            Listing the closest known names.
        """
        if isinstance(jurisdiction, Division):
            return jurisdiction
        if (
            isinstance(jurisdiction, float | np.floating)
            and np.isfinite(jurisdiction)
            and float(jurisdiction).is_integer()
        ):
            jurisdiction = int(jurisdiction)  # a code read from a column with blanks arrives as a float
        if isinstance(jurisdiction, np.integer):
            jurisdiction = int(jurisdiction)
        if isinstance(jurisdiction, bool) or not isinstance(jurisdiction, str | int):
            raise UnknownJurisdictionError(jurisdiction, self.suggest(str(jurisdiction)))
        key = _normalise(str(jurisdiction))
        code = self._alias_map().get(key)
        if code is None:
            raise UnknownJurisdictionError(jurisdiction, self.suggest(str(jurisdiction)))
        return self.divisions[code]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The known jurisdiction names closest to ``name``."""
        key = _normalise(name)
        display = {}
        for div in self.divisions.values():
            display[_normalise(div.name)] = div.name
            display[_normalise(div.name_en)] = div.name
            for alias in div.aliases:
                display[_normalise(alias)] = div.name
        close = difflib.get_close_matches(key, list(display), n=n * 2, cutoff=0.4)
        contained = [k for k in display if key and (key in k or k in key)]
        out: list[str] = []
        for k in contained + close:
            if display[k] not in out:
                out.append(display[k])
        return out[:n]

    def chain(self, code: str) -> list[Division]:
        """The division and its ancestors, nearest first."""
        out = []
        current: str | None = code
        while current is not None:
            div = self.divisions[current]
            out.append(div)
            current = div.parent
        return out

    def all_rules(self) -> list[Rule]:
        """Every rule of every jurisdiction, in file order."""
        return [rule for rules in self.rules.values() for rule in rules]


def _data_dir() -> Any:
    return resources.files("facility_sizing") / "data"


def _builtin_book(with_rules: bool = True) -> RuleBook:
    book = RuleBook()
    data = _data_dir()
    divisions = data / "divisions.toml"
    book.add_divisions("facility_sizing/data/divisions.toml", divisions.read_text(encoding="utf-8"))
    indicators = data / "indicators.toml"
    book.add_indicators("facility_sizing/data/indicators.toml", indicators.read_text(encoding="utf-8"))
    if not with_rules:
        return book
    rule_dir = data / "rules"
    for entry in sorted(rule_dir.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            book.add_file(f"facility_sizing/data/rules/{entry.name}", entry.read_text(encoding="utf-8"))
    return book


_DEFAULT: RuleBook | None = None


def default_rulebook() -> RuleBook:
    """The built-in rule book (loaded and validated once, on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = _builtin_book()
    return _DEFAULT


def load_rules(*paths: Path | str, builtin: bool = True) -> RuleBook:
    """Load rule files (or folders of ``*.toml`` files) into a new rule book.

    Parameters
    ----------
    *paths : path-like
        Rule files, or folders whose ``*.toml`` files are rule files. A file named
        ``divisions.toml`` adds divisions, and one named ``indicators.toml`` adds target
        indicators, instead of rules.
    builtin : bool, default True
        Start from the built-in rules. The built-in divisions (the GB/T 2260 tree the
        library knows) are loaded either way, so your files can name their parents.

    Returns
    -------
    RuleBook
        Pass it as ``rulebook=`` to :func:`facility_sizing.size` and friends.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> book = fs.load_rules()           # the built-in rules only
    >>> sorted(book.rules)[:2]
    ['320500', '330106']
    """
    book = _builtin_book(with_rules=builtin)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.toml"))
            if not found:
                raise RuleDataError(p, "<folder>", "holds no *.toml rule files")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise RuleDataError(p, "<file>", "no such file or folder")
    special = {"divisions.toml": book.add_divisions, "indicators.toml": book.add_indicators}
    for f in sorted(files, key=lambda f: f.name not in special):
        special.get(f.name, book.add_file)(f)
    return book


def rulebook_or_default(book: RuleBook | None) -> RuleBook:
    """``book`` itself, or the built-in book when it is None."""
    return default_rulebook() if book is None else book


def area_type_terms(book: RuleBook, codes: Iterable[str]) -> Mapping[str, str]:
    """The area types declared along a chain of divisions, with the nearest 原文 term."""
    out: dict[str, str] = {}
    for code in codes:
        for key, term in book.area_types.get(code, {}).items():
            out.setdefault(key, term)
    return out


__all__ += [
    "COMPARATORS",
    "KINDERGARTEN_PROJECTS",
    "NURSERY_CLASSES",
    "OWNERSHIP",
    "STATUSES",
    "STRENGTHS",
    "SUBJECTS",
    "UNITS",
    "area_type_terms",
    "rulebook_or_default",
]
