"""The clause a land-transfer (allocation) condition letter carries: 出让（划拨）条件书条款.

Built from a :class:`~facility_sizing.Requirement`: every figure with the rule and clause it
rests on, the qualitative obligations in the formal wording their rule data gives
(``letter_zh`` / ``letter_en``), the documents, and the inputs the figures were computed
from. Areas are stated as computed, to 0.01 m² (the documents' requirement, rounded up only
past the second decimal); slots are whole, rounded up; a bureau that states whole m² asks for
``round_area="up"`` and the letter gives the computed figure beside the rounded one. A quantity no rule sets is stated as such, with the rule that governs it, and
left to the planning authority: the clause never contains a number the rules do not give.
Drafts and stale rules are flagged in the text itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..engine.notices import status_text
from ..errors import InputError
from ..model.bases import BASES, phrase
from ..model.entities import Rule, grade_words
from ..model.quantities import QUANTITIES, QuantitySpec
from ..model.vocabulary import (
    AREA_TYPE_PHRASES_EN,
    GENERALLY_WORDS,
    LETTER_KINDS,
    POPULATION_WORDS,
    STRENGTHS,
    TRUST_LABELS,
    Label,
)
from .text import cited_title, date_of_effect, per_facility, per_facility_bound

if TYPE_CHECKING:
    from ..results.requirement import Requirement, RuleUse

__all__ = ["Clause", "build_clause", "stamp_line"]

_NUM_ZH = "一二三四五六七八九十"

# Obligations that are government planning tasks or aims, not duties of the project, stay
# out of a condition letter; so do obligations that hold only under a condition.
_PROJECT_STRENGTHS = ("mandatory", "generally", "in_principle")


@dataclass
class Item:
    """One numbered line of the clause, in both languages, with its sources."""

    key: str
    zh: str
    en: str
    value: float | int | None = None
    unit: str | None = None
    sources: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Clause:
    """A condition-letter clause: sections of items, documents, inputs and flags."""

    title_zh: str
    title_en: str
    preamble_zh: str
    preamble_en: str
    sizing: list[Item]
    obligations: list[Item]
    documents: list[dict[str, Any]]
    inputs_zh: list[str]
    inputs_en: list[str]
    flags_zh: list[str]
    flags_en: list[str]
    #: the two first section heads (size; duties), which differ for a configuration requirement
    heads: tuple[Label, Label] = (Label("配建规模", "Size"), Label("建设与移交要求", "Construction and hand-over"))
    #: what reproduces the clause (see :attr:`Requirement.stamp`)
    stamp: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "zh", fmt: str = "text") -> str:
        """The clause as plain text, Markdown or JSON, in Chinese (``zh``) or English (``en``)."""
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if fmt not in ("text", "markdown"):
            raise ValueError(f"fmt must be 'text', 'markdown' or 'json', got {fmt!r}")
        zh = lang == "zh"
        md = fmt == "markdown"
        lines: list[str] = []
        title = self.title_zh if zh else self.title_en
        lines.append(f"## {title}" if md else title)
        lead = [
            f"> **{f}**" if md else f"【{f}】" if zh else f"[{f}]" for f in (self.flags_zh if zh else self.flags_en)
        ]
        preamble = self.preamble_zh if zh else self.preamble_en
        if preamble:
            lead.append(preamble)
        if lead:
            lines.append("")
            lines.extend(lead)
        for number, (head, items) in enumerate(self.sections(lang), start=1):
            numbered = f"{_ZH_NUMERALS[number]}、{head}" if zh else f"{number}. {head}"
            lines.append("")
            lines.append(f"### {numbered}" if md else numbered)
            for n, text in enumerate(items, start=1):
                if md:
                    lines.append(f"{n}. {text}")
                else:
                    lines.append(f"（{n}）{text}" if zh else f"({n}) {text}")
        if self.stamp:
            lines.append("")
            lines.append(f"（{stamp_line(self.stamp, lang)}）" if zh else f"({stamp_line(self.stamp, lang)})")
        return "\n".join(lines).rstrip() + "\n"

    def sections(self, lang: str = "zh") -> list[tuple[str, list[str]]]:
        """The numbered sections as shown, each its heading and its lines (unnumbered), in ``lang``.

        A section with no lines is left out, so that the sections are numbered as shown (no
        一、三、四). The text, Markdown and Word renderings all number these.

        Examples
        --------
        >>> import facility_sizing as fs
        >>> from facility_sizing.render import build_clause
        >>> req = fs.size(jurisdiction="柯桥区", households=3000, persons_per_household=2.7,
        ...               area_type="new_build", on="2025-01-01")
        >>> [(head, len(lines)) for head, lines in build_clause(req).sections("en")]
        [('Size', 3), ('Construction and hand-over', 1), ('Documents', 1), ('Basis of calculation', 3)]
        """
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        zh = lang == "zh"
        heads = [h.zh if zh else h.en for h in self.heads]
        heads += ["依据文件", "计算依据"] if zh else ["Documents", "Basis of calculation"]
        sections: list[tuple[str, list[str]]] = [
            (heads[0], [i.zh if zh else i.en for i in self.sizing]),
            (heads[1], [i.zh if zh else i.en for i in self.obligations]),
            (heads[2], [d["zh"] if zh else d["en"] for d in self.documents]),
            (heads[3], self.inputs_zh if zh else self.inputs_en),
        ]
        return [(head, items) for head, items in sections if items]  # numbered as shown: no 一、三、四

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form."""

        def items(xs: list[Item]) -> list[dict[str, Any]]:
            return [
                {"key": i.key, "value": i.value, "unit": i.unit, "zh": i.zh, "en": i.en, "sources": i.sources}
                for i in xs
            ]

        return {
            "title": {"zh": self.title_zh, "en": self.title_en},
            "flags": {"zh": self.flags_zh, "en": self.flags_en},
            "preamble": {"zh": self.preamble_zh, "en": self.preamble_en},
            "sizing": items(self.sizing),
            "obligations": items(self.obligations),
            "documents": self.documents,
            "inputs": {"zh": self.inputs_zh, "en": self.inputs_en},
            "heads": {"zh": [h.zh for h in self.heads], "en": [h.en for h in self.heads]},
            "stamp": self.stamp,
        }


def stamp_line(stamp: dict[str, Any], lang: str = "zh") -> str:
    """What reproduces the figures (:attr:`Requirement.stamp`, which the clause carries too), as one sentence.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="330603", households=1000, population=2800, area_type="新建", on="2025-01-01")
    >>> stamp_line(req.stamp, "en").replace(fs.__version__, "X.Y.Z").replace(req.stamp["rule_data"], "sha256:…")
    'Produced by facility-sizing X.Y.Z, rule data sha256:…, rules as on 2025-01-01, documents keqiao-2024-13 (official copy). The same record and inputs give the same figures.'
    """
    zh = lang == "zh"
    drafts = set(stamp.get("drafts", ()))
    documents = [
        f"{key}（{grade_words(grade, key in drafts)[0]}）" if zh else f"{key} ({grade_words(grade, key in drafts)[1]})"
        for key, grade in stamp.get("documents", {}).items()
    ]
    if zh:
        parts = [
            f"facility-sizing {stamp['library']}" if "library" in stamp else "",
            f"规则数据 {stamp['rule_data']}" if "rule_data" in stamp else "",
            f"规则适用日期 {stamp['on']}" if "on" in stamp else "",
            "依据文件 " + "、".join(documents) if documents else "",
        ]
        return "生成信息：" + "，".join(p for p in parts if p) + "。相同的生成信息与输入得出相同的数值。"
    parts = [
        f"facility-sizing {stamp['library']}" if "library" in stamp else "",
        f"rule data {stamp['rule_data']}" if "rule_data" in stamp else "",
        f"rules as on {stamp['on']}" if "on" in stamp else "",
        "documents " + ", ".join(documents) if documents else "",
    ]
    return "Produced by " + ", ".join(p for p in parts if p) + ". The same record and inputs give the same figures."


def _num(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _cite(rule: Rule) -> str:
    return f"{rule.document.label} {rule.clause}"


def _src(rule: Rule) -> dict[str, str]:
    return {"document": rule.document.label, "clause": rule.clause, "rule": rule.id, "status": rule.document.status}


def _draft_tag(rule: Rule, zh: bool) -> str:
    if rule.document.is_reported:
        return "（据报道，未见原文）" if zh else " (reported, text not seen)"
    if not rule.document.is_draft:
        return ""
    return "（征求意见稿，未生效）" if zh else " (consultation draft, not in force)"


def _fields(req: Requirement, use: RuleUse | None = None) -> dict[str, str]:
    return {
        "households": _num(req.households or 0),
        "population": _num(req.population or 0),
        "slots": _num(req.slots or 0),
        "computed": _num((use.computed if use else None) or 0),
        "population_word": POPULATION_WORDS.get(req.area_type, POPULATION_WORDS["existing"]),
        **{name: _num(value) for name, value in req.given},  # any other input a basis reads
    }


def _calculation(
    req: Requirement, spec: QuantitySpec, figures: list[RuleUse], whole: float | int
) -> tuple[str, str] | None:
    """The letter's account of how a computed figure was reached, or None for a constant alone."""
    computed = [(u, u.rule) for u in figures if u.rule is not None and not BASES[u.rule.basis or ""].constant]
    if not computed:
        return None
    zh, en = [], []
    several = len(computed) > 1  # figures of several levels: each with its value and clause
    for use, rule in computed:
        template = BASES[rule.basis or ""].letter_phrase
        zh_p, en_p = phrase(template.zh, rule, **_fields(req, use)), phrase(template.en, rule, **_fields(req, use))
        if several:
            if "{computed}" not in template.zh:
                zh_p += f"为{_num(use.computed or 0)}{spec.letter_unit.zh}"
                en_p += f": {_num(use.computed or 0)} {spec.letter_unit.en}"
            zh_p += f"（{_cite(rule)}）"
            en_p += f" ({_cite(rule)})"
        zh.append(zh_p)
        en.append(en_p)
    zh_text, en_text = "，".join(dict.fromkeys(zh)), ", ".join(dict.fromkeys(en))
    if several:
        zh_text += "，取其中较大者"
        en_text += "; the largest applies"
    any_computed_binds = any(u.binding for u, _ in computed)
    bound_zh, bound_en = [], []
    for use in figures:
        bounds = BASES[use.rule.basis or ""].letter_bound if use.rule is not None else None
        if use.rule is None or bounds is None:
            continue
        binds = use.binding and not any_computed_binds
        each = per_facility(req, spec, use)
        if each is not None:  # a facility's minimum, for each of several facilities
            zh_b, en_b = per_facility_bound(spec, each, binds)
            bound_zh.append(zh_b)
            bound_en.append(en_b)
            continue
        bound = bounds[0] if binds else bounds[1]
        bound_zh.append(phrase(bound.zh, use.rule))
        bound_en.append(phrase(bound.en, use.rule))
    zh_text += "".join(dict.fromkeys(bound_zh))  # the same minimum at two levels is stated once
    en_text += "".join(dict.fromkeys(bound_en))
    exact = req.value(spec.key)
    if exact is not None and whole != exact:
        up = spec.direction == "at_least"
        zh_text += f"，{'向上' if up else '向下'}取整为{_num(whole)}{spec.letter_unit.zh}"
        en_text += f", rounded {'up' if up else 'down'} to {_num(whole)} {spec.letter_unit.en}"
    return zh_text + "。", en_text + "."


def _generally_word(rule: Rule) -> str | None:
    """How the rule's own text writes 一般 before its limit, if it does (一般不得, 不宜…)."""
    return next((w for w in GENERALLY_WORDS if w in rule.text), None)


def _headline(spec: QuantitySpec, rule: Rule, whole: float | int) -> tuple[str, str]:
    """The letter's sentence for one figure, with 一般 and the original wording where the rule says so."""
    word = _generally_word(rule) if rule.strength == "generally" else None
    note = spec.generally_note if word is not None else None
    fill = {"value": _num(whole), "next": _num(whole + 1)}
    zh = spec.letter_headline.zh.format_map(
        {**fill, "qualifier": "一般" if note else "", "qualifier_note": note.zh.format(word=word) if note else ""}
    )
    en = spec.letter_headline.en.format_map(
        {**fill, "qualifier": "generally " if note else "", "qualifier_note": note.en.format(word=word) if note else ""}
    )
    if rule.strength == "in_principle":  # 「原则上」: the letter keeps the document's own softness
        principle = STRENGTHS["in_principle"]
        zh = f"{zh.removesuffix('。')}（原文为“{principle.zh}”）。"
        # the same quote as the Chinese, its English beside it
        en = f"{en.removesuffix('.')} (the text says “{principle.zh}”, {principle.en})."
    if rule.document.is_reported:  # a text never seen: its words are the report's, not 「原文」
        zh = zh.replace("（原文为“", "（据报道为“")
        en = en.replace(" (the text says ", " (as reported: ")
    return zh, en


def _sources(rules: list[Rule]) -> tuple[str, str]:
    zh = "依据：" + "；".join(dict.fromkeys(_cite(r) + _draft_tag(r, True) for r in rules)) + "。"
    en = "Source: " + "; ".join(dict.fromkeys(_cite(r) + _draft_tag(r, False) for r in rules)) + "."
    return zh, en


def _limit_item(spec: QuantitySpec, figures: list[RuleUse], whole: float | int) -> Item:
    """Limits: one sentence per limit still in force (a "generally" 2 beside a mandatory 3 states both)."""
    zh, en = [], []
    rules = [u.rule for u in figures if u.rule is not None]
    for rule in sorted(rules, key=lambda r: r.value or 0):
        h_zh, h_en = _headline(spec, rule, spec.letter_value(float(rule.value or 0)))
        s_zh, s_en = _sources([rule])
        zh.append(h_zh + s_zh)
        en.append(h_en + " " + s_en)
    return Item(spec.key, "".join(zh), " ".join(en), whole, spec.unit.zh, [_src(r) for r in rules])


def _figure_item(
    req: Requirement, spec: QuantitySpec, figures: list[RuleUse], value: float | int, round_area: str
) -> Item:
    whole = spec.letter_value(value, round_area)
    if spec.direction == "at_most":
        return _limit_item(spec, figures, whole)
    rules = [u.rule for u in figures if u.rule is not None]
    binding = next((u.rule for u in figures if u.binding and u.rule is not None), rules[0])
    h_zh, h_en = _headline(spec, binding, whole)
    if whole == 0 and spec.direction == "at_least":  # 0 households: not 「不少于0平方米」 as if it were a condition
        label = spec.letter_label
        h_zh = f"{label.zh}：计算值为0{spec.letter_unit.zh}，本项目不因此产生该项要求。"
        h_en = f"{label.en}: computes to 0 {spec.letter_unit.en}; no requirement for it arises from this project."
    if binding.term is not None and binding.term != spec.letter_label.zh:  # the document's own word, beside
        h_zh = f"{h_zh.removesuffix('。')}（原文为“{binding.term}”，按{spec.label.zh}计）。"
        h_en = f"{h_en.removesuffix('.')} (the text says “{binding.term}”, read as {spec.label.en})."
    zh, en = [h_zh], [h_en]
    calc = _calculation(req, spec, figures, whole)
    each = next((e for u in figures if (e := per_facility(req, spec, u)) is not None), None)
    if calc is None and each is not None:  # a facility's minimum alone, for each of several facilities
        calc = (f"按{each[0]}。", f"{each[1][0].upper()}{each[1][1:]}.")
    if calc is not None:
        zh.append(calc[0])
        en.append(calc[1])
    cited = [r for u in figures if u.rule is not None for r in (u.rule, *u.via)]  # with what a figure rests on
    if each is not None:  # and the rule that counts the facilities
        cited += [u.rule for u in req.rules if u.quantity == "facilities" and u.rule is not None]
    s_zh, s_en = _sources(cited)
    zh.append(s_zh)
    en.append(s_en)
    return Item(spec.key, "".join(zh), " ".join(en), whole, spec.unit.zh, [_src(r) for r in dict.fromkeys(cited)])


def _quantity_item(req: Requirement, spec: QuantitySpec, round_area: str = "exact") -> Item | None:
    """The letter's line for one quantity: its figure, or that no figure is set (where it says so)."""
    uses = [u for u in req.rules if u.quantity == spec.key]
    value = req.value(spec.key)
    if uses and uses[0].kind != "no_figure" and value is not None:
        return _figure_item(req, spec, [u for u in uses if u.rule is not None], value, round_area)
    if not spec.says_no_figure(named=bool(uses)):
        return None  # nothing to state: the clause invents no figure and no line for it
    label = spec.letter_label
    if uses and uses[0].unmet:
        return _unmet_item(req, spec, uses[0])
    return _no_figure_item(req, spec.key, label.zh, label.en)


def _unmet_item(req: Requirement, spec: QuantitySpec, use: RuleUse) -> Item:
    """A figure set per another quantity that no rule sets: unknown, said so, with what is known."""
    deps = list(dict.fromkeys(d for r in use.unmet for d in BASES[r.basis or ""].needs_quantities()))
    dep_zh = "、".join(QUANTITIES[d].label.zh for d in deps)
    dep_en = ", ".join(QUANTITIES[d].label.en for d in deps)
    cites = "、".join(_cite(r) for r in use.unmet)
    label = spec.letter_label
    zh = f"{label.zh}：{cites}按{dep_zh}计算，但规则未规定{dep_zh}数值，无法计算"
    en = f"{label.en}: {cites} sets it per {dep_en}, which no rule sets, so it cannot be computed"
    for rule in use.known:
        zh += f"；不少于{rule.value_text}{spec.letter_unit.zh}（{_cite(rule)}）"
        en += f"; at least {rule.value_text} {spec.letter_unit.en} ({_cite(rule)})"
    itself = LETTER_KINDS[req.area_type].itself
    zh += f"；{itself.zh}不另设数值。"
    en += f"; {itself.en} states no other figure."
    return Item(spec.key, zh, en, None, None, [_src(r) for r in (*use.unmet, *use.known)])


def _no_figure_item(req: Requirement, quantity: str, label_zh: str, label_en: str) -> Item:
    governing = [u.rule for u in req.obligations if u.rule is not None and quantity in u.rule.replaces_figure_for]
    if governing:
        rule = governing[0]
    itself = LETTER_KINDS[req.area_type].itself  # nothing the documents do not say: no one is named to decide
    if governing:
        rule = governing[0]
        zh = f"{label_zh}：{_cite(rule)}要求“{rule.text}”，未规定数值指标，{itself.zh}不设数值。"
        # the same statement as the Chinese: the clause quoted as written, not a paraphrase beside it
        en = f"{label_en}: {_cite(rule)} requires “{rule.text}” (as written) and sets no figure; {itself.en} states none."
        return Item(quantity, zh, en, None, None, [_src(rule)])
    docs = "、".join(d.label for d in req.plan.documents) or req.jurisdiction.name
    zh = f"{label_zh}：{docs}未规定数值指标，{itself.zh}不设数值。"
    en = f"{label_en}: {docs} sets no figure; {itself.en} states none."
    return Item(quantity, zh, en, None, None, [])


def _merge_no_figure(items: list[Item]) -> list[Item]:
    """One line for quantities that have no figure for the same reason (Suzhou: all three)."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (
            prev is not None
            and item.value is None
            and prev.value is None
            and item.sources == prev.sources
            and item.zh.split("：", 1)[1] == prev.zh.split("：", 1)[1]
        ):
            label_zh, rest_zh = item.zh.split("：", 1)
            label_en = item.en.split(":", 1)[0]
            prev_label_zh, _ = prev.zh.split("：", 1)
            prev_label_en, rest_en = prev.en.split(":", 1)
            prev.zh = f"{prev_label_zh}、{label_zh}：{rest_zh}"
            prev.en = f"{prev_label_en}, {label_en.lower()}:{rest_en}"
            prev.key = f"{prev.key}+{item.key}"
            continue
        out.append(item)
    return out


def _obligations(req: Requirement) -> tuple[list[Item], tuple[str, str]]:
    """The project's obligations in letter wording, and the preamble naming the land-transfer rule."""
    obligations: list[Item] = []
    preamble = ("", "")
    for use in req.obligations:
        rule = use.rule
        if rule is None:
            continue
        if rule.topic == "land_transfer_condition":
            preamble = (
                f"根据{_cite(rule)}，在地块出让（划拨）条件书中明确托育服务设施建设要求如下。",
                f"Under {_cite(rule)}, the land-transfer (allocation) conditions state the childcare facility requirements as follows.",
            )
            continue
        if (
            rule.letter_zh is None
            or rule.letter_en is None
            or rule.condition
            or rule.strength not in _PROJECT_STRENGTHS
            or rule.addressee != "project"
        ):
            continue
        obligations.append(
            Item(
                rule.topic or "obligation",
                f"{rule.letter_zh}依据：{_cite(rule)}{_draft_tag(rule, True)}。",
                f"{rule.letter_en} Source: {_cite(rule)}{_draft_tag(rule, False)}.",
                sources=[_src(rule)],
            )
        )
    return obligations, preamble


_ZH_NUMERALS = "〇一二三四五六七八九"


def _documents(req: Requirement) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for doc in req.plan.documents:
        if doc.is_reported:  # the text was not seen: neither its force nor its date of effect is known
            documents.append(
                {
                    "document": doc.label,
                    "zh": f"《{doc.title}》，仅见于报道（{doc.seen or doc.source}），文号与施行日期未见原文。",
                    "en": f"{doc.title_en}, known by report only ({doc.seen or doc.source}); its number and date of "
                    "effect not seen.",
                }
            )
            continue
        when_zh, when_en = date_of_effect(doc)
        status_zh, status_en = status_text(doc)
        number_zh = f"（{doc.number}）" if doc.number else "（无文号）"
        documents.append(
            {
                "document": doc.label,
                "grade": doc.grade,
                "effective_from": doc.effective_from.isoformat(),
                "effective_from_stated": doc.effective_from_stated,
                "checked_on": doc.checked_on.isoformat() if doc.checked_on else None,
                "zh": f"{cited_title(doc)}{number_zh}，{status_zh}，{when_zh}。",
                "en": f"{doc.title_en} ({doc.number or 'no document number'}), {status_en}, {when_en}.",
            }
        )
    return documents


def _population_line(req: Requirement) -> tuple[str, str]:
    """The population as the letter states it: a project not yet built has a planned population
    (规划居住人口), not a resident one; a derived one says how it was reckoned."""
    planned = req.area_type == "new_build"
    word_zh, word_en = ("规划居住人口", "Planned population") if planned else ("常住人口", "Population")
    zh, en = f"{word_zh}：{_num(req.population or 0)}人", f"{word_en}: {_num(req.population or 0)}"
    if req.population_derived and req.persons_per_household is not None:
        zh += f"（按{_num(req.households or 0)}户、户均{_num(req.persons_per_household)}人折算）"
        en += f" ({_num(req.households or 0)} households at {_num(req.persons_per_household)} persons each)"
    return zh + "。", en + "."


def _inputs(req: Requirement) -> tuple[list[str], list[str]]:
    inputs_zh, inputs_en = [], []
    if req.households is not None:
        zh, en = f"户数：{_num(req.households)}户", f"Households: {_num(req.households)}"
        if req.households_derived and req.persons_per_household is not None:
            zh += f"（按人口{_num(req.population or 0)}人、户均{_num(req.persons_per_household)}人折算，向上取整）"
            en += (
                f" ({_num(req.population or 0)} people at {_num(req.persons_per_household)} per household, rounded up)"
            )
        inputs_zh.append(zh + "。")
        inputs_en.append(en + ".")
    if req.population is not None:
        zh, en = _population_line(req)
        inputs_zh.append(zh)
        inputs_en.append(en)
    if req.trust is not None:
        label = TRUST_LABELS[req.trust]
        zh, en = f"户数与人口不一致时：{label.zh}", f"Where households and population disagree: {label.en}"
        if req.set_aside is not None:  # the signer sees the figure that was not used
            name, value = req.set_aside
            word_zh, unit_zh = ("户数", "户") if name == "households" else ("人口", "人")
            zh += f"（所给{word_zh}{_num(value)}{unit_zh}未采用）"
            en += f" (the {name} given, {_num(value)}, not used)"
        inputs_zh.append(zh + "。")
        inputs_en.append(en + ".")
    inputs_zh.append(f"规则适用日期：{req.on.year}年{req.on.month}月{req.on.day}日。")
    inputs_en.append(f"Rules applied as on {req.on.isoformat()}.")
    return inputs_zh, inputs_en


#: How a letter states an area: as computed (to 0.01 m²), or rounded up to whole m² beside it.
ROUND_AREA = ("exact", "up")


def build_clause(req: Requirement, round_area: str = "exact") -> Clause:
    """Build the condition-letter clause for a requirement.

    ``round_area="up"`` states areas in whole m², rounded up, with the computed figure beside
    them; the default states the computed figure (the documents' own requirement).
    """
    if round_area not in ROUND_AREA:
        raise InputError("render.round_area", field="round_area", value=round_area)
    kind = LETTER_KINDS[req.area_type]
    where_zh = f"{req.jurisdiction.name}{req.area_term}"
    title_zh = f"{kind.title.zh}（{where_zh}）"
    title_en = f"{kind.title.en} ({req.jurisdiction.name_en}, {AREA_TYPE_PHRASES_EN[req.area_type]})"
    items = [_quantity_item(req, spec, round_area) for spec in QUANTITIES.values()]
    sizing = _merge_no_figure([i for i in items if i is not None])
    obligations, (preamble_zh, preamble_en) = _obligations(req)
    statement = req.no_residents_statement()
    if statement is not None:  # no residential project: one statement, no figure and no duty of one
        sources = [_src(t.rule) for qp in req.plan.quantities.values() for t in qp.terms]
        en = statement.text("en")
        said = Item("no_residents", statement.text("zh") + "。", en[:1].upper() + en[1:] + ".", 0, None, sources)
        sizing, obligations = [said], []
    if kind.addressed.zh:  # no land is transferred: the town or street is addressed, not a developer
        preamble_zh, preamble_en = kind.addressed.zh, kind.addressed.en
    documents = _documents(req)
    inputs_zh, inputs_en = _inputs(req)
    flags_zh, flags_en = [], []
    if req.reported:
        flags_zh.append("本条款部分数值仅见于报道，未见文件原文，不得直接作为出让条件，正式使用前须核实原文")
        flags_en.append(
            "Some figures of this clause are known by report only, the document's text not seen; do not use them as "
            "land-transfer conditions before checking the original"
        )
    if req.draft:
        flags_zh.append("本条款部分内容取自征求意见稿，该稿未生效，不具法律效力，正式使用前须核实正式文件")
        flags_en.append(
            "Parts of this clause come from a consultation draft, which is not in force; check for the final document before formal use"
        )
    for zh, en in req.plan.notices:  # a plan period past, a status checked long ago, targets and deadlines past
        flags_zh.append(zh)
        flags_en.append(en)
    return Clause(
        title_zh,
        title_en,
        preamble_zh,
        preamble_en,
        sizing,
        obligations,
        documents,
        inputs_zh,
        inputs_en,
        flags_zh,
        flags_en,
        heads=kind.heads,
        stamp=req.stamp,
    )
