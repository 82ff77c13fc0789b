"""The annex of a condition letter, 附件：计算书: the rules behind each figure, the documents, the stamp.

Rows of text for the Word letter's tables (:mod:`facility_sizing.render.docx`), built from the
:class:`~facility_sizing.Requirement` and its :class:`~facility_sizing.render.clause.Clause`:
each figure is the requirement's or the clause's, never computed again here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine.notices import status_text
from ..model.bases import BASES, phrase
from ..model.entities import Rule
from ..model.quantities import QUANTITIES, QuantitySpec
from ..model.vocabulary import STRENGTHS
from .clause import Clause

if TYPE_CHECKING:
    from ..results.requirement import Requirement, RuleUse

__all__ = ["ANNEX_HEADINGS", "CALCULATION_HEADS", "SOURCE_HEADS", "calculation_rows", "source_rows"]

#: The annex's three parts, numbered 一、二、三 in the letter.
ANNEX_HEADINGS = {
    "zh": ("计算过程", "依据文件", "生成信息"),
    "en": ("Figures and the rules behind them", "Documents and the grade of their text", "What produced this letter"),
}


def _figure(value: float | int | None) -> str:
    """A value as the letter writes it: 1,334; 200.1; 750 (never 750.0)."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _with_unit(value: float | int | None, spec: QuantitySpec, lang: str) -> str:
    return "—" if value is None else f"{_figure(value)} {spec.unit.zh if lang == 'zh' else spec.unit.en}"


def _letter_values(clause: Clause) -> dict[str, float | int | None]:
    """The value the letter states for each quantity (its sizing items; a merged line covers several)."""
    return {key: item.value for item in clause.sizing for key in item.key.split("+")}


CALCULATION_HEADS = {
    "zh": ["指标", "计算规则", "计算值", "条件书取值", "文件及条款", "效力", "起控制作用"],
    "en": ["Quantity", "Rule", "Computed", "In the letter", "Document and clause", "Strength", "Binding"],
}
SOURCE_HEADS = {
    "zh": ["文件", "标题", "效力状态", "文本来源等级"],
    "en": ["Document", "Title", "Status", "Grade of the text"],
}


def _rule_words(use: RuleUse, rule: Rule, lang: str) -> str:
    """What ``rule`` (the rule of ``use``) sets, as the rule book writes it (每百户15m², 最小200m²), with
    the clauses a figure rests on: a letter names clauses, never the rule book's internal ids."""
    label = BASES[rule.basis or ""].column_label
    words = phrase(label.zh if lang == "zh" else label.en, rule)
    if rule.value_text and rule.value_text not in words:  # 「minimum」: the figure beside it
        words = f"{words} {rule.value_text} {QUANTITIES[rule.quantity].unit.en}"
    for other in use.via:
        words += f"（据{other.citation()}）" if lang == "zh" else f" (on {other.citation()})"
    return words


def _use_row(use: RuleUse, letter: str, lang: str) -> list[str]:
    """One rule behind a figure: what it sets, what it gives, what the letter states, where it is,
    how strong, whether it binds."""
    zh = lang == "zh"
    spec = QUANTITIES[use.quantity]
    rule = use.rule
    if rule is None:  # no level sets the quantity: the letter says so
        return ["", "未规定数值指标" if zh else "no figure", "—", letter, "—", "—", "—"]
    document = rule.citation()
    if rule.document.is_draft:
        document += "（征求意见稿）" if zh else " (consultation draft)"
    strength = STRENGTHS[rule.strength]
    force = strength.zh if zh else strength.en
    if rule.document.is_draft:  # a draft's 应 binds no one: the column says the wording is a draft's
        force += "（草案措辞，未生效）" if zh else " (a draft's wording, not in force)"
    elif rule.document.is_reported:
        force += "（据报道）" if zh else " (as reported)"
    return [
        "",
        _rule_words(use, rule, lang),
        _with_unit(use.computed, spec, lang),
        letter,
        document,
        force,
        ("是" if use.binding else "否") if zh else ("yes" if use.binding else "no"),
    ]


def calculation_rows(req: Requirement, clause: Clause, lang: str = "zh") -> list[tuple[str, list[list[str]]]]:
    """The annex's calculation: for each quantity shown, its label and one row per rule behind it.

    Each rule is named by what it sets and its clause, never by its id in the rule book. The
    computed value is the rule's own (:attr:`RuleUse.computed`, exact); the letter's value is the
    clause's (as the letter rounds it).

    Examples
    --------
    >>> import facility_sizing as fs
    >>> from facility_sizing.render import build_clause
    >>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
    >>> label, rows = calculation_rows(req, build_clause(req))[0]
    >>> label, [row[1:] for row in rows]  # doctest: +NORMALIZE_WHITESPACE
    ('建筑面积', [['每百户15m²', '200.1 m²', '200.1 m²', '西政办函〔2021〕15号 二(三)1', '应/不少于', '是'],
                 ['最小200m²', '200 m²', '200.1 m²', '西政办函〔2021〕15号 二(三)1', '应/不少于', '否']])
    """
    letter_values = _letter_values(clause)
    out = []
    for quantity in req.quantities_shown():
        spec = QUANTITIES[quantity]
        stated = letter_values.get(quantity)
        if stated is None:
            letter = ("不设数值" if lang == "zh" else "none stated") if quantity in letter_values else "—"
        else:
            letter = _with_unit(stated, spec, lang)
        rows = [_use_row(u, letter, lang) for u in req.rules if u.quantity == quantity]
        if rows:
            out.append((spec.label.zh if lang == "zh" else spec.label.en.capitalize(), rows))
    return out


def source_rows(req: Requirement, lang: str = "zh") -> list[list[str]]:
    """The annex's documents: how the letter cites each, its title, its status and the grade of its text.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> req = fs.size(jurisdiction="滨江区", population=5001, area_type="new_build", on="2025-01-01",
    ...               include_drafts=True)
    >>> [row[0] + " " + " ".join(row[2:]) for row in source_rows(req)]
    ['滨江实施意见（征求意见稿，无文号） 征求意见稿 征求意见稿原文，未生效']
    """
    zh = lang == "zh"
    return [
        [
            doc.label,
            f"《{doc.title}》" if zh else doc.title_en,
            status_text(doc)[0 if zh else 1],  # as checked, with its date: never a bare 现行有效
            doc.grade_words()[0 if zh else 1],  # a draft's copy is never called 官方文本 alone
        ]
        for doc in req.plan.documents
    ]
