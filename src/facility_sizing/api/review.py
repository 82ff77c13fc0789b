"""Design review: does a proposed facility meet the requirement? ``fs.review(design, ...)``.

One finding per rule: ``pass``, ``fail`` (with the shortfall in m², slots or storeys) or
``not_checkable`` (the design leaves out what the rule needs, or the rule sets no figure).
Local rules come from the jurisdiction's rule data. National design rules (fire code, nursery
design code, class sizes; ``data/national/design.toml``) apply by the grade of what was seen:
full-text copies by default, reports with ``include_reported=True``, paraphrases with
``include_unverified=True``; every finding from them says which.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Unpack

from ..api.sizing import size
from ..messages import Message
from ..model.entities import DesignRule, Rule
from ..model.project import ProjectInputs, project_signature
from ..model.quantities import DESIGN_QUANTITIES, QUANTITIES, QuantitySpec
from ..model.vocabulary import (
    DEFAULT_GRADES,
    DESIGN_BASES,
    DESIGN_CONDITIONS,
    GRADE_TAGS,
    NO_SLOTS,
    STRENGTHS,
    STRICTER,
    Label,
)
from ..results.requirement import Requirement, RuleUse
from ..results.review import Design, Finding, Review, invalid
from ..ruledata import RuleBook, rulebook_or_default

__all__ = ["review"]


def _fmt(value: float | int | None, unit: str | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return f"{text} {unit}" if unit else text


def _source(rule: Rule) -> tuple[str, str, str, str, bool]:
    """rule_id, document, clause, strength and verified of a Finding from a local rule."""
    return rule.id, rule.document.label, rule.clause, rule.strength, rule.document.grade in DEFAULT_GRADES


def _bound_words(spec: QuantitySpec, v: str) -> Label:
    """A quantity's bound as a finding states it, from its declaration: 建筑面积不少于 200 m²,
    楼层不高于 2 层, or a bound that is a sentence of its own (不得设于地下或半地下)."""
    label = spec.review_label or spec.label
    if spec.direction == "at_least":
        return spec.review_bound or Label(f"{label.zh}不少于 {v}", f"{label.en} at least {v}")
    bound = spec.review_bound or Label(f"{label.zh}不超过 {{v}}", f"{label.en} {{v}} or less")
    return Label(bound.zh.format(v=v), bound.en.format(v=v))


def _required_phrase(spec: QuantitySpec, rule: Rule, required: float | int) -> tuple[str, str]:
    """How a finding states the requirement, e.g. 建筑面积不少于 200 m² / 楼层不高于 2 层（一般）."""
    at_least = spec.direction == "at_least"
    zh, en = _bound_words(spec, _fmt(required, spec.unit.zh if at_least and spec.is_area else None))
    if at_least or rule.strength == "mandatory":
        return zh, en
    return f"{zh}（{STRENGTHS[rule.strength].zh}）", f"{en} ({rule.strength})"


def _excess(spec: QuantitySpec, required: float | int, provided: float | int) -> float | int:
    """How far the design falls short of a requirement, or exceeds a limit (0 when it complies).

    Storeys have no floor 0: from B1 (-1) up to floor 1 is one storey.
    """
    if spec.unit.en == "storey" and (provided < 1 <= required or required < 1 <= provided):
        provided += 1 if provided < 1 else -1
    if spec.direction == "at_most":
        return max(provided - required, 0)
    if spec.is_area:
        # areas are exact to 0.01 m²: compare as decimals so float noise cannot fail or pass a design
        return float(max(Decimal(repr(float(required))) - Decimal(repr(float(provided))), Decimal(0)))
    return max(required - provided, 0)


def _no_figure_finding(spec: QuantitySpec, provided: float | int | None, uses: list[RuleUse]) -> Finding:
    label = spec.review_label or spec.label
    reason = uses[0].words.en if uses and uses[0].words is not None else ""
    return Finding(
        spec.key,
        "not_checkable",
        None,
        provided,
        None,
        spec.unit.zh,
        None,
        None,
        None,
        None,
        True,
        f"{label.zh}：规则无数值指标",
        f"{label.en}: the rules set no figure ({reason})",
    )


def _no_requirement_finding(spec: QuantitySpec, provided: float | int | None) -> Finding:
    """A quantity of a project of no residents (no households): no requirement arises, so none is checked."""
    label, none = spec.review_label or spec.label, Message("statements.no_requirement")
    return Finding(spec.key, "not_checkable", None, provided, None, spec.unit.zh, None, None, None, None, True,
                   f"{label.zh}：本项目没有住户，{none.text('zh')}", f"{label.en}: no households, {none.text('en')}")  # fmt: skip


def _finding(spec: QuantitySpec, rule: Rule, required: float | int, provided: float | int | None) -> Finding:
    what_zh, what_en = _required_phrase(spec, rule, required)
    grade = rule.document.grade
    tag = GRADE_TAGS[grade]  # a figure from a report says so in the finding itself
    what_zh, what_en = what_zh + tag.zh, what_en + tag.en
    if provided is None:
        # a requirement names its quantity; a limit names itself (楼层不高于 2 层（一般）：设计未给出楼层)
        label = spec.review_label or spec.label
        head_zh, head_en = (label.zh, label.en) if spec.direction == "at_least" else (what_zh, what_en)
        missing = spec.review_missing
        return Finding(
            spec.key, "not_checkable", required, None, None, spec.unit.zh, *_source(rule),
            head_zh + missing.zh, head_en + missing.en, grade,
        )  # fmt: skip
    short = _excess(spec, required, provided)
    status = "fail" if short > 0 else "pass"
    source = _source(rule)
    return Finding(spec.key, status, required, provided, short, spec.unit.zh, *source, what_zh, what_en, grade)


def _quantity_findings(req: Requirement, spec: QuantitySpec, design: Design) -> list[Finding]:
    """The check of one quantity against the design field its declaration names.

    A requirement is checked against its binding rule; a limit against every limit still in force
    (a "generally" floor 2 and a mandatory floor 3 are two findings, each with its own force).
    """
    provided = getattr(design, spec.design_field or "")
    uses = [u for u in req.rules if u.quantity == spec.key]
    if req.no_residents and uses:  # no residential project: its rules raise no requirement, nothing to check
        return [_no_requirement_finding(spec, provided)]
    figures = [u for u in uses if u.rule is not None and (u.binding or spec.direction == "at_most")]
    if not figures:
        return [_no_figure_finding(spec, provided, uses)] if spec.says_no_figure(named=bool(uses)) else []
    if spec.direction == "at_least":
        required = req.value(spec.key)
        rule = figures[0].rule
        if required is None or rule is None:  # a binding rule always has a figure; never reached
            return [_no_figure_finding(spec, provided, uses)]
        return [_finding(spec, rule, required, provided)]
    return [_finding(spec, u.rule, u.computed or 0, provided) for u in figures if u.rule is not None]


@project_signature()
def review(
    design: Design | Mapping[str, Any],
    *,
    include_unverified: bool = False,
    rulebook: RuleBook | None = None,
    **project: Unpack[ProjectInputs],
) -> Review:
    """Check a proposed design against the requirement of the project's rules.

    Parameters
    ----------
    design : Design or dict
        The proposal; see :class:`Design`.
    jurisdiction, area_type, households, population, persons_per_household, on, include_drafts, include_reported, trust
        As for :func:`facility_sizing.size`.
    include_unverified : bool, default False
        Also apply the national design rules seen only in paraphrases (the mixed class of 58号).

    Notes
    -----
    The national design rules apply by the grade of what was seen (``data/national/design.toml``,
    ``shared/SOURCES.md``): GB 50016-2014 (2018) 5.4.4 (basement ban; floors by fire-resistance
    grade) and JGJ 39 4.1.3 (no living rooms in a basement) were read in full in third-party
    copies and apply by default, each finding saying so; JGJ 39 3.2.3 (3 m² of outdoor area per
    child), WS/T 821-2023 (floor 3 or below, no basement) and 58号's class sizes are known by report
    and apply with ``include_reported=True``.

    Returns
    -------
    Review
        ``passed``, ``findings`` (one per rule: status, shortfall, document and clause),
        ``class_mix``, and Markdown / HTML reports.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> r = fs.review({"floor_area_m2": 199, "outdoor_area_m2": 40, "floors": (1, 2)},
    ...               jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
    >>> r.passed, [(f.check, f.status, f.shortfall) for f in r.findings][:2]
    (False, [('floor_area', 'fail', 1.0), ('outdoor_area', 'pass', 0.0)])
    """
    if not isinstance(design, Design):
        if not isinstance(design, Mapping):
            raise invalid("design", type(design).__name__, "design_kind")
        design = Design.from_mapping(design)
    req = size(rulebook=rulebook, **project)
    findings = [f for spec in QUANTITIES.values() if spec.design_field for f in _quantity_findings(req, spec, design)]
    for use in req.obligations:
        rule = use.rule
        if rule is None or rule.topic != "centralised":
            continue
        if design.single_site is None:
            status, provided = "not_checkable", None
        else:
            status, provided = ("pass" if design.single_site else "fail"), int(design.single_site)
        findings.append(
            Finding(
                "single_site",
                status,
                1,
                provided,
                None if status != "fail" else 1,
                None,
                *_source(rule),
                "相对集中配建（单一场地）",
                "Relatively centralised (one site)",
                rule.document.grade,
            )
        )
    class_mix: dict[str, int] = {}
    opted_in = tuple(g for g, on in (("reported", req.include_reported), ("unverified", include_unverified)) if on)
    findings.extend(_national(design, req, class_mix, opted_in, rulebook_or_default(rulebook)))
    return Review(req, design, tuple(findings), class_mix)


def _conditions(rule: DesignRule, design: Design) -> tuple[Label, Label | None] | None:
    """How a finding names the design fields a rule is for, and what it adds when one is not given.

    None when the design is of another case (a fire code's limit for grade 4, and the design is grade 2).
    """
    said_zh, said_en, missing = "", "", None
    for field_name, values in rule.when:
        phrase, not_given = DESIGN_CONDITIONS[field_name]
        given = getattr(design, field_name)
        if given is not None and given not in values:
            return None
        if given is None:
            missing = missing or not_given
        said_zh += phrase.zh.format(values="、".join(map(str, values)))
        said_en += phrase.en.format(values="/".join(map(str, values)))
    return Label(said_zh, said_en), missing


def _design_phrase(rule: DesignRule, spec: QuantitySpec, slots: int | None) -> Label:
    """What a national rule requires, as the finding states it: the quantity's own bound, or per slot."""
    v = rule.value_text
    if rule.basis == "per_slot":
        template = DESIGN_BASES["per_slot"]
        words = {"label": None, "v": v, "unit": spec.unit.en, "slots": slots if slots is not None else "—"}
        return Label(
            template.zh.format(**{**words, "label": spec.label.zh}),
            template.en.format(**{**words, "label": spec.label.en.capitalize()}),
        )
    return _bound_words(spec, v)


def _design_finding(
    rule: DesignRule, spec: QuantitySpec, design: Design, req: Requirement, slots: int | None
) -> Finding | None:
    """The check of one national design rule, through its quantity's declaration (bound, design field, unit)."""
    cases = _conditions(rule, design)
    if cases is None:
        return None
    when, missing = cases
    what = _design_phrase(rule, spec, slots)
    tag = GRADE_TAGS[rule.grade]
    common: dict[str, Any] = dict(
        rule_id=rule.id, document=rule.standard.number, clause=rule.clause, strength=rule.strength,
        verified=rule.grade in DEFAULT_GRADES, grade=rule.grade,
    )  # fmt: skip
    what_en = what.en[:1].lower() + what.en[1:] if when.en else what.en  # Fire-resistance grade 3: floor 2…
    head_zh, head_en = when.zh + what.zh + tag.zh, when.en + what_en + tag.en
    per_slot = rule.basis == "per_slot"
    unit = "m²" if spec.is_area else spec.unit.zh
    provided = getattr(design, spec.design_field or "")
    if per_slot and slots is None:
        missing = NO_SLOTS
    elif provided is None:
        missing = missing or spec.review_missing
    required = rule.value * slots if per_slot and slots is not None else rule.value
    required_out: float | int = float(required) if spec.is_area else int(required)
    if missing is not None:
        return Finding(rule.check, "not_checkable", None if per_slot else required_out, provided, None, unit,
                       message_zh=head_zh + missing.zh, message_en=head_en + missing.en, **common)  # fmt: skip
    short = _excess(spec, required_out, provided)
    if per_slot:  # beside a local figure of the same quantity: which binds
        local = req.value(spec.key)
        stricter = STRICTER[local is None or required_out > local]
        head_zh, head_en = head_zh + stricter.zh, head_en + stricter.en
    return Finding(rule.check, "fail" if short > 0 else "pass", required_out, provided, short, unit,
                   message_zh=head_zh, message_en=head_en, **common)  # fmt: skip


def _national(
    design: Design, req: Requirement, class_mix: dict[str, int], opted_in: tuple[str, ...], book: RuleBook
) -> list[Finding]:
    """The findings of the national design rules that apply on the review's date at their grade; and the class mix."""
    out: list[Finding] = []
    slots = design.slots if design.slots is not None else req.slots
    for rule in book.design_rules.values():
        if not rule.applies(req.on, opted_in):
            continue
        spec = DESIGN_QUANTITIES[rule.quantity]
        if rule.basis == "per_class":  # not pass or fail: how many classes the slots make
            if slots is not None:
                label = DESIGN_BASES["per_class"].zh.format(class_type=rule.class_type, v=rule.value_text)
                class_mix[label + GRADE_TAGS[rule.grade].zh] = math.ceil(slots / rule.value) if slots else 0
            continue
        found = _design_finding(rule, spec, design, req, slots)
        if found is not None:
            out.append(found)
    return out
