"""A figure rule as used in a plan, and why a quantity has none: what the library says of an absence.

A statement that a level sets no figure is true of the documents: it names only levels whose
documents the library holds; a figure the library holds but did not apply (a report or a draft not
opted into, a date out of range, an unverified text) is named with its reason; a level the library
holds no document of is named as such, and nothing is said of what it sets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import bilingual
from ..messages import Audience, Message
from ..model.bases import BASES
from ..model.entities import DesignRule, Division, Rule
from ..model.quantities import QUANTITIES
from ..model.vocabulary import DEFAULT_GRADES, GRADE_TAGS, Label
from ..ruledata import RuleBook

__all__ = ["LEFT_OUT_REASONS", "NATIONAL", "HeldBack", "NoFigure", "Term", "held_back"]

#: The national level's code in a division chain.
NATIONAL = "CN"

#: Why a figure the library holds was not applied, as a statement of absence says it: the catalogue
#: key of its words (``data/messages/statements.toml``), worded for its reader (a switch by its flag
#: on the command line, by its Python name in Python).
LEFT_OUT_REASONS: dict[str, str] = {
    "reported": "statements.left_out_reported",
    "draft": "statements.left_out_draft",
    "date": "statements.left_out_date",
    "unverified": "statements.left_out_unverified",
}


@dataclass(frozen=True)
class Term:
    """A figure rule as used in a plan, with the division it was inherited from."""

    rule: Rule
    source: Division
    inherited: bool


@dataclass(frozen=True)
class NoFigure:
    """Why a quantity has no figure, and what governs it instead.

    ``unmet`` holds the rules that set a figure on a basis that needs another quantity (e.g.
    outdoor area per slot) when that quantity has no figure: the figure cannot be computed,
    and is unknown, not zero. ``known`` holds the constant rules of the quantity (a minimum)
    that apply all the same: the message states them as what is known.
    """

    quantity: str
    governing: tuple[Term, ...]
    searched: tuple[Division, ...]
    unmet: tuple[Term, ...] = ()
    known: tuple[Term, ...] = ()
    #: figure rules of this quantity and area type, along the chain, that were not applied, and why
    #: (``reported``, ``draft``, ``date``, ``unverified``): a level that has one is not said to set none
    left_out: tuple[tuple[Rule, str], ...] = ()
    #: levels of the chain the library holds no document of: nothing is said of what they set
    without_data: tuple[Division, ...] = ()
    #: levels whose documents the library knows by report only: what the text sets is not known
    reported_only: tuple[Division, ...] = ()
    #: the national design rules of the rule book on this quantity whose standard applies on the date
    #: (design review checks them): the national level is said to hold no sizing rule, and these named
    national: tuple[DesignRule, ...] = ()

    def message(self, audience: Audience = "python") -> str:
        """Bilingual explanation, Chinese then English: see :meth:`words`."""
        zh, en = self.words(audience)
        return bilingual(zh, en)

    def words(self, audience: Audience = "python") -> Label:
        """The explanation in each language: no figure, what governs the quantity, and that there is no fallback.

        Only levels whose documents the library holds are said to set no figure; a figure it holds but
        did not apply is named with the reason (a report or a draft not opted into, a date out of
        range); levels it holds no document of are named as such. A switch or a call is named for
        ``audience`` (``python``: ``include_reported=True``; ``cli``: ``--include-reported``).
        """
        zh_q, en_q = QUANTITIES[self.quantity].label
        left_codes = {r.jurisdiction for r, _ in self.left_out}
        blank = {d.code for d in self.without_data} | {d.code for d in self.reported_only}
        none_set = [d for d in self.searched if d.code not in left_codes and d.code not in blank]
        where_zh = "、".join(d.name for d in none_set)
        where_en = ", ".join(d.name_en for d in none_set)
        if self.unmet:
            zh, en = self._unmet_message(zh_q, en_q, where_zh, where_en)
        elif self.governing:
            cites = "；".join(f"{t.rule.citation()}：“{t.rule.text}”" for t in self.governing)
            cites_en = "; ".join(f"{t.rule.citation()}: “{t.rule.text}” (as written)." for t in self.governing)
            zh = f"无{zh_q}指标：{cites}。文件未规定数值" + (f"；库中{where_zh}的文件均无该项数值" if none_set else "")
            en = f"no {en_q} figure: {cites_en} The document sets no number" + (
                f"; no document of {where_en} in the library's data sets one" if none_set else ""
            )
        else:
            zh = f"无{zh_q}指标：" + (f"库中{where_zh}的文件均未规定该项数值" if none_set else "库中没有适用的该项数值")
            en = f"no {en_q} figure: " + (
                f"the documents of {where_en} in the library set none" if none_set else "the library applies none"
            )
        extra_zh, extra_en = self._left_out_words(audience)
        return Label(zh + extra_zh + "；不作推算", en + extra_en + "; none is assumed")

    def _left_out_words(self, audience: Audience) -> tuple[str, str]:
        """What the library holds but did not apply, with the reason; and the levels it holds nothing of."""
        zh, en = "", ""
        by_document: dict[tuple[str, str], list[Rule]] = {}
        for rule, reason in self.left_out:
            by_document.setdefault((rule.document.id, reason), []).append(rule)
        for (_, reason), rules in by_document.items():
            why = Message(LEFT_OUT_REASONS[reason])
            why_zh, why_en = why.text("zh", audience), why.text("en", audience)
            quotes = "、".join(dict.fromkeys(f"“{r.text}”" for r in rules))  # one quote may set two figures
            zh += f"；{rules[0].document.label}规定有该项数值（{quotes}），{why_zh}，未采用"
            # the same statement as the Chinese: the figures quoted as written, not the library's paraphrase
            quotes_en = ", ".join(dict.fromkeys(f"“{r.text}”" for r in rules))
            en += f"; {rules[0].document.label} sets one ({quotes_en}), {why_en}"
        if self.reported_only:
            named = [d for d in self.reported_only if d.code not in {r.jurisdiction for r, _ in self.left_out}]
            if named:
                zh += (
                    "；"
                    + "、".join(d.name for d in named)
                    + "的文件库中仅见于报道，库中所录报道未含该项数值，原文是否规定未知"
                )
                en += "; the documents of " + ", ".join(d.name_en for d in named) + " are known by report only, "
                en += "the reports recorded here hold no such figure, and what their text sets is not known"
        levels = [d for d in self.without_data if d.code != NATIONAL]
        if levels:
            zh += "；库中没有" + "、".join(d.name for d in levels) + "的配建规则文件，其是否规定未知"
            en += "; the library holds no sizing document of " + ", ".join(d.name_en for d in levels)
            en += ", and what it sets is not known"
        if any(d.code == NATIONAL for d in self.without_data):  # national standards are design rules, reviewed apart
            said = self._national()
            zh += "；" + said.text("zh", audience)
            en += "; " + said.text("en", audience)
        return zh, en

    def _national(self) -> Message:
        """What the national level holds on the quantity: no sizing rule, and the design provisions
        of the rule book's national standards that review checks (each with its grade), or none."""
        if not self.national:
            return Message("statements.national_none")
        provisions = []
        for rule in self.national:
            tag = GRADE_TAGS[rule.grade]
            if rule.grade not in DEFAULT_GRADES:  # review applies it only when opted into
                tag = Label(
                    f"{tag.zh.removesuffix('）')}，选用时适用）", f"{tag.en.removesuffix(')')}, when opted into)"
                )
            provisions.append(
                Label(f"{rule.standard.number} {rule.clause}{tag.zh}", f"{rule.standard.number} {rule.clause}{tag.en}")
            )
        return Message("statements.national_review", {"provisions": list(dict.fromkeys(provisions))})

    def _unmet_message(self, zh_q: str, en_q: str, where_zh: str, where_en: str) -> tuple[str, str]:
        deps = list(dict.fromkeys(d for t in self.unmet for d in BASES[t.rule.basis or ""].needs_quantities()))
        dep_zh = "、".join(QUANTITIES[d].label.zh for d in deps)
        dep_en = ", ".join(QUANTITIES[d].label.en for d in deps)
        cites = "、".join(t.rule.citation() for t in self.unmet)
        zh = f"无{zh_q}指标：{cites}按{dep_zh}计算，但库中{where_zh}的文件均未规定{dep_zh}数值，无法计算"
        en = (
            f"no {en_q} figure: {cites} sets it per {dep_en}, and the documents of {where_en} in the library set no "
            f"{dep_en} figure, so it cannot be computed"
        )
        if self.known:
            unit_en = QUANTITIES[self.quantity].unit.en
            zh += "；已知不少于" + "、".join(
                f"{t.rule.value_text}{t.rule.unit}（{t.rule.citation()}）" for t in self.known
            )
            en += "; it is at least " + ", ".join(
                f"{t.rule.value_text} {unit_en} ({t.rule.citation()})" for t in self.known
            )
        return zh, en


@dataclass(frozen=True)
class HeldBack:
    """What the library holds along a chain but did not apply, and the levels it holds nothing of."""

    left_out: dict[str, tuple[tuple[Rule, str], ...]]
    without_data: tuple[Division, ...]
    reported_only: tuple[Division, ...] = ()
    #: per quantity, the national design rules whose standard applies on the date (design review)
    national: dict[str, tuple[DesignRule, ...]] | None = None


def held_back(
    book: RuleBook,
    chain: list[Division],
    area_type: str,
    applied: set[str],
    on: dt.date,
    include_drafts: bool,
    include_reported: bool,
) -> HeldBack:
    """Figure rules of the area type whose documents were not applied, each with why (for NoFigure)."""
    left_out: dict[str, list[tuple[Rule, str]]] = {}
    for div in chain:
        for rule in book.rules.get(div.code, ()):
            doc = rule.document
            if not rule.is_figure or area_type not in rule.area_types or doc.id in applied:
                continue
            if not doc.grade_admitted(include_reported=True):
                reason = "unverified"
            elif doc.is_reported and not include_reported:
                reason = "reported"
            elif doc.is_draft and not include_drafts:
                reason = "draft"
            elif not doc.applies_on(on):
                reason = "date"
            else:
                continue
            left_out.setdefault(rule.quantity, []).append((rule, reason))
    without = tuple(d for d in chain if not book.documents.get(d.code))
    reported = tuple(
        d for d in chain if book.documents.get(d.code) and all(doc.is_reported for doc in book.documents[d.code])
    )
    national: dict[str, list[DesignRule]] = {}
    for design in book.design_rules.values():
        if design.standard.applies_on(on):
            national.setdefault(design.quantity, []).append(design)
    return HeldBack(
        {q: tuple(v) for q, v in left_out.items()}, without, reported, {q: tuple(v) for q, v in national.items()}
    )
