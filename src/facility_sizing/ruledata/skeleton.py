"""``facility-sizing rules init``: a commented rule file to fill in, with one rule of each kind the model has.

The kinds come from the registry — every basis of every quantity (:data:`~facility_sizing.model.bases.BASES`)
and an obligation — so a new basis appears here without a change to this module. The jurisdiction
and the document are written from what the author gives; what is not given, and every rule, is left
for the author: a rule is written commented out (uncomment the kinds the document sets, delete the
rest), each field still to fill holds the placeholder 「〔填写」, which no loader or check accepts.

Examples
--------
>>> text = skeleton(Header(code="330110", name="余杭区", number="余示例〔2025〕1号"))
>>> "# quantity = \\"floor_area\\"" in text and "# basis = \\"per_100_households\\"" in text
True
>>> import tomllib
>>> tomllib.loads(text)["documents"][0]["number"]
'余示例〔2025〕1号'
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..model.bases import BASES
from ..model.quantities import QUANTITIES
from ..model.vocabulary import STRENGTHS
from ..registry import default_registry
from .check_entries import PLACEHOLDER

__all__ = ["Header", "cases_skeleton", "division_name", "skeleton", "slug"]


@dataclass(frozen=True)
class Header:
    """What the author tells ``rules init`` about the jurisdiction and the document (None: still to fill)."""

    code: str
    name: str | None = None
    number: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued: dt.date | None = None
    effective_from: dt.date | None = None
    stated: bool = False
    source: str | None = None
    seen: str | None = None


def _q(text: str) -> str:
    """A TOML basic string (JSON's escaping is TOML's for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def _fill(what: str) -> str:
    return _q(f"{PLACEHOLDER}：{what}〕")


def slug(code: str) -> str:
    """The pinyin the national registry gives a division's name (``yuhang``), or the code.

    Examples
    --------
    >>> slug("330110"), slug("999999")
    ('yuhang', '999999')
    """
    try:
        return default_registry().lookup(code).pinyin or code
    except LookupError:
        return code


def division_name(code: str) -> str | None:
    """The name the national registry gives a division (``余杭区``), or None where it lists none.

    Examples
    --------
    >>> division_name("330110"), division_name("999999")
    ('余杭区', None)
    """
    try:
        return default_registry().lookup(code).name
    except LookupError:
        return None


def _jurisdiction(h: Header) -> list[str]:
    try:
        place = default_registry().lookup(h.code)
        name, known = h.name or place.name, True
    except LookupError:
        name, known = h.name or f"{PLACEHOLDER}：行政区名称〕", False
    lines = ["[jurisdiction]", f"code = {_q(h.code)}", f"name = {_q(name)}"]
    if not known:  # a division the national registry does not list: say where it sits
        lines += [f"level = {_fill('district | city | province')}", f"parent = {_fill('上级行政区划代码')}",
                  f"name_en = {_fill('English name')}"]  # fmt: skip
    lines += ["", "[jurisdiction.area_types]           # 文件区分的居住区类型，值为文件自己的用语",
              f"new_build = {_fill('文件对新建居住区的用语，如 新建居住区')}",
              "# existing = \"已建成居住区\"", "# rural = \"农村社区\""]  # fmt: skip
    return lines


def _date(name: str, day: dt.date | None, what: str) -> str:
    return (
        f"{name} = {day.isoformat()}" if day else f"# {name} = 2025-01-01   # {PLACEHOLDER}：{what}〕（日期不加引号）"
    )


def _document(h: Header, doc_id: str) -> list[str]:
    effect = (
        [_date("effective_from", h.effective_from, "施行日期"),
         f"effective_from_basis = {_fill('载明施行日期的原句，如 “本意见自2025年4月1日起施行”')}",
         "effective_from_stated = true         # 文件原句载明了施行日期"]
        if h.stated
        else [_date("effective_from", h.effective_from, "适用起始日"),
              f"effective_from_basis = {_fill('文件未载明施行日期时，写明按什么推定，如 文件未载明施行日期，按成文日期起适用')}",
              "# effective_from_stated = true     # 只在文件原句载明施行日期（自…起施行）时写"]
    )  # fmt: skip
    return [
        "[[documents]]",
        f"id = {_q(doc_id)}",
        f"number = {_q(h.number) if h.number else _fill('文号，如 余政办发〔2020〕70号')}",
        f"title = {_q(h.title) if h.title else _fill('文件标题，与原文一致')}",
        f"title_en = {_fill('English title')}",
        f"issuer = {_q(h.issuer) if h.issuer else _fill('发文机关')}",
        'status = "in_force"                 # 或 "draft"（征求意见稿）',
        _date("issued", h.issued, "成文日期"),
        f"issued_basis = {_fill('落款日期的原文，如 落款：2025年3月1日')}",
        *effect,
        "# plan_period_end = 2027-12-31      # 有规划期的，另写 plan_period_basis",
        f"source = {_q(h.source) if h.source else _fill('文件副本的位置')}",
        'grade = "official"                  # official 官方文本 | text_copy 转载全文 | reported 据报道',
        f"seen = {_q(h.seen) if h.seen else _fill('在何处查阅官方文本（网址或档案号）')}",
    ]


def _rule_block(prefix: str, doc_id: str, quantity: str, basis: str | None) -> list[str]:
    strengths = " · ".join(f"{k} {v.zh}" for k, v in STRENGTHS.items())
    kind = f"{quantity}.{basis}" if basis else "obligation"
    lines = ["[[rules]]", f"id = {_q(f'{prefix}.new_build.{kind}')}", f"document = {_q(doc_id)}",
             f"clause = {_fill('条款，如 二(三)1、附件1 第7项')}", 'area_types = ["new_build"]',
             f"quantity = {_q(quantity)}"]  # fmt: skip
    if basis is None:
        lines += [f"topic = {_fill('snake_case 主题，如 co_delivery')}",
                  '# addressee = "government"       # 主语是政府部门（局、办、街道…）时：政府工作任务，不是项目义务']  # fmt: skip
    else:
        lines += [f"basis = {_q(basis)}", f"value = {_fill('原文数值')}"]
        lines += [f"{param} = {_fill('原文数值')}" for param in BASES[basis].params]
        lines.append(f"unit = {_q(BASES[basis].units[quantity])}")
    lines += [f"strength = {_fill(strengths)}", f"text = {_fill('原文逐字引用（略去部分用……）')}",
              f"summary_en = {_fill('one line in English')}",
              "# interpretation = \"…\"           # 原文语义不明时，写明你的解读"]  # fmt: skip
    return lines


def skeleton(h: Header, doc_id: str | None = None) -> str:
    """The commented rule file ``rules init`` writes."""
    prefix = slug(h.code)
    doc_id = doc_id or f"{prefix}-{h.issued.year if h.issued else 'doc'}"
    out = [
        f"# {h.name or h.code} — 规则文件（facility-sizing rules init 生成）",
        "# 1. 逐项填写「〔填写」处；没有把握的，核对原文。",
        "# 2. 下面每种规则各有一例（已注释）：文件规定了的，去掉行首“# ”并填写；文件没有规定的，整段删去。",
        "# 3. facility-sizing rules check 本文件 --source 文件副本   — 核对引文、条款、数值、日期与原文一致",
        "# 4. facility-sizing rules test 测试用例.toml              — 运行你手算的例子",
        "schema = 1",
        "",
        *_jurisdiction(h),
        "",
        *_document(h, doc_id),
    ]
    for quantity in QUANTITIES:
        for basis in (b for b, spec in BASES.items() if quantity in spec.units):
            label = f"{QUANTITIES[quantity].label.zh} · {BASES[basis].label.zh}（{BASES[basis].units[quantity]}）"
            out += ["", f"# ---- {quantity} / {basis}：{label} ----"]
            out += [f"# {line}" for line in _rule_block(prefix, doc_id, quantity, basis)]
    out += ["", "# ---- obligation：没有数值的要求（同步建设、无偿移交……） ----"]
    out += [f"# {line}" for line in _rule_block(prefix, doc_id, "obligation", None)]
    return "\n".join(out) + "\n"


def cases_skeleton(rule_file: str, number: str | None, name: str, on: dt.date | None = None) -> str:
    """A test-case file for a bureau's rule file, in the format of the project's own ``tests/cases/*.toml``.

    Its example case is dated ``on`` (the document's date of effect, where ``rules init`` was given it).
    """
    day = (on or dt.date(2025, 6, 1)).isoformat()
    return "\n".join([
        f"# {name} 的测试用例（facility-sizing rules test 本文件）：每个例子的期望值由人按原文手算，不用本库算。",
        "[header]",
        f"rules = {_q(rule_file)}",
        "builtin = false",
        f"document = {_q(number) if number else _fill('文号')}",
        "",
        "[[case]]",
        'id = "new-1800"',
        f"clause = {_fill('条款')}",
        f"note = {_fill('手算过程，如 1800 × 20/100 = 360 m²')}",
        f'inputs = {{ jurisdiction = {_q(name)}, area_type = "new_build", households = 1800, on = {day} }}',
        "[case.expect]",
        'floor_area_m2 = "none"     # 数值，或 "none"（文件没有此项指标）',
        'outdoor_area_m2 = "none"',
        'slots = "none"',
        'max_floor = "none"',
        "[case.expect.binding]       # 每项数值由哪条规则决定（规则 id）",
        "",
    ])  # fmt: skip
