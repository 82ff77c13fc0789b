"""The registry of Chinese administrative divisions (GB/T 2260 with NBS statistical units).

Data only: the registry is read from the checked-in ``data/registry/divisions.csv`` (built by
``scripts/build_divisions.py``) on first use and cached; nothing is computed from names at import
and nothing goes to the network. See docs/divisions.md.

Examples
--------
>>> from facility_sizing.registry import lookup, chain
>>> lookup("shangchengqu").code
'330102'
>>> [p.code for p in chain("330102")]
['330102', '330100', '330000']
"""

from __future__ import annotations

from functools import lru_cache

from ._errors import AbolishedJurisdictionError, AmbiguousJurisdictionError, MalformedCodeError
from ._load import COLUMNS, Place
from ._normalise import is_code_like, normalise
from ._registry import Registry

__all__ = [
    "COLUMNS",
    "AbolishedJurisdictionError",
    "AmbiguousJurisdictionError",
    "MalformedCodeError",
    "Place",
    "Registry",
    "chain",
    "children",
    "counts",
    "default_registry",
    "is_code_like",
    "lookup",
    "normalise",
    "under",
]


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry of the checked-in data, loaded on first use and cached."""
    return Registry()


def lookup(key: object) -> Place:
    """Find one division exactly; see :meth:`Registry.lookup`.

    Examples
    --------
    >>> lookup("柯橋區").name
    '柯桥区'
    """
    return default_registry().lookup(key)


def chain(code: str) -> list[Place]:
    """The place and its ancestors, nearest first; see :meth:`Registry.chain`."""
    return default_registry().chain(code)


def children(code: str) -> list[Place]:
    """The direct children of a division.

    Examples
    --------
    >>> len(children("330100")) >= 13
    True
    """
    return default_registry().children(code)


def under(code_or_name: object) -> list[Place]:
    """Every descendant of a division; see :meth:`Registry.under`."""
    return default_registry().under(code_or_name)


def counts(level: str = "county", *, current_only: bool = False) -> dict[str, int]:
    """Places of a level per province code; see :meth:`Registry.counts`."""
    return default_registry().counts(level, current_only=current_only)
