"""The command line: ``facility-sizing <subcommand>``.

:mod:`.app` parses and dispatches, :mod:`.common` declares the shared flags once, and each
subcommand is its own module (``size``, ``clause``, ``review``, ``rules``, ``batch``,
``scorecard``, ``duties``, ``coverage``).
"""

from .app import build_parser, main
from .common import RULES_ENV

__all__ = ["RULES_ENV", "build_parser", "main"]
