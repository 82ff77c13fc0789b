"""How a lookup key is normalised before it is compared with the registry's keys."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

__all__ = ["is_code_like", "normalise"]

# Categories removed outright: format characters (U+200B zero-width space, U+FEFF BOM, U+00AD soft
# hyphen, U+2060 word joiner), controls and line/paragraph separators.
_INVISIBLE = frozenset({"Cf", "Cc", "Zl", "Zp"})


def normalise(key: str, traditional: Mapping[str, str]) -> str:
    """NFKC, drop invisible characters and all whitespace, map traditional characters, lowercase.

    Punctuation is kept, so ``xi.hu`` or ``33-01-06`` can never equal a registry key.

    Parameters
    ----------
    key : str
        The text a caller passed.
    traditional : mapping of str to str
        Traditional → simplified characters.

    Returns
    -------
    str

    Examples
    --------
    >>> normalise("\\u200b西湖區 ", {"區": "区"})
    '西湖区'
    >>> normalise("Shangcheng  District", {})
    'shangchengdistrict'
    >>> normalise("３３０１０２", {})
    '330102'
    """
    text = unicodedata.normalize("NFKC", key)
    kept = (ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE)
    return "".join(traditional.get(ch, ch) for ch in kept).casefold()


def is_code_like(key: str) -> bool:
    """True when a normalised key has digits and nothing but digits and punctuation or symbols.

    Such a key is read as a code: it must then be exactly six ASCII digits, else it is an error.

    Examples
    --------
    >>> [is_code_like(k) for k in ("330106", "-330106", "330106.0", "杭州1", "xi.hu")]
    [True, True, True, False, False]
    """
    return any(ch.isdigit() for ch in key) and all(ch.isdigit() or not ch.isalnum() for ch in key)
