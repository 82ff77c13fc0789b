"""Duties beyond one project: which duties or encouragements apply to an employer, an industrial
park or a kindergarten plan, with their clauses, and how many nursery classes (托班) a rule asks
for where it fixes the number.

Duties are rule data (``[[duties]]`` in each jurisdiction's file); this module holds no figure
of its own. A threshold includes its number, and a measure left out makes the answer unknown
(NA), never "does not apply".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..engine.inputs import parse_date
from ..engine.plan import documents_in_force
from ..errors import InputError, bilingual
from ..messages import Message
from ..model.entities import Duty
from ..model.vocabulary import (
    KINDERGARTEN_PROJECTS,
    MEASURES,
    NURSERY_CLASSES,
    OWNERSHIP,
    PROJECT_COVERS,
    STRENGTHS,
    SUBJECTS,
)
from ..ruledata import RuleBook, rulebook_or_default
from .inventory import exact

__all__ = ["duties"]

_SUBJECT_ALIASES: dict[str, str] = {
    **dict.fromkeys(("employer", "用人单位", "企事业单位", "单位", "企业"), "employer"),
    **dict.fromkeys(("industrial_park", "park", "产业园区", "园区", "产业园"), "industrial_park"),
    **dict.fromkeys(("kindergarten", "幼儿园"), "kindergarten"),
}

_PROJECT_ALIASES: dict[str, str] = {
    **dict.fromkeys(("new", "新建", "新设"), "new"),
    **dict.fromkeys(("expanded", "改扩建", "改建", "rebuilt"), "expanded"),
    **dict.fromkeys(("extended", "扩建"), "extended"),
    **dict.fromkeys(("existing", "已有", "现有", "既有"), "existing"),
    **dict.fromkeys(("idle", "闲置", "闲置幼儿园"), "idle"),
}


def _count(field: str, value: object) -> int | None:
    number = exact(field, value, argument=True)
    if number is None:
        return None
    if number.denominator != 1:
        raise InputError("district.whole_number", field=field, value=value)
    return int(number)


def _canonical(field: str, value: object, aliases: Mapping[str, str], choices: str) -> str:
    """The canonical name of ``value``; ``choices`` is the catalogue key of the names to list if it is none."""
    key = value.strip().lower() if isinstance(value, str) else value
    # the membership test comes first: an unhashable value raises TypeError as it always has
    if key not in aliases or not isinstance(key, str):
        raise InputError("district.unknown_choice", field=field, value=value, choices=Message(choices))
    return aliases[key]


def _tri_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _threshold_check(duty: Duty, measures: Mapping[str, int | None]) -> tuple[bool | None, list[str], list[str]]:
    """Whether any threshold is reached (None: unknown), with bilingual reasons."""
    if not duty.thresholds:
        if duty.projects or duty.ownership:
            return True, [], []
        label = SUBJECTS[duty.subject]
        if duty.condition:  # 「有条件的」「符合条件的」: the document's own limit, which the library does not judge
            return (
                True,
                [f"适用于{label[0]}，以文件所写条件为限"],
                [f"applies to the {label[1]} within the condition the document states"],
            )
        return True, [f"适用于所有{label[0]}"], [f"applies to every {label[1]}"]
    zh: list[str] = []
    en: list[str] = []
    reached = False
    unknown = False
    for measure, value, _ in duty.thresholds:
        mz, me = MEASURES[measure]
        text = f"{int(value):,}" if value.denominator == 1 else str(float(value))
        given = measures.get(measure)
        if given is None:
            unknown = True
            zh.append(f"{mz}未提供（门槛 ≥ {text}）")
            en.append(f"{me} not given (threshold ≥ {text})")
        elif given >= value:
            reached = True
            zh.append(f"{mz} {given:,} ≥ {text}")
            en.append(f"{me} {given:,} ≥ {text}")
        else:
            zh.append(f"{mz} {given:,} < {text}")
            en.append(f"{me} {given:,} < {text}")
    return (True if reached else None if unknown else False), zh, en


def _project_check(duty: Duty, project: str | None) -> tuple[bool | None, list[str], list[str]]:
    if not duty.projects:
        return True, [], []
    names_zh = "、".join(KINDERGARTEN_PROJECTS[p][0] for p in duty.projects)
    names_en = ", ".join(KINDERGARTEN_PROJECTS[p][1] for p in duty.projects)
    if project is None:
        return None, [f"未说明项目类型（适用于{names_zh}幼儿园）"], [f"project not given (applies to {names_en})"]
    covered = {kind for p in duty.projects for kind in PROJECT_COVERS.get(p, (p,))}
    if project == "expanded" and "extended" in duty.projects and project not in covered:
        return (  # 扩建 alone in the text: a 改扩建 project may or may not extend
            None,
            [f"文件写“{names_zh}”；改扩建项目是否含扩建未说明，请按项目实际写明扩建（extended）或新建（new）"],
            [f"the document says {names_en}; whether a rebuilt-and-extended project extends is not said"],
        )
    result = project in covered
    word_zh, word_en = ("属于", "is") if result else ("不属于", "is not")
    return result, [f"项目{word_zh}{names_zh}"], [f"the project {word_en} {names_en}"]


def _ownership_check(duty: Duty, public: bool | None) -> tuple[bool | None, list[str], list[str]]:
    if duty.ownership is None:
        return True, [], []
    zh, en = OWNERSHIP[duty.ownership]
    if public is None:
        return None, [f"未说明是否公办（适用于{zh}幼儿园）"], [f"public or not not given (applies to {en} ones)"]
    result = public == (duty.ownership == "public")
    word_zh, word_en = ("是", "is") if result else ("不是", "is not")
    return result, [f"{word_zh}{zh}幼儿园"], [f"the kindergarten {word_en} {en}"]


def duties(
    jurisdiction: str | int,
    subject: str,
    *,
    on: dt.date | str | None = None,
    staff: int | None = None,
    employees: int | None = None,
    eligible_children: int | None = None,
    project: str | None = None,
    public: bool | None = None,
    first_year_classes: int | None = None,
    include_drafts: bool = False,
    include_reported: bool = False,
    rulebook: RuleBook | None = None,
) -> pd.DataFrame:
    """Which duties or encouragements apply to an employer, an industrial park or a kindergarten.

    Parameters
    ----------
    jurisdiction : str or int
        Where the employer, park or kindergarten is. A district inherits its city's duties
        (a Suzhou district gets Suzhou's).
    subject : str
        ``employer`` (用人单位), ``industrial_park`` (产业园区) or ``kindergarten`` (幼儿园).
    on : date or str, optional
        The date whose documents apply; default today.
    staff, employees, eligible_children : int, optional
        For employers: ``staff`` (职工数) and ``eligible_children`` (职工适龄子女数); for parks:
        ``employees`` (员工数). Each threshold includes its number ("达到", "以上"): 18 eligible
        children meet Suzhou's "18人及以上". A threshold whose measure is not given leaves the
        duty *unknown* (``applies`` is NA), never "does not apply".
    project : str, optional
        For kindergartens: ``new`` (新建), ``expanded`` (改扩建), ``existing`` or ``idle`` (闲置).
    public : bool, optional
        For kindergartens: whether it is public (公办); some duties are for public or private
        (民办) ones only. Not given, such duties are unknown (NA).
    first_year_classes : int, optional
        For kindergartens: the number of first-year (小班) classes, to give the number of
        nursery classes where a rule ties it to them (Keqiao).
    include_reported : bool, default False
        Use documents known by report only (e.g. Hangzhou's 2022 配建办法: parks of 10,000 employees).
    include_drafts : bool, default False
        Include duties from a consultation draft (Binjiang).
    rulebook : RuleBook, optional
        Rules from :func:`load_rules`; the built-in rules by default.

    Returns
    -------
    pandas.DataFrame
        One row per duty of the jurisdiction and the levels above it: ``duty_id``, ``applies``
        (True/False/NA), ``reason`` (Chinese — English), ``strength`` and ``strength_label``
        (mandatory, in principle, encouraged, supported …), ``condition``,
        ``nursery_classes`` (the number required, where a rule fixes it), ``nursery_classes_note``,
        ``citation``, ``text`` (原文), ``summary_en``, ``interpretation``, ``draft``, ``source``.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> d = fs.duties("苏州市", "employer", eligible_children=18, on="2025-01-01")
    >>> bool(d.loc[0, "applies"]), d.loc[0, "strength"], d.loc[0, "citation"]
    (True, 'supported', '苏府办〔2020〕233号 三(一)')
    >>> k = fs.duties("柯桥区", "kindergarten", project="new", first_year_classes=4, on="2025-01-01")
    >>> int(k.loc[k["duty_id"] == "keqiao.duty.kindergarten.new", "nursery_classes"].iloc[0])
    4
    """
    book = rulebook_or_default(rulebook)
    kind = _canonical("subject", subject, _SUBJECT_ALIASES, "district.subject_choices")
    division = book.division(jurisdiction)
    day = dt.date.today() if on is None else parse_date(on)
    given = _measures(kind, {"staff": staff, "employees": employees, "eligible_children": eligible_children})
    proj, classes = _kindergarten(kind, project, public, first_year_classes)
    owned = None if public is None else bool(public)

    chain = book.chain(division.code)
    docs = {d.id for d in documents_in_force(book, chain, day, bool(include_drafts), bool(include_reported))}
    rows = [
        _duty_row(duty, kind, div.name, level > 0, given, proj, owned, classes)
        for level, div in enumerate(chain)
        for duty in book.duties.get(div.code, [])
        if duty.subject == kind and duty.document.id in docs
    ]
    frame = pd.DataFrame(rows, columns=_DUTY_COLUMNS)
    frame["applies"] = frame["applies"].astype("boolean")
    frame["nursery_classes"] = frame["nursery_classes"].astype("Int64")
    frame.attrs.update({"jurisdiction": division.name, "subject": kind, "on": day.isoformat()})
    if frame.empty:
        frame.attrs["message"] = bilingual(
            f"{division.name}及其上级的现行文件对{SUBJECTS[kind][0]}没有规定",
            f"the documents in force for {division.name_en} and above set nothing for a {SUBJECTS[kind][1]}",
        )
    return frame


_DUTY_COLUMNS = [
    "duty_id",
    "subject",
    "applies",
    "reason",
    "strength",
    "strength_label",
    "condition",
    "nursery_classes",
    "nursery_classes_note",
    "citation",
    "document",
    "clause",
    "text",
    "summary_en",
    "interpretation",
    "draft",
    "source",
    "inherited",
]


def _nursery(duty: Duty, applies: bool | None, classes: int | None) -> tuple[int | None, str | None]:
    rule = duty.nursery_classes
    if rule is None:
        return None, None
    zh, en = NURSERY_CLASSES[rule]
    if rule == "equal_to_first_year_classes":
        if applies is not True:
            return None, bilingual(f"{zh}（本项目不适用或未确定）", f"{en} (not applicable or not determined)")
        if classes is None:
            return None, bilingual(
                f"{zh}：请提供 first_year_classes（小班数）以计算班数",
                f"{en}: pass first_year_classes to get the number",
            )
        return classes, bilingual(f"{zh}：小班 {classes} 个 → 托班 {classes} 个", f"{en}: {classes} → {classes}")
    return None, bilingual(f"{zh}（至少 1 个班）", f"{en} (at least one class)")


def _measures(kind: str, measures: Mapping[str, object]) -> dict[str, int | None]:
    """The threshold measures as whole numbers; one the subject's thresholds do not use is an error."""
    given = {k: _count(k, v) for k, v in measures.items()}
    allowed = SUBJECTS[kind][2]
    for name, value in given.items():
        if value is not None and name not in allowed:
            uses = [Message("district.argument", {"argument": m}) for m in allowed]
            raise InputError(
                "district.measure_not_used",
                field=name,
                value=value,
                subject={"zh": SUBJECTS[kind][0], "en": kind},
                uses=uses or [Message("district.no_thresholds")],
            )
    return given


def _kindergarten(
    kind: str, project: object, public: object, first_year_classes: object
) -> tuple[str | None, int | None]:
    """The kindergarten arguments checked: the canonical project type and the number of first-year classes."""
    kg_args = {"project": project, "public": public, "first_year_classes": first_year_classes}
    if kind != "kindergarten":
        for name, value in kg_args.items():
            if value is not None:
                raise InputError("district.kindergarten_only", field=name, value=value, subject="subject")
    proj = None
    if project is not None:
        proj = _canonical("project", project, _PROJECT_ALIASES, "district.project_choices")
    if public is not None and not isinstance(public, bool | np.bool_):
        raise InputError("district.public_bool", field="public", value=public)
    return proj, _count("first_year_classes", first_year_classes)


def _duty_row(
    duty: Duty,
    kind: str,
    source: str,
    inherited: bool,
    given: Mapping[str, int | None],
    project: str | None,
    public: bool | None,
    classes: int | None,
) -> dict[str, Any]:
    """One duty's row: whether it applies (True, False or None for unknown), why, and its clause."""
    t_ok, t_zh, t_en = _threshold_check(duty, given)
    p_ok, p_zh, p_en = _project_check(duty, project)
    o_ok, o_zh, o_en = _ownership_check(duty, public)
    applies = _tri_and(_tri_and(t_ok, p_ok), o_ok)
    p_zh, p_en = p_zh + o_zh, p_en + o_en
    if duty.condition:  # said in the reason, so no table drops it (Yuyao 三(一)1, Suzhou 三(一): 有条件的)
        p_zh, p_en = [*p_zh, f"条件：{duty.condition}"], [*p_en, f"condition: {duty.condition_en}"]
    nursery, note = _nursery(duty, applies, classes)
    return {
        "duty_id": duty.id,
        "subject": kind,
        "applies": applies,
        "reason": bilingual("；".join(t_zh + p_zh), "; ".join(t_en + p_en)),
        "strength": duty.strength,
        "strength_label": " ".join(STRENGTHS[duty.strength]),
        "condition": duty.condition,
        "nursery_classes": nursery,
        "nursery_classes_note": note,
        "citation": duty.citation(),
        "document": duty.document.label,
        "clause": duty.clause,
        "text": duty.text,
        "summary_en": duty.summary_en,
        "interpretation": duty.interpretation,
        "draft": duty.document.is_draft,
        "source": source,
        "inherited": inherited,
    }
