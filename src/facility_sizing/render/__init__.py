"""Rendering: results as text, HTML, condition-letter clauses and the rules reference.

Importing this package registers its renderers with :mod:`facility_sizing.results.hooks`, so
that ``print(req)``, ``req.clause()`` and Jupyter's display of a result find them.
"""

from __future__ import annotations

from ..results.hooks import register_renderer
from .clause import build_clause
from .html import requirement_html
from .text import explain, explain_quantity

__all__ = ["build_clause", "explain", "explain_quantity", "requirement_html"]

register_renderer("requirement.text", explain)
register_renderer("requirement.explain_quantity", explain_quantity)
register_renderer("requirement.html", requirement_html)
register_renderer("requirement.clause", lambda req, lang="zh", fmt="text": build_clause(req).render(lang, fmt))
