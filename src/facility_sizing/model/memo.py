"""A cache keyed by the identity of the objects a value is made from.

Rules, plans and their parts are frozen dataclasses hashed by their every field, which can take
longer than the text made from them; they are also made once per rule book and reused. So text
made from them (a rule's phrase, why a quantity has no figure) is cached by their identity. The
cache holds the objects themselves, so an identity it is keyed by is never reused while its entry
is kept; it is bounded, so a service that reloads its rules for years does not grow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ByIdentity"]

V = TypeVar("V")


class ByIdentity(Generic[V]):
    """``make(*objects)``, made once per identity of ``objects`` (at most ``size`` kept).

    Examples
    --------
    >>> calls = []
    >>> upper = ByIdentity(lambda s: calls.append(s) or s.upper())
    >>> word = "西湖 xihu"
    >>> upper(word), upper(word), len(calls)
    ('西湖 XIHU', '西湖 XIHU', 1)
    """

    def __init__(self, make: Callable[..., V], size: int = 4096) -> None:
        self.make = make
        self.size = size
        self._kept: dict[int | tuple[int, ...], tuple[V, tuple[object, ...]]] = {}

    def __call__(self, *objects: object) -> V:
        key = id(objects[0]) if len(objects) == 1 else tuple(map(id, objects))  # one object: its id (most calls)
        kept = self._kept.get(key)
        if kept is None:
            if len(self._kept) >= self.size:
                self._kept.clear()
            kept = self._kept[key] = (self.make(*objects), objects)
        return kept[0]
