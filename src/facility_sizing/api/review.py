"""Design review: does a proposed facility meet the requirement? ``fs.review(design, ...)``.

One finding per rule: ``pass``, ``fail`` (with the shortfall in m², slots or storeys) or
``not_checkable`` (the design leaves out what the rule needs, or the rule sets no figure).
Local rules come from the jurisdiction's rule data. National design rules (fire code, nursery
design code, class sizes; ``data/national/design.toml``) apply by the grade of what was seen:
full-text copies by default, reports with ``include_reported=True``, paraphrases with
``include_unverified=True``; every finding from them says which.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from ..api.sizing import size
from ..errors import RuleDataError
from ..model.entities import Rule
from ..model.quantities import QUANTITIES, QuantitySpec
from ..model.vocabulary import DEFAULT_GRADES, GRADE_TAGS, STRENGTHS, Label
from ..results.requirement import Requirement, RuleUse
from ..results.review import Design, Finding, Review, invalid
from ..ruledata import RuleBook

__all__ = ["national_design_rules", "review"]


def _fmt(value: float | int | None, unit: str | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return f"{text} {unit}" if unit else text


def national_design_rules() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The national design rules and their documents, as data (see ``data/national/design.toml``)."""
    path = resources.files("facility_sizing") / "data" / "national" / "design.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in data.get("documents", [])}
    rules = data.get("rules", [])
    for i, r in enumerate(rules):
        for key in ("id", "document", "clause", "check", "strength", "text", "summary_en", "seen_in", "grade"):
            if key not in r:
                raise RuleDataError(
                    "facility_sizing/data/national/design.toml", f"rules[{i}].{key}", "required field is missing"
                )
        if r["document"] not in docs:
            raise RuleDataError(
                "facility_sizing/data/national/design.toml",
                f"rules[{i}].document",
                f"unknown document {r['document']!r}",
            )
    return rules, docs


def _source(rule: Rule) -> tuple[str, str, str, str, bool]:
    """rule_id, document, clause, strength and verified of a Finding from a local rule."""
    return rule.id, rule.document.label, rule.clause, rule.strength, rule.document.grade in DEFAULT_GRADES


def _required_phrase(spec: QuantitySpec, rule: Rule, required: float | int) -> tuple[str, str]:
    """How a finding states the requirement, e.g. 建筑面积不少于 200 m² / 楼层不高于 2 层（一般）."""
    label = spec.review_label or spec.label
    if spec.direction == "at_least":
        shown = _fmt(required, spec.unit.zh if spec.is_area else None)
        return f"{label.zh}不少于 {shown}", f"{label.en} at least {shown}"
    bound = spec.review_bound or Label(f"{label.zh}不超过 {{v}}", f"{label.en} {{v}} or less")
    v = _fmt(required, None)
    qualified = rule.strength != "mandatory"
    zh = bound.zh.format(v=v) + (f"（{STRENGTHS[rule.strength].zh}）" if qualified else "")
    en = bound.en.format(v=v) + (f" ({rule.strength})" if qualified else "")
    return zh, en


def _excess(spec: QuantitySpec, required: float | int, provided: float | int) -> float | int:
    """How far the design falls short of a requirement, or exceeds a limit (0 when it complies)."""
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


def review(
    design: Design | Mapping[str, Any],
    *,
    jurisdiction: str | int,
    area_type: str,
    households: float | None = None,
    population: float | None = None,
    persons_per_household: float | None = None,
    on: dt.date | str | None = None,
    include_drafts: bool = False,
    include_reported: bool = False,
    include_unverified: bool = False,
    trust: str | None = None,
    rulebook: RuleBook | None = None,
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
    req = size(
        jurisdiction=jurisdiction,
        area_type=area_type,
        households=households,
        population=population,
        persons_per_household=persons_per_household,
        on=on,
        include_drafts=include_drafts,
        include_reported=include_reported,
        trust=trust,
        rulebook=rulebook,
    )
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
    findings.extend(_national(design, req, class_mix, include_reported, include_unverified))
    return Review(req, design, tuple(findings), class_mix)


@dataclass(frozen=True)
class _NationalCheck:
    """One national design rule of ``data/national/design.toml``, with its source fields."""

    rule: dict[str, Any]
    common: dict[str, Any]
    tag: tuple[str, str]  # what a finding adds when the rule is unverified


def _no_basement(c: _NationalCheck, design: Design) -> Finding:
    tag_zh, tag_en = c.tag
    if design.floors is None:
        return Finding(
            "no_basement",
            "not_checkable",
            None,
            None,
            None,
            "层",
            message_zh=f"不得设于地下或半地下{tag_zh}：设计未给出楼层",
            message_en=f"Not underground{tag_en}: floors not given",
            **c.common,
        )
    low = min(design.floors)
    below = sum(1 for f in design.floors if f < 1)  # storeys below ground
    return Finding(
        "no_basement",
        "fail" if low < 1 else "pass",
        1,
        low,
        below,
        "层",
        message_zh=f"不得设于地下或半地下{tag_zh}",
        message_en=f"Not underground{tag_en}",
        **c.common,
    )


def _max_floor(c: _NationalCheck, design: Design) -> Finding:
    tag_zh, tag_en = c.tag
    limit = int(c.rule["value"])
    label_zh, label_en = f"不超过 {limit} 层{tag_zh}", f"Floor {limit} or below{tag_en}"
    if design.floors is None:
        return Finding(
            "max_floor_national", "not_checkable", limit, None, None, "层",
            message_zh=label_zh + "：设计未给出楼层", message_en=label_en + ": floors not given", **c.common,
        )  # fmt: skip
    top = max(design.floors)
    over = max(top - limit, 0)
    return Finding(
        "max_floor_national", "fail" if over else "pass", limit, top, over, "层",
        message_zh=label_zh, message_en=label_en, **c.common,
    )  # fmt: skip


def _fire_grade(c: _NationalCheck, design: Design) -> Finding | None:
    grades = c.rule["fire_resistance_grades"]
    if design.fire_resistance_grade is not None and design.fire_resistance_grade not in grades:
        return None  # this rule is for other grades
    tag_zh, tag_en = c.tag
    limit = int(c.rule["value"])
    label_zh = f"耐火等级{'、'.join(map(str, grades))}级时不超过 {limit} 层{tag_zh}"
    label_en = f"Fire-resistance grade {'/'.join(map(str, grades))}: floor {limit} or below{tag_en}"
    if design.fire_resistance_grade is None or design.floors is None:
        return Finding(
            "max_floor_by_fire_grade",
            "not_checkable",
            limit,
            None,
            None,
            "层",
            message_zh=label_zh + "：设计未给出耐火等级或楼层",
            message_en=label_en + ": fire-resistance grade or floors not given",
            **c.common,
        )
    top = max(design.floors)
    over = max(top - limit, 0)
    return Finding(
        "max_floor_by_fire_grade",
        "fail" if over else "pass",
        limit,
        top,
        over,
        "层",
        message_zh=label_zh,
        message_en=label_en,
        **c.common,
    )


def _outdoor_per_slot(c: _NationalCheck, design: Design, req: Requirement, slots: int | None) -> Finding:
    tag_zh, tag_en = c.tag
    per = float(c.rule["value"])
    if slots is None:
        return Finding(
            "outdoor_per_slot",
            "not_checkable",
            None,
            design.outdoor_area_m2,
            None,
            "m²",
            message_zh=f"户外活动场地人均 {per:g} m²{tag_zh}：无托位数",
            message_en=f"Outdoor area {per:g} m² per child{tag_en}: no slot count",
            **c.common,
        )
    required = per * slots
    local = req.outdoor_area_m2
    binds = "（本项较地方指标严格，为控制指标）" if local is None or required > local else "（地方指标较严）"
    short: float | int | None = None
    status = "not_checkable"
    if design.outdoor_area_m2 is not None:
        short = _excess(QUANTITIES["outdoor_area"], required, design.outdoor_area_m2)
        status = "fail" if short > 0 else "pass"
    return Finding(
        "outdoor_per_slot",
        status,
        required,
        design.outdoor_area_m2,
        short,
        "m²",
        message_zh=f"户外活动场地人均 {per:g} m² × {slots} 托位{tag_zh}{binds}",
        message_en=f"Outdoor area {per:g} m² × {slots} children{tag_en}",
        **c.common,
    )


def _applies(rule: dict[str, Any], doc: dict[str, Any], on: dt.date, opt_ins: tuple[bool, bool]) -> bool:
    """A national rule applies on the review's date, at its grade, with the opt-in its grade needs."""
    include_reported, include_unverified = opt_ins
    grade = rule["grade"]
    graded = grade in DEFAULT_GRADES or (grade, True) in (
        ("reported", include_reported),
        ("unverified", include_unverified),
    )
    since = doc.get("effective_from")
    return graded and (since is None or on >= since)


def _national(
    design: Design, req: Requirement, class_mix: dict[str, int], include_reported: bool, include_unverified: bool
) -> list[Finding]:
    rules, docs = national_design_rules()
    out: list[Finding | None] = []
    slots = design.slots if design.slots is not None else req.slots
    for r in rules:
        doc = docs[r["document"]]
        if not _applies(r, doc, req.on, (include_reported, include_unverified)):
            continue
        verified = r["grade"] in DEFAULT_GRADES
        common = dict(
            rule_id=r["id"], document=doc["number"], clause=r["clause"], strength=r["strength"], verified=verified,
            grade=r["grade"],
        )  # fmt: skip
        c = _NationalCheck(r, common, GRADE_TAGS[r["grade"]])
        if r["check"] == "max_floor":
            out.append(_max_floor(c, design))
        elif r["check"] == "no_basement":
            out.append(_no_basement(c, design))
        elif r["check"] == "max_floor_by_fire_grade":
            out.append(_fire_grade(c, design))
        elif r["check"] == "outdoor_per_slot":
            out.append(_outdoor_per_slot(c, design, req, slots))
        elif r["check"] == "class_size" and slots is not None:
            key = f"{r['class_type']} ≤{r['value']}{c.tag[0]}"
            class_mix[key] = math.ceil(slots / int(r["value"])) if slots else 0
    return [f for f in out if f is not None]
