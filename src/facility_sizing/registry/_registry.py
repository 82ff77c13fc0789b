"""The :class:`Registry`: exact lookup of divisions by code, name, name with ancestors, pinyin or English."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from itertools import product
from pathlib import Path
from typing import NamedTuple

from facility_sizing.errors import UnknownJurisdictionError
from facility_sizing.messages import Message

from ._errors import AmbiguousJurisdictionError, MalformedCodeError
from ._load import Place, data_dir, read_places, read_traditional
from ._normalise import is_code_like, normalise

__all__ = ["Registry"]


class _Named(NamedTuple):
    """A place as each language names it in a message (rendered in the message's language)."""

    zh: str
    en: str


def _english_keys(name_en: str) -> set[str]:
    base = name_en.casefold().replace(" ", "")
    return {base, base.replace("ü", "u"), base.replace("ü", "v")}


class Registry:
    """All provinces, prefecture-level cities and county-level units, with exact lookup.

    Parameters
    ----------
    path : path-like, optional
        A ``divisions.csv``; the checked-in one by default. ``traditional.csv`` is read from the
        same folder.

    Examples
    --------
    >>> reg = Registry()
    >>> reg.lookup("杭州市上城区").code
    '330102'
    >>> [p.name for p in reg.chain("330102")]
    ['上城区', '杭州市', '浙江省']
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "divisions.csv"
        self.places: dict[str, Place] = read_places(self.path)
        self.traditional: dict[str, str] = read_traditional(self.path.parent / "traditional.csv")
        self._kids: dict[str, list[str]] = {}
        for code, place in self.places.items():
            if place.parent:
                self._kids.setdefault(place.parent, []).append(code)
        self._index: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None
        # fuzzy suggestions cost a fraction of a second: a name misspelt in every chunk of a batch is scored once
        self._suggested: dict[tuple[str, int], list[str]] = {}

    # -- keys -------------------------------------------------------------------------

    def _keys(self, place: Place) -> tuple[set[str], set[str]]:
        """(full-name keys, short-name keys) of one place, with every choice of named ancestors."""
        ancestors = self.chain(place.code)[1:][::-1]  # province first
        subsets = [
            [a for a, keep in zip(ancestors, mask, strict=True) if keep]
            for mask in product((0, 1), repeat=len(ancestors))
        ]
        full: set[str] = {place.code, *_english_keys(place.name_en)}
        short: set[str] = set()
        for subset in subsets:
            for prefix in product(*[(a.name, a.short) for a in subset]):
                full.add("".join(prefix) + place.name)
                short.add("".join(prefix) + place.short)
            for prefix in product(*[(a.pinyin_full, a.pinyin) for a in subset]):
                full.add("".join(prefix) + place.pinyin_full)
                short.add("".join(prefix) + place.pinyin)
        return {normalise(k, {}) for k in full}, {normalise(k, {}) for k in short} - full

    def _built(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        if self._index is None:
            full: dict[str, set[str]] = {}
            short: dict[str, set[str]] = {}
            for place in self.places.values():
                keys_full, keys_short = self._keys(place)
                for key in keys_full:
                    full.setdefault(key, set()).add(place.code)
                for key in keys_short:
                    short.setdefault(key, set()).add(place.code)
            self._index = (full, short)
        return self._index

    # -- lookup -----------------------------------------------------------------------

    def lookup(self, key: object) -> Place:
        """The one division a key names exactly.

        The key may be a 6-digit code, the full or short name, the name prefixed by its city and/or
        province (full or short: 杭州市上城区, 浙江杭州上城), pinyin of any of those (shangchengqu,
        hangzhoushangcheng) or the English name (Shangcheng District), case-insensitively. The key is
        normalised first: NFKC, invisible characters and whitespace removed, traditional characters
        mapped to simplified. A current division wins over an abolished one (沙县 is 沙县区 350405,
        not the abolished 沙县 350427; 江干区 still finds the abolished 330104), then a full-name match
        over a short-name one.

        Raises
        ------
        MalformedCodeError
            Digits with punctuation that are not exactly 6 digits (``-330106``, ``330106.0``).
        AmbiguousJurisdictionError
            Several divisions carry the name; the message lists all with their parents.
        UnknownJurisdictionError
            Nothing matches; the message suggests names from the registry.

        Examples
        --------
        >>> reg = Registry()
        >>> reg.lookup("浙江杭州上城").name, reg.lookup("Shangcheng District").code
        ('上城区', '330102')
        >>> reg.lookup("330103").abolished, reg.lookup("330103").replaced_by
        (True, ('330105',))
        """
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise MalformedCodeError(key) if isinstance(key, float) else UnknownJurisdictionError(key, ())
        text = normalise(str(key), self.traditional)
        if is_code_like(text):
            if len(text) != 6 or not text.isascii() or text not in self.places:
                if len(text) == 6 and text.isascii() and text.isdigit():
                    raise UnknownJurisdictionError(key, self._near_codes(text))
                raise MalformedCodeError(key)
            return self.places[text]
        tiers = [sorted(tier.get(text, ())) for tier in self._built()]
        for abolished, codes in product((False, True), tiers):
            found = [c for c in codes if self.places[c].abolished == abolished]
            if len(found) == 1:
                return self.places[found[0]]
            if found:
                raise AmbiguousJurisdictionError(key, [self.label(c) for c in found], self._example(found))
        raise UnknownJurisdictionError(key, self.suggest(text))

    def label(self, code: str) -> str:
        """A place with its parents and code, e.g. ``鼓楼区（福建省福州市，350102）``."""
        place, *ancestors = self.chain(code)
        parents = "".join(a.name for a in reversed(ancestors))
        return f"{place.name}（{parents + '，' if parents else ''}{code}）"

    def _example(self, codes: list[str]) -> str:
        place = self.places[codes[0]]
        parent = self.places[place.parent] if place.parent else None
        return f"{parent.name}{place.name}" if parent else place.code

    # -- suggestions --------------------------------------------------------------------

    def _near_codes(self, code: str, n: int = 5) -> list[str]:
        for width in (4, 2):
            near = [c for c in self.places if c[:width] == code[:width] and not self.places[c].abolished]
            if near:
                near.sort(key=lambda c: (abs(int(c) - int(code)), c))
                return [self.label(c) for c in near[:n]]
        return []

    def _scope(self, text: str) -> tuple[str | None, str]:
        """The province or city a key starts with (longest match) and the rest of the key."""
        full, short = self._built()
        for end in range(len(text) - 1, 0, -1):
            codes = {c for c in full.get(text[:end], set()) | short.get(text[:end], set())}
            codes = {c for c in codes if self.places[c].level != "county" and not self.places[c].abolished}
            if len(codes) == 1:
                return codes.pop(), text[end:]
        return None, text

    def suggest(self, key: str, n: int = 5) -> list[str]:
        """Registry names close to ``key``, labelled with parents and code.

        When the key starts with a known province or city, suggestions come from inside it first
        (same city, then same province), and a division elsewhere that carries exactly the rest of
        the key is never suggested.

        Examples
        --------
        >>> Registry().suggest("杭州市西湖")[0]
        '西湖区（浙江省杭州市，330106）'
        """
        text = normalise(key, self.traditional)
        if (text, n) not in self._suggested:
            if len(self._suggested) >= 1024:  # a long-running service sees endless misspellings: keep the cache small
                self._suggested.clear()
            self._suggested[(text, n)] = self._suggest(text, n)
        return list(self._suggested[(text, n)])

    def _suggest(self, text: str, n: int) -> list[str]:
        scope, rest = self._scope(text)
        if scope is None:
            return self._closest(text, self.places.values(), n, 0.6)
        place = self.places[scope]
        inside = [p for p in self.under(scope) if not p.abolished]
        out = self._closest(rest, inside, n, 0.0)
        if place.level == "city" and place.parent and len(out) < n:
            exact = {p.code for p in self.places.values() if rest in (normalise(p.name, {}), normalise(p.short, {}))}
            province = [p for p in self.under(place.parent) if p.code not in exact and p.parent != scope]
            out += [s for s in self._closest(rest, province, n, 0.5) if s not in out]
        return out[:n]

    def _closest(self, text: str, places: Iterable[Place], n: int, cutoff: float) -> list[str]:
        scored: list[tuple[float, str]] = []
        for place in places:
            keys = (place.name, place.short, place.pinyin, place.pinyin_full, place.name_en.casefold().replace(" ", ""))
            best = max(difflib.SequenceMatcher(None, text, k).ratio() for k in keys)
            if best >= cutoff:
                scored.append((-best, place.code))
        return [self.label(code) for _, code in sorted(scored)[:n]]

    # -- hierarchy ----------------------------------------------------------------------

    def chain(self, code: str) -> list[Place]:
        """The place and its ancestors, nearest first (county → city → province)."""
        out = [self.lookup(code) if code not in self.places else self.places[code]]
        while out[-1].parent:
            out.append(self.places[out[-1].parent])
        return out

    def children(self, code: str) -> list[Place]:
        """The direct children of a code, by code."""
        return [self.places[c] for c in sorted(self._kids.get(self.lookup(code).code, []))]

    def under(self, code_or_name: object) -> list[Place]:
        """Every descendant of a province or city, by code (abolished and statistical units included)."""
        root = self.lookup(code_or_name).code
        out: list[str] = []
        stack = [root]
        while stack:
            kids = self._kids.get(stack.pop(), [])
            out += kids
            stack += kids
        return [self.places[c] for c in sorted(out)]

    def counts(self, level: str = "county", *, current_only: bool = False) -> dict[str, int]:
        """Number of places of ``level`` per province code.

        Examples
        --------
        >>> Registry().counts()["330000"] >= 90
        True
        """
        counter = Counter(
            c[:2] + "0000" for c, p in self.places.items() if p.level == level and not (current_only and p.abolished)
        )
        return dict(sorted(counter.items()))

    def status(self, key: object) -> Message:
        """A division's status, not yet worded: current, statistical, or abolished and replaced.

        Examples
        --------
        >>> print(Registry().status("330103").text("en"))  # doctest: +ELLIPSIS
        330103 Xiacheng District is abolished, last listed in mca2020; replaced by 330105 (source: ...)
        """
        place = self.lookup(key)
        named: dict[str, object] = {"place": _Named(self.label(place.code), f"{place.code} {place.name_en}")}
        if not place.abolished:
            kind = "registry.status_statistical" if place.kind == "statistical" else "registry.status_current"
            return Message(kind, {**named, "editions": place.editions})
        named["last"] = place.last_edition
        if place.replaced_by is None:
            return Message("registry.status_replacement_unknown", named)
        replaced = [_Named(self.label(c), c) for c in place.replaced_by]
        return Message("registry.status_replaced", {**named, "replaced": replaced, "source": place.replaced_source})

    def describe(self, key: object) -> str:
        """A bilingual sentence on a division's status (:meth:`status` in Chinese, then English).

        Examples
        --------
        >>> print(Registry().describe("330103"))  # doctest: +ELLIPSIS
        下城区（浙江省杭州市，330103）已撤销，最后见于 mca2020；由 拱墅区（浙江省杭州市，330105） 取代...
        """
        return str(self.status(key))
