"""Rendering: results as text, Markdown, HTML and JSON, the condition-letter clause (also in Word), the rules reference.

One formatter interface: :func:`to_format` renders any result in any format it has, and
:func:`formats` says which those are. Importing this package also registers the renderers with
:mod:`facility_sizing.results.hooks`, so that ``print(req)``, ``req.clause()``,
``review.to_markdown()`` and Jupyter's display find them. A new format is one function
registered here. The Word letter (``clause.docx``) is bytes, every other format text; a literal
format name gives its type to a type checker.

Examples
--------
>>> import facility_sizing as fs
>>> from facility_sizing.render import formats, to_format
>>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
>>> formats(req)
['clause', 'clause.docx', 'clause.json', 'clause.markdown', 'html', 'json', 'text']
>>> to_format(req, "clause").splitlines()[3][:25]
'（1）托育服务设施建筑面积不少于200.1平方米。'
>>> to_format(req, "clause.docx")[:2]  # a .docx is a zip file
b'PK'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal, overload

from ..errors import InputError
from ..results.comparison import Comparison
from ..results.hooks import register_renderer
from ..results.requirement import Requirement
from ..results.review import Review
from .clause import Clause, build_clause
from .compare import comparison_html, comparison_markdown, comparison_text, redline
from .docx import clause_docx, requirement_docx
from .html import requirement_html
from .letter import Template, builtin_template_path
from .review import review_html, review_markdown
from .text import explain, explain_quantity, explanations

__all__ = [
    "CLAUSE_FORMATS",
    "build_clause",
    "builtin_template_path",
    "clause_docx",
    "comparison_html",
    "comparison_markdown",
    "comparison_text",
    "explain",
    "explain_quantity",
    "formats",
    "redline",
    "requirement_docx",
    "requirement_html",
    "review_html",
    "review_markdown",
    "to_format",
]


def _clause(fmt: str) -> Callable[[Requirement, str], str]:
    return lambda req, lang: build_clause(req).render(lang, fmt)


def _json(obj: Requirement | Review | Clause | Comparison, _lang: str) -> str:
    return json.dumps(obj.to_dict(), ensure_ascii=False, indent=2)


#: The formats of ``req.clause(lang, fmt)``: text, Markdown, JSON, and a Word document (bytes).
CLAUSE_FORMATS = ("text", "markdown", "json", "docx")

#: The formats that are bytes (a file), not text.
BinaryFormat = Literal["clause.docx", "docx"]
#: The formats that are text.
TextFormat = Literal["text", "html", "json", "markdown", "clause", "clause.markdown", "clause.json"]

#: (result type, format) -> renderer(result, lang) -> str, or bytes for a binary format
_FORMATS: dict[tuple[type, str], Callable[[Any, str], str | bytes]] = {
    (Requirement, "text"): lambda req, _lang: explain(req),
    (Requirement, "html"): lambda req, _lang: requirement_html(req),
    (Requirement, "json"): _json,
    (Requirement, "clause"): _clause("text"),
    (Requirement, "clause.markdown"): _clause("markdown"),
    (Requirement, "clause.json"): _clause("json"),
    (Requirement, "clause.docx"): requirement_docx,
    (Review, "markdown"): review_markdown,
    (Review, "html"): review_html,
    (Review, "json"): _json,
    (Clause, "text"): lambda c, lang: c.render(lang, "text"),
    (Clause, "markdown"): lambda c, lang: c.render(lang, "markdown"),
    (Clause, "json"): _json,
    (Clause, "docx"): clause_docx,
    (Comparison, "text"): comparison_text,
    (Comparison, "markdown"): comparison_markdown,
    (Comparison, "html"): comparison_html,
    (Comparison, "json"): _json,
}


def formats(obj: object) -> list[str]:
    """The formats :func:`to_format` can render ``obj`` in."""
    return sorted(fmt for (kind, fmt) in _FORMATS if isinstance(obj, kind))


@overload
def to_format(obj: object, fmt: BinaryFormat, lang: str = "zh") -> bytes: ...
@overload
def to_format(obj: object, fmt: TextFormat = "text", lang: str = "zh") -> str: ...
@overload
def to_format(obj: object, fmt: str, lang: str = "zh") -> str | bytes: ...
def to_format(obj: object, fmt: str = "text", lang: str = "zh") -> str | bytes:
    """Render a result (a requirement, a review, a clause or a comparison) in ``fmt``, Chinese (``zh``) or English (``en``).

    Text for every format but the Word letter (``clause.docx`` of a requirement, ``docx`` of a
    clause), which is the bytes of a .docx file.

    Raises
    ------
    ValueError
        If the result has no such format; the message lists the ones it has.
    MissingDependencyError
        A Word letter without python-docx (the ``word`` extra).
    """
    for (kind, name), renderer in _FORMATS.items():
        if isinstance(obj, kind) and name == fmt:
            return renderer(obj, lang)
    raise ValueError(f"no format {fmt!r} for a {type(obj).__name__}; use one of: {', '.join(formats(obj))}")


def _requirement_clause(
    req: Requirement,
    lang: str = "zh",
    fmt: str = "text",
    round_area: str = "exact",
    template: Template | None = None,
    letter: Mapping[str, object] | None = None,
) -> str | bytes:
    """``req.clause(lang, fmt, round_area=..., template=..., letter=...)``: the clause as text, Markdown,
    JSON or a Word letter (from a template, with the letter's fields)."""
    if fmt not in CLAUSE_FORMATS:
        raise InputError("render.clause_format", field="fmt", value=fmt, formats=list(CLAUSE_FORMATS))
    if fmt == "docx":
        return requirement_docx(req, lang, round_area, template=template, letter=letter)
    return build_clause(req, round_area).render(lang, fmt)


register_renderer("requirement.text", explain)
register_renderer("requirement.explain_quantity", explain_quantity)
register_renderer("requirement.explanations", explanations)
register_renderer("requirement.html", requirement_html)
register_renderer("requirement.clause", _requirement_clause)
register_renderer("review.markdown", review_markdown)
register_renderer("review.html", review_html)
register_renderer("comparison.text", comparison_text)
register_renderer("comparison.markdown", comparison_markdown)
register_renderer("comparison.html", comparison_html)
