"""A policy document's text as the rule check reads it: normalised for search, with its outline of clauses.

Extraction breaks a document in ways that are not differences of wording: lines and pages end
inside sentences, full- and half-width forms alternate (「（」 and 「(」, 「１５」 and 「15」), a PDF
puts spaces between CJK characters and digits, page numbers (「—5—」) land mid-sentence, and a
document number's brackets come out as 〔〕, [], 【】 or „‟ (or move: 「苏府办„2020 233‟ 号」).
:func:`normalise` folds all of these the same way on both sides, so that a quote matches its
document exactly when the wording is the same.

The outline is read from the headings at the start of a line — 「一、」, 「（一）」, 「1.」/「1、」,
「第一章」, 「第一条」, 「附件」/「附件1」 and, inside an annex, its numbered items (「7.」, a table
row 「| 7 |」) — each accepted only in sequence (「二、」 after 「一、」), so that a wrapped line
beginning with a number is not taken for a heading. A clause reference (「二(三)1」,
「附件1 第7项」, 「第十二条」) is the span from its heading to the next heading of its rank or
above.

Examples
--------
>>> doc = SourceText("一、总则\\n（一）范围。\\n1.新建居住区应按照每百户不少于 15 平方米\\n配建。\\n2.其他。\\n")
>>> doc.norm[:14]
'一、总则(一)范围。1.新建'
>>> doc.clause_at(doc.norm.index("每百户"))
'一(一)1'
>>> span = doc.span("一(一)1")
>>> doc.norm[span.start:span.end]
'1.新建居住区应按照每百户不少于15平方米配建。'
>>> doc.span("一(二)") is None
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["Heading", "SourceText", "Span", "normalise", "parse_clause", "split_quote"]

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN = "〇零一二三四五六七八九十百两"

#: Folds applied after NFKC: every quotation mark one way, every bracket of a document number one
#: way, every dash and wave one way. Table rules (「|」) and whitespace are dropped.
_FOLD = str.maketrans(
    {
        "“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'",
        "〔": "[", "〕": "]", "【": "[", "】": "]", "〖": "[", "〗": "]", "„": "[", "‟": "]",
        "—": "-", "–": "-", "―": "-", "‒": "-", "−": "-", "~": "-", "〜": "-",
        "・": "·", "•": "·",
    }
)  # fmt: skip
_DROPPED = frozenset("|\u200b\u200c\u200d\ufeff\u00ad")
#: A line that is only a page number: 「—5—」, 「- 5 -」, 「第5页」, 「第 5 页 共 9 页」.
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?)\s*$")
#: The marks a quote uses to leave words out.
_ELISION = re.compile(r"…+|\.{3,}")

_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第([{_CN}]+)章")),
    ("article", re.compile(rf"^第([{_CN}]+)条")),
    ("l1", re.compile(rf"^([{_CN}]+)、")),
    ("l2", re.compile(rf"^\(([{_CN}]+)\)")),
    ("l3", re.compile(r"^(\d{1,2})[.、](?![\d])")),
)
_ANNEX = re.compile(r"^附件(?:(\d+)(?![:\d.、])|$)")
_ROW = re.compile(r"^\s*\|\s*(\d{1,3})\s*\|")
#: A table row as a PDF gives it: the row's number, a space, its first cell — not a count of something
#: (「3 岁以下…」 wrapped onto a line of its own is no row 3).
_BARE = re.compile(r"^\s*(\d{1,3})(?:\s*$|\s+(?!岁|年|月|日|个|万|千|%|％|平方|人|户|家|名|分钟|层|楼|米|处))")
#: The rank of each kind of heading: a span ends at the next heading of its rank or above.
RANKS = {"chapter": 0, "l1": 1, "article": 2, "l2": 2, "l3": 3, "row": 3}
_DATE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日")
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def cn_number(text: str) -> int:
    """A number written in Chinese numerals (「十二」 12, 「二十」 20, 「三」 3), or of digits.

    Examples
    --------
    >>> cn_number("十二"), cn_number("二十三"), cn_number("七"), cn_number("15")
    (12, 23, 7, 15)
    """
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char == "百":
            total, current = total + (current or 1) * 100, 0
        elif char == "十":
            total, current = total + (current or 1) * 10, 0
        else:
            current = current * 10 + _CN_DIGITS[char]
    return total + current


def normalise(text: str) -> str:
    """Text as the check compares it: NFKC, no whitespace or table rules, one form of quote, bracket and dash.

    Examples
    --------
    >>> normalise("苏府办„2020‟233 号（一） 每百户 不少于１５平方米")
    '苏府办[2020]233号(一)每百户不少于15平方米'
    """
    return "".join(_fold(char) for char in text)


def _fold(char: str) -> str:
    if char.isspace() or char in _DROPPED:
        return ""
    return "".join(c for c in unicodedata.normalize("NFKC", char).translate(_FOLD) if not c.isspace())


def split_quote(quote: str) -> list[str]:
    """The parts of a quote that leaves words out (「……」), each normalised.

    Examples
    --------
    >>> split_quote("通过购置、置换、租赁等方式……集中配置")
    ['通过购置、置换、租赁等方式', '集中配置']
    """
    return [p for p in (normalise(part) for part in _ELISION.split(quote)) if p]


def bare_number(text: str) -> str:
    """A document number without brackets and spaces, as the check compares it (a PDF moves its brackets).

    Examples
    --------
    >>> bare_number("西政办函〔2021〕15号") == bare_number("西政办函[2021]15 号") == bare_number("苏府办„2020 233‟ 号"[:0] + "西政办函„2021‟15号")
    True
    """
    return re.sub(r"[\[\]()<>〈〉《》]", "", normalise(text))


@dataclass(frozen=True)
class Heading:
    """A heading of the outline: its kind (``l1`` 「二、」, ``l2`` 「（三）」, ``l3`` 「1.」 …), number and place."""

    kind: str
    number: int
    start: int  # offset in the normalised text
    tree: int  # 0 the body, k the k-th annex


@dataclass(frozen=True)
class Span:
    """The normalised text from ``start`` to ``end``: one clause."""

    start: int
    end: int


def parse_clause(ref: str) -> tuple[str | None, list[tuple[str, int]]] | None:
    """A clause reference as (the annex, or None for the body; its path of (kind, number)); None if unreadable.

    Examples
    --------
    >>> parse_clause("二(三)1")
    (None, [('l1', 2), ('l2', 3), ('l3', 1)])
    >>> parse_clause("附件1 第7项"), parse_clause("附件第7项"), parse_clause("第十二条")
    (('1', [('item', 7)]), ('', [('item', 7)]), (None, [('article', 12)]))
    >>> parse_clause("第二部分") is None
    True
    """
    text = normalise(ref)
    annex = None
    found = re.match(r"附件(\d*)", text)
    if found:
        annex, text = found.group(1), text[found.end() :]
    tokens = (
        ("chapter", rf"第([{_CN}]+)章"),
        ("article", rf"第([{_CN}]+)条"),
        ("item", r"第(\d+)项"),
        ("l1", rf"([{_CN}]+)(?![章条])"),
        ("l2", rf"\(([{_CN}]+)\)"),
        ("l3", r"(\d+)"),
    )
    path: list[tuple[str, int]] = []
    while text:
        for kind, pattern in tokens:
            token = re.match(pattern, text)
            if token and (kind != "l1" or not path):
                path.append((kind, cn_number(token.group(1))))
                text = text[token.end() :]
                break
        else:
            return None
    return (annex, path) if path else None


class SourceText:
    """One document's text: normalised (:attr:`norm`), with its outline and its stated dates.

    Parameters
    ----------
    text : str
        The text as extracted (a .txt file's, or what :mod:`facility_sizing.io.documents` read).
    name : str
        What to call the copy in a report (its file name).
    digest : str, optional
        The SHA-256 of the copy's bytes; of ``text`` when left out.
    """

    def __init__(self, text: str, name: str = "", digest: str | None = None) -> None:
        self.name = name
        self.sha256 = digest or hashlib.sha256(text.encode("utf-8")).hexdigest()
        pieces: list[str] = []
        starts: list[tuple[int, str, str]] = []  # (offset in norm, the line, the line normalised)
        length = 0
        #: where each page after the first starts in :attr:`norm` (a PDF's pages are apart by form feeds)
        self.breaks: list[int] = []
        for page, words in enumerate(text.split("\f")):
            if page:
                self.breaks.append(length)
            for line in words.splitlines():
                if _PAGE_NUMBER.match(line):
                    continue
                folded = normalise(line)
                starts.append((length, line, folded))
                pieces.append(folded)
                length += len(folded)
        self.norm = "".join(pieces)
        #: where each line of the copy starts in :attr:`norm` (a document number is read from its line's start)
        self.line_starts: tuple[int, ...] = tuple(start for start, _, _ in starts)
        self.headings, self._trees = _outline(starts, length)
        self._bigrams: dict[str, list[int]] | None = None

    # -- finding words -----------------------------------------------------------------

    def occurrences(self, part: str) -> list[int]:
        """Every offset where the normalised ``part`` occurs."""
        return [m.start() for m in re.finditer(re.escape(part), self.norm)] if part else []

    def across_pages(self, part: str, reach: int = 80) -> tuple[int, str] | None:
        """Where ``part`` runs across a page break with other words between (a table row split over two
        pages: the next column's cell, a running header): (its start, the words between), the fewest first.

        Examples
        --------
        >>> doc = SourceText("10 积极争取各类省级示范。全 区卫生健康局\f力建设省级示范托育机构4家以上")
        >>> doc.occurrences("全力建设"), doc.across_pages("全力建设")
        ([], (13, '区卫生健康局'))
        """
        best: tuple[int, int, str] | None = None
        for b in self.breaks:
            lo, hi = max(0, b - reach), min(len(self.norm), b + reach)
            for k in range(1, len(part)):
                head, tail = part[:k], part[k:]
                i = self.norm.rfind(head, lo, b)
                j = self.norm.find(tail, b, hi) if i >= 0 else -1
                if j >= 0 and (best is None or j - i - k < best[0]):
                    best = (j - i - k, i, self.norm[i + k : j])
        return None if best is None else (best[1], best[2])

    def nearest(self, part: str) -> tuple[int, int] | None:
        """The passage most like ``part`` (start, end in :attr:`norm`), for a quote that is not found."""
        if self._bigrams is None:
            index: dict[str, list[int]] = defaultdict(list)
            for i in range(len(self.norm) - 1):
                index[self.norm[i : i + 2]].append(i)
            self._bigrams = index
        votes: Counter[int] = Counter()
        for i in range(len(part) - 1):
            for p in self._bigrams.get(part[i : i + 2], ()):
                votes[p - i] += 1
        best: tuple[float, int, int] | None = None
        for start, _ in votes.most_common(5):
            lo, hi = max(0, start - 8), min(len(self.norm), start + len(part) + 8)
            blocks = [b for b in SequenceMatcher(None, part, self.norm[lo:hi], autojunk=False).get_matching_blocks()
                      if b.size]  # fmt: skip
            if not blocks:
                continue
            a, b = lo + blocks[0].b, lo + blocks[-1].b + blocks[-1].size
            ratio = SequenceMatcher(None, part, self.norm[a:b], autojunk=False).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, a, b)
        return None if best is None else (best[1], best[2])

    def dates(self) -> list[tuple[dt.date, int, int]]:
        """Every date the text writes (「2021年9月20日」, 「二〇二〇年九月四日」): (day, start, end)."""
        found = []
        for pattern, read in ((_DATE, int), (_CN_DATE, _cn_year_part)):
            for m in pattern.finditer(self.norm):
                try:
                    day = dt.date(read(m.group(1)), read(m.group(2)), read(m.group(3)))
                except ValueError:
                    continue
                found.append((day, m.start(), m.end()))
        return sorted(found, key=lambda d: d[1])

    # -- the outline ---------------------------------------------------------------------

    def span(self, ref: str) -> Span | None:
        """The text of clause ``ref`` (「二(三)1」, 「附件第7项」), or None where the outline has no such clause."""
        parsed = parse_clause(ref)
        if parsed is None:
            return None
        annex, path = parsed
        tree = self._tree_of(annex)
        if tree is None:
            return None
        lo, hi = self._trees[tree]
        rank = -1
        for kind, number in path:
            kinds = ("l3", "row") if kind == "item" else (kind,)
            found = next(
                (h for h in self.headings
                 if h.tree == tree and lo <= h.start < hi and h.kind in kinds and h.number == number
                 and RANKS[h.kind] > rank),
                None,
            )  # fmt: skip
            if found is None:
                return None
            rank = RANKS[found.kind]
            lo, hi = found.start, self._end(found, hi)
        return Span(lo, hi)

    def clause_at(self, offset: int) -> str:
        """The clause reference of the text at ``offset`` (「二(三)1」, 「附件1 第7项」; 「」 before any heading)."""
        tree = next((t for t, (lo, hi) in self._trees.items() if lo <= offset < hi), 0)
        path: list[Heading] = []
        for h in self.headings:
            if h.tree != tree or h.start > offset or h.kind == "annex":
                continue
            while path and RANKS[path[-1].kind] >= RANKS[h.kind]:
                path.pop()
            path.append(h)
        words = "".join(_ref_word(h) for h in path)
        if tree == 0:
            return words
        annex = self._annex_numbers[tree]
        items = [h for h in path if h.kind in ("l3", "row")]
        return f"附件{annex} 第{items[-1].number}项" if items else f"附件{annex}"

    @property
    def _annex_numbers(self) -> dict[int, str]:
        return {tree: number for tree, (number, _) in self._annexes.items()}

    @property
    def _annexes(self) -> dict[int, tuple[str, int]]:
        return {t: (str(h.number) if h.number else "", h.start) for t, h in enumerate(self._annex_heads, start=1)}

    @property
    def _annex_heads(self) -> list[Heading]:
        return [h for h in self.headings if h.kind == "annex"]

    def _tree_of(self, annex: str | None) -> int | None:
        if annex is None:
            return 0
        numbers = self._annex_numbers
        exact = [t for t, n in numbers.items() if n == annex or (annex == "" and len(numbers) == 1)]
        return exact[0] if exact else None

    def _end(self, heading: Heading, limit: int) -> int:
        later = (h.start for h in self.headings
                 if h.tree == heading.tree and h.kind != "annex" and heading.start < h.start < limit
                 and RANKS[h.kind] <= RANKS[heading.kind])  # fmt: skip
        return min(later, default=limit)


def _cn_year_part(text: str) -> int:
    if len(text) == 4:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    return cn_number(text)


def _ref_word(h: Heading) -> str:
    numerals = "〇一二三四五六七八九"
    cn = _to_cn(h.number, numerals)
    return {"chapter": f"第{cn}章", "article": f"第{cn}条", "l1": cn, "l2": f"({cn})"}.get(h.kind, str(h.number))


def _to_cn(n: int, numerals: str) -> str:
    if n < 10:
        return numerals[n]
    tens, ones = divmod(n, 10)
    return f"{numerals[tens] if tens > 1 else ''}十{numerals[ones] if ones else ''}"


def _outline(lines: list[tuple[int, str, str]], length: int) -> tuple[tuple[Heading, ...], dict[int, tuple[int, int]]]:
    """The headings of a text's lines (each accepted only in sequence), and each tree's span."""
    headings: list[Heading] = []
    last: dict[tuple[int, str], int] = {}  # (tree, kind) -> the last number accepted
    tree = 0
    for start, raw, line in lines:
        annex = _ANNEX.match(line)
        if annex and (not annex.group(1) or int(annex.group(1)) == last.get((-1, "annex"), 0) + 1):
            tree += 1
            number = int(annex.group(1) or 0)
            last = {(-1, "annex"): number}
            headings.append(Heading("annex", number, start, tree))
            continue
        kind, number = _heading(raw, line, tree)
        if kind is None or number != last.get((tree, kind), 0) + 1:
            continue
        for lower, rank in RANKS.items():  # a heading restarts the numbering of every rank below it
            if rank > RANKS[kind] and lower != "article":  # articles count on through the chapters
                last.pop((tree, lower), None)
        last[(tree, kind)] = number
        headings.append(Heading(kind, number, start, tree))
    annexes = [h.start for h in headings if h.kind == "annex"] + [length]
    trees = {0: (0, annexes[0])}
    for t in range(1, len(annexes)):
        trees[t] = (annexes[t - 1], annexes[t])
    return tuple(headings), trees


def _heading(raw: str, line: str, tree: int) -> tuple[str | None, int]:
    for kind, pattern in _HEADINGS:
        found = pattern.match(line)
        if found:
            return kind, cn_number(found.group(1))
    if tree:  # an annex's items: a table row (「| 7 |」), or a cell of one on a line of its own (a PDF's)
        found = _ROW.match(raw) or _BARE.match(raw)
        if found:
            return "row", int(found.group(1))
    return None, 0
