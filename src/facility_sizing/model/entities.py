"""The entities rule data describes: divisions, documents, rules, targets, duties, indicators.

Plain frozen dataclasses, built by :mod:`facility_sizing.ruledata` from validated files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from .vocabulary import DEFAULT_GRADES, GRADES

__all__ = [
    "Circle",
    "DesignRule",
    "Division",
    "Document",
    "Duty",
    "Indicator",
    "Rule",
    "Standard",
    "Target",
    "grade_words",
]


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


def grade_words(grade: str, draft: bool) -> tuple[str, str]:
    """A grade in words (:data:`~facility_sizing.model.vocabulary.GRADES`); for a draft, the draft's copy.

    Examples
    --------
    >>> grade_words("official", False), grade_words("official", True)[1]
    (('官方文本', 'official copy'), 'the original text of a consultation draft, not in force')
    """
    if draft and grade == "official":
        return "征求意见稿原文，未生效", "the original text of a consultation draft, not in force"
    label = GRADES[grade]
    if draft:
        return f"征求意见稿，{label.zh}（未生效）", f"a consultation draft, {label.en} (not in force)"
    return label.zh, label.en


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
    grade: str = "official"
    seen: str | None = None
    replaces: tuple[str, ...] = ()
    #: the document itself states its date of effect (「自…起施行」); otherwise the library chose
    #: ``effective_from`` (e.g. the date of issue) and outputs must not quote it as the document's
    effective_from_stated: bool = False
    #: when the document's status was last checked, and what that check was (see :attr:`status_text`)
    checked_on: dt.date | None = None
    checked: str | None = None
    #: the end of the period its targets run to (「到2025年」), where it sets targets
    targets_until: dt.date | None = None

    @property
    def label(self) -> str:
        """How results cite the document: its number (文号), or its short name if it has none."""
        return self.number or self.short_name or self.title

    @property
    def is_draft(self) -> bool:
        """True for a consultation draft (征求意见稿)."""
        return self.status == "draft"

    def grade_admitted(self, include_reported: bool = False) -> bool:
        """Whether a default answer may rest on this document's grade: an official copy or a full
        text copy always; a report only when the caller opts in; never an unverified one."""
        return self.grade in DEFAULT_GRADES or (include_reported and self.is_reported)

    @property
    def is_reported(self) -> bool:
        """True for a document known by report only: its figures apply only when the caller opts in."""
        return self.grade == "reported"

    def grade_words(self) -> tuple[str, str]:
        """What was seen of the document, in words that never call a draft official.

        The grade says what copy was seen (``official``: the issuer's own text). For a consultation
        draft that copy is the official text *of a draft*: 「官方文本」 alone would read as an
        official document in force.

        Examples
        --------
        >>> import facility_sizing as fs
        >>> [doc] = fs.size(jurisdiction="滨江区", area_type="新建", population=1000, on="2025-01-01",
        ...                 include_drafts=True).plan.documents
        >>> doc.grade_words()[0]
        '征求意见稿原文，未生效'
        """
        return grade_words(self.grade, self.is_draft)

    def date_of_effect(self) -> tuple[str, str]:
        """The document's date of effect as the document states it, or as the library chose it, said so.

        「自…起施行」 only where the document itself says so (``effective_from_stated``); otherwise the
        date the library applies it from, with the reason. A draft has none. Every output that
        speaks of a date of effect says it with these words (letters, prints and errors alike).
        """
        if self.is_draft:
            return "未生效，无施行日期", "not in force, no date of effect"
        day = self.effective_from
        zh_day = f"{day.year}年{day.month}月{day.day}日"
        if self.is_reported:  # the text was not seen: nothing can be said of what it states
            return (
                f"据报道日期{zh_day}起适用，原文未见，施行日期未知",
                f"applied from {day.isoformat()}, the date reported; the text was not seen, so its date of effect "
                "is not known",
            )
        if self.effective_from_stated:  # the document's own sentence
            return f"自{zh_day}起施行", f"effective from {day.isoformat()}, as the document states"
        if self.issued == day:  # the date the document bears (成文日期, its sign-off)
            return (
                f"文件未载明施行日期，按成文日期{zh_day}起适用",
                f"states no date of effect; applied from the date the document bears, {day.isoformat()}",
            )
        return f"文件未载明施行日期，按{zh_day}起适用", f"states no date of effect; applied from {day.isoformat()}"

    def applies_on(self, day: dt.date) -> bool:
        """Whether the document applies on ``day`` (ignoring its status)."""
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form (a fresh dict each call: the document never changes)."""
        return dict(self._dict_form)

    @cached_property
    def _dict_form(self) -> dict[str, Any]:
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
            "effective_from_stated": self.effective_from_stated,
            "effective_until": _iso(self.effective_until),
            "plan_period_end": _iso(self.plan_period_end),
            "registration": self.registration,
            "source": self.source,
            "grade": self.grade,
            "seen": self.seen,
            "checked_on": _iso(self.checked_on),
            "checked": self.checked,
            "targets_until": _iso(self.targets_until),
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
    condition_en: str | None = None
    interpretation: str | None = None
    letter_zh: str | None = None
    letter_en: str | None = None
    params: tuple[tuple[str, Fraction, str], ...] = ()
    #: whom an obligation binds: "project" (whoever provides the facility) or "government" (a task)
    addressee: str = "project"
    #: the document's own word for the quantity where it differs from the library's (Keqiao's
    #: 「托育服务设施面积」 for floor area): a letter states the figure with that word beside it
    term: str | None = None
    #: for a build trigger (topic ``build_trigger``): the measure of :data:`~facility_sizing.model.triggers.TRIGGERS`
    #: its ``value`` is set on (「住宅总规模完成50%之前」: ``housing_completed_share``, 50, %)
    trigger: str | None = None

    @property
    def is_figure(self) -> bool:
        """True if the rule sets a number (as opposed to a qualitative obligation)."""
        return self.quantity != "obligation"

    def citation(self) -> str:
        """Document number and clause, e.g. ``西政办函〔2021〕15号 二(三)1``."""
        return f"{self.document.label} {self.clause}"

    def param_values(self) -> dict[str, Fraction]:
        """The extra numbers of the rule's basis (e.g. ``band_low``), exact."""
        return {name: value for name, value, _ in self.params}

    def param_texts(self) -> dict[str, str]:
        """The extra numbers of the rule's basis as written in the data."""
        return {name: text for name, _, text in self.params}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form (a fresh dict each call, its lists and mapping copied: the rule never changes)."""
        out = dict(self._dict_form)
        out["area_types"] = list(out["area_types"])
        out["params"] = dict(out["params"])
        out["replaces_figure_for"] = list(out["replaces_figure_for"])
        return out

    @cached_property
    def _dict_form(self) -> dict[str, Any]:
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
            "grade": self.document.grade,
            "document": self.document.label,
            "document_number": self.document.number,
            "document_title": self.document.title,
            "clause": self.clause,
            "text": self.text,
            "summary_en": self.summary_en,
            "deadline": _iso(self.deadline),
            "condition": self.condition,
            "condition_en": self.condition_en,
            "letter_zh": self.letter_zh,
            "letter_en": self.letter_en,
            "addressee": self.addressee,
            "term": self.term,
            "trigger": self.trigger,
            "params": self.param_texts(),
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
        if self.numerator is None or self.denominator is None:  # pragma: no cover - the parser requires both
            raise ValueError(f"indicator {self.id!r} has neither a field nor a numerator and denominator")
        return (self.numerator, self.denominator)


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
    condition_en: str | None = None
    interpretation: str | None = None
    ownership: str | None = None

    def citation(self) -> str:
        """Document number and clause."""
        return f"{self.document.label} {self.clause}"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(frozen=True)
class Standard:
    """A national standard (or national document) whose figures design review and coverage apply."""

    id: str
    number: str
    title: str
    title_en: str
    effective_from: dt.date | None = None
    #: whether its text was checked against an official copy (circles: GB 50180 was not)
    verified: bool = True

    def applies_on(self, on: dt.date) -> bool:
        """In force on ``on`` (a standard whose edition date was not seen applies always)."""
        return self.effective_from is None or on >= self.effective_from


@dataclass(frozen=True)
class DesignRule:
    """A national design rule: a limit on one quantity of a proposed facility (``data/national/design.toml``).

    ``quantity`` is a key of :data:`~facility_sizing.model.quantities.DESIGN_QUANTITIES`; the
    requirement is ``value`` itself (``basis="limit"``), ``value`` per slot (``"per_slot"``) or a
    class size (``"per_class"``: the slots make ⌈slots ÷ value⌉ classes). ``when`` names the
    design fields the rule is for, with their values (a fire code's limit for grades 1 and 2).
    ``check`` is the name its finding carries; ``grade`` how its text was seen.
    """

    id: str
    standard: Standard
    clause: str
    check: str
    quantity: str
    basis: str
    value: Fraction
    value_text: str
    strength: str
    text: str
    summary_en: str
    grade: str
    seen_in: str
    when: tuple[tuple[str, tuple[int, ...]], ...] = ()
    class_type: str | None = None
    class_type_en: str | None = None

    def applies(self, on: dt.date, opted_in: tuple[str, ...]) -> bool:
        """Whether review applies it on ``on``: its standard in force, its grade a default one or opted into."""
        return self.standard.applies_on(on) and (self.grade in DEFAULT_GRADES or self.grade in opted_in)


@dataclass(frozen=True)
class Circle:
    """A service circle (生活圈) distance of GB 50180 (``data/national/circles.toml``).

    ``distance_m`` is the distance coverage uses (a range's low end: a larger radius would overstate
    coverage); ``max_m`` the range's high end.
    """

    id: str
    name: str
    name_en: str
    distance_m: Fraction
    max_m: Fraction
    standard: Standard
    clause: str
    text: str
    seen_in: str
    interpretation: str | None = None
