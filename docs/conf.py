"""Sphinx configuration: the documentation builds offline, with warnings as errors.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.
Nothing here fetches from the network (no intersphinx, no remote images or themes).
"""

from __future__ import annotations

import facility_sizing

project = "facility_sizing · 托育设施配建计算"
author = "facility_sizing contributors"
copyright = "facility_sizing contributors"  # noqa: A001 - Sphinx's name
version = release = facility_sizing.__version__
language = "zh_CN"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build"]

# MyST: heading anchors so pages can link to sections; fenced blocks as in GitHub.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# API reference from the numpydoc-style docstrings.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# "Attributes" sections as fields of the class, so dataclass fields are not described twice
napoleon_use_ivar = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented"
autodoc_default_options = {"members": True, "undoc-members": False}

html_theme = "alabaster"
html_title = "facility_sizing 托育设施配建计算"
# a small local stylesheet: code blocks wrap (docs/_static/wrap.css); nothing is loaded from a CDN
html_static_path = ["_static"]
html_css_files = ["wrap.css"]
