"""A requirement as readable text, Chinese first with English beside it (``print(req)``).

Every phrase comes from the quantity and basis registry (:mod:`facility_sizing.model.quantities`);
nothing here knows a particular quantity or basis.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias

from ..engine.notices import status_text
from ..messages import Audience, Message
from ..model.bases import BASES, phrase
from ..model.memo import ByIdentity
from ..model.quantities import INPUTS, QUANTITIES, QuantitySpec
from ..model.vocabulary import AREA_TYPE_LABELS, STRENGTHS, Label, strength_kind

if TYPE_CHECKING:
    from ..model.entities import Document, Rule
    from ..results.requirement import Requirement, RuleUse

__all__ = [
    "cited_title",
    "date_of_effect",
    "explain",
    "explain_quantity",
    "explanations",
    "fmt_number",
    "per_facility",
    "per_facility_bound",
]


def date_of_effect(doc: Document) -> tuple[str, str]:
    """A document's date of effect as the document states it, or as the library chose it, said so
    (:meth:`~facility_sizing.model.entities.Document.date_of_effect`)."""
    return doc.date_of_effect()


def cited_title(doc: Document) -> str:
    """The document's title as a letter cites it: 《标题》, a title inside it in 〈〉, and the place
    before a title that names its issuer only as 市政府 (Suzhou's 「市政府办公室关于…」).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> [doc] = fs.size(jurisdiction="苏州市", area_type="新建", households=100, on="2025-01-01").plan.documents
    >>> cited_title(doc)
    '苏州市《市政府办公室关于促进3岁以下婴幼儿照护服务发展的实施意见》'
    """
    title = doc.title.replace("《", "〈").replace("》", "〉")
    place = ""
    if title.startswith(("市政府", "区政府", "县政府", "省政府", "市人民政府", "区人民政府", "县人民政府")):
        place = doc.issuer.split("人民政府")[0]
    return f"{place}《{title}》"


def fmt_number(value: float | int | None) -> str:
    """A number as results show it: thousands separated, at most two decimals, "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


#: What a term's phrase says of the project (the rest is the rule's, the same for every project).
_PROJECT_FIELDS = ("computed", "households", "population", "slots")


def _rule_phrases(rule: Rule, *via: Rule) -> tuple[str, str]:
    """A term's phrases with a mark where each project figure goes (the same for every project)."""
    draft = any(r.document.is_draft for r in (rule, *via))  # as RuleUse.draft
    basis = BASES[rule.basis or ""]
    strength = STRENGTHS[rule.strength]
    qualified = rule.strength != "mandatory"  # a mandatory limit reads as the limit itself
    fields: dict[str, object] = {name: f"\x00{name}\x00" for name in (*_PROJECT_FIELDS, *INPUTS)}
    fields |= {
        "qualifier": strength.zh if qualified else "",
        "qualifier_en": f"{strength.en}: " if qualified else "",
        "per_facility": _mark("per_facility"),  # a facility's figure, once per facility (_line_template)
        "per_facility_en": _mark("per_facility"),
    }
    cite = "；".join(dict.fromkeys([rule.citation(), *(r.citation() for r in via)]))
    tag, tag_en = _status_tags(draft, rule.document.is_reported)
    if rule.strength == "in_principle" and "{qualifier}" not in basis.explain.zh:  # as the letter says it
        tag, tag_en = f"（{strength.zh}）{tag}", f" ({strength.en}){tag_en}"
    zh = f"{phrase(basis.explain.zh, rule, **fields)}（{cite}）{tag}"
    en = f"{phrase(basis.explain.en, rule, **fields)} ({cite}){tag_en}"
    return zh, en


def _status_tags(draft: bool, reported: bool) -> tuple[str, str]:
    """What a figure's clause is marked with where its document is a draft or known by report only."""
    zh = ("（草案）" if draft else "") + ("（据报道）" if reported else "")
    return zh, (" (draft)" if draft else "") + (" (reported)" if reported else "")


def _counted_by(counted: tuple[Rule, ...]) -> tuple[str, str]:
    """The clauses that count the facilities, each marked as its document is, in each language."""
    tags = [(r.citation(), _status_tags(r.document.is_draft, r.document.is_reported)) for r in counted]
    zh = "；".join(dict.fromkeys(cite + tag[0] for cite, tag in tags))
    return zh, "; ".join(dict.fromkeys(cite + tag[1] for cite, tag in tags))


#: A rule's phrases, made once per rule (and the rules its figure rests on), not once per project: each
#: with a mark where a project's figure goes (:func:`_line_template`).
_RULE_PHRASES = ByIdentity(_rule_phrases)


def _how_it_bound(quantity: str, uses: list[RuleUse]) -> Label | None:
    """How the explanation says which term bound, when several apply."""
    binding = [u.rule for u in uses if u.binding and u.rule is not None]
    if len(uses) < 2 or not binding:
        return None
    if len(binding) > 1:
        return Label("两者相等", "the figures tie")
    constants = [BASES[u.rule.basis or ""] for u in uses if u.rule is not None and BASES[u.rule.basis or ""].constant]
    bounds = next((b.explain_bound for b in constants if b.explain_bound is not None), None)
    if bounds is None:
        at_least = QUANTITIES[quantity].direction == "at_least"
        return Label("取较大值", "the larger applies") if at_least else Label("取较小值", "the smaller applies")
    how = bounds[0] if BASES[binding[0].basis or ""].constant else bounds[1]
    spec = QUANTITIES[quantity]
    return Label(how.zh.format(minimum_word=spec.minimum_word or spec.label.zh), how.en)


#: Why a quantity has no figure, worded once per plan and reader (a plan is resolved once and reused).
_NO_FIGURE_MESSAGE = ByIdentity(lambda nf, audience: nf.message(audience))


def explain_quantity(req: Requirement, quantity: str, audience: Audience = "python") -> str:
    """One line: the requirement, how it was reached and on which clause, Chinese then English
    (a switch named for ``audience``: :mod:`facility_sizing.messages`)."""
    return _explained(req, quantity, [u for u in req.rules if u.quantity == quantity], audience)


def explanations(req: Requirement, audience: Audience = "python") -> dict[str, str]:
    """:func:`explain_quantity` of each quantity the result lists (its ``explanation``), in one pass over its rules.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> explanations(req) == {q: explain_quantity(req, q) for q in req.quantities_shown()}
    True
    """
    uses: dict[str, list[RuleUse]] = {}
    for u in req.rules:
        uses.setdefault(u.quantity, []).append(u)
    return {q: _explained(req, q, uses.get(q, []), audience) for q in req.quantities_shown()}


def _explained(req: Requirement, quantity: str, uses: list[RuleUse], audience: Audience) -> str:
    """:func:`explain_quantity`, given the quantity's rule uses."""
    spec = QUANTITIES[quantity]
    zh_q, en_q = spec.label
    if not uses or uses[0].kind == "no_figure":
        nf = req.plan.quantities[quantity].no_figure if quantity in req.plan.quantities else None
        message = _NO_FIGURE_MESSAGE(nf, audience) if nf is not None else uses[0].message if uses else ""
        return f"{zh_q} {en_q}: — ({message})"
    if req.no_residents:  # no residential project: the statement is said once, for the whole result
        none, figure = Message("statements.no_requirement"), req.value(quantity)
        zh_v, en_v = ("", "") if figure is None else (f" {fmt_number(figure)} {spec.unit.zh}", f" {fmt_number(figure)}")
        return f"{zh_q}{zh_v}：{none.text('zh')} — {en_q}{en_v}: {none.text('en')}"
    exact = req.value(quantity)
    rounded = exact is not None and spec.letter_value(exact) != exact
    facilities = req.value("facilities") if quantity != "facilities" else None
    several = facilities is not None and facilities > 1
    key = (quantity, rounded, several,
           *[(u.binding, id(u.rule), *map(id, u.via)) if u.via else (u.binding, id(u.rule)) for u in uses])  # fmt: skip
    lines = _LINE_TEMPLATES(req.plan)
    template = lines.get(key)
    if template is None:
        counted = tuple(u.rule for u in req.rules if u.quantity == "facilities" and u.rule is not None)
        template = lines[key] = _line_template(quantity, uses, rounded, counted if several else ())
    figures: dict[str, float | int | None] = {
        ".value": exact,
        ".facilities": facilities,
        "households": req.households,
        "population": req.population,
        "slots": req.slots,
    }
    if req.given:
        figures.update(req.given)  # any other input a basis reads
    for name, u in zip(_computed_names(len(uses)), uses, strict=True):
        figures[name] = u.computed
    if rounded and exact is not None:
        figures[".whole"] = spec.letter_value(exact)
    return _filled(template, figures)


@lru_cache(maxsize=64)
def _computed_names(n: int) -> tuple[str, ...]:
    """The names of the figures of a line's ``n`` terms in its template (``computed.0``…)."""
    return tuple(f"computed.{i}" for i in range(n))


#: Each explanation line of a plan, with a mark where each figure goes, by quantity and how its terms bound.
_LINE_TEMPLATES: ByIdentity[dict[tuple[object, ...], _Template]] = ByIdentity(lambda _plan: {})


def _mark(name: str) -> str:
    return f"\x00{name}\x00"


#: A line cut at its figures: words, the name of a figure, words, … (words at the even positions).
_Template: TypeAlias = tuple[str, ...]


def _line_template(quantity: str, uses: list[RuleUse], rounded: bool, counted: tuple[Rule, ...]) -> _Template:
    """A quantity's explanation line with a place for each of the project's figures (made once per
    plan, quantity and binding terms: only the figures differ between projects).

    ``counted``: where the project needs more than one facility, the rules that count them; a facility's
    figure (a minimum) is then said with the count it is multiplied by and the clause of that count
    (「最小 40 m² × 2 处（处数：…配置数量（据报道））= 80 m²」)."""
    spec = QUANTITIES[quantity]
    zh_q, en_q = spec.label
    value = _mark(".value")
    count = _counted_by(counted) if counted else None  # the same for every term of the line
    parts = [
        _per_facility_phrases(_RULE_PHRASES(u.rule, *u.via), name, spec, count)
        for name, u in zip(_computed_names(len(uses)), uses, strict=True)
        if u.rule is not None
    ]
    how = _how_it_bound(quantity, uses)
    tail_zh, tail_en = (f"；{how.zh}", f"; {how.en}") if how else ("", "")
    if rounded:  # never two numbers without the reason
        whole = _mark(".whole")
        tail_zh += f"；条件书按整{spec.letter_unit.zh}{'向上' if spec.direction == 'at_least' else '向下'}取整为 {whole} {spec.unit.zh}"
        tail_en += f"; the condition letter states it in whole {spec.unit.en}, rounded {'up' if spec.direction == 'at_least' else 'down'}: {whole}"
    marked = (
        f"{zh_q} {value} {spec.unit.zh}："
        + "，".join(zh for zh, _ in parts)
        + tail_zh
        + f" — {en_q} {value}: "
        + ", ".join(en for _, en in parts)
        + tail_en
    )
    return tuple(re.split("\x00([\\w.]+)\x00", marked))  # words, a figure's name, words, …


def _per_facility_phrases(
    phrases: tuple[str, str], computed: str, spec: QuantitySpec, count: tuple[str, str] | None
) -> tuple[str, str]:
    """A term's phrases with its own figure's mark named ``computed``, and a facility's figure said per
    facility, with ``count``: the clauses that count the facilities (:func:`_counted_by`), None for one."""
    zh, en = (p.replace(_mark("computed"), _mark(computed)) for p in phrases)
    times = _mark(".facilities")
    each_zh = f" × {times} 处（处数：{count[0]}；最小值按每处计）= {_mark(computed)} {spec.unit.zh}" if count else ""
    each_en = (
        f" for each of {times} facilities (the count: {count[1]}; a minimum read as each facility's) = "
        f"{_mark(computed)} {spec.unit.en}"
        if count
        else ""
    )
    return zh.replace(_mark("per_facility"), each_zh), en.replace(_mark("per_facility"), each_en)


def _filled(template: _Template, figures: dict[str, float | int | None]) -> str:
    """A line with the project's figures; a mark no figure is given for stays as it is."""
    out = list(template)
    said: dict[str, str] = {}  # each figure worded once, however often the line names it
    for i in range(1, len(out), 2):
        name = out[i]
        text = said.get(name)
        if text is None:
            text = said[name] = fmt_number(figures[name]) if name in figures else _mark(name)
        out[i] = text
    return "".join(out)


def _inputs_line(req: Requirement, audience: Audience = "python") -> str | None:
    a = req.assumptions
    assumed = []
    if a["households"] is not None:
        derived = "（推算 derived）" if a["households_derived"] else ""
        assumed.append(f"户数 households {fmt_number(a['households'])}{derived}")
    if a["population"] is not None:
        derived = "（推算 derived）" if a["population_derived"] else ""
        assumed.append(f"人口 population {fmt_number(a['population'])}{derived}")
    if a["persons_per_household"] is not None:
        assumed.append(f"户均人口 persons per household {fmt_number(a['persons_per_household'])}")
    if a.get("set_aside"):
        [(name, value)] = a["set_aside"].items()
        word = "户数 households" if name == "households" else "人口 population"
        # the switch as the reader types it: trust='households' in Python, --trust households on the command line
        told = Message("statements.trust_setting", {"choice": a["trust"]}).text("zh", audience)
        assumed.append(f"未采用所给{word} {fmt_number(value)}（{told}）")
    return "  依据 Inputs: " + "；".join(assumed) if assumed else None


def _notes(req: Requirement, audience: Audience = "python") -> list[str]:
    lines = []
    heads = {
        "project": "  定性要求 Obligations:",
        "government": "  政府工作任务（非项目义务）Government tasks (not duties of the project):",
    }
    duties = () if req.no_residents else req.duties  # no residential project: no duty of one arises
    for addressee, uses in (("project", duties), ("government", req.government_tasks)):
        if uses:
            lines.append(heads[addressee])
        for u in uses:
            if u.rule is not None:
                when = f"［{u.rule.condition}］" if u.rule.condition else ""
                # a 力争 / 鼓励 / 原则上 sentence is listed as what it is, never as a bare requirement
                kind = (
                    ""
                    if u.rule.strength == "mandatory"
                    else f"［{' '.join(strength_kind(u.rule.strength, u.rule.text))}］"
                )
                lines.append(f"    - {kind}{when}{u.rule.text}（{u.rule.citation()}） — {u.rule.summary_en}")
    notes = {  # a reading of a document known by report only is marked as such, as its figures are
        u.rule.id: ("（据报道 reported）" if u.rule.document.is_reported else "") + u.rule.interpretation
        for u in req.rules
        if u.kind == "figure" and u.rule and u.rule.interpretation
    }
    lines += [f"  解读 Interpretation: {note}" for note in notes.values()]
    lines += [f"  ⚠ {w}" for w in req.warnings]
    docs = {u.rule.document.id: u.rule.document for u in req.rules if u.rule is not None}
    for doc in docs.values():
        # a report gives no status; its date is the report's (Document.date_of_effect says so, in both languages)
        zh_s, en_s = ("据报道，未见原文", "reported, the text not seen") if doc.is_reported else status_text(doc)
        # as the letter says it: a stated date, the library's choice, a draft's none
        when_zh, when_en = date_of_effect(doc)
        when = f"{when_zh} — {when_en}"
        if doc.is_draft:
            when += f"；可选用自 {doc.effective_from.isoformat()} (opt-in from)"
        lines.append(f"  来源 Source: {doc.label}《{doc.title}》，{zh_s} {en_s}，{when}")
    if req.known_by_report:
        titles = [Label(f"《{d.title}》", d.title_en) for d in req.known_by_report]
        told = Message("statements.known_by_report", {"titles": titles})
        lines.append(f"  {told.text('zh', audience)} — {told.text('en', audience)}")
    return lines


def explain(req: Requirement, audience: Audience = "python") -> str:
    """A readable account of the requirement, Chinese first with English beside it (a switch named
    for ``audience``: ``include_reported=True`` in Python, ``--include-reported`` on the command line)."""
    en_at = AREA_TYPE_LABELS[req.area_type].en
    div = req.jurisdiction
    lines = [
        f"{div.name}（{div.code}）{req.area_term}，{req.on.isoformat()} — {div.name_en}, {en_at}, on {req.on.isoformat()}"
    ]
    statement = req.no_residents_statement()
    if statement is not None:  # no residential project: said once, in words, before the figures
        lines.append(f"  {statement.text('zh', audience)}。 — {statement.text('en', audience)}.")
    lines += ["  " + explain_quantity(req, q, audience) for q in req.quantities_shown()]
    inputs = _inputs_line(req, audience)
    if inputs:
        lines.append(inputs)
    lines += _notes(req, audience)
    return "\n".join(lines)


def per_facility(req: Requirement, spec: QuantitySpec, use: RuleUse) -> tuple[str, str, str] | None:
    """A facility's figure (a minimum) where the plan counts several facilities: how a letter says it adds
    up, in each language, and the total (None where it is said as the rule's figure alone).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="西湖区", households=7000, area_type="new_build", on="2025-06-01",
    ...               include_reported=True, persons_per_household=2.8)
    >>> use = next(u for u in req.rules if u.quantity == "outdoor_area")
    >>> per_facility(req, QUANTITIES["outdoor_area"], use)[0]
    '每处不少于40平方米、共2处计为80平方米（文件的最小值按每处设施计，是本库的读法）'
    """
    count = req.value("facilities") if spec.key != "facilities" else None
    if count is None or count <= 1 or use.rule is None or not BASES[use.rule.basis or ""].per_facility:
        return None
    v, total, k, unit = use.rule.value_text, fmt_number(use.computed or 0), fmt_number(count), spec.letter_unit
    return (
        f"每处不少于{v}{unit.zh}、共{k}处计为{total}{unit.zh}（文件的最小值按每处设施计，是本库的读法）",
        f"{v} {unit.en} for each of {k} facilities give {total} {unit.en} (the documents' minimum read as each "
        "facility's: this library's reading)",
        f"{total}{unit.zh}",
    )


def per_facility_bound(spec: QuantitySpec, each: tuple[str, str, str], binds: bool) -> tuple[str, str]:
    """A letter's words for a facility's minimum beside a computed figure, with :func:`per_facility`'s account."""
    zh = f"，{'低于' if binds else '不低于'}最小{spec.label.zh}（{each[0]}）" + (f"，按{each[2]}执行" if binds else "")
    en = f", {'below' if binds else 'not below'} the minimum ({each[1]})" + (", so it applies" if binds else "")
    return zh, en
