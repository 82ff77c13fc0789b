"""Rendering: results as text, Markdown, HTML and JSON, the condition-letter clause, the rules reference.

One formatter interface: :func:`to_format` renders any result in any format it has, and
:func:`formats` says which those are. Importing this package also registers the renderers with
:mod:`facility_sizing.results.hooks`, so that ``print(req)``, ``req.clause()``,
``review.to_markdown()`` and Jupyter's display find them. A new format (docx, say) is one
function registered here.

Examples
--------
>>> import facility_sizing as fs
>>> from facility_sizing.render import formats, to_format
>>> req = fs.size(jurisdiction="西湖区", households=1334, area_type="new_build", on="2025-01-01")
>>> formats(req)
['clause', 'clause.json', 'clause.markdown', 'html', 'json', 'text']
>>> to_format(req, "clause").splitlines()[3][:23]
'（1）托育服务设施建筑面积不少于201平方米。'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..results.comparison import Comparison
from ..results.hooks import register_renderer
from ..results.requirement import Requirement
from ..results.review import Review
from .clause import Clause, build_clause
from .compare import comparison_html, comparison_markdown, comparison_text, redline
from .html import requirement_html
from .review import review_html, review_markdown
from .text import explain, explain_quantity

__all__ = [
    "build_clause",
    "comparison_html",
    "comparison_markdown",
    "comparison_text",
    "explain",
    "explain_quantity",
    "formats",
    "redline",
    "requirement_html",
    "review_html",
    "review_markdown",
    "to_format",
]


def _clause(fmt: str) -> Callable[[Requirement, str], str]:
    return lambda req, lang: build_clause(req).render(lang, fmt)


def _json(obj: Requirement | Review | Clause | Comparison, _lang: str) -> str:
    return json.dumps(obj.to_dict(), ensure_ascii=False, indent=2)


#: (result type, format) -> renderer(result, lang) -> str
_FORMATS: dict[tuple[type, str], Callable[[Any, str], str]] = {
    (Requirement, "text"): lambda req, _lang: explain(req),
    (Requirement, "html"): lambda req, _lang: requirement_html(req),
    (Requirement, "json"): _json,
    (Requirement, "clause"): _clause("text"),
    (Requirement, "clause.markdown"): _clause("markdown"),
    (Requirement, "clause.json"): _clause("json"),
    (Review, "markdown"): review_markdown,
    (Review, "html"): review_html,
    (Review, "json"): _json,
    (Clause, "text"): lambda c, lang: c.render(lang, "text"),
    (Clause, "markdown"): lambda c, lang: c.render(lang, "markdown"),
    (Clause, "json"): _json,
    (Comparison, "text"): comparison_text,
    (Comparison, "markdown"): comparison_markdown,
    (Comparison, "html"): comparison_html,
    (Comparison, "json"): _json,
}


def formats(obj: object) -> list[str]:
    """The formats :func:`to_format` can render ``obj`` in."""
    return sorted(fmt for (kind, fmt) in _FORMATS if isinstance(obj, kind))


def to_format(obj: object, fmt: str = "text", lang: str = "zh") -> str:
    """Render a result (a requirement, a review, a clause or a comparison) in ``fmt``, Chinese (``zh``) or English (``en``).

    Raises
    ------
    ValueError
        If the result has no such format; the message lists the ones it has.
    """
    for (kind, name), renderer in _FORMATS.items():
        if isinstance(obj, kind) and name == fmt:
            return renderer(obj, lang)
    raise ValueError(f"no format {fmt!r} for a {type(obj).__name__}; use one of: {', '.join(formats(obj))}")


register_renderer("requirement.text", explain)
register_renderer("requirement.explain_quantity", explain_quantity)
register_renderer("requirement.html", requirement_html)
register_renderer("requirement.clause", lambda req, lang="zh", fmt="text": build_clause(req).render(lang, fmt))
register_renderer("review.markdown", review_markdown)
register_renderer("review.html", review_html)
register_renderer("comparison.text", comparison_text)
register_renderer("comparison.markdown", comparison_markdown)
register_renderer("comparison.html", comparison_html)
