"""Pieces every rule-data parser shares: code and topic patterns, figure bounds, references."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model.entities import Document
from .table import Table

__all__ = ["CODE", "MAX_FIGURE_TERM", "MAX_PARAM_TERM", "TOPIC", "document_ref", "new_id"]

# Rate figures are kept as exact fractions and multiplied in int64; bounding their numerator
# and denominator here (with the input bounds in engine/core.py) guarantees no int64 overflow.
MAX_FIGURE_TERM = 10_000
#: The extra numbers of a basis (households per band, people per unit) may be larger: they are
#: counts, multiplied by an input's denominator only (see model/bases.py).
MAX_PARAM_TERM = 100_000_000

TOPIC = re.compile(r"^[a-z][a-z0-9_]*$")
CODE = re.compile(r"^(CN|\d{6})$")


def document_ref(table: Table, documents: Mapping[str, Document]) -> Document:
    """The document a rule, target or duty names in its ``document`` field."""
    doc_id = table.text("document")
    if doc_id not in documents:
        raise table.error("document", "ruledata.unknown_document", value=doc_id)
    return documents[doc_id]


def new_id(table: Table, seen: set[str]) -> str:
    """The entry's ``id``, which must be new in its file."""
    rid = table.text("id")
    if rid in seen:
        raise table.error("id", "ruledata.duplicate_id", value=rid)
    seen.add(rid)
    return rid


def condition(table: Table) -> str | None:
    """A rule's condition as the document words it (Chinese only: its English is ``condition_en``)."""
    words = table.opt_text("condition")
    if words is not None and " — " in words:
        raise table.error("condition", "ruledata.condition_joined", value=words)
    return words
