"""Checking a ``[[documents]]`` entry against its copy: number, title, issuer, dates, and what its bases quote.

A date of effect is the document's only where a sentence of it states the date (「自2021年9月20日起
施行」); a file that says so (``effective_from_stated = true``) must be right, one that does not
must not leave out a date the document does state, and must say in ``effective_from_basis`` that
its date is derived, and from what (or write the date out).

Examples
--------
>>> from facility_sizing.ruledata.source_text import SourceText
>>> doc = SourceText("本通知自2021年9月20日起施行。\\n2021年8月19日")
>>> [(d.isoformat(), s) for d, s in stated_dates(doc)]
[('2021-09-20', '自2021年9月20日起施行')]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..messages import Message
from ..model.entities import Document
from .check_entries import PLACEHOLDER
from .check_findings import Finding, Status, words
from .check_own import (
    Place,
    exact,
    issued_places,
    issuer_places,
    number_places,
    numbers,
    own_effect,
    title_places,
    whole_line,
)
from .source_text import SourceText, normalise

__all__ = ["check_document", "stated_dates"]

_QUOTED = re.compile(r"[“\"「]([^”\"」]{4,})[”\"」]")
#: Where the file's value is in the copy only where another document's is: what each says.
_NOT_OWN = {
    "number": "authoring.number_not_own",
    "title": "authoring.title_not_own",
    "issuer": "authoring.issuer_not_own",
    "issued": "authoring.issued_not_own",
}
#: How a place cites another document (:func:`.check_own.cited`), or (``signed``) is not where an
#: issuer or a date of issue of the document's own stands.
_WHY = {
    "inside": "authoring.cited_inside",
    "after_title": "authoring.cited_after_title",
    "word_before": "authoring.cited_word_before",
    "word_after": "authoring.cited_word_after",
    "signed": "authoring.cited_not_signed",
}
_FIELDS = ("number", "title", "issuer", "issued_basis", "effective_from_basis", "plan_period_basis", "source", "seen")


def stated_dates(doc: SourceText) -> list[tuple[dt.date, str]]:
    """The dates of effect the document's sentences state, with the words that state them."""
    effect = re.compile(words()["dates"]["effect"])
    out = []
    for day, start, end in doc.dates():
        said = effect.match(doc.norm[end : end + 6])
        if said and own_effect(doc, start):  # not 「《…》自…起施行」, another document's
            opening = start - 1 if doc.norm[start - 1 : start] == "自" else start
            out.append((day, doc.norm[opening : end + said.end()]))
    return out


def _finding(entry: str, doc: Document, key: str, status: Status, message: str, **params: Any) -> Finding:
    return Finding(entry, doc.id, key, "document", status, Message(message, params))


def check_document(entry: str, doc: Document, copy: SourceText | None) -> list[Finding]:
    """Number, title, issuer, date of issue, date of effect and the bases' quotations, each found or not."""
    if copy is None:
        return [Finding(entry, doc.id, "source", "copy", "fail", Message("authoring.no_copy", {"document": doc.label}))]
    out = [_finding(entry, doc, name, "fail", "authoring.placeholder")
           for name in _FIELDS if PLACEHOLDER in (getattr(doc, name) or "")]  # fmt: skip
    if doc.grade == "official" and not doc.seen:
        out.append(_finding(entry, doc, "seen", "fail", "authoring.official_unseen"))
    out.append(_number(entry, doc, copy))
    out.append(_title(entry, doc, copy))
    out.append(_own(entry, doc, "issuer", doc.issuer, issuer_places(copy, doc.issuer, doc.title), copy))
    if doc.issued is not None:
        out.append(_own(entry, doc, "issued", _written(doc.issued), issued_places(copy, doc.issued), copy))
    for name in ("issued_basis", "effective_from_basis", "plan_period_basis"):
        for quoted in _QUOTED.findall(getattr(doc, name) or ""):
            out.append(_said(entry, doc, name, quoted, normalise(quoted) in copy.norm))
    return [*out, _effect(entry, doc, copy)]


def _number(entry: str, doc: Document, copy: SourceText) -> Finding:
    """The file's number is the document's own: not one it cites, not short of characters, the first of its own."""
    own = [n for n in numbers(copy) if not n.cited]
    mine = [n.text for n in own]
    if doc.number is None:
        if own:
            return _finding(entry, doc, "number", "fail", "authoring.number_unrecorded", own=mine)
        return _finding(entry, doc, "number", "pass", "authoring.number_none")
    places = number_places(copy, doc.number)
    exactly = [p for p in places if not p.cited and exact(p, doc.number)]
    if exactly:
        if own[0].start < exactly[0].start:  # another number of its own comes first: that is its number
            return _finding(entry, doc, "number", "fail", "authoring.number_not_first", value=doc.number,
                            first=own[0].text, clause=where(copy, exactly[0].start))  # fmt: skip
        return _said(entry, doc, "number", doc.number, True)
    short = next((p for p in places if not p.cited), None)
    if short is not None:
        return _finding(entry, doc, "number", "fail", "authoring.number_short", value=doc.number, written=short.text)
    if places:
        return _cited(entry, doc, "number", doc.number, places[0], copy, own=mine or ["—"])
    return _finding(entry, doc, "number", "fail", "authoring.number_not_found", value=doc.number, own=mine or ["—"])


def _title(entry: str, doc: Document, copy: SourceText) -> Finding:
    """The title is the document's own, and the whole of its line(s): not short of an issuer or a 「（征求意见稿）」."""
    places = title_places(copy, doc.title)
    own = [p for p in places if not p.cited]
    if own and all(whole_line(copy, p) is not None for p in own):
        line = whole_line(copy, own[0])
        return _finding(entry, doc, "title", "fail", "authoring.title_partial", value=doc.title, line=line)
    return _own(entry, doc, "title", doc.title, places, copy)


def _own(entry: str, doc: Document, key: str, value: str, places: list[Place], copy: SourceText) -> Finding:
    """A title, issuer or date of issue found where it is the document's own, or only where it is another's."""
    if any(not p.cited for p in places):
        return _said(entry, doc, key, value, True)
    if places:
        return _cited(entry, doc, key, value, places[0], copy)
    return _said(entry, doc, key, value, False)


def _cited(entry: str, doc: Document, key: str, value: str, place: Place, copy: SourceText, **params: Any) -> Finding:
    context = copy.norm[max(0, place.start - 16) : place.end + 4]
    return _finding(entry, doc, key, "fail", _NOT_OWN[key], value=value, context=context,
                    clause=where(copy, place.start), why=_why(place), **params)  # fmt: skip


def _why(place: Place) -> Message:
    how, said = place.why or ("signed", "")
    return Message(_WHY[how], {"words": said})


def where(copy: SourceText, offset: int) -> str | Message:
    """The clause at ``offset`` (「二(三)1」), or 「文件开头」 before the first heading."""
    return copy.clause_at(offset) or Message("authoring.at_opening")


def _said(entry: str, doc: Document, key: str, value: str, found: bool) -> Finding:
    if found:
        return _finding(entry, doc, key, "pass", "authoring.document_found", value=value)
    return _finding(entry, doc, key, "fail", "authoring.document_not_found", value=value)


def _written(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _effect(entry: str, doc: Document, copy: SourceText) -> Finding:
    stated = stated_dates(copy)
    day = doc.effective_from
    if doc.effective_from_stated:
        sentence = next((s for d, s in stated if d == day), None)
        if sentence is not None:
            return _finding(entry, doc, "effective_from", "pass", "authoring.effect_stated", sentence=sentence)
        return _finding(entry, doc, "effective_from", "fail", "authoring.effect_not_stated", date=day.isoformat(),
                        stated=[s for _, s in stated] or ["—"])  # fmt: skip
    if stated:
        return _finding(entry, doc, "effective_from_stated", "fail", "authoring.effect_stated_unmarked",
                        stated=[s for _, s in stated])  # fmt: skip
    basis = normalise(doc.effective_from_basis)
    vocab = words()["dates"]
    says_derived = any(normalise(w) in basis for w in vocab["derived"])
    says_whence = any(normalise(w) in basis for w in vocab["from"]) or normalise(_written(day)) in basis
    if not (says_derived and says_whence):
        return _finding(entry, doc, "effective_from_basis", "fail", "authoring.effect_derivation_unsaid")
    if day != doc.issued and normalise(_written(day)) not in basis and day.isoformat() not in basis:
        return _finding(entry, doc, "effective_from", "fail", "authoring.effect_derived_mismatch",
                        date=day.isoformat())  # fmt: skip
    return _finding(entry, doc, "effective_from", "pass", "authoring.effect_derived", date=day.isoformat())
