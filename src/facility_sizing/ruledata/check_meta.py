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
from .source_text import SourceText, bare_number, normalise

__all__ = ["check_document", "stated_dates"]

_QUOTED = re.compile(r"[“\"「]([^”\"」]{4,})[”\"」]")
_FIELDS = ("number", "title", "issuer", "issued_basis", "effective_from_basis", "plan_period_basis", "source", "seen")


def stated_dates(doc: SourceText) -> list[tuple[dt.date, str]]:
    """The dates of effect the document's sentences state, with the words that state them."""
    effect = re.compile(words()["dates"]["effect"])
    out = []
    for day, start, end in doc.dates():
        said = effect.match(doc.norm[end : end + 6])
        if said:
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
    if doc.number is not None:
        found = bare_number(doc.number) in bare_number(copy.norm)
        out.append(_said(entry, doc, "number", doc.number, found))
    for name in ("title", "issuer"):
        value = getattr(doc, name)
        out.append(_said(entry, doc, name, value, normalise(value) in copy.norm))
    days = {d for d, _, _ in copy.dates()}
    if doc.issued is not None:
        out.append(_said(entry, doc, "issued", _written(doc.issued), doc.issued in days))
    for name in ("issued_basis", "effective_from_basis", "plan_period_basis"):
        for quoted in _QUOTED.findall(getattr(doc, name) or ""):
            out.append(_said(entry, doc, name, quoted, normalise(quoted) in copy.norm))
    return [*out, _effect(entry, doc, copy)]


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
