"""What a written result rests on: the documents behind the rows being written, and the stamp.

Read from the result's ``attrs`` (set by ``size_frame`` / ``size_parcels``), keyed by the
``rule_set`` column, so rows filtered out take their documents with them. A result whose attrs
pandas dropped (a merge or a concat) has no record, and says so (``None``), never an empty list.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["documents_present", "stamp_of"]


def documents_present(result: pd.DataFrame) -> list[dict[str, Any]] | None:
    """Each document behind the rule sets still in ``result``, with the number of rows it is behind.

    ``None`` when the result holds rule sets but no record of their documents.
    """
    by_rule_set = result.attrs.get("documents")
    present = result["rule_set"].astype(object).dropna().value_counts() if "rule_set" in result else pd.Series()
    if not len(present):
        return []
    if not isinstance(by_rule_set, dict) or not set(present.index) <= set(by_rule_set):
        return None
    docs: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rule_set, count in present.items():
        for doc in by_rule_set[rule_set]:
            key = (doc.get("label"), doc.get("title"), doc.get("grade"), doc.get("status"), doc.get("seen"))
            entry = docs.setdefault(key, {**doc, "rows": 0})
            entry["rows"] += int(count)
    return list(docs.values())


def stamp_of(result: pd.DataFrame) -> dict[str, Any] | None:
    """The library version and rule-data digest that produced ``result``; ``None`` if it was lost."""
    stamp = result.attrs.get("stamp")
    return dict(stamp) if isinstance(stamp, dict) else None
