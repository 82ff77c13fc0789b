"""District duties beyond one project: target scorecards, and employer, park and kindergarten duties.

* :func:`scorecard` evaluates a district's figures (an *inventory*: population, slots, public
  slots, communities served, …) against every target its document sets for a year, exactly:
  value, target, met or not, gap, and the clause.
* :func:`duties` says which duties or encouragements apply to an employer, an industrial park
  or a kindergarten plan, with their clauses, and how many nursery classes (托班) a rule asks
  for where it fixes the number.

Targets, duties and indicator definitions are rule data (``[[targets]]`` and ``[[duties]]`` in
each jurisdiction's file, ``data/indicators.toml``); this module holds no figure of its own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ..engine.inputs import parse_date
from ..engine.plan import documents_in_force
from ..errors import DraftOnlyError, InputError, NotInForceError, bilingual
from ..model.entities import Division, Duty, Target
from ..model.vocabulary import KINDERGARTEN_PROJECTS, NURSERY_CLASSES, OWNERSHIP, STRENGTHS, SUBJECTS
from ..ruledata import RuleBook, rulebook_or_default

__all__ = ["duties", "inventory_fields", "scorecard"]

STATUS_LABELS: dict[str, str] = {
    "met": "达标 met",
    "not_met": "未达标 not met",
    "no_data": "缺数据 no data",
    "qualitative": "定性目标，不评分 qualitative, not scored",
    "undefined": "无定义（分母为 0）undefined (denominator 0)",
}


# --------------------------------------------------------------------------------------
# Inventory values: exact, never guessed.


def _exact(field: str, value: object) -> Fraction | None:
    """A non-negative exact number from an inventory cell; None for a blank (no data)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        raise _bad_value(field, value)
    if isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        # np.float32(4.56) is 4.56 as written, at its own precision; nan and inf go on as floats
        value = Decimal(str(value)) if np.isfinite(value) else float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if not math.isfinite(value):
            raise _bad_value(field, value)
        value = Decimal(repr(value))  # the number as written (4.56), not its binary neighbour
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _bad_value(field, value)
        value = Fraction(value)
    if not isinstance(value, int | Fraction):
        if isinstance(value, str):
            try:
                return _exact(field, Decimal(value.strip()))
            except InvalidOperation:
                pass
        raise _bad_value(field, value)
    if value < 0 or value > MAX_INVENTORY_VALUE:
        raise _bad_value(field, value)
    return Fraction(value)


#: Largest figure an inventory may hold: beyond any district's population, and far inside float range.
MAX_INVENTORY_VALUE = 10**15


def _bad_value(field: str, value: object) -> InputError:
    shown = value if len(repr(value)) < 40 else f"{repr(value)[:37]}..."
    return InputError(
        field,
        shown,
        f"{field} 须为 0 到 10^15 之间的数字（无数据请留空或 None），收到 {shown!r}",
        f"{field} must be a number from 0 to 10^15 (leave it out or None when there is no data), got {shown!r}",
    )


def _inventory(book: RuleBook, inventory: object) -> dict[str, Fraction | None]:
    if isinstance(inventory, pd.DataFrame):
        if len(inventory) != 1:
            raise InputError(
                "inventory",
                f"<DataFrame of {len(inventory)} rows>",
                f"inventory 须为一个区的数据：dict 或单行 DataFrame，收到 {len(inventory)} 行",
                f"inventory must be one district's figures: a dict or a one-row DataFrame, got {len(inventory)} rows",
            )
        inventory = inventory.iloc[0].to_dict()
    elif isinstance(inventory, pd.Series):
        inventory = inventory.to_dict()
    if not isinstance(inventory, Mapping):
        raise InputError(
            "inventory",
            type(inventory).__name__,
            "inventory 须为 dict 或单行 DataFrame（字段见 fs.inventory_fields()）",
            "inventory must be a dict or a one-row DataFrame (fields: fs.inventory_fields())",
        )
    out: dict[str, Fraction | None] = {}
    for key, value in inventory.items():
        if key not in book.fields:
            close = difflib.get_close_matches(str(key), list(book.fields), n=3)
            hint_zh = f"；是否指 {'、'.join(close)}？" if close else "；可用字段见 fs.inventory_fields()"
            hint_en = f"; did you mean {', '.join(close)}?" if close else "; see fs.inventory_fields()"
            raise InputError(
                str(key), value, f"未知的统计字段 {key!r}{hint_zh}", f"unknown inventory field {key!r}{hint_en}"
            )
        out[key] = _exact(key, value)
    _check_consistent(book, out)
    return out


def _check_consistent(book: RuleBook, inv: Mapping[str, Fraction | None]) -> None:
    """Figures that cannot be true together are an error, not a target met (150 % public slots)."""
    for field, limit in book.field_limits.items():
        value = inv.get(field)
        if value is not None and value > limit:
            raise InputError(
                field,
                float(value),
                f"{field} 不能超过 {limit}（百分比），收到 {float(value):g}",
                f"{field} cannot exceed {limit} (it is a percentage), got {float(value):g}",
            )
    for ind in book.indicators.values():
        if not ind.at_most:
            continue
        num, den = inv.get(ind.numerator), inv.get(ind.denominator)  # type: ignore[arg-type]
        if num is not None and den is not None and num > den:
            raise InputError(
                ind.numerator,  # type: ignore[arg-type]
                float(num),
                f"{ind.numerator}（{float(num):g}）不能多于 {ind.denominator}（{float(den):g}）：它是其中的一部分",
                f"{ind.numerator} ({float(num):g}) cannot exceed {ind.denominator} ({float(den):g}), of which it is a part",
            )


def inventory_fields(rulebook: RuleBook | None = None) -> pd.DataFrame:
    """The fields a scorecard inventory may hold, with their Chinese and English names.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> fs.inventory_fields().loc["slots", "name"]
    '托位数'
    """
    book = rulebook_or_default(rulebook)
    return pd.DataFrame([{"field": k, "name": zh, "name_en": en} for k, (zh, en) in book.fields.items()]).set_index(
        "field"
    )


# --------------------------------------------------------------------------------------
# Scorecards


def _year(value: object) -> int:
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2100:
        raise InputError(
            "year",
            value,
            f"year 须为年份整数，如 2025，收到 {value!r}",
            f"year must be a year such as 2025, got {value!r}",
        )
    return value


def _targets_for(book: RuleBook, division: Division, year: int, include_drafts: bool) -> list[Target]:
    own = book.targets.get(division.code, [])
    if not own:
        above = [d for d in book.chain(division.code)[1:] if book.targets.get(d.code)]
        if above:
            parent = above[0]
            raise NotInForceError(
                bilingual(
                    f"{division.name}没有自己的目标；{parent.name}的目标是全{parent.name[-1]}的总量指标，"
                    f"请用 jurisdiction='{parent.name}' 与全{parent.name[-1]}数据评估",
                    f"{division.name_en} sets no targets of its own; the targets of {parent.name_en} are for its "
                    f"whole territory: score them with jurisdiction='{parent.name}' and that territory's figures",
                )
            )
        raise NotInForceError(
            bilingual(f"库中没有{division.name}的目标数据", f"the library holds no targets for {division.name_en}")
        )

    def applies(t: Target) -> bool:
        doc = t.document
        if t.year is not None:
            return t.year == year
        start_ok = doc.effective_from.year <= year
        end_ok = doc.effective_until is None or doc.effective_until.year >= year
        return start_ok and end_ok

    dated = [t for t in own if applies(t)]
    chosen = [t for t in dated if include_drafts or not t.document.is_draft]
    if chosen:
        return chosen
    if dated:
        doc = dated[0].document
        raise DraftOnlyError(
            bilingual(
                f"{division.name} {year} 年的目标只见于征求意见稿《{doc.title}》；如需评估，请传入 include_drafts=True",
                f"{division.name_en}'s targets for {year} are only in the consultation draft '{doc.title_en}'; "
                "pass include_drafts=True to score them",
            )
        )
    years = sorted({t.year for t in own if t.year is not None})
    listed = "、".join(map(str, years))
    raise NotInForceError(
        bilingual(
            f"{division.name}的文件没有为 {year} 年设定目标；设有目标的年份：{listed}",
            f"{division.name_en}'s documents set no targets for {year}; years with targets: {', '.join(map(str, years))}",
        )
    )


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def _score(book: RuleBook, target: Target, inv: Mapping[str, Fraction | None]) -> dict[str, Any]:
    ind = book.indicators[target.indicator]
    row: dict[str, Any] = {
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
        "citation": target.citation(),
        "document": target.document.label,
        "clause": target.clause,
        "text": target.text,
        "summary_en": target.summary_en,
        "interpretation": target.interpretation,
    }
    missing = [f for f in ind.fields if inv.get(f) is None]
    if target.comparator == "qualitative":
        return row
    if missing:
        row["status"] = "no_data"
        row["missing"] = ", ".join(missing)
        return row
    goal: Fraction = target.value  # type: ignore[assignment]
    if ind.field is not None:
        value: Fraction = inv[ind.field]  # type: ignore[assignment]
    else:
        num: Fraction = inv[ind.numerator]  # type: ignore[index,assignment]
        den: Fraction = inv[ind.denominator]  # type: ignore[index,assignment]
        if den == 0:
            # e.g. public share of 0 slots: undefined, neither met nor failed; the rest of the card stands
            row["status"] = "undefined"
            row["note"] = bilingual(
                f"{ind.denominator} 为 0，“{ind.name}”无定义", f"{ind.denominator} is 0: '{ind.name_en}' is undefined"
            )
            return row
        value = num / den * ind.scale
    at_least = target.comparator == ">="
    met = value >= goal if at_least else value <= goal
    row["value"] = float(value)
    row["met"] = bool(met)
    row["status"] = "met" if met else "not_met"
    row["gap"] = 0.0 if met else float(abs(goal - value))
    # The shortfall in the units a planner acts on: slots to add, facilities to open.
    if ind.field is None:
        field, den, num = ind.numerator, inv[ind.denominator], inv[ind.numerator]  # type: ignore[index]
        share = goal / ind.scale
        if at_least and ind.nested and share < 1:
            # each unit added (a new public slot) adds to the denominator (all slots) too:
            # the least x with (num + x) / (den + x) >= share
            short = max(0, _ceil((share * den - num) / (1 - share)))  # type: ignore[operator]
        elif at_least:
            short = max(0, _ceil(share * den - num))  # type: ignore[operator]
        else:
            short = max(0, _ceil(num - share * den))  # type: ignore[operator]
        row["shortfall"], row["shortfall_of"] = short, field
    elif ind.unit != "%":
        row["shortfall"] = max(0, _ceil(goal - value)) if at_least else max(0, _ceil(value - goal))
        row["shortfall_of"] = ind.field
    return row


def scorecard(
    inventory: Mapping[str, Any] | pd.DataFrame | pd.Series,
    jurisdiction: str | int,
    year: int,
    *,
    include_drafts: bool = False,
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
        ``note``, ``strength``, ``draft``, ``citation``, ``clause``, ``text``
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
    inv = _inventory(book, inventory)
    targets = _targets_for(book, division, year, bool(include_drafts))
    rows = [_score(book, t, inv) for t in targets]
    frame = pd.DataFrame(rows)
    frame["met"] = frame["met"].astype("boolean")
    for col in ("target", "value", "gap"):
        frame[col] = frame[col].astype("float64")
    frame["shortfall"] = frame["shortfall"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    frame.insert(frame.columns.get_loc("status") + 1, "status_label", frame["status"].map(STATUS_LABELS))
    counts = {k: int((frame["status"] == k).sum()) for k in STATUS_LABELS}
    frame.attrs.update(
        {
            "jurisdiction": division.name,
            "jurisdiction_code": division.code,
            "year": year,
            "counts": counts,
            "draft": bool(frame["draft"].any()),
        }
    )
    return frame


# --------------------------------------------------------------------------------------
# Employers, parks and kindergartens

_SUBJECT_ALIASES: dict[str, str] = {
    **dict.fromkeys(("employer", "用人单位", "企事业单位", "单位", "企业"), "employer"),
    **dict.fromkeys(("industrial_park", "park", "产业园区", "园区", "产业园"), "industrial_park"),
    **dict.fromkeys(("kindergarten", "幼儿园"), "kindergarten"),
}

_PROJECT_ALIASES: dict[str, str] = {
    **dict.fromkeys(("new", "新建", "新设"), "new"),
    **dict.fromkeys(("expanded", "扩建", "改扩建", "改建", "rebuilt"), "expanded"),
    **dict.fromkeys(("existing", "已有", "现有", "既有"), "existing"),
    **dict.fromkeys(("idle", "闲置", "闲置幼儿园"), "idle"),
}

_MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "staff": ("职工数", "staff"),
    "employees": ("员工数", "employees"),
    "eligible_children": ("职工适龄子女数", "eligible children of staff"),
}


def _count(field: str, value: object) -> int | None:
    exact = _exact(field, value)
    if exact is None:
        return None
    if exact.denominator != 1:
        raise InputError(
            field, value, f"{field} 须为整数，收到 {value!r}", f"{field} must be a whole number, got {value!r}"
        )
    return int(exact)


def _canonical(field: str, value: object, aliases: Mapping[str, str], zh: str, en: str) -> str:
    key = value.strip().lower() if isinstance(value, str) else value
    if key not in aliases:
        raise InputError(
            field,
            value,
            f"{field} 无法识别，收到 {value!r}；可用：{zh}",
            f"unknown {field} {value!r}; use one of: {en}",
        )
    return aliases[key]  # type: ignore[index]


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
        return True, [f"适用于所有{label[0]}"], [f"applies to every {label[1]}"]
    zh: list[str] = []
    en: list[str] = []
    reached = False
    unknown = False
    for measure, value, _ in duty.thresholds:
        mz, me = _MEASURE_LABELS[measure]
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
    result = project in duty.projects
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
    kind = _canonical(
        "subject",
        subject,
        _SUBJECT_ALIASES,
        "employer/用人单位、industrial_park/产业园区、kindergarten/幼儿园",
        "employer, industrial_park, kindergarten",
    )
    division = book.division(jurisdiction)
    day = dt.date.today() if on is None else parse_date(on)
    measures = {"staff": staff, "employees": employees, "eligible_children": eligible_children}
    given = {k: _count(k, v) for k, v in measures.items()}
    allowed = SUBJECTS[kind][2]
    for name, value in given.items():
        if value is not None and name not in allowed:
            uses = "、".join(_MEASURE_LABELS[m][0] for m in allowed) or "无门槛"
            raise InputError(
                name,
                value,
                f"{SUBJECTS[kind][0]}的门槛不用 {name}；请用：{uses}",
                f"{kind} thresholds do not use {name}; use: {', '.join(allowed) or 'none'}",
            )
    kg_args = {"project": project, "public": public, "first_year_classes": first_year_classes}
    if kind != "kindergarten":
        for name, value in kg_args.items():
            if value is not None:
                raise InputError(
                    name, value, f"{name} 只用于幼儿园（subject='kindergarten'）", f"{name} is for kindergartens only"
                )
    proj = None
    if project is not None:
        proj = _canonical(
            "project", project, _PROJECT_ALIASES, "new/新建、expanded/改扩建、existing/已有", "new, expanded, existing"
        )
    if public is not None and not isinstance(public, bool | np.bool_):
        raise InputError("public", public, "public 须为 True 或 False", "public must be True or False")
    classes = _count("first_year_classes", first_year_classes)

    chain = book.chain(division.code)
    docs = {d.id for d in documents_in_force(book, chain, day, bool(include_drafts))}
    rows: list[dict[str, Any]] = []
    for level, div in enumerate(chain):
        for duty in book.duties.get(div.code, []):
            if duty.subject != kind or duty.document.id not in docs:
                continue
            t_ok, t_zh, t_en = _threshold_check(duty, given)
            p_ok, p_zh, p_en = _project_check(duty, proj)
            o_ok, o_zh, o_en = _ownership_check(duty, None if public is None else bool(public))
            applies = _tri_and(_tri_and(t_ok, p_ok), o_ok)
            p_zh, p_en = p_zh + o_zh, p_en + o_en
            nursery, note = _nursery(duty, applies, classes)
            rows.append(
                {
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
                    "source": div.name,
                    "inherited": level > 0,
                }
            )
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
