"""A document's own number, title, issuer and dates, told from those of the documents it cites.

A notice cites other documents by title and number (「根据《国务院办公厅关于…的指导意见》（国办发
〔2019〕15号）」, 「严格按照杭政办函〔2021〕2号文件有关规定执行」): a rule file giving one of those as
its document's number, title or issuer is wrong although the words are in the copy. What is the
document's own is read from the words around each place, never from where the place is — a copy
converted to Word or PDF moves its header block and its tail about. The words are data
(``[citations]`` of ``data/authoring.toml``):

- a number or a title is **cited** where it stands inside 《…》, right after one (「》（…号）」), after
  a citing word of its clause (根据, 按照, 参照 …), or (a number) before 「文件」, 「精神」 …; every other
  place of it is the document's own, and of several different numbers of its own the first is its
  number (an annex may reprint another document's header);
- an issuer is the document's own where it heads the document (「…办公室文件」, 「…办公室关于…」),
  signs it (a date follows within a few characters, as in a 落款 or an 印发 line) or begins its own title;
- a date of issue is the document's own where it signs it (an issuer's name, or a body of
  government, just before it) or is followed by 「印发」, 「发布」 …;
- a date of effect (「自…起施行」) is the document's own unless its sentence cites another document
  without naming this one (「本通知」, 「本办法」 …).

Examples
--------
>>> from facility_sizing.ruledata.source_text import SourceText
>>> doc = SourceText("余政办发〔2020〕70号\\n根据《宁波市实施意见》（甬政办发〔2020〕42号）精神，制定本意见。")
>>> [(n.text, n.cited) for n in numbers(doc)]
[('余政办发[2020]70号', False), ('甬政办发[2020]42号', True)]
>>> number_places(doc, "甬政办发〔2020〕42号")[0].cited
True
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from .check_findings import words
from .source_text import SourceText, bare_number, normalise

__all__ = [
    "Place",
    "cited",
    "exact",
    "issued_places",
    "issuer_places",
    "number_places",
    "numbers",
    "own_effect",
    "title_places",
    "whole_line",
]

#: The end of a document number with its brackets taken out (「[2020]70号」 → 「202070号」): a year, its serial.
_NUMBER_TAIL = re.compile(r"(?<!\d)(?:19|20)\d{2}\d{1,4}号")
_BRACKETS = frozenset("[]()<>〈〉《》")
_STOPS = "。;!?,:"
#: A number's prefix has at most this many characters (绍柯政办发: 5); a longer run is text before it.
_PREFIX = 8
#: Characters in front of a document's own number beyond the file's: up to this many, the file has
#: left some out (「政办发〔2020〕70号」 for 「余政办发〔2020〕70号」); more, and they are other words.
_DROPPED = 3


@dataclass(frozen=True)
class Place:
    """Where some words stand in the normalised text, and whether they are another document's (``why``: how, if cited)."""

    start: int
    end: int
    text: str
    cited: bool
    why: tuple[str, str] | None = None  # how it cites another document, and the words that say so
    line: str = ""  # a number as its line has it, where the line begins after the characters in front of it


@cache
def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(words()["citations"][name])


def cited(doc: SourceText, start: int, end: int, number: bool = False) -> tuple[str, str] | None:
    """How the words at ``start:end`` of ``doc.norm`` cite another document — (how, the words that say so) — or None.

    ``how`` is ``"inside"`` (in 《…》), ``"after_title"`` (「》（…号）」), ``"word_before"`` (a citing word
    of its clause before it) or ``"word_after"`` (a number before 「文件」, 「精神」 …).

    Examples
    --------
    >>> doc = SourceText("严格按照杭政办函〔2021〕2号文件有关规定执行")
    >>> cited(doc, 4, 16, number=True)
    ('word_before', '按照')
    """
    norm = doc.norm
    opened, closed = norm.rfind("《", 0, start), norm.rfind("》", 0, start)
    if opened > closed and "》" in norm[end : end + 200]:
        return "inside", norm[opened : norm.index("》", end) + 1]
    if number and re.search(r"》\(?$", norm[max(0, start - 2) : start]):
        return "after_title", norm[norm.rfind("《", 0, start) : closed + 1]
    lo = max(max(norm.rfind(c, 0, start) for c in _STOPS) + 1, start - 60)
    said = [(norm.rfind(w, lo, start), w) for w in words()["citations"]["before"] if w in norm[lo:start]]
    if said:
        return "word_before", max(said)[1]  # the nearest
    after = _pattern("after").match(norm, end) if number else None
    return ("word_after", after.group(0)) if after else None


def numbers(doc: SourceText) -> list[Place]:
    """Every document number of the text (「西政办函[2021]15号」), cited or the document's own, in order."""
    bare, index = _bare(doc.norm)
    out = []
    for m in _NUMBER_TAIL.finditer(bare):
        j = m.start()
        while (
            j > 0 and m.start() - j < _PREFIX and _cjk(bare[j - 1]) and (j == m.start() or index[j] - index[j - 1] == 1)
        ):  # a bracket ends it: 「》(甬政办发」
            j -= 1  # fmt: skip
        head = bare[j : m.start()]
        cut = max((head.rfind(w) + len(w) for w in ("文件", *words()["citations"]["before"]) if w in head), default=0)
        start, end = index[j + cut], index[m.end() - 1] + 1  # 「…办公室文件」, 「严格按照」 are no part of it
        line = max(start, _line_start(doc, index[m.start()]))  # as its line has it (the line may begin later)
        why = cited(doc, start, end, number=True)
        out.append(Place(start, end, doc.norm[start:end], why is not None, why, doc.norm[line:end]))
    return out


def number_places(doc: SourceText, number: str) -> list[Place]:
    """The places of the file's ``number``: each a number of the text that is it, or ends in it after ≤3 more characters."""
    want = bare_number(number)
    return [n for n in numbers(doc) if bare_number(n.text).endswith(want)]


def exact(place: Place, number: str) -> bool:
    """The place is ``number``, not it with characters in front the file left out (more than 3 are other words)."""
    want = bare_number(number)
    extra = len(bare_number(place.text)) - len(want)
    return extra == 0 or bare_number(place.line) == want or extra > _DROPPED


def title_places(doc: SourceText, title: str) -> list[Place]:
    """Every place of ``title``, cited (in 《…》, after 根据 …) or not."""
    return _places(doc, normalise(title))


def whole_line(doc: SourceText, place: Place) -> str | None:
    """The line(s) ``place`` stands in where it is not all of them (a title short of its start or end), else None.

    Examples
    --------
    >>> doc = SourceText("青禾区人民政府办公室关于促进\\n托育服务发展的实施意见\\n各街道：")
    >>> whole_line(doc, title_places(doc, "关于促进托育服务发展的实施意见")[0])
    '青禾区人民政府办公室关于促进托育服务发展的实施意见'
    >>> whole_line(doc, title_places(doc, "青禾区人民政府办公室关于促进托育服务发展的实施意见")[0]) is None
    True
    """
    ends = (*doc.line_starts, len(doc.norm))
    if place.start in ends and place.end in ends:
        return None
    at = bisect.bisect_right(ends, place.end - 1)
    start, end = _line_start(doc, place.start), ends[at] if at < len(ends) else len(doc.norm)
    return doc.norm[start:end][:120]


def issuer_places(doc: SourceText, issuer: str, title: str | None) -> list[Place]:
    """Every place of ``issuer``: the document's own where it heads or signs the document or begins its own title."""
    want = normalise(issuer)
    titles = [p.start for p in title_places(doc, title) if not p.cited] if title else []
    out = []
    for p in _places(doc, want):
        heads = _pattern("issuer_after").match(doc.norm[p.end : p.end + 24])
        own = not p.cited and (heads is not None or p.start in titles)
        out.append(Place(p.start, p.end, p.text, not own, p.why))
    return out


def issued_places(doc: SourceText, day: dt.date) -> list[Place]:
    """Every place of the date ``day``: the document's own where it signs it or is followed by 「印发」 …"""
    out = []
    for d, start, end in doc.dates():
        if d != day:
            continue
        lo = max(max(doc.norm.rfind(c, 0, start) for c in _STOPS) + 1, start - 40)
        signed = _pattern("signed_by").search(doc.norm[lo:start]) or _pattern("issued_after").match(doc.norm, end)
        out.append(Place(start, end, doc.norm[start:end], signed is None))
    return out


def own_effect(doc: SourceText, start: int) -> bool:
    """The date of effect at ``start`` is this document's: its sentence cites no other, or names this one (本通知 …)."""
    lo = max(doc.norm.rfind(c, 0, start) for c in "。;!?") + 1
    sentence = doc.norm[lo:start]
    if _pattern("this").search(sentence):
        return True
    return "《" not in sentence and not any(lo <= n.start < start for n in numbers(doc))


def _places(doc: SourceText, want: str) -> list[Place]:
    out = []
    for start in doc.occurrences(want):
        why = cited(doc, start, start + len(want))
        out.append(Place(start, start + len(want), want, why is not None, why))
    return out


def _bare(norm: str) -> tuple[str, list[int]]:
    """The text without brackets (a PDF moves a number's: 「[2020233]号」), and each character's offset in ``norm``."""
    index = [i for i, c in enumerate(norm) if c not in _BRACKETS]
    return "".join(norm[i] for i in index), index


def _line_start(doc: SourceText, offset: int) -> int:
    at = bisect.bisect_right(doc.line_starts, offset)
    return doc.line_starts[at - 1] if at else 0


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char == "〇"
