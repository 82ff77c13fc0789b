"""Search over every place in China for the web page's jurisdiction box (``GET /jurisdictions?q=``)."""

from __future__ import annotations

from typing import Any

from ..registry import Place, default_registry, normalise
from ..ruledata import RuleBook

__all__ = ["search"]


def _keys(place: Place) -> tuple[str, ...]:
    return (
        place.code,
        normalise(place.name, {}),
        normalise(place.short, {}),
        place.pinyin,
        place.pinyin_full,
        place.name_en.casefold().replace(" ", ""),
    )


def _rank(text: str, keys: tuple[str, ...]) -> int | None:
    """0 for an exact match of a name, pinyin or code, 1 for a prefix, 2 for a part; None for no match."""
    if text in keys:
        return 0
    if any(k.startswith(text) for k in keys):
        return 1
    if any(text in k for k in keys):
        return 2
    return None


def search(book: RuleBook, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """The places whose name, short name, pinyin, English name or code match ``q``, best first.

    Exact matches come first, then prefixes, then any part; within each, places with rules of their
    own, then current before abolished, then by code. Each result is labelled with its parents.

    Examples
    --------
    >>> from facility_sizing.ruledata import default_rulebook
    >>> [(r["name"], r["has_rules"]) for r in search(default_rulebook(), "西湖")][:2]
    [('西湖区', True), ('西湖区', False)]
    >>> search(default_rulebook(), "xihu")[0]["label"]
    '西湖区（浙江省杭州市，330106）'
    """
    registry = default_registry()
    text = normalise(q, registry.traditional).casefold()
    if not text:
        return []
    scored: list[tuple[tuple[int, bool, bool, str], dict[str, Any]]] = []
    for place in registry.places.values():
        rank = _rank(text, _keys(place))
        if rank is None:
            continue
        has_rules = place.code in book.rules
        row = {
            "code": place.code,
            "name": place.name,
            "name_en": place.name_en,
            "level": place.level,
            "label": registry.label(place.code),
            "has_rules": has_rules,
            "abolished": place.abolished,
        }
        scored.append(((rank, not has_rules, place.abolished, place.code), row))
    for code, div in book.divisions.items():  # a rule file's own division that the registry does not list
        if code in registry.places or code == "CN":
            continue
        rank = _rank(text, (code, normalise(div.name, {}), div.name_en.casefold().replace(" ", "")))
        if rank is not None:
            row = {"code": code, "name": div.name, "name_en": div.name_en, "level": div.level,
                   "label": f"{div.name}（{code}）", "has_rules": code in book.rules, "abolished": False}  # fmt: skip
            scored.append(((rank, code not in book.rules, False, code), row))
    scored.sort(key=lambda pair: pair[0])
    return [row for _, row in scored[: max(0, limit)]]
