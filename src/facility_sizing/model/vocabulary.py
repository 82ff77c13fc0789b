"""One vocabulary: every bilingual term the library shows, declared once.

Each table maps a code (what the data and the results carry) to its label, Chinese (原文)
first and English beside it. Renderers, validators and the rules reference read these tables;
no other module keeps a label table of its own. ``tests/test_vocabulary.py`` checks that every
code the library emits has a label and that every label is used.

Quantity and basis labels live with their declarations in :mod:`facility_sizing.model.quantities`.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ADDRESSEES",
    "AREA_TYPES",
    "AREA_TYPE_ALIASES",
    "AREA_TYPE_LABELS",
    "AREA_TYPE_PHRASES_EN",
    "CHANGES",
    "COLUMN_LABELS",
    "COMPARATORS",
    "DEFAULT_GRADES",
    "DESIGN_BASES",
    "DESIGN_CONDITIONS",
    "ERROR_KINDS",
    "FIELD_LABELS",
    "GENERALLY_WORDS",
    "GRADES",
    "GRADE_TAGS",
    "KINDERGARTEN_PROJECTS",
    "LEGEND_LABELS",
    "LETTER_KINDS",
    "LEVELS",
    "MEASURES",
    "NO_SLOTS",
    "NURSERY_CLASSES",
    "OPT_INS",
    "OWNERSHIP",
    "PLACE_AREA_PREFIX",
    "PLACE_WORDS",
    "POPULATION_WORDS",
    "PROJECT_COVERS",
    "RECHECK_AFTER_DAYS",
    "SCORE_STATUSES",
    "SENTENCE_CHANGES",
    "SITE_STATUSES",
    "SITING_MODELS",
    "SOLVER_STATUSES",
    "STATUSES",
    "STRENGTHS",
    "STRENGTH_KINDS",
    "STRICTER",
    "STRICTNESS",
    "SUBJECTS",
    "TRUST_ALIASES",
    "TRUST_LABELS",
    "UNUSED_AREA_WORDS",
    "Label",
    "LetterKind",
    "canonical_area_type",
    "place_word",
    "strength_kind",
]


class Label(NamedTuple):
    """A term in Chinese (原文) and English."""

    zh: str
    en: str


#: The area types a jurisdiction can distinguish, in the order results list them.
AREA_TYPES: tuple[str, ...] = ("new_build", "existing", "rural")

#: Area types: the short term, and the English noun phrase a condition letter uses.
AREA_TYPE_LABELS: dict[str, Label] = {
    "new_build": Label("新建", "new-build"),
    "existing": Label("已建成", "existing"),
    "rural": Label("农村", "rural"),
}
AREA_TYPE_PHRASES_EN: dict[str, str] = {
    "new_build": "new-build residential area",
    "existing": "existing residential area",
    "rural": "rural area",
}

#: Words for a kind of place that a planner writes as the area type (老城区, 老旧小区). Each means
#: existing only where the jurisdiction's own document uses it — in its term for existing areas
#: (Yuyao's and Suzhou's 「老城区和已建成居住区」) or in a clause that sets an existing area's figure
#: (Keqiao 二(一)2 「在已建城市居住区，要结合老旧小区改造……」); elsewhere a new build in an old town
#: would be sized as existing. Longest first, so 老旧住宅小区 is not read as a shorter word.
PLACE_WORDS: tuple[str, ...] = ("老旧住宅小区", "老旧居住小区", "老城区", "老旧小区")

#: The area-type code of a spelling with a place word is this prefix and the word: existing, once
#: the document is seen to use the word.
PLACE_AREA_PREFIX = "existing+"

#: Words planners use for an area that no document of the library uses; given as the area type,
#: the error names the documents' own terms instead of guessing (an urban village 城中村 may be
#: rebuilt as new or kept as existing).
UNUSED_AREA_WORDS: tuple[str, ...] = ("城中村",)


#: Accepted spellings of each area type (compared after stripping spaces and lower-casing).
AREA_TYPE_ALIASES: dict[str, str] = {
    **{
        k: "new_build"
        for k in (
            "new_build",
            "new-build",
            "newbuild",
            "new",
            "新建",
            "新建居住区",
            "新建城市居住区",
            "新建住宅",
            "新建住宅小区",  # Yuyao's term
            "新建小区",
        )
    },
    **{
        k: "existing"
        for k in (
            "existing",
            "built",
            "已建成",
            "已建",
            "已建成居住区",
            "已建城市居住区",
            "老城区",
            "老城区和已建成居住区",
            "存量",
            # a 小区 is a residential compound: new or existing is the word the documents use
            "已建小区",
            "已建成小区",
            "已建住宅小区",
            # place words: existing only where the document uses the word (PLACE_WORDS)
            *PLACE_WORDS,
        )
    },
    **{k: "rural" for k in ("rural", "农村", "农村地区", "农村社区")},
}


class LetterKind(NamedTuple):
    """What a clause is for an area type: its title, what it says of itself, its section heads."""

    title: Label
    addressed: Label
    heads: tuple[Label, Label]
    #: how the text names itself where it states no figure (本条件书不设数值)
    itself: Label


#: A new build's facility is a land-transfer (allocation) condition on the developer; in existing
#: and rural areas no land is transferred, and the facility is a configuration requirement
#: (配置要求). Who puts it in place is for the documents to say (Keqiao's health bureau leads,
#: Binjiang has streets and no towns): the text names no one the documents do not.
LETTER_KINDS: dict[str, LetterKind] = {
    "new_build": LetterKind(
        Label("托育服务设施配建要求", "Infant-care facility requirements"),
        Label("", ""),
        (Label("配建规模", "Size"), Label("建设与移交要求", "Construction and hand-over")),
        Label("本条件书", "this letter"),
    ),
    **{
        area: LetterKind(
            Label("托育服务设施配置要求", "Infant-care facility provision requirement"),
            Label(
                "本要求为托育服务设施配置要求，不作为土地出让条件。",
                "This is a requirement for providing the facility; it is not a land-transfer condition.",
            ),
            (Label("配置规模", "Size"), Label("配置方式", "How it is provided")),
            Label("本要求", "this requirement"),
        )
        for area in ("existing", "rural")
    },
}

#: How long after a document's status was last checked (``checked_on``) a result dated later
#: says that it must be checked again: a policy of the library, not a figure of any document.
RECHECK_AFTER_DAYS = 365


def place_word(value: object) -> str | None:
    """The place word (老城区, 老旧小区, …) an area-type spelling says, or None.

    Examples
    --------
    >>> place_word("老城区和已建成居住区"), place_word("老旧小区"), place_word("已建成")
    ('老城区', '老旧小区', None)
    """
    if not isinstance(value, str):
        return None
    return next((w for w in PLACE_WORDS if w in value), None)


#: What a caller may say to trust when households and population contradict each other.
TRUST_LABELS: dict[str, Label] = {
    "households": Label("以户数为准，不采用所给常住人口", "trust the households, set the population aside"),
    "population": Label("以常住人口为准，不采用所给户数", "trust the population, set the households aside"),
    "both": Label("户数与常住人口均按所给值，不作核对", "keep both as given, unchecked"),
}

#: Accepted spellings of each ``trust`` value (after stripping and lower-casing).
TRUST_ALIASES: dict[str, str] = {
    **{k: k for k in TRUST_LABELS},
    "户数": "households",
    "人口": "population",
    "常住人口": "population",
    "规划人口": "population",
    "两者": "both",
    "均": "both",
}


def canonical_area_type(value: object) -> str | None:
    """The canonical area type for a spelling, or None if it is not one.

    Examples
    --------
    >>> canonical_area_type("新建居住区"), canonical_area_type("New-Build"), canonical_area_type("x")
    ('new_build', 'new_build', None)
    """
    if not isinstance(value, str):
        return None
    return AREA_TYPE_ALIASES.get(value.strip().lower().replace(" ", "_"))


#: How binding a rule's wording is.
#: Whom an obligation binds: the party that provides this facility (the developer of a new build,
#: the town or street that acquires space in an existing area), or the government as a planning
#: task or aim (a layout plan, a 15-minute circle). Only the first belongs in a letter's duties.
ADDRESSEES: dict[str, Label] = {
    "project": Label("配建义务", "a duty of whoever provides the facility"),
    "government": Label("政府工作任务（非项目义务）", "a task of the government, not a duty of the project"),
}

STRENGTHS: dict[str, Label] = {
    "mandatory": Label("应/不少于", "mandatory"),
    "generally": Label("一般", "generally (a default an approval may override)"),
    "in_principle": Label("原则上", "in principle"),
    "target": Label("力争/目标", "target"),
    "encouraged": Label("鼓励", "encouraged"),
    "supported": Label("支持", "supported (eligible for support, not required)"),
    "promoted": Label("推动", "promoted (a policy direction)"),
}

#: What a sentence of each strength is, as a noun: 「…为力争目标，不是强制期限」 (never 要求 for 力争).
STRENGTH_KINDS: dict[str, Label] = {
    "mandatory": Label("强制性要求", "a requirement"),
    "generally": Label("一般性规定", "a general rule, which an approval may depart from"),
    "in_principle": Label("原则性要求", "a requirement in principle"),
    "target": Label("力争目标", "an aim"),
    "encouraged": Label("鼓励性规定", "an encouragement"),
    "supported": Label("支持性规定", "a support, not a requirement"),
    "promoted": Label("推动方向", "a policy direction"),
}


def strength_kind(strength: str, text: str) -> Label:
    """What a sentence of ``strength`` is, as a noun, true of its own words: a target whose text has no
    力争 (「在未来社区建设中，实现…全覆盖」) is 「目标」, not 「力争目标」.

    Examples
    --------
    >>> strength_kind("target", "力争在2025年之前配置到位").zh, strength_kind("target", "实现全覆盖").zh
    ('力争目标', '目标')
    """
    if strength == "target" and "力争" not in text:
        return Label("目标", "a target")
    return STRENGTH_KINDS[strength]


#: A document's status.
STATUSES: dict[str, Label] = {
    "in_force": Label("现行有效", "in force"),
    "draft": Label("征求意见稿", "consultation draft"),
}

#: How a target compares an indicator with its value.
COMPARATORS: dict[str, Label] = {
    ">=": Label("不低于", "at least"),
    "<=": Label("不高于", "at most"),
    "qualitative": Label("定性目标", "qualitative (no figure)"),
}

#: Who a duty (employer, park, kindergarten) is addressed to, and the measures its thresholds use.
SUBJECTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "employer": ("用人单位", "employer", ("staff", "eligible_children")),
    "industrial_park": ("产业园区", "industrial park", ("employees", "eligible_children")),
    "kindergarten": ("幼儿园", "kindergarten", ()),
}

#: Kindergarten projects a duty can be limited to.
KINDERGARTEN_PROJECTS: dict[str, Label] = {
    "new": Label("新建", "new"),
    "expanded": Label("改扩建", "expanded or rebuilt"),
    # Suzhou 三(一) 「新建、扩建幼儿园都要开设托班」 says 扩建 (built larger), not 改扩建 (which also covers rebuilding)
    "extended": Label("扩建", "extended (built larger)"),
    "idle": Label("闲置", "idle"),
}

#: A duty for the first kind of project covers a project of each kind listed (改扩建 includes 扩建);
#: a 改扩建 project under a duty for 扩建 alone is undecided: whether it extends is not said.
PROJECT_COVERS: dict[str, tuple[str, ...]] = {"expanded": ("expanded", "extended")}

#: Kindergarten ownership a duty can be limited to.
OWNERSHIP: dict[str, Label] = {
    "public": Label("公办", "public"),
    "private": Label("民办", "private"),
}

#: How many nursery classes (托班) a kindergarten duty asks for.
NURSERY_CLASSES: dict[str, Label] = {
    "equal_to_first_year_classes": Label("与小班数量一致", "as many as first-year (小班) classes"),
    "some": Label("开设托班，班数未规定", "nursery classes, number not fixed"),
}

#: Levels of the division hierarchy, from the top.
LEVELS: tuple[str, ...] = ("country", "province", "city", "district")

#: The inputs of a sizing call, by argument name (Chinese label for messages).
FIELD_LABELS: dict[str, str] = {
    "households": "户数",
    "population": "常住人口",
    "persons_per_household": "户均人口",
    "jurisdiction": "行政区",
    "area_type": "居住区类型",
    "on": "日期",
    "include_drafts": "是否采用征求意见稿",
    "include_reported": "是否采用仅见于报道的文件",
    "trust": "以何者为准",
}

#: Error codes (``FacilitySizingError.code``) as a batch summary counts them.
ERROR_KINDS: dict[str, Label] = {
    "input": Label("输入有误", "bad input"),
    "missing_input": Label("缺少输入", "missing input"),
    "inconsistent_input": Label("户数与人口矛盾", "households and population contradict"),
    "area_type": Label("居住区类型有误", "bad area type"),
    "unknown_jurisdiction": Label("未知行政区", "unknown jurisdiction"),
    "ambiguous_jurisdiction": Label("行政区名称有歧义", "ambiguous jurisdiction name"),
    "malformed_code": Label("行政区划代码格式有误", "malformed division code"),
    "abolished_jurisdiction": Label("行政区已撤销", "abolished division"),
    "not_in_force": Label("当日无施行规则", "no rule in force"),
    "draft_only": Label("仅有征求意见稿", "draft only"),
    "reported_only": Label("仅有据报道的文件", "reported documents only"),
    "rule_conflict": Label("规则冲突", "rule conflict"),
    "rule_data": Label("规则数据有误", "bad rule data"),
    "geometry": Label("几何有误", "bad geometry"),
    "crs": Label("坐标系有误", "bad coordinates or CRS"),
    "convergence": Label("坐标转换未收敛", "coordinate conversion did not converge"),
    "missing_dependency": Label("缺少可选组件", "optional package missing"),
    "file_format": Label("文件无法读写", "file cannot be read or written"),
    "too_large": Label("超过服务上限", "over the service's limit"),
    "timeout": Label("超过请求时限", "over the request timeout"),
    "cross_site": Label("其他网站发来的请求", "a request from another site"),
    "unsupported_media_type": Label("请求体不是 JSON", "a body that is not JSON"),
    "error": Label("其他错误", "other error"),
}

#: How a scorecard row stands against its target.
SCORE_STATUSES: dict[str, Label] = {
    "met": Label("达标", "met"),
    "not_met": Label("未达标", "not met"),
    "no_data": Label("缺数据", "no data"),
    "qualitative": Label("定性目标，不评分", "qualitative, not scored"),
    "undefined": Label("无定义（分母为 0）", "undefined (denominator 0)"),
}

#: The measures a duty's thresholds use.
MEASURES: dict[str, Label] = {
    "staff": Label("职工数", "staff"),
    "employees": Label("员工数", "employees"),
    "eligible_children": Label("职工适龄子女数", "eligible children of staff"),
}

#: Result and input columns as maps and legends name them.
COLUMN_LABELS: dict[str, Label] = {
    "floor_area_m2": Label("托育设施建筑面积 (m²)", "required floor area (m²)"),
    "outdoor_area_m2": Label("户外活动场地 (m²)", "required outdoor area (m²)"),
    "slots": Label("托位", "required slots"),
    "max_floor": Label("最高楼层", "highest floor allowed"),
    "facilities": Label("设施数量（处）", "required facilities"),
    "service_radius_m": Label("服务半径 (m)", "service radius (m)"),
    "households": Label("户数", "households"),
    "population": Label("人口", "population"),
    "parcel_area_m2": Label("地块面积 (m²)", "parcel area (m²)"),
}

#: What a map legend says of rows without a figure.
LEGEND_LABELS: dict[str, Label] = {
    "error": Label("计算出错", "error — not sized"),
    "no_figure": Label("无此指标", "no figure set by the rules"),
    # the siting map (fs.plot_siting)
    "demand": Label("需求点", "demand"),
    "existing": Label("现有设施", "existing facility"),
    "chosen": Label("选定新址", "chosen new site"),
    "rejected": Label("不符合规定的候选址", "candidate excluded by a rule"),
    "candidate": Label("未选候选址", "candidate not chosen"),
    "assigned": Label("服务分配", "demand served by"),
    "siting_title": Label("托育设施选址", "Siting infant-care facilities"),
}

#: How documents write 一般 (generally) before a limit, longest first: a letter quotes the one its
#: rule's text uses (「一般不得安排在3楼及以上」, 「不宜大于300米」).
GENERALLY_WORDS: tuple[str, ...] = ("一般不得", "一般不宜", "一般不应", "不宜", "一般")

#: How far a document's text can be trusted, by what was actually seen (``shared/SOURCES.md``).
GRADES: dict[str, Label] = {
    "official": Label("官方文本", "official copy"),
    "text_copy": Label("转载全文", "full text in a third-party copy"),
    "reported": Label("据报道", "reported: figures from news reports, the text not seen"),
    "unverified": Label("未核实", "unverified"),
}

#: What a finding or a figure adds to its rule, by the grade of the rule's text.
GRADE_TAGS: dict[str, Label] = {
    "official": Label("", ""),
    "text_copy": Label("（据转载全文）", " (from a copy of the text)"),
    "reported": Label("（据报道）", " (reported)"),
    "unverified": Label("（未核实）", " (unverified)"),
}

#: The grades whose figures apply without an opt-in.
DEFAULT_GRADES: tuple[str, ...] = ("official", "text_copy")

#: The opt-ins a caller gives per call or per row, and what each lets apply.
OPT_INS: dict[str, Label] = {
    "include_drafts": Label("是否采用征求意见稿", "consultation drafts"),
    "include_reported": Label("是否采用仅见于报道的文件", "documents known by report only"),
}

#: How a quantity's figure changed between two results of one project (``fs.compare``).
CHANGES: dict[str, Label] = {
    "same": Label("未变", "unchanged"),
    "basis_changed": Label("数值未变，依据变化", "same figure, different basis"),
    "strength_changed": Label("数值未变，效力变化", "same figure, different strength (e.g. 应 → 原则上)"),
    "condition_changed": Label("数值未变，适用条件变化", "same figure, different condition"),
    "raised": Label("提高", "raised"),
    "lowered": Label("降低", "lowered"),
    "added": Label("新增数值（原无指标）", "figure added (none before)"),
    "removed": Label("取消数值（现无指标）", "figure removed (none now)"),
}

#: How a sentence of the condition clause changed between two results (``fs.compare``).
SENTENCE_CHANGES: dict[str, Label] = {
    "same": Label("未变", "unchanged"),
    "changed": Label("修改", "changed"),
    "added": Label("新增", "added"),
    "removed": Label("删除", "removed"),
}

#: Whether a raised or lowered figure asks more of the project or less (a higher requirement is
#: stricter, a higher limit looser).
STRICTNESS: dict[str, Label] = {
    "stricter": Label("更严", "stricter"),
    "looser": Label("放宽", "looser"),
}

#: The siting models of ``fs.site``.
SITING_MODELS: dict[str, Label] = {
    "lscp": Label("最少新设施全覆盖（LSCP）", "fewest new sites covering all demand (LSCP)"),
    "mclp": Label("k 处新设施最大覆盖（MCLP）", "most demand covered by k new sites (MCLP)"),
    "p_median": Label("k 处新设施加权距离最小（p-中位）", "least demand-weighted distance with k new sites (p-median)"),
}

#: How a candidate site stands against the rules before the model sees it (``fs.site``).
SITE_STATUSES: dict[str, Label] = {
    "admissible": Label("符合规则", "admissible"),
    "unchecked": Label("部分规则无法核对（保留，已标注）", "some rules not checkable (kept, flagged)"),
    "rejected": Label("不符合规则（排除）", "rejected by a rule"),
}

#: How the solver (HiGHS) ended (``fs.site``).
SOLVER_STATUSES: dict[str, Label] = {
    "optimal": Label("最优解", "optimal"),
    "limit_reached": Label("达到时间或迭代上限（非最优）", "time or iteration limit reached (not proven optimal)"),
    "infeasible": Label("无可行解", "infeasible"),
    "unbounded": Label("无界", "unbounded"),
    "other": Label("其他", "other"),
}


#: How a national design rule's value makes a requirement (``basis`` in ``data/national/design.toml``):
#: the value itself, per slot (the phrase of a finding), or a class size (the class mix's label).
DESIGN_BASES: dict[str, Label] = {
    "limit": Label("", ""),
    "per_slot": Label("{label}人均 {v} {unit} × {slots} 托位", "{label} {v} {unit} per child × {slots}"),
    "per_class": Label("{class_type} ≤{v}", "{class_type_en} ≤{v}"),
}

#: The design fields a national design rule may be limited to (``when``): how a finding says so,
#: and what it adds when the design leaves the field out.
DESIGN_CONDITIONS: dict[str, tuple[Label, Label]] = {
    "fire_resistance_grade": (
        Label("耐火等级{values}级时", "Fire-resistance grade {values}: "),
        Label("：设计未给出耐火等级", ": fire-resistance grade not given"),
    ),
}

#: What a per-slot finding adds when there is no slot count (the design's, or the requirement's).
NO_SLOTS = Label("：无托位数", ": no slot count")

#: Whether a national figure or the local one is the stricter (a per-slot outdoor area and the local minimum).
STRICTER = {
    True: Label("（本项较地方指标严格，为控制指标）", " (stricter than the local figure: this one binds)"),
    False: Label("（地方指标较严）", " (the local figure is stricter)"),
}


#: How a letter names a project's population: a project not yet built has a planned population
#: (规划居住人口), an existing area its permanent residents (常住人口, the documents' own word).
POPULATION_WORDS: dict[str, str] = {"new_build": "规划居住人口", "existing": "常住人口", "rural": "常住人口"}
