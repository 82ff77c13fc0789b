"""A place's standing in the rule book, said from its own documents' status and grade.

Whether a place's rules apply by default is not a property of the place: it follows from each of
its documents — an official copy or a full-text copy of a document in force applies by default; a
document known by report only applies only when the caller opts in (``include_reported``); a
consultation draft only when the caller opts in (``include_drafts``), a reported draft only with
both; an unverified copy never (:meth:`~facility_sizing.model.entities.Document.grade_admitted`,
``engine/plan.py``). The sentence is built from those facts, so a place whose only rules are
reported is never listed as in force.

Examples
--------
>>> from facility_sizing.ruledata import default_rulebook
>>> book = default_rulebook()
>>> standing(book.documents["330106"]).text("zh")
'现行有效（官方文本），默认采用'
>>> standing(book.documents["330100"]).text("en", "cli")
'only reported rules (the text not seen), applied only when opted into (--include-reported)'
>>> standing([]).text("zh")
'本级无规则文件'
"""

from __future__ import annotations

from collections.abc import Sequence

from ..messages import Message
from ..model.entities import Document
from ..model.vocabulary import DEFAULT_GRADES, GRADES

__all__ = ["standing"]


def _part(doc: Document) -> Message:
    """What one document's status and grade make of it: applied by default, on an opt-in, or never."""
    if doc.grade not in DEFAULT_GRADES and not doc.is_reported:
        return Message("standing.never", {"grade": GRADES[doc.grade]})
    if doc.is_draft:
        return Message("standing.draft_reported" if doc.is_reported else "standing.draft")
    if doc.is_reported:
        return Message("standing.reported")
    return Message("standing.in_force", {"grade": GRADES[doc.grade]})


def standing(documents: Sequence[Document]) -> Message:
    """A place's standing, from its own rule documents (those of its rule file), one clause per kind.

    Parameters
    ----------
    documents : sequence of Document
        The place's own documents (``RuleBook.documents[code]``); empty for a place without a rule file.

    Returns
    -------
    Message
        「现行有效（官方文本），默认采用」 where a document applies by default, else 「只有…」 naming
        the opt-in each kind needs; 「本级无规则文件」 for none.
    """
    if not documents:
        return Message("standing.none")
    parts: list[Message] = []
    for part in map(_part, documents):
        if part not in parts:  # two reported documents are one clause
            parts.append(part)
    if any(p.key == "standing.in_force" for p in parts):
        return Message("standing.with", {"parts": parts})
    return Message("standing.only", {"parts": parts})
