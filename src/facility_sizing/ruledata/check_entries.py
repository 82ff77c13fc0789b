"""Checking one rule, target or duty against its document's copy: quote, clause, figure, strength, subject.

Each function returns the entry's findings in that order; a quote that is not found still has its
clause checked (does the outline have it?), and its figure and words read from the quote as written.

Examples
--------
>>> from fractions import Fraction
>>> sorted(numbers("每百户不少于15平方米，员工数达到1万人、1千人，4.56"))
[Fraction(114, 25), Fraction(15, 1), Fraction(1000, 1), Fraction(10000, 1)]
>>> number_pattern(Fraction(10000))
'(?<![\\\\d.])(?:10000|10,000|1万)(?![\\\\d.万千])'
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from fractions import Fraction
from typing import Any

from ..messages import Message
from ..model.entities import Duty, Rule, Target
from ..model.vocabulary import STRENGTHS, Label
from .check_findings import Finding, Status, words
from .source_text import SourceText, Span, parse_clause, split_quote

__all__ = ["PLACEHOLDER", "check_duty", "check_rule", "check_target", "number_pattern", "numbers"]

#: What ``facility-sizing rules init`` writes where the author has still to fill something in.
PLACEHOLDER = "〔填写"

_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|千)?")
_SENTENCE_END = "。!?"
_CLAUSE_END = "。!?,;:"
_ITEM = re.compile(r"^(\d{1,2}[.、]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")


def numbers(text: str) -> set[Fraction]:
    """Every number a quote writes, 「1万」 as 10,000 and 「1千」 as 1,000 (table cells and spaces keep numbers apart)."""
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text).replace("|", " "))
    out = set()
    for digits, scale in _NUMBER.findall(plain):
        out.add(Fraction(digits) * {"": 1, "千": 1000, "万": 10000}[scale])
    return out


def number_pattern(value: Fraction) -> str:
    """A regular expression for ``value`` as a document may write it, not inside a longer number."""
    forms: list[str] = []
    if value.denominator == 1:
        n = value.numerator
        forms += [str(n), f"{n:,}"] if n >= 1000 else [str(n)]
        forms += [f"{_decimal(Fraction(n, 10000))}万"] if n >= 10000 and n % 1000 == 0 else []
        forms += [f"{_decimal(Fraction(n, 1000))}千"] if 1000 <= n < 10000 and n % 100 == 0 else []
    else:
        forms.append(_decimal(value))
    unique = list(dict.fromkeys(forms))
    return r"(?<![\d.])(?:" + "|".join(re.escape(f) for f in unique) + r")(?![\d.万千])"


def _decimal(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.6f}".rstrip("0")
    return text


def _finding(entry: str, item: Any, key: str, check: str, status: Status, message: str, **params: Any) -> Finding:
    return Finding(entry, item.id, key, check, status, Message(message, params))


# -- the quote and its clause ---------------------------------------------------------------


def _quote(entry: str, item: Any, doc: SourceText) -> tuple[list[Finding], list[int] | None, list[str]]:
    """The quote found or not (with the nearest passage), and the clause it stands in; and where each part is."""
    parts = split_quote(item.text)
    if PLACEHOLDER in item.text or not parts:
        return [_finding(entry, item, "text", "quote", "fail", "authoring.placeholder")], None, parts
    span = doc.span(item.clause) if PLACEHOLDER not in item.clause else None
    places, between, problem = _places(doc, parts, span)
    out = []
    if places is None:
        out.append(_not_found(entry, item, doc, parts))
    elif problem == "order":
        order = "……".join(p for _, p in sorted(zip(places, parts, strict=True)))
        out.append(_finding(entry, item, "text", "quote", "fail", "authoring.quote_out_of_order", order=order))
    elif problem == "sentences":
        gap = between[0] if len(between[0]) <= 40 else f"{between[0][:18]}……{between[0][-18:]}"
        out.append(_finding(entry, item, "text", "quote", "fail", "authoring.quote_across_sentences", gap=gap))
    elif between:
        out.append(_finding(entry, item, "text", "quote", "note", "authoring.quote_across_pages", words=between))
    else:
        out.append(_finding(entry, item, "text", "quote", "pass", "authoring.quote_found"))
    out.append(_clause(entry, item, doc, span, places))
    return out, places, parts


#: Where one part of a quote stands: its start and end in the normalised text, and any words a page break put inside it.
_Part = tuple[int, int, str]


def _places(doc: SourceText, parts: Sequence[str], span: Span | None) -> tuple[list[int] | None, list[str], str]:
    """Where each part is, in the quote's order (in the cited clause where they are there too); the words a page
    break put inside a part; and what is wrong with where they stand (``"order"``, ``"sentences"``), or ``""``.

    The parts of an elided quote (「A……B」) must stand in that order, each after the end of the one
    before (of several such runs the shortest is taken), within one sentence: the words left out
    may not end a sentence (「应……。……配置」 would join two sentences into a duty neither states;
    quote each sentence as its own rule). A part outside the cited clause fails in :func:`_clause`.
    """
    found: list[list[_Part]] = []
    for part in parts:
        here = [(p, p + len(part), "") for p in doc.occurrences(part)]
        if not here:
            split = doc.across_pages(part)
            if split is None:
                return None, [], ""
            here = [(split[0], split[0] + len(part) + len(split[1]), split[1])]
        found.append(here)
    inside = _run([[p for p in ps if span.start <= p[0] < span.end] for ps in found]) if span is not None else None
    run = inside or _run(found)
    if run is None:  # every part is there, but not in this order: where each first stands, for the report
        first = [next((p for p in ps if span is not None and span.start <= p[0] < span.end), ps[0]) for ps in found]
        return [p[0] for p in first], [], "order"
    gaps = [doc.norm[a[1] : b[0]] for a, b in itertools.pairwise(run)]
    crossing = [g for g in gaps if any(c in g for c in _SENTENCE_END)]
    if crossing:
        return [p[0] for p in run], crossing, "sentences"
    return [p[0] for p in run], [p[2] for p in run if p[2]], ""


def _run(found: Sequence[Sequence[_Part]]) -> list[_Part] | None:
    """The shortest run with one place of each part, each after the one before; None if there is none."""
    best: list[_Part] | None = None
    for first in found[0] if found and all(found) else ():
        run = [first]
        for places in found[1:]:
            after = next((p for p in places if p[0] >= run[-1][1]), None)
            if after is None:
                break
            run.append(after)
        else:
            if best is None or run[-1][1] - run[0][0] < best[-1][1] - best[0][0]:
                best = run
    return best


def _not_found(entry: str, item: Any, doc: SourceText, parts: Sequence[str]) -> Finding:
    missing = next(p for p in parts if not doc.occurrences(p))
    near = doc.nearest(missing)
    if near is None:
        return _finding(entry, item, "text", "quote", "fail", "authoring.quote_nowhere", part=missing)
    passage = doc.norm[near[0] : near[1]]
    ops = SequenceMatcher(None, missing, passage, autojunk=False).get_opcodes()
    diff = tuple((op, missing[i1:i2], passage[j1:j2], i1) for op, i1, i2, j1, j2 in ops if op != "equal")
    message = Message("authoring.quote_not_found", {"part": missing, "clause": doc.clause_at(near[0]) or "—"})
    return Finding(entry, item.id, "text", "quote", "fail", message, passage, diff)


def _clause(entry: str, item: Any, doc: SourceText, span: Span | None, places: list[int] | None) -> Finding:
    clause = item.clause
    if PLACEHOLDER in clause:
        return _finding(entry, item, "clause", "clause", "fail", "authoring.placeholder")
    if parse_clause(clause) is None:
        return _finding(entry, item, "clause", "clause", "fail", "authoring.clause_unreadable", clause=clause)
    if span is None:
        return _finding(entry, item, "clause", "clause", "fail", "authoring.clause_not_in_outline", clause=clause)
    if places is not None:
        for place in places:
            if not span.start <= place < span.end:
                found = doc.clause_at(place) or "—"
                return _finding(entry, item, "clause", "clause", "fail", "authoring.quote_outside_clause",
                                clause=clause, found=found)  # fmt: skip
    return _finding(entry, item, "clause", "clause", "pass", "authoring.clause_found", clause=clause)


# -- figures ----------------------------------------------------------------------------------


def _rule_figure(entry: str, rule: Rule, quote: str) -> list[Finding]:
    if not rule.is_figure or rule.value is None:
        return []
    shown = {"value": rule.value_text, "unit": rule.unit}
    patterns = words()["units"].get(rule.unit, [])
    v, after = number_pattern(rule.value), number_pattern(rule.value + 1)  # whole numbers: 50 is not in 150
    said = [p.replace("{v}", v).replace("{next}", after) for p in patterns]
    out = []
    first_barred = words()["limits"].get(rule.unit, "").replace("{v}", v)  # 「不得…4层及以上」: at most 3, not 4
    if any(re.search(p, quote) for p in said):
        out.append(_finding(entry, rule, "value", "figure", "pass", "authoring.figure_found", **shown))
    elif first_barred and re.search(first_barred, quote):
        out.append(_finding(entry, rule, "value", "figure", "fail", "authoring.figure_first_barred",
                            below=_decimal(rule.value - 1), **shown))  # fmt: skip
    elif {rule.value, rule.value + 1} & numbers(rule.text):
        out.append(_finding(entry, rule, "unit", "figure", "fail", "authoring.figure_without_unit", **shown))
    else:
        out.append(_missing(entry, rule, "value", rule.value_text, strict=True))
    for name, value, text in rule.params:
        if value not in numbers(rule.text):
            out.append(_missing(entry, rule, name, text, strict=True))
    return out


def _missing(entry: str, item: Any, key: str, value: str | None, strict: bool = False) -> Finding:
    """A figure not in its quote: a failure; for a target or a duty, a note where the author records its reading.

    A rule's figure goes into a letter: it must be the quote's own, whatever the interpretation says.
    """
    found = sorted(numbers(item.text))
    listed = [_decimal(n) for n in found] or ["—"]
    if item.interpretation and not strict:  # the author says how the figure is read from words without it
        return _finding(entry, item, key, "figure", "note", "authoring.figure_by_interpretation", value=value)
    return _finding(entry, item, key, "figure", "fail", "authoring.figure_missing", value=value, numbers=listed)


def _plain_figures(entry: str, item: Any, figures: Sequence[tuple[str, Fraction, str]]) -> list[Finding]:
    out = []
    for key, value, text in figures:
        if value in numbers(item.text):
            out.append(_finding(entry, item, key, "figure", "pass", "authoring.figure_found", value=text, unit=""))
        else:
            out.append(_missing(entry, item, key, text))
    return out


# -- words of strength, and whose duty ----------------------------------------------------


def _bounds(text: str, start: int, end: int, stops: str) -> tuple[int, int]:
    lo = max((text.rfind(c, 0, start) for c in stops), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    return lo, min(ends, default=len(text))


def _signalled(text: str) -> dict[str, list[str]]:
    """The strengths whose words a text uses, with the words."""
    found: dict[str, list[str]] = {}
    for compound in words()["not_strength"]["words"]:  # 「需要」 has 要, 「一般公共预算」 一般: neither is a strength
        text = text.replace(compound, "□")
    for strength, listed in words()["strengths"].items():
        used = [w for w in listed if w in text]
        if used:
            found[strength] = used
    return found


def _strength(entry: str, item: Any, doc: SourceText, places: list[int] | None, parts: Sequence[str]) -> Finding:
    """The words of strength agree with ``strength``: the quote's own, and those of its clause before it, decide.

    A hedge the quote says (or that opens its clause: 「…设施一般不得…」 quoted from 「不得」) is what the
    rule is, whatever its interpretation says; one elsewhere in its sentence before the end of its
    clause (an earlier clause: 「…原则上按照…标准，通过购置…配置」, or between the parts of an elided
    quote) may be explained by an interpretation that names it.
    """
    quote = "".join(parts)
    governing = scope = sentence = quote
    if places is not None:
        first, last = min(places), max(p + len(part) for p, part in zip(places, parts, strict=True))
        lo, hi = _bounds(doc.norm, first, last, _CLAUSE_END)
        opening, closing = _bounds(doc.norm, first, last, _SENTENCE_END)
        # the scope: the sentence up to the end of the quote's clause (「已建成居住区原则上…，通过购置…配置」)
        governing, scope, sentence = doc.norm[lo:first] + quote, doc.norm[opening:hi], doc.norm[opening:closing]
    said, strength = _signalled(governing), item.strength
    hedges = {k: v for k, v in said.items() if k != "mandatory"}
    if hedges and strength not in hedges:  # the quote's own word decides, whatever the interpretation says
        words_said = sorted(w for ws in hedges.values() for w in ws)
        key = "authoring.strength_hedged" if strength == "mandatory" else "authoring.strength_disagrees"
        return _finding(entry, item, "strength", "strength", "fail", key, strength=_named(strength),
                        words=words_said, said=[_named(k) for k in sorted(hedges)])  # fmt: skip
    if strength == "mandatory":
        return _mandatory(entry, item, _signalled(scope), _signalled(sentence))
    if "mandatory" in said and not hedges:  # 「应…」 recorded as less than 应: the rule would understate it
        obliging = said["mandatory"]
        if not (item.interpretation and all(w in item.interpretation for w in obliging)):
            return _finding(entry, item, "strength", "strength", "fail", "authoring.strength_weaker",
                            strength=_named(strength), words=obliging)  # fmt: skip
        return _finding(entry, item, "strength", "strength", "note", "authoring.strength_read", words=obliging)
    if strength not in said and strength not in _signalled(scope):
        if item.interpretation:
            return _finding(entry, item, "strength", "strength", "note", "authoring.strength_by_interpretation",
                            strength=_named(strength))  # fmt: skip
        expected = words()["strengths"].get(strength, [strength])
        return _finding(entry, item, "strength", "strength", "fail", "authoring.strength_word_missing",
                        strength=_named(strength), expected=expected,
                        words=sorted({w for ws in said.items() for w in ws[1]}) or ["—"])  # fmt: skip
    return _finding(entry, item, "strength", "strength", "pass", "authoring.strength_agrees", strength=_named(strength))


def _mandatory(entry: str, item: Any, in_scope: dict[str, list[str]], in_sentence: dict[str, list[str]]) -> Finding:
    """A mandatory rule with no hedge of its own: one elsewhere in its clause must be named by its interpretation."""
    around = sorted(w for k, ws in in_scope.items() if k != "mandatory" for w in ws)
    explained = bool(item.interpretation) and all(w in item.interpretation for w in around)
    if around and not explained:
        return _finding(entry, item, "strength", "strength", "fail", "authoring.strength_hedged_clause",
                        strength=_named("mandatory"), words=around)  # fmt: skip
    if around:
        return _finding(entry, item, "strength", "strength", "note", "authoring.strength_read", words=around)
    if "mandatory" not in in_sentence:
        return _finding(entry, item, "strength", "strength", "note", "authoring.strength_no_word")
    return _finding(entry, item, "strength", "strength", "pass", "authoring.strength_agrees",
                    strength=_named("mandatory"))  # fmt: skip


def _named(strength: str) -> Label:
    """A strength as a report names it: its code and its words (「mandatory（应/不少于）」)."""
    label = STRENGTHS.get(strength)
    if label is None:
        return Label(strength, strength)
    return Label(f"{strength}（{label.zh}）", f"{strength} ({label.zh})")


def _subject(entry: str, rule: Rule, doc: SourceText, places: list[int] | None) -> list[Finding]:
    if places is None:
        return []
    if rule.addressee == "government":
        return [_finding(entry, rule, "addressee", "subject", "pass", "authoring.subject_agrees")]
    first = min(places)
    lo, _ = _bounds(doc.norm, first, first, _SENTENCE_END)
    opening = doc.norm[lo : first + 40]
    item = _ITEM.match(opening)
    opening = opening[item.end() :] if item else opening
    said = re.match(words()["subjects"]["government"], opening)
    if said:
        return [_finding(entry, rule, "addressee", "subject", "fail", "authoring.subject_government",
                         subject=said.group(0))]  # fmt: skip
    return [_finding(entry, rule, "addressee", "subject", "pass", "authoring.subject_agrees")]


# -- one entry --------------------------------------------------------------------------------


def check_rule(entry: str, rule: Rule, doc: SourceText) -> list[Finding]:
    """A rule's quote, clause, figure (with its unit and extra numbers), strength and subject."""
    out, places, parts = _quote(entry, rule, doc)
    if not parts:
        return out
    out += _rule_figure(entry, rule, "".join(parts))
    out.append(_strength(entry, rule, doc, places, parts))
    return out + _subject(entry, rule, doc, places)


def check_target(entry: str, target: Target, doc: SourceText) -> list[Finding]:
    """A target's quote, clause and figure; its strength where it is not simply a target."""
    out, places, parts = _quote(entry, target, doc)
    if not parts:
        return out
    if target.value is not None:
        out += _plain_figures(entry, target, [("value", target.value, target.value_text or "")])
    if target.strength != "target":  # a target is what a 目标 clause sets: no word of it is needed
        out.append(_strength(entry, target, doc, places, parts))
    return out


def check_duty(entry: str, duty: Duty, doc: SourceText) -> list[Finding]:
    """A duty's quote, clause, thresholds and strength."""
    out, places, parts = _quote(entry, duty, doc)
    if not parts:
        return out
    figures = [(f"thresholds.{name}", value, text) for name, value, text in duty.thresholds]
    out += _plain_figures(entry, duty, figures)
    out.append(_strength(entry, duty, doc, places, parts))
    return out
