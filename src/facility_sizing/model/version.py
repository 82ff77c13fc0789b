"""The library's version, in one place below every layer (``facility_sizing.__version__`` is this).

A result records it beside the rule-data stamp, so a number written into a contract can be traced
to the code and the rule files that produced it.
"""

from __future__ import annotations

__all__ = ["VERSION"]

VERSION = "0.8.1"
